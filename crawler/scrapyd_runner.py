"""Scrapyd's runner for lurewatch eggs (``runner = crawler.scrapyd_runner`` in scrapyd.conf).

Scrapyd's own runner puts the deployed egg (a zip) on ``sys.path``; lurewatch reads its
watchlists and Kibana objects as files on disk, so this runner unpacks the egg of the job's
project version into a private temporary folder, imports the project from there and runs
Scrapy's command line (``scrapy crawl ...``) as Scrapyd's runner does. The folder is removed
when the job ends.
"""

from __future__ import annotations

import os
import sys
import tempfile
import zipfile
from typing import Any

from scrapy.cmdline import execute
from scrapyd import Config
from scrapyd.utils import initialize_component

__all__ = ["main", "unpack_egg"]

_SETTINGS = "crawler.settings"


def unpack_egg(egg: Any, into: str) -> None:
    """Extract the egg file object ``egg`` into ``into`` (``zipfile`` keeps every member under
    it: absolute names and ``..`` are neutralised)."""
    with zipfile.ZipFile(egg) as archive:
        archive.extractall(into)


def main() -> None:
    project = os.environ["SCRAPY_PROJECT"]
    config = Config()
    storage = initialize_component(config, "eggstorage", "scrapyd.eggstorage.FilesystemEggStorage")
    _, egg = storage.get(project, os.environ.get("SCRAPYD_EGG_VERSION"))
    with tempfile.TemporaryDirectory(prefix=f"lurewatch-{project}-") as folder:
        if egg is not None:
            try:
                unpack_egg(egg, folder)
            finally:
                egg.close()
            sys.path.insert(0, folder)
            # this module came from the installed package: the job runs the deployed version
            for name in [n for n in sys.modules if n == "crawler" or n.startswith("crawler.")]:
                del sys.modules[name]
        os.environ.setdefault("SCRAPY_SETTINGS_MODULE", _SETTINGS)
        execute()


if __name__ == "__main__":
    main()

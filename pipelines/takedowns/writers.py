"""The export's files, per channel under ``DIR/<channel>/``.

- ``<export id>.csv`` and ``<export id>.json``: one record per incident (:meth:`Incident.row`);
  every CSV cell goes through :func:`pipelines.safety.neutralise_csv_cell` (a blog named
  ``=HYPERLINK(...)`` stays text in a spreadsheet), JSON is written by :mod:`json` (nothing
  from a page can break it);
- ``xarf/<request id>.json``: the X-ARF v4 report of each incident;
- ``notice-<export id>.txt``: the plain-text notice naming every URL of the channel;
- ``channel.json``: the channel's contacts and where they come from.

Directories are created 0700 and files 0600 (:mod:`pipelines.safety`): exports hold the
reporter's contact and evidence.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipelines.safety import neutralise_csv_cell, open_private, private_dir, strip_controls
from pipelines.takedowns.channels import Channel
from pipelines.takedowns.incidents import Incident

__all__ = ["CSV_FIELDS", "ChannelFiles", "write_channel"]

#: The CSV columns, in order.
CSV_FIELDS: tuple[str, ...] = (
    "request_id",
    "channel",
    "subject",
    "reported_url",
    "category",
    "platform",
    "blog",
    "matched_title",
    "rights_holder",
    "evidence_summary",
    "score",
    "first_seen",
    "last_seen",
    "evidence_hashes",
    "campaign_id",
    "campaign_size",
    "linked_urls",
    "linked_from",
    "xarf_report_id",
)


class ChannelFiles:
    """The paths written for one channel."""

    def __init__(self, directory: Path, export_id: str) -> None:
        self.directory = directory
        self.csv = directory / f"{export_id}.csv"
        self.json = directory / f"{export_id}.json"
        self.notice = directory / f"notice-{export_id}.txt"
        self.xarf = directory / "xarf"
        self.channel = directory / "channel.json"


def _cell(value: Any) -> str:
    return neutralise_csv_cell(strip_controls(str(value)))


def _write_json(path: Path, data: Any) -> None:
    with open_private(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def write_channel(
    out_dir: Path,
    channel: Channel,
    incidents: Sequence[Incident],
    reports: Sequence[dict[str, Any]],
    notice: str,
    export_id: str,
) -> ChannelFiles:
    """Write one channel's CSV, JSON, X-ARF reports, notice and contacts; return the paths."""
    files = ChannelFiles(out_dir / channel.key, export_id)
    private_dir(files.xarf)
    rows = [incident.row() for incident in incidents]
    with open_private(files.csv, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows({name: _cell(row[name]) for name in CSV_FIELDS} for row in rows)
    _write_json(files.json, rows)
    for incident, report in zip(incidents, reports, strict=True):
        _write_json(files.xarf / f"{incident.request_id}.json", report)
    with open_private(files.notice, "w", encoding="utf-8") as handle:
        handle.write(notice)
    _write_json(files.channel, asdict(channel))
    return files

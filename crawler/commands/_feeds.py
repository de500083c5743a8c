"""Several spiders, one output file: each crawler writes a part file, merged when all are done."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from scrapy.exceptions import UsageError

from pipelines.safety import neutralise_csv_cell, open_private

__all__ = ["MERGEABLE_FORMATS", "merge_parts", "part_uri", "split_feeds"]

MERGEABLE_FORMATS = ("jsonlines", "jsonl", "jl", "json", "csv")
PART_SUFFIX = ".%(name)s.part"


def part_uri(uri: str) -> str:
    return uri + PART_SUFFIX


def split_feeds(
    feeds: dict[str, dict[str, Any]],
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """Rewrite local-file feeds to per-spider part files; return new FEEDS and what to merge."""
    rewritten: dict[str, dict[str, Any]] = {}
    merges: list[tuple[str, dict[str, Any]]] = []
    for uri, options in feeds.items():
        fmt = str(options.get("format", "jsonlines"))
        if uri in ("-", "stdout:") or "%(name)s" in uri:
            rewritten[uri] = options  # stdout or already per spider: nothing to merge
            continue
        if uri.startswith(("s3://", "gs://", "ftp://")) or fmt not in MERGEABLE_FORMATS:
            raise UsageError(
                f"lurewatch crawl can merge only local {', '.join(MERGEABLE_FORMATS)} feeds, "
                f"not {uri}:{fmt}"
            )
        rewritten[part_uri(uri)] = {**options, "overwrite": True}
        merges.append((uri, options))
    return rewritten, merges


def _local_path(uri: str) -> Path:
    return Path(uri[len("file://") :] if uri.startswith("file://") else uri)


def merge_parts(uri: str, options: dict[str, Any], spider_names: list[str]) -> int:
    """Merge the spiders' part files into ``uri`` (overwrite or append); return the item count."""
    target = _local_path(uri)
    parts = [_local_path(part_uri(uri) % {"name": name}) for name in spider_names]
    fmt = str(options.get("format", "jsonlines"))
    overwrite = bool(options.get("overwrite", False))
    if fmt == "json":
        items = _json_items(target) if target.exists() and not overwrite else []
        for part in parts:
            items += _json_items(part)
        _write_text(target, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
        count = len(items)
    elif fmt == "csv":
        count = _merge_csv(target, parts, overwrite)
    else:
        count = 0
        with open_private(target, "wb" if overwrite else "ab") as out:
            for part in parts:
                data = part.read_bytes() if part.exists() else b""
                count += data.count(b"\n")
                out.write(data)
    for part in parts:
        part.unlink(missing_ok=True)
    return count


def _json_items(path: Path) -> list[Any]:
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data) if isinstance(data, list) else [data]


def _merge_csv(target: Path, parts: list[Path], overwrite: bool) -> int:
    rows: list[dict[str, str]] = []
    fields: list[str] = []
    kept = [] if overwrite or not target.exists() else [target]
    sources = kept + [p for p in parts if p.exists()]
    for source in sources:
        reader = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8")))
        fields += [f for f in reader.fieldnames or [] if f not in fields]
        rows += list(reader)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    _write_text(target, buffer.getvalue())
    return len(rows)


def _cell(value: Any) -> Any:
    """Cells of an older file may predate the safe exporter: neutralise them (idempotent)."""
    return neutralise_csv_cell(value) if isinstance(value, str) else value


def _write_text(target: Path, text: str) -> None:
    with open_private(target, "w", encoding="utf-8") as out:  # a new file is created 0600
        out.write(text)

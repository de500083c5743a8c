"""Several spiders, one output file: each crawler writes a part file, merged when all are done."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from scrapy.exceptions import UsageError

from pipelines.safety import neutralise_csv_cell

__all__ = [
    "MERGEABLE_FORMATS",
    "check_writable",
    "local_path",
    "merge_parts",
    "part_uri",
    "split_feeds",
    "write_atomic",
]

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


def local_path(uri: str) -> Path:
    return Path(uri[len("file://") :] if uri.startswith("file://") else uri)


def merge_parts(uri: str, options: dict[str, Any], spider_names: list[str]) -> int:
    """Merge the spiders' part files into ``uri`` (overwrite or append); return the item count."""
    target = local_path(uri)
    parts = [local_path(part_uri(uri) % {"name": name}) for name in spider_names]
    fmt = str(options.get("format", "jsonlines"))
    overwrite = bool(options.get("overwrite", False))
    if fmt == "json":
        items = _json_items(target) if target.exists() and not overwrite else []
        for part in parts:
            items += _json_items(part)
        write_atomic(target, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
        count = len(items)
    elif fmt == "csv":
        count = _merge_csv(target, parts, overwrite)
    else:
        kept = target.read_bytes() if target.exists() and not overwrite else b""
        if kept and not kept.endswith(b"\n"):
            kept += b"\n"
        lines = [_complete_lines(part) for part in parts]
        count = sum(len(chunk) for chunk in lines)
        _write_bytes(target, kept + b"".join(line for chunk in lines for line in chunk))
    for part in parts:
        part.unlink(missing_ok=True)
    return count


def _json_items(path: Path) -> list[Any]:
    text = _json_text(path)
    if not text.strip():
        return []
    try:
        data = json.loads(text)
    except ValueError:  # a part cut by a killed crawl: ``[`` then one item a line
        return _salvage_json(text)
    return list(data) if isinstance(data, list) else [data]


def _salvage_json(text: str) -> list[Any]:
    items: list[Any] = []
    for line in text.splitlines():
        line = line.strip().rstrip(",")
        if line in ("[", "]", ""):
            continue
        try:
            items.append(json.loads(line))
        except ValueError:
            continue
    return items


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
    write_atomic(target, buffer.getvalue())
    return len(rows)


def _cell(value: Any) -> Any:
    """Cells of an older file may predate the safe exporter: neutralise them (idempotent)."""
    return neutralise_csv_cell(value) if isinstance(value, str) else value


def _complete_lines(part: Path) -> list[bytes]:
    """The JSON lines of a part file; a last line cut by a killed crawl is dropped."""
    if not part.exists():
        return []
    lines = part.read_bytes().splitlines(keepends=True)
    if lines and not lines[-1].endswith(b"\n"):
        try:
            json.loads(lines[-1])
            lines[-1] += b"\n"
        except ValueError:
            lines.pop()
    return lines


def _json_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def write_atomic(target: Path, text: str) -> None:
    _write_bytes(target, text.encode("utf-8"))


def _write_bytes(target: Path, data: bytes) -> None:
    """Write ``target`` whole or not at all: a temp file in its folder (0600), then a rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_writable(path: Path) -> str | None:
    """Why ``path`` cannot be written (``None`` when it can), checked without touching it."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        return f"{path} is a directory"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    if not folder.is_dir():
        return f"{path}: folder {folder} does not exist"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"{path}: folder {folder} is not writable"
    return None

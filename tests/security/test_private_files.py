"""What lurewatch writes in its data folder is its operator's alone: files 0600, directories 0700.

Hits name the crawler's targets and its logs its operations; with the usual umask (022) the old
writers left them world-readable (0644). Every test here runs under umask 022.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.commands._feeds import merge_parts, part_uri
from pipelines.es.spool import Spool
from tests._crawl import ROOT


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_spool_files_and_directories_are_private(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "data" / "es-spool" / "lurewatch-hits.jsonl")
    assert spool.append([{"url": "https://x.example/1"}], reason="es down") == 1
    assert mode(tmp_path / "data") == mode(tmp_path / "data" / "es-spool") == 0o700
    assert mode(spool.path) == 0o600
    with spool.replaying() as claimed:
        assert claimed
    assert mode(spool.path.with_name("lurewatch-hits.lock")) == 0o600


def test_feed_files_are_created_private(tmp_path: Path) -> None:
    """``-O data/hits/hits.jsonl``: the storage ``FEED_STORAGES`` picks for a local path."""
    target = tmp_path / "hits" / "hits.jsonl"
    storage_cls = load_object(get_project_settings().getwithbase("FEED_STORAGES")[""])
    storage = storage_cls(str(target), feed_options={"overwrite": True})
    handle = storage.open(Spider("x"))
    handle.write(b"{}\n")
    storage.store(handle)
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700


@pytest.mark.parametrize("fmt", ["jsonlines", "json", "csv"])
def test_merged_output_is_created_private(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"hits.{fmt}"
    part = Path(part_uri(str(target)) % {"name": "tumblr"})
    content = {"csv": "url\nhttps://x/1\n", "json": '[{"url": 1}]'}.get(fmt, "{}\n")
    part.write_text(content, encoding="utf-8")
    merge_parts(str(target), {"format": fmt, "overwrite": True}, ["tumblr"])
    assert mode(target) == 0o600


def test_the_nightly_job_writes_hits_stats_and_logs_private(tmp_path: Path) -> None:
    """``deploy/nightly`` with a stand-in for Python that writes the files it is told to write."""
    stand_in = tmp_path / "python"
    stand_in.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$prev:$a" in -O:*|--stats-file:*) echo x > "$a";; '
        '-s:LOG_FILE=*) echo x > "${a#LOG_FILE=}";; esac; prev="$a"; done\n',
        encoding="utf-8",
    )
    stand_in.chmod(0o755)
    data = tmp_path / "data"
    env = {"PATH": os.environ["PATH"], "PYTHON": str(stand_in), "LUREWATCH_DATA_DIR": str(data)}
    subprocess.run([str(ROOT / "deploy" / "nightly")], env=env, check=True, timeout=30)
    written = sorted(p for p in data.rglob("*") if p.is_file())
    assert [p.name.split("-")[0] for p in written] == ["hits", "crawl", "stats"]
    assert {mode(p) for p in written} == {0o600}
    assert {mode(data / "hits"), mode(data / "logs")} == {0o700}

"""Issue 12, items 6 and 7: outputs written whole and never wiped, honest exit statuses, files
private by the entry point's umask, URL passwords of every shape masked, bounded patterns."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crawler import redaction
from crawler.commands._feeds import check_writable, merge_parts, part_uri
from crawler.commands.crawlall import crawl_exitcode, probe_origin
from crawler.distributed import SHARED_REQUESTS
from crawler.exitcodes import DISABLED_REASON, ExitCode
from crawler.parsers import wordpress
from pipelines.config import redact_url
from tests._crawl import ROOT, clean_env

try:  # Python 3.11+
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

PASSWORD_SHAPES = [
    ("http://u:12#3@h:9", "http://u:***@h:9"),
    ("http://u:a?b@h", "http://u:***@h"),
    ("u:pw@h:9", "u:***@h:9"),
    ("u:12#3@h:9", "u:***@h:9"),
    ("http://u:12?3@h:9", "http://u:***@h:9"),
    ("http://u:a/b@h:9", "http://u:***@h:9"),
]


def _lurewatch(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=ROOT,
        env={**clean_env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends: nothing listens


@pytest.mark.parametrize(("url", "masked"), PASSWORD_SHAPES)
def test_redact_url_masks_every_password_shape(url: str, masked: str) -> None:
    assert redact_url(url) == masked


@pytest.mark.parametrize(("url", "masked"), PASSWORD_SHAPES)
def test_log_redaction_masks_every_password_shape(url: str, masked: str) -> None:
    assert redaction.redact(f"connecting to {url} failed") == f"connecting to {masked} failed"


def test_an_at_in_a_query_is_still_not_a_password() -> None:
    assert redact_url("http://es:9200/_search?q=a@b") == "http://es:9200/_search?q=a@b"


def _unbounded_repeats(pattern: str) -> int:
    """How many repeats of ``pattern`` have no upper bound (``*``, ``+``, ``{n,}``)."""
    found = 0
    stack: list[Any] = [sre_parse.parse(pattern)]
    while stack:
        for op, arg in stack.pop():
            if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
                found += arg[1] == sre_parse.MAXREPEAT
                stack.append(arg[2])
            elif op == sre_parse.SUBPATTERN:
                stack.append(arg[-1])
            elif op == sre_parse.BRANCH:
                stack.extend(arg[1])
    return found


def test_redaction_url_patterns_are_bounded() -> None:
    """Each attempt scans a bounded stretch: redacting a line is linear in its length."""
    assert _unbounded_repeats(redaction._URL_PASSWORD.pattern) == 0
    assert _unbounded_repeats(redaction._BARE_PASSWORD.pattern) == 0


def test_redaction_of_a_hostile_line_scans_bounded_stretches() -> None:
    line = "a" * 200_000 + "://" + "b:" * 1000
    assert redaction.redact(line) == line


@pytest.mark.parametrize("pattern", [wordpress._TAG, wordpress._LINK_VALUE])
def test_wordpress_runs_stop_at_the_next_tag_start(pattern: Any) -> None:
    """The run after ``<`` excludes ``<`` (was ``[^>]``, one rescan to the end per ``<``)."""
    assert pattern.pattern.startswith(("<[^<>]+>", "<([^<>]*)>"))
    header = "<" * 20_000 + '<https://b.example/?p=2>; rel="next"'
    assert [m.group(1) for m in wordpress._LINK_VALUE.finditer(header)] == [
        "https://b.example/?p=2"
    ]


def test_wordpress_strips_tags_of_a_hostile_title() -> None:
    title = "<" * 50_000 + "<b>Iron Man</b>"
    assert wordpress._TAG.sub("", title) == "<" * 50_000 + "Iron Man"


def test_a_truncated_last_line_is_dropped_and_no_part_is_left(tmp_path: Path) -> None:
    target = tmp_path / "hits.jsonl"
    target.write_text('{"old": 1}\n', encoding="utf-8")
    uri = str(target)
    Path(part_uri(uri) % {"name": "tumblr"}).write_text('{"a": 1}\n{"b": 2}\n{"c":', "utf-8")
    Path(part_uri(uri) % {"name": "blogger"}).write_text('{"d": 4}', encoding="utf-8")
    count = merge_parts(uri, {"format": "jsonlines", "overwrite": True}, ["tumblr", "blogger"])
    lines = target.read_text(encoding="utf-8").splitlines()
    assert count == 3 and [json.loads(line) for line in lines] == [{"a": 1}, {"b": 2}, {"d": 4}]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hits.jsonl"]  # no part, no temp file


def test_a_truncated_json_part_keeps_its_complete_items(tmp_path: Path) -> None:
    uri = str(tmp_path / "hits.json")
    Path(part_uri(uri) % {"name": "tumblr"}).write_text('[\n{"a": 1},\n{"b": 2},\n{"c', "utf-8")
    assert merge_parts(uri, {"format": "json", "overwrite": True}, ["tumblr"]) == 2
    assert json.loads(Path(uri).read_text(encoding="utf-8")) == [{"a": 1}, {"b": 2}]


def test_the_merge_replaces_the_file_by_a_rename(tmp_path: Path) -> None:
    target = tmp_path / "hits.jsonl"
    target.write_text("old\n", encoding="utf-8")
    before = target.stat().st_ino
    Path(part_uri(str(target)) % {"name": "x"}).write_text('{"a": 1}\n', encoding="utf-8")
    merge_parts(str(target), {"format": "jsonlines", "overwrite": True}, ["x"])
    assert target.stat().st_ino != before  # a new file renamed over, never truncated in place
    assert target.stat().st_mode & 0o777 == 0o600


def test_check_writable_names_the_path(tmp_path: Path) -> None:
    assert check_writable(tmp_path / "ok.jsonl") is None
    problem = check_writable(tmp_path / "missing" / "h.jsonl")
    assert problem is not None and str(tmp_path / "missing" / "h.jsonl") in problem
    assert check_writable(tmp_path) == f"{tmp_path} is a directory"


def test_probe_origin_says_why() -> None:
    problem = probe_origin(f"http://127.0.0.1:{_closed_port()}", timeout=2)
    assert problem is not None and "unreachable" in problem
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert probe_origin(f"http://127.0.0.1:{server.getsockname()[1]}", timeout=2) is None


def _stats(requests: int, responses: int, **extra: Any) -> dict[str, Any]:
    return {
        "downloader/request_count": requests,
        "downloader/response_count": responses,
        **extra,
    }


def test_crawl_exitcode_tells_each_failure(caplog: pytest.LogCaptureFixture) -> None:
    names = ["tumblr", "wordpress", "blogger"]
    ok = {name: _stats(3, 3) for name in names}
    assert crawl_exitcode(ok, names) == ExitCode.OK
    failed = {**ok, "wordpress": _stats(7, 0)}
    assert crawl_exitcode(failed, names) == ExitCode.UNREACHABLE
    assert "wordpress: 0 of 7 requests got a response" in caplog.text
    off = {**failed, "tumblr": _stats(0, 0, **{DISABLED_REASON: "TUMBLR_API_KEY missing"})}
    assert crawl_exitcode(off, names) == ExitCode.NO_REQUESTS
    assert "tumblr: made no request (TUMBLR_API_KEY missing)" in caplog.text
    assert crawl_exitcode({"tumblr": _stats(1, 1)}, ["tumblr", "blogger"]) == ExitCode.FAILED


def test_a_distributed_worker_left_no_work_by_the_others_is_not_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    names = ["tumblr", "wordpress"]
    ok = {name: _stats(3, 3, **{SHARED_REQUESTS: 40}) for name in names}
    idle = {**ok, "wordpress": _stats(0, 0, **{SHARED_REQUESTS: 12})}
    assert crawl_exitcode(idle, names) == ExitCode.OK
    assert "wordpress: this worker took none of the 12 requests of the shared queue" in caplog.text
    # a worker whose spider was switched off still fails, shared queue or not
    off = {**ok, "wordpress": _stats(0, 0, **{SHARED_REQUESTS: 12, DISABLED_REASON: "no key"})}
    assert crawl_exitcode(off, names) == ExitCode.NO_REQUESTS
    # nothing scheduled by any worker: the spider had nothing to crawl
    empty = {**ok, "wordpress": _stats(0, 0, **{SHARED_REQUESTS: 0})}
    assert crawl_exitcode(empty, names) == ExitCode.NO_REQUESTS


def test_exit_statuses_keep_their_values() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "FAILED": 1,
        "USAGE": 2,
        "CONFIG": 3,
        "OUTPUT": 4,
        "UNREACHABLE": 5,
        "NO_REQUESTS": 6,
        "LOCKED": 7,
        "INTERRUPTED": 8,
        "MONITOR": 9,
    }


def test_an_unreachable_offline_origin_is_one_line_and_touches_no_output(tmp_path: Path) -> None:
    out, stats = tmp_path / "hits.jsonl", tmp_path / "stats.json"
    out.write_text('{"kept": 1}\n', encoding="utf-8")
    stats.write_text('{"kept": 1}', encoding="utf-8")
    origin = f"http://127.0.0.1:{_closed_port()}"
    proc = _lurewatch(
        "crawl", "-O", str(out), "--stats-file", str(stats), LUREWATCH_OFFLINE_ORIGIN=origin
    )
    assert proc.returncode == ExitCode.UNREACHABLE
    assert proc.stderr.startswith(f"lurewatch crawl: offline origin {origin} unreachable")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == '{"kept": 1}\n'
    assert stats.read_text(encoding="utf-8") == '{"kept": 1}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hits.jsonl", "stats.json"]


@pytest.mark.parametrize("flag", ["-O", "--stats-file"])
def test_an_unwritable_output_is_refused_before_the_first_request(
    tmp_path: Path, flag: str
) -> None:
    path = tmp_path / "no-such-folder" / "out.jsonl"
    proc = _lurewatch("crawl", flag, str(path), LUREWATCH_OFFLINE_ORIGIN="http://127.0.0.1:9")
    assert proc.returncode == ExitCode.OUTPUT
    assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr


def test_the_entry_point_makes_every_file_private(tmp_path: Path) -> None:
    code = (
        "import os, sys; from crawler.cli import main; main(['--help']);"
        f"open({str(tmp_path / 'f')!r}, 'w').close(); os.mkdir({str(tmp_path / 'd')!r})"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True)
    assert (tmp_path / "f").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("LUREWATCH_MAX_LANDINGS_PER_POST=abc", "LUREWATCH_MAX_LANDINGS_PER_POST: must be"),
        ("LUREWATCH_TITLES=/no/such/titles.yaml", "/no/such/titles.yaml"),
    ],
)
def test_scrapy_crawl_refuses_a_bad_setting_in_one_line_before_it_starts(
    tmp_path: Path, setting: str, problem: str
) -> None:
    out = tmp_path / "hits.jsonl"
    out.write_text('{"kept": 1}\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "tumblr", "-O", str(out), "-s", setting],
        cwd=ROOT,
        env={**clean_env(), "LUREWATCH_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2  # Scrapy's usage error
    [error] = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert problem in error and "Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == '{"kept": 1}\n'

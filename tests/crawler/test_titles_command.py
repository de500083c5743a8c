"""``lurewatch titles suggest`` from a JSON Lines crawl output, and its errors."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import yaml

from crawler.cli import run_command
from crawler.exitcodes import ExitCode


def _output(path: Path) -> Path:
    records = [
        {"url": f"https://fake{i}.example/p", "candidate_title": "Glass Harbour"} for i in range(3)
    ]
    records += [
        {"url": "https://x.example/1", "candidate_title": "Starfall: The Last Orbit"},
        {"url": "https://x.example/2", "candidate_title": "Starfall: the last orbit"},
        {"url": "https://y.example/1", "candidate_title": "Paper Lions"},
        {"url": "https://z.example/1", "verdict": "fake_stream", "matched_title": "Moana"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_suggest_from_a_crawl_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _output(tmp_path / "out.jsonl")
    assert run_command("titles", ["suggest", "--from", str(out)], settings={}) == ExitCode.OK
    text = capsys.readouterr().out
    assert "     3  Glass Harbour" in text and "https://fake0.example/p" in text
    assert "     2  Starfall: The Last Orbit" in text
    assert "Paper Lions" not in text  # seen once: below the default --min 2
    block = text.split("titles.yaml (and a year):\n", 1)[1]
    assert yaml.safe_load(block) == [
        {"title": "Glass Harbour"},
        {"title": "Starfall: The Last Orbit"},
    ]


def test_min_and_nothing_to_suggest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _output(tmp_path / "out.jsonl")
    assert run_command("titles", ["suggest", "--min", "4", "--from", str(out)], {}) == 0
    assert "no candidate title seen on 4 pages or more" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        run_command("titles", ["suggest", "--min", "0", "--from", str(out)], {})
    assert refused.value.code == ExitCode.USAGE


def test_a_bad_line_is_one_error_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"candidate_title": "Glass Harbour"}\n{"truncated": \n', encoding="utf-8")
    assert run_command("titles", ["suggest", "--from", str(bad)], {}) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"{bad}:2: not JSON" in err and err.count("\n") == 1


def test_unreachable_elasticsearch_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = {
        "ELASTICSEARCH_URL": f"http://user:s3cret@127.0.0.1:{port}",
        "LUREWATCH_ES_TIMEOUT": 2,
        "LUREWATCH_ES_MAX_RETRIES": 0,
        "LUREWATCH_DATA_DIR": str(tmp_path),
    }
    assert run_command("titles", ["suggest"], settings) == ExitCode.FAILED
    err = capsys.readouterr().err
    assert "Elasticsearch unreachable" in err and err.count("\n") == 1
    assert "s3cret" not in err


def test_suggest_is_the_only_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command("titles", ["list"], {}) == ExitCode.USAGE

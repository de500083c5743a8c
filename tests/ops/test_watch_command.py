"""``lurewatch watch`` as a command (crawler/commands/watch.py), its polls replaced by small child
processes: refusals, the locks it shares with ``lurewatch nightly``, SIGTERM, the poll line."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from crawler.cli import run_command
from crawler.commands import watch
from crawler.exitcodes import ExitCode
from pipelines.ops.lock import run_lock


def _settings(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "SPIDER_MODULES": ["crawler.spiders"],
        "LUREWATCH_DATA_DIR": str(tmp_path / "data"),
        "ELASTICSEARCH_URL": "http://127.0.0.1:9",  # never contacted: the polls are fakes
        **extra,
    }


@pytest.fixture
def polls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Each poll runs ``python -c CODE`` (``CODE`` from the test) instead of a crawl; the real
    command lines are recorded."""
    commands: list[list[str]] = []
    real = watch.Command._command

    def fake(self: watch.Command, opts: Any, stats_file: Path) -> list[str]:
        commands.append(real(self, opts, stats_file))
        return [sys.executable, "-c", os.environ.get("WATCH_TEST_POLL", "pass")]

    monkeypatch.setattr(watch.Command, "_command", fake)
    return commands


def test_each_poll_is_a_crawl_with_the_watch_settings_and_cursors(
    tmp_path: Path, polls: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--polls", "2", "--interval", "10s", "--spiders", "tumblr", "-s", "LOG_LEVEL=INFO"]
    settings = _settings(tmp_path, LUREWATCH_WATCH_INTERVAL="10s")
    code = run_command("watch", args, settings=settings)
    assert code == ExitCode.OK
    assert len(polls) == 2
    command = polls[0]
    assert command[1:4] == ["-m", "crawler.cli", "crawl"]
    assert command[command.index("--spiders") + 1] == "tumblr"
    assert "LOG_LEVEL=INFO" in command
    # the day's quotas spread over the polls: each poll is paced by the interval
    assert command[command.index("LUREWATCH_QUOTA_PACE=10") - 1] == "-s"
    state = tmp_path / "data" / "watch" / "cursors.json"
    assert command[-2:] == ["-s", f"LUREWATCH_WATCH_STATE={state}"]
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("poll ")]
    assert [line.split()[1] for line in lines] == ["1", "2"]
    assert all("exit 0" in line for line in lines)


def test_a_pace_the_user_set_is_kept_for_the_polls(tmp_path: Path, polls: list[list[str]]) -> None:
    settings = _settings(tmp_path, LUREWATCH_QUOTA_PACE=3600)
    assert run_command("watch", ["--polls", "1", "--interval", "10s"], settings=settings) == 0
    assert "LUREWATCH_QUOTA_PACE=3600" in polls[0]
    assert "LUREWATCH_QUOTA_PACE=10" not in polls[0]


def test_with_the_ledger_off_it_warns_that_every_poll_judges_everything_again(
    tmp_path: Path, polls: list[list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    # posts met again are skipped by the incremental ledger only (tests/ops/test_seen_routes.py)
    settings = _settings(tmp_path, LUREWATCH_RECHECK_INTERVAL=0)
    assert run_command("watch", ["--polls", "1", "--interval", "10s"], settings=settings) == 0
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("LUREWATCH_RECHECK_INTERVAL is 0" in line for line in warned), warned
    caplog.clear()
    default = _settings(tmp_path)
    assert run_command("watch", ["--polls", "1", "--interval", "10s"], settings=default) == 0
    assert not [r for r in caplog.records if "RECHECK_INTERVAL" in r.getMessage()]


def test_without_indexing_it_refuses_to_start(
    tmp_path: Path, polls: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_command(
        "watch", ["--polls", "1"], settings=_settings(tmp_path, ELASTICSEARCH_URL="")
    )
    assert code == ExitCode.CONFIG
    assert "ELASTICSEARCH_URL" in capsys.readouterr().err
    assert polls == []


@pytest.mark.parametrize("interval", ["5", "soon"])
def test_a_bad_interval_is_one_line(
    tmp_path: Path, polls: list[list[str]], capsys: pytest.CaptureFixture[str], interval: str
) -> None:
    code = run_command("watch", ["--interval", interval], settings=_settings(tmp_path))
    assert code == ExitCode.USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "LUREWATCH_WATCH_INTERVAL" in err[0]
    assert polls == []


def test_a_second_watch_is_refused_naming_the_first(
    tmp_path: Path, polls: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    with run_lock(str(tmp_path / "data" / "watch.lock")):
        code = run_command("watch", ["--polls", "1"], settings=_settings(tmp_path))
    assert code == ExitCode.LOCKED
    assert f"held by pid {os.getpid()}" in capsys.readouterr().err
    assert polls == []


def test_a_poll_is_skipped_while_a_nightly_run_holds_its_lock(
    tmp_path: Path, polls: list[list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "data").mkdir()
    with run_lock(str(tmp_path / "data" / "nightly.lock")):
        code = run_command("watch", ["--polls", "1"], settings=_settings(tmp_path))
    assert code == ExitCode.OK
    assert polls == []
    assert "skipped, a nightly run is going" in caplog.text


def test_sigterm_between_polls_ends_the_watch(
    tmp_path: Path, polls: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    report = watch.Command._report

    def then_sigterm(self: watch.Command, poll: int, *args: Any) -> None:
        report(self, poll, *args)
        os.kill(os.getpid(), signal.SIGTERM)  # the first poll is over: now between polls

    monkeypatch.setattr(watch.Command, "_report", then_sigterm)
    code = run_command("watch", ["--interval", "1h"], settings=_settings(tmp_path))
    assert code == ExitCode.OK
    assert len(polls) == 1  # not a second one an hour later


def test_sigterm_during_a_poll_stops_its_crawl(
    tmp_path: Path, polls: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the fake crawl signals the watch once running, and exits as lurewatch crawl does on SIGTERM
    poll = (
        "import os,signal,sys,time; signal.signal(15, lambda *a: sys.exit(8)); "
        "os.kill(os.getppid(), 15); time.sleep(60)"
    )
    monkeypatch.setenv("WATCH_TEST_POLL", poll)
    code = run_command("watch", ["--interval", "10s"], settings=_settings(tmp_path))
    assert code == ExitCode.INTERRUPTED
    assert len(polls) == 1

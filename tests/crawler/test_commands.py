"""Every ``lurewatch`` command sees the crawl's settings: the environment, ``-s`` and its flags.

A subprocess where the environment is what is tested (``crawler/settings.py`` reads it once per
process, as for a user); the command in this process otherwise, with ``settings={}`` standing for
a project whose environment sets nothing.
"""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.cli import COMMANDS, main, run_command
from crawler.commands._watchlists import WATCHLIST_SETTINGS
from crawler.exitcodes import ExitCode
from tests._crawl import ROOT, clean_env
from tests.detection.pages import CASES
from tests.es._helpers import stub_server

#: A file every watchlist loader refuses at line 2 (an unclosed flow sequence).
BROKEN = "a: 1\nb: [unclosed\n"
#: What Elasticsearch answers ``GET /_alias/<alias>`` for an alias with no index.
ES_HEADERS = {"X-Elastic-Product": "Elasticsearch"}


def _env(**extra: str) -> dict[str, str]:
    """The test process's environment without any lurewatch, Elasticsearch or Kibana variable."""
    base = {k: v for k, v in clean_env().items() if not k.startswith("KIBANA_")}
    return {**base, **extra}


def lurewatch(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """``lurewatch ARGS...`` as a user runs it, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=cwd,
        env=env if env is not None else _env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """Three hand-written pages and a labelled manifest of them (split ``tune``)."""
    lines = []
    for name in ("plain_en", "password_offhost", "review"):
        url, html, labels = CASES[name]
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
        entry = {"id": name, "url": url, "path": f"{name}.html", "split": "tune", **labels}
        lines.append(json.dumps(entry))
    (tmp_path / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def iron_man_only(tmp_path: Path) -> Path:
    path = tmp_path / "titles.yaml"
    path.write_text("- {title: Iron Man 2, year: 2010}\n", encoding="utf-8")
    return path


def test_usage_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == ExitCode.USAGE
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert f"  lurewatch {name} " in out
    assert main(["--help"]) == ExitCode.OK
    assert main(["nope"]) == ExitCode.USAGE
    assert "unknown command 'nope'" in capsys.readouterr().err


def test_scrapy_finds_the_same_commands() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy"], cwd=ROOT, env=_env(), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    listed = {line.split()[0] for line in proc.stdout.splitlines() if line.startswith("  ")}
    assert set(COMMANDS.values()) <= listed


def test_an_unknown_option_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command("watchlists", ["check", "--bogus"], settings={}) == ExitCode.USAGE
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_watchlists_check_reads_every_file_from_the_environment(tmp_path: Path) -> None:
    files = {setting: tmp_path / f"{name}.yaml" for name, setting in WATCHLIST_SETTINGS.items()}
    for path in files.values():
        path.write_text(BROKEN, encoding="utf-8")
    proc = lurewatch("watchlists", "check", env=_env(**{s: str(p) for s, p in files.items()}))
    assert proc.returncode == ExitCode.FAILED
    errors = proc.stderr.splitlines()
    assert [line.split(": invalid YAML")[0] for line in errors] == [
        f"error: {path}:2" for path in files.values()
    ]
    assert proc.stdout == ""


def test_watchlists_check_reads_s_and_flags(
    broken: Path, iron_man_only: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "-s", f"LUREWATCH_LURES={broken}"]
    assert run_command("watchlists", argv, settings={}) == ExitCode.FAILED
    assert f"{broken}:2:" in capsys.readouterr().err
    # a flag is the setting's alias, and wins over -s
    argv = ["check", "-s", f"LUREWATCH_TITLES={broken}", "--titles", str(iron_man_only)]
    assert run_command("watchlists", argv, settings={}) == ExitCode.OK
    assert f"ok  titles: {iron_man_only} (1 entry)\n" in capsys.readouterr().out


def test_watchlists_check_shipped_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command("watchlists", ["check"], settings={}) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out.startswith("ok  titles: shipped (") and "ok  searches: shipped (1 entry)" in out
    assert err == ""


def test_classify_reads_titles_and_lures_from_s(
    pages: Path, iron_man_only: Path, broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = str(pages / "plain_en.html")
    assert run_command("classify", [page], settings={}) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["matched_title"] == "Man of Steel"
    argv = ["-s", f"LUREWATCH_TITLES={iron_man_only}", page]
    assert run_command("classify", argv, settings={}) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["matched_title"] is None
    argv = ["-s", f"LUREWATCH_LURES={broken}", page]
    assert run_command("classify", argv, settings={}) == ExitCode.USAGE
    out, err = capsys.readouterr()
    assert out == "" and f"{broken}:2:" in err


def test_classify_reads_the_environment(pages: Path, broken: Path) -> None:
    env = _env(LUREWATCH_TEMPLATES=str(broken))
    proc = lurewatch("classify", str(pages / "plain_en.html"), env=env)
    assert proc.returncode == ExitCode.USAGE
    assert proc.stdout == "" and f"{broken}:2:" in proc.stderr


def test_eval_reads_titles_from_s_and_lures_from_the_environment(
    pages: Path, iron_man_only: Path, broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = str(pages / "manifest.jsonl")
    assert run_command("eval", ["--manifest", manifest, "--split", "tune"], settings={}) == 0
    assert "misclassified: 0" in capsys.readouterr().out
    argv = ["--manifest", manifest, "--split", "tune", "-s", f"LUREWATCH_TITLES={iron_man_only}"]
    assert run_command("eval", argv, settings={}) == ExitCode.OK
    assert "misclassified: 1\n    plain_en " in capsys.readouterr().out
    proc = lurewatch("eval", "--manifest", manifest, env=_env(LUREWATCH_LURES=str(broken)))
    assert proc.returncode == ExitCode.USAGE and f"{broken}:2:" in proc.stderr


def test_eval_without_the_corpus_says_so_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--manifest", str(tmp_path / "none.jsonl")]
    assert run_command("eval", argv, settings={}) == ExitCode.USAGE
    assert capsys.readouterr().err.count("\n") == 1


def test_es_status_needs_elasticsearch_url(tmp_path: Path) -> None:
    proc = lurewatch("es", "status", cwd=tmp_path)
    assert proc.returncode == ExitCode.CONFIG
    assert proc.stderr == "error: ELASTICSEARCH_URL not set\n"


def test_es_reads_url_and_index_from_the_environment(tmp_path: Path) -> None:
    with stub_server(200, {}, ES_HEADERS) as (url, requests):
        env = _env(
            ELASTICSEARCH_URL=url, LUREWATCH_ES_INDEX="env-alias", LUREWATCH_DATA_DIR=str(tmp_path)
        )
        proc = lurewatch("es", "status", env=env)
    # the alias has no index: the status says so and fails
    assert proc.returncode == ExitCode.FAILED, proc.stderr
    assert proc.stdout.startswith("alias env-alias: 0 indices")
    assert [r["path"] for r in requests] == ["/_alias/env-alias"]


def test_es_reads_s_and_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with stub_server(200, {}, ES_HEADERS) as (url, requests):
        project = {"ELASTICSEARCH_URL": url, "LUREWATCH_DATA_DIR": str(tmp_path)}
        argv = ["-s", "LUREWATCH_ES_INDEX=s-alias", "status"]
        assert run_command("es", argv, settings=project) == ExitCode.FAILED
        argv = ["-s", "LUREWATCH_ES_INDEX=s-alias", "--index", "flag-alias", "status"]
        assert run_command("es", argv, settings=project) == ExitCode.FAILED
    assert [r["path"] for r in requests] == ["/_alias/s-alias", "/_alias/flag-alias"]
    assert "alias flag-alias: 0 indices" in capsys.readouterr().out


def test_es_refuses_a_bad_index_name(capsys: pytest.CaptureFixture[str]) -> None:
    project = {"ELASTICSEARCH_URL": "http://127.0.0.1:9", "LUREWATCH_ES_INDEX": "Bad Alias"}
    assert run_command("es", ["setup"], settings=project) == ExitCode.CONFIG
    assert "LUREWATCH_ES_INDEX: 'Bad Alias'" in capsys.readouterr().err


def test_es_id_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["id", "https://www.blog.example.com/post/1?utm_source=x"]
    assert run_command("es", argv, settings={}) == ExitCode.OK
    canonical, ident = capsys.readouterr().out.splitlines()
    assert canonical == "https://blog.example.com/post/1" and len(ident) == 64
    assert run_command("es", ["drop"], settings={}) == ExitCode.USAGE


def test_kibana_reads_url_and_key_from_the_environment() -> None:
    answer = {"success": True, "successCount": 3}
    with stub_server(200, answer) as (url, requests):
        proc = lurewatch("kibana", "import", env=_env(KIBANA_URL=url, KIBANA_API_KEY="kb-key"))
    assert proc.returncode == ExitCode.OK, proc.stderr
    assert proc.stdout == f"imported 3 saved objects into {url}\n"
    assert requests[0]["headers"]["authorization"] == "ApiKey kb-key"


def test_kibana_reads_s_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    answer = {"success": True, "successCount": 3}
    with stub_server(200, answer) as (url, requests):
        argv = ["import", "-s", f"KIBANA_URL={url}", "-s", "KIBANA_SPACE=soc"]
        assert run_command("kibana", argv, settings={}) == ExitCode.OK
        argv = ["import", "--url", url, "--space", "ops", "-s", "KIBANA_SPACE=soc"]
        assert run_command("kibana", argv, settings={}) == ExitCode.OK
    paths = [r["path"].split("?")[0] for r in requests]
    assert paths == ["/s/soc/api/saved_objects/_import", "/s/ops/api/saved_objects/_import"]
    assert "authorization" not in requests[0]["headers"]


def test_kibana_refuses_a_url_without_scheme(capsys: pytest.CaptureFixture[str]) -> None:
    project = {"KIBANA_URL": "kibana:5601"}
    assert run_command("kibana", ["import"], settings=project) == ExitCode.CONFIG
    assert "KIBANA_URL: must be an http(s) URL" in capsys.readouterr().err


def test_demo_checks_every_watchlist_before_starting(
    tmp_path: Path, broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "hits.jsonl"
    argv = ["--no-es", "--out", str(out), "-s", f"LUREWATCH_LURES={broken}"]
    assert run_command("demo", argv, settings={}) == ExitCode.USAGE
    stdout, stderr = capsys.readouterr()
    assert stdout == "" and f"lurewatch demo: broken watchlist: {broken}:2:" in stderr
    proc = lurewatch(
        "demo", "--no-es", "--out", str(out), env=_env(LUREWATCH_TEMPLATES=str(broken))
    )
    assert proc.returncode == ExitCode.USAGE and f"{broken}:2:" in proc.stderr
    assert "Replica" not in proc.stdout and not out.exists()


def test_crawl_refuses_an_unknown_spider_in_one_line(tmp_path: Path) -> None:
    proc = lurewatch("crawl", "--spiders", "tumblr,nosuch", "-O", str(tmp_path / "hits.jsonl"))
    assert proc.returncode == ExitCode.USAGE
    known = "blogger, tumblr, wordpress"
    assert proc.stderr == f"lurewatch crawl: unknown spider nosuch; known spiders: {known}\n"
    assert not (tmp_path / "hits.jsonl").exists()


def test_crawl_checks_the_detection_watchlists_from_the_environment(
    tmp_path: Path, broken: Path
) -> None:
    out = tmp_path / "hits.jsonl"
    proc = lurewatch("crawl", "-O", str(out), env=_env(LUREWATCH_THRESHOLDS=str(broken)))
    assert proc.returncode == ExitCode.USAGE
    assert proc.stderr.startswith(f"lurewatch crawl: broken watchlist: {broken}:2:")
    assert proc.stderr.count("\n") == 1 and not out.exists()


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_replica_on_a_busy_port_is_one_line(busy_port: int) -> None:
    proc = lurewatch("replica", "--port", str(busy_port))
    assert proc.returncode == ExitCode.FAILED
    assert proc.stderr == f"lurewatch replica: port {busy_port} is in use\n"
    module = subprocess.run(
        [sys.executable, "-m", "replica", "--port", str(busy_port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert module.returncode == 1
    assert module.stderr == f"python -m replica: port {busy_port} is in use\n"


def test_replica_serves_until_sigterm(tmp_path: Path) -> None:
    log = tmp_path / "replica.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "replica", "--port", "0"],
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    try:
        assert proc.stdout is not None
        origin = urlsplit(proc.stdout.readline().strip())
        connection = http.client.HTTPConnection(origin.netloc, timeout=10)
        connection.request("GET", "/robots.txt", headers={"Host": "www.tumblr.com"})
        assert connection.getresponse().status == 200
        connection.close()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == ExitCode.OK, log.read_text()[-2000:]
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def test_pipelines_read_no_environment_and_no_project_settings() -> None:
    """Only ``crawler/settings.py`` reads the environment; the core gets settings passed in."""
    offenders = []
    for path in sorted((ROOT / "pipelines").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for needle in ("os.environ", "getenv(", "get_project_settings"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []

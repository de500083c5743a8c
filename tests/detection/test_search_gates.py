"""Searches skipped by a cheap ``in`` test (defanged URLs, torrent links) answer as the full
pattern does, on texts built of the pieces each form needs and of near misses."""

from __future__ import annotations

import random

from pipelines.scoring import _DEFANGED, _defanged
from pipelines.signals import _TORRENT, _torrent

DEFANGED_PIECES = [
    "hxxp",
    "HXXPS",
    "hXxP",
    "://",
    ":/",
    "[.]",
    "(.)",
    "{.}",
    "[",
    "]",
    ".",
    "a",
    "é",
    " ",
    "x",
]
TORRENT_PIECES = [
    "magnet:?",
    "MAGNET:?",
    "xt=urn:btih:",
    "XT=URN:BTIH:",
    ".torrent",
    ".TORRENT",
    ".torr",
    "/",
    "=",
    "?",
    "#",
    "&",
    "0123456789abcdef" * 2,
    "ABCDEF01",
    "0123456789",
    "https://t.example/",
    "ſ",
    "K",
]


def test_defanged_gate_answers_as_the_pattern() -> None:
    rng = random.Random(1)  # noqa: S311 - test text, not secrets
    seen = 0
    for _ in range(5000):
        text = "".join(rng.choice(DEFANGED_PIECES) for _ in range(rng.randint(0, 8)))
        expected = _DEFANGED.search(text) is not None
        assert _defanged(text) == expected, text
        seen += expected
    assert seen > 100


def test_torrent_gate_answers_as_the_pattern() -> None:
    rng = random.Random(2)  # noqa: S311 - test text, not secrets
    seen = 0
    for _ in range(5000):
        url = "".join(rng.choice(TORRENT_PIECES) for _ in range(rng.randint(0, 8)))
        expected = bool(_TORRENT.search(url[:2048]))
        assert _torrent(url) == expected, url
        seen += expected
    assert seen > 100

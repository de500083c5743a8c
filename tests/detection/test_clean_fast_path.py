"""The candidate titles' clean-up (tags, entities, format characters, NFKC, look-alike letters)
takes shortcuts for ASCII text and tag-free text; the answers are the plain reading's."""

from __future__ import annotations

import html as html_lib
import random
import unicodedata

from pipelines.candidates import _MAX_SOURCE, _TAGS, _clean, _one_script


def _plain(text: str) -> str:
    text = html_lib.unescape(_TAGS.sub(" ", text))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = unicodedata.normalize("NFKC", text)
    return " ".join(_one_script(w) for w in text.split())[:_MAX_SOURCE]


PIECES = [
    "Watch",
    "Dune",
    " ",
    "  ",
    "\t",
    "\n",
    "<b>",
    "</b>",
    "<i class='x'>",
    "&amp;",
    "&#8203;",
    "&nbsp;",
    "&lt;b&gt;",
    "\u200b",
    "\u200e",
    "\u00ad",
    "\ufeff",
    "Ｆｕｌｌ",
    "Tһe",
    "Ѕuper",
    "Аватар",
    "ﬁlm",
    "é",
    "2026",
    ":",
    "–",
    "<",
    ">",
    "x" * 300,
]


def test_clean_equals_the_plain_reading() -> None:
    rng = random.Random(3)  # noqa: S311 - test text, not secrets
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert _clean(text) == _plain(text), text

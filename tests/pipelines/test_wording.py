"""signals._wording: an element's first words, squeezed and bounded, with or without children."""

from __future__ import annotations

import pytest

from pipelines.signals import _wording
from pipelines.text import parse_html, squeeze


def _reference(html: str, limit: int) -> str:
    root = parse_html(f"<html><body>{html}</body></html>")
    assert root is not None
    el = root.find(".//body")[0]  # type: ignore[index]
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        parts.append(piece[: limit - size])
        size += len(parts[-1])
        if size >= limit:
            break
    return squeeze(" ".join(parts))[:limit]


@pytest.mark.parametrize(
    "html",
    [
        "<a href=x>  Watch\n  now  </a>",
        "<a href=x></a>",
        "<a href=x>" + "word " * 50 + "</a>",
        "<a href=x>Watch <b>Dune</b> free <img alt=play> now</a>",
        "<button>  W A T C H   N O W </button>",
    ],
)
@pytest.mark.parametrize("limit", [7, 10_000])
def test_wording_is_the_elements_text_up_to_the_limit(html: str, limit: int) -> None:
    root = parse_html(f"<html><body>{html}</body></html>")
    assert root is not None
    got = _wording(root.find(".//body")[0], limit)  # type: ignore[index]
    assert got == _reference(html, limit)
    assert len(got) <= limit


def test_a_childless_link_keeps_its_words_and_wide_gaps() -> None:
    root = parse_html("<html><body><a href=x>  W A T C H   D U N E \n</a></body></html>")
    assert root is not None
    assert _wording(root.find(".//a"), 100) == "W A T C H  D U N E"  # type: ignore[arg-type]

"""The heading words of a verdict are the same whether worked out or remembered."""

from __future__ import annotations

from pathlib import Path

from pipelines import scoring
from pipelines.glued_brands import brand_glued_words
from pipelines.signals import parse_page
from pipelines.watchlists import load_watchlists

PAGE = (
    "<html><head><title>dunepartthree20261080pwebdl x264</title></head>"
    "<body><h1>Dune: Part Three 2026 watch online</h1><p>player</p></body></html>"
)


def _worked_out(doc, wl) -> list[str]:  # type: ignore[no-untyped-def]
    glued = scoring.unglued_release_words(doc.headings, wl) + brand_glued_words(doc.headings, wl)
    return doc.heading_tokens + glued


def test_remembered_heading_words_equal_the_worked_out_ones() -> None:
    wl = load_watchlists()
    doc = parse_page(PAGE, "https://fake.example/")
    first = scoring._heading_words(doc, wl)
    assert first == _worked_out(doc, wl)
    assert "dune" in first[len(doc.heading_tokens) :]
    first.append("caller's own word")
    assert scoring._heading_words(doc, wl) == _worked_out(doc, wl)


def test_each_watchlist_remembers_its_own(tmp_path: Path) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text('- {title: "Toy Story 5", year: 2026}\n', encoding="utf-8")
    wl = load_watchlists()
    other = load_watchlists(titles=titles)
    doc = parse_page(PAGE, "https://fake.example/")
    assert scoring._heading_words(doc, wl) == _worked_out(doc, wl)
    assert scoring._heading_words(doc, other) == _worked_out(doc, other)
    assert "dune" not in scoring._heading_words(doc, other)[len(doc.heading_tokens) :]


def test_the_memo_is_bounded() -> None:
    wl = load_watchlists()
    for n in range(scoring._GLUED_MEMO * 2):
        html = f"<title>page {n} dunepartthree20261080pwebdl</title>"
        doc = parse_page(html, "https://fake.example/")
        assert scoring._heading_words(doc, wl) == _worked_out(doc, wl)
    assert len(wl.compiled("heading glued words", scoring._glued_memo)) <= scoring._GLUED_MEMO

"""``pipelines.templates``: fake-stream phrasings aligned around the occurrences of a title.

A template scores the share of its words found in order around a title occurrence, one extra word
allowed between two of them. Each behaviour is checked on page text that has it and on the ordinary
sentence that comes close (same words out of order, too far apart, another film, a review).
"""

from __future__ import annotations

import pytest

from pipelines.matching import TitleIndex, numberise
from pipelines.normalise import tokens
from pipelines.templates import TITLE, YEAR, compile_templates, find_templates, marked_words
from pipelines.watchlists import TemplateSpec, Title, load_templates

TITLES = [Title("Dune: Part Two", 2024), Title("Wicked", 2024), Title("Inside Out 2", 2024)]
INDEX = TitleIndex(TITLES)
SHIPPED = compile_templates(load_templates().templates)
MIN_SCORE = 80


def _words(text: str) -> list[str]:
    return numberise(tokens(text))


def scores(
    text: str, patterns: list[str] | None = None, min_score: float = MIN_SCORE
) -> dict[str, int]:
    """Pattern -> best score on ``text`` (``patterns``: own templates, else the shipped ones)."""
    return find(text, patterns, min_score)[0]


def find(
    text: str, patterns: list[str] | None = None, min_score: float = MIN_SCORE
) -> tuple[dict[str, int], int]:
    words = _words(text)
    matches = INDEX.find(words)
    seq, positions = marked_words(words, matches)
    if patterns is None:
        templates = SHIPPED
    else:
        templates = compile_templates([TemplateSpec(p, "en", 50) for p in patterns])
    hits, stuffed = find_templates(templates, seq, positions, matches, min_score)
    return {hit.template.spec.pattern: hit.score for hit in hits}, stuffed


WATCH_FREE = "watch {title} online free"


@pytest.mark.parametrize(
    ("text", "score"),
    [
        pytest.param(
            "Where to watch Dune: Part Two online free, no sign-up", 100, id="in-a-sentence"
        ),
        pytest.param("watch dune part 2 online for free", 100, id="one-extra-word"),
        pytest.param("W4tch DUNE PART TWO 0nline fr33!!", 100, id="leetspeak-and-case"),
        pytest.param("watch Dune: Part Two online, in HD, free", 75, id="two-words-too-far"),
        pytest.param("Dune: Part Two, free online. Watch!", 50, id="out-of-order"),
        pytest.param("Watch Dune (1984) online free", 0, id="another-film"),
    ],
)
def test_words_are_aligned_in_order_around_the_title(text: str, score: int) -> None:
    assert scores(text, [WATCH_FREE], min_score=0).get(WATCH_FREE, 0) == score


def test_a_template_below_the_minimum_score_is_no_hit() -> None:
    text = "watch Dune: Part Two online, in HD, free"
    assert scores(text, [WATCH_FREE], min_score=75) == {WATCH_FREE: 75}
    assert scores(text, [WATCH_FREE], min_score=MIN_SCORE) == {}


@pytest.mark.parametrize(
    ("text", "pattern", "hit"),
    [
        pytest.param("Wicked (2024) full movie, HD", "{title} {year} full movie", True, id="year"),
        pytest.param(
            "Wicked 1080 full movie", "{title} {year} full movie", False, id="not-a-year"
        ),
        pytest.param(
            "Wicked.2024.1080p.WEBRip.x264", "{title} 720p|1080p webrip|bluray", True, id="alts"
        ),
        pytest.param(
            "Wicked 1080p projector review", "{title} 720p|1080p webrip|bluray", False, id="alt-1"
        ),
        pytest.param(
            "Inside Out 2 (2024) part two recap", "{title} part two recap", True, id="numbers"
        ),
    ],
)
def test_years_alternatives_and_numbers(text: str, pattern: str, hit: bool) -> None:
    assert (pattern in scores(text, [pattern])) is hit


def test_the_best_occurrence_counts() -> None:
    text = "Wicked is a musical. Later: watch Wicked online free tonight."
    words = _words(text)
    matches = INDEX.find(words)
    seq, positions = marked_words(words, matches)
    templates = compile_templates([TemplateSpec(WATCH_FREE, "en", 55)])
    [hit], _ = find_templates(templates, seq, positions, matches, MIN_SCORE)
    assert (hit.score, hit.match.start, hit.weight) == (100, matches[1].start, 55)
    assert hit.reason == f'template "{WATCH_FREE}" (100)'


def test_keyword_stuffing_counts_occurrences_carrying_a_long_template() -> None:
    stuffed_page = (
        "Wicked full movie free. Wicked full movie download. Wicked 2024 full movie. "
        "Wicked free download. Wicked"
    )
    review = (
        "Wicked opens on Friday. Wicked runs two hours forty. We saw Wicked twice, and Wicked "
        "earns its length."
    )
    assert find(stuffed_page)[1] == 4
    assert find(review) == ({}, 0)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (
            "Regarder Wicked en streaming gratuit et sans inscription",
            "regarder {title} en streaming gratuit",
        ),
        ("Ver Wicked online gratis en español", "ver {title} online gratis"),
        ("Wicked ganzer Film Deutsch kostenlos", "{title} ganzer film deutsch"),
        ("nonton Wicked sub indo terbaru", "nonton {title} sub indo"),
    ],
    ids=["fr", "es", "de", "id"],
)
def test_shipped_templates_find_their_languages(text: str, pattern: str) -> None:
    assert scores(text)[pattern] == 100


@pytest.mark.parametrize(
    "text",
    [
        "Wicked review: the film finally does the stage show justice",
        "Wicked box office: a record opening weekend for a musical",
        "Where is Wicked streaming? It arrives on a paid service in March.",
    ],
    ids=["review", "box-office", "where-to-stream"],
)
def test_ordinary_film_news_carries_no_shipped_template(text: str) -> None:
    assert scores(text) == {}


def test_compiled_slots_are_normalised_like_page_words() -> None:
    [template] = compile_templates(
        [TemplateSpec("Watch {title} ({year}) Part Two|II 4K", "en", 40)]
    )
    assert template.slots == (
        frozenset({"watch"}),
        frozenset({TITLE}),
        frozenset({YEAR}),
        frozenset({"part"}),
        frozenset({"2"}),
        frozenset({"4k"}),
    )
    assert template.title_at == 1
    assert template.words == {"watch", TITLE, YEAR, "part", "2", "4k"}


def test_marked_words_collapse_titles_and_years_only() -> None:
    words = _words("Inside Out 2 2024 2160p 1080 Wicked tonight at the 1999 prices")
    seq, positions = marked_words(words, INDEX.find(words))
    assert seq == [TITLE, YEAR, "2160p", "1080", TITLE, "tonight", "at", "the", YEAR, "prices"]
    assert positions == [0, 4]

"""The disguises spammers put on titles: homoglyphs, zero-width characters, leetspeak,
renumbering...

Every disguise is a pure function of the title (and year, aliases), so the world stays
deterministic.
"""

from __future__ import annotations

import re

from replica.content.markup import html_escape

__all__ = ["DISGUISES", "disguise"]


_CYRILLIC = str.maketrans("aceopxyiAEOPCKMHTBX", "асеорхуіАЕОРСКМНТВХ")
_GREEK = str.maketrans("oAEOPTKMHBXZINvu", "οΑΕΟΡΤΚΜΗΒΧΖΙΝνυ")
_LEET = str.maketrans("aeiostAEIOST", "4310574310$7")
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_NUMBER_WORDS = {"2": "Two", "3": "Three", "4": "Four", "5": "Five", "6": "Six", "7": "Seven"}
_ROMAN = {"2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI", "7": "VII", "II": "2", "III": "3"}
_WORD_NUMBERS = {"Three": "3", "Two": "2"}


def _homoglyphs(title: str, table: dict[int, int], every: int) -> str:
    """Swap every ``every``-th swappable letter: the word still looks right, the string differs."""
    out: list[str] = []
    seen = 0
    for ch in title:
        swapped = ch.translate(table)
        if swapped != ch:
            seen += 1
            if seen % every == 1 or every == 1:
                out.append(swapped)
                continue
        out.append(ch)
    return "".join(out)


def _zero_width(title: str) -> str:
    out = []
    for i, ch in enumerate(title):
        out.append(ch)
        if ch.isalpha() and i % 2 == 0:
            out.append(_ZERO_WIDTH[i % len(_ZERO_WIDTH)])
    return "".join(out)


def _release_name(title: str, year: int | None) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title.replace("&", "and"))
    return ".".join([*words, str(year or ""), "1080p", "WEBRip", "x264-RARBG"]).replace("..", ".")


def _entities(title: str) -> str:
    """Encode every third letter as a numeric character reference (HTML shows the same title)."""
    return "".join(
        f"&#{ord(c)};" if c.isalpha() and i % 3 == 0 else html_escape(c)
        for i, c in enumerate(title)
    )


def _renumber(title: str, table: dict[str, str]) -> str:
    tokens = re.split(r"(\s+)", title)
    return "".join(table.get(tok, tok) for tok in tokens)


def _reorder(title: str) -> str:
    """``Dune: Part Three`` -> ``Part Three: Dune``; ``Toy Story 5`` -> ``Toy Story Part 5``."""
    if ":" in title:
        head, tail = (s.strip() for s in title.split(":", 1))
        return f"{tail} - {head}"
    words = title.split()
    if words and words[-1].isdigit():
        return " ".join([*words[:-1], "Part", words[-1]])
    return f"{title} (Full Film)"


def _spaced(title: str) -> str:
    """``M A N / O F / S T E E L``: letters spaced, words slashed (never two spaces in a row)."""
    return " / ".join(" ".join(word.upper()) for word in title.split())


DISGUISES: tuple[str, ...] = (
    "plain",
    "homoglyph_cyrillic",
    "homoglyph_greek",
    "zero_width",
    "leetspeak",
    "release_name",
    "html_entities",
    "reordered",
    "number_words",
    "roman_numerals",
    "alias",
    "spaced_letters",
    "lowercase",
)


def disguise(kind: str, title: str, year: int | None, aliases: tuple[str, ...] = ()) -> str:
    """The title as a spammer shows it (HTML-safe; ``html_entities``: character references)."""
    if kind == "homoglyph_cyrillic":
        return html_escape(_homoglyphs(title, _CYRILLIC, 2))
    if kind == "homoglyph_greek":
        return html_escape(_homoglyphs(title, _GREEK, 1))
    if kind == "zero_width":
        return html_escape(_zero_width(title))
    if kind == "leetspeak":
        return html_escape(title.translate(_LEET))
    if kind == "release_name":
        return html_escape(_release_name(title, year))
    if kind == "html_entities":
        return _entities(title)
    if kind == "reordered":
        return html_escape(_reorder(title))
    if kind == "number_words":
        return html_escape(
            _renumber(_renumber(title, _NUMBER_WORDS), {"II": "Two", "III": "Three"})
        )
    if kind == "roman_numerals":
        return html_escape(_renumber(title, _ROMAN))
    if kind == "alias" and aliases:
        return html_escape(aliases[len(title) % len(aliases)])
    if kind == "spaced_letters":
        return html_escape(_spaced(title))
    if kind == "lowercase":
        return html_escape(title.lower())
    return html_escape(title)

"""Pirate brands glued to a film's name: ``movies4uvipinside out 2``, ``redone2024bolly4uorg``.

Download-site doorways write their brand and the film's name as one word (the brand as a prefix,
the title and year before a brand and a domain ending). The tokeniser then sees one word, the
title matcher no title and the lexicon no brand. :func:`brand_glued_words` reads such words as
the brand (a ``site`` term of ``lexicons.yaml``), the watched name found beside it, and the words
that follow on the page, so that title, brand and offer meet again within proximity's window.
Plain functions over text and watchlist objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines._linear import LinearPattern, compile_linear
from pipelines.normalise import tokens
from pipelines.watchlists import Watchlists

__all__ = ["brand_glued_words"]

_MAX_WORDS = 20  # glued brand words read per page
_FOLLOWING_CHARS = 160  # text after a glued word whose words are read with it
_MIN_BRAND = 5  # shorter brand names ("yts") glue into ordinary words
_MIN_NAME = 4
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class _Brands:
    pattern: LinearPattern | None
    names: dict[str, tuple[str, ...]]  # a watched name, or its first word, compacted -> its words


def _compact(text: str) -> str:
    """Letters and digits only, lower case, as a glued word writes them (no leetspeak folding:
    the 4 of "movies4u" stays a 4)."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _brands(wl: Watchlists) -> _Brands:
    site = {
        _compact(term.written)
        for term in wl.lexicons.terms
        if term.category == "site" and not term.substring
    }
    brands = sorted((b for b in site if len(b) >= _MIN_BRAND and b.isascii()), key=len)
    names: dict[str, tuple[str, ...]] = {}
    for title in wl.titles:
        for name in (title.title, *title.aliases):
            words = tuple(tokens(name))
            first = name.split()[0] if name.split() else ""
            heads = ((_compact(name), words), (_compact(first), words[:1])) if words else ()
            for key, said in heads:
                if len(key) >= _MIN_NAME and key.isascii():
                    names.setdefault(key, said)
    if not brands:
        return _Brands(None, names)
    alternation = "|".join(re.escape(b) for b in reversed(brands))
    pattern = compile_linear(rf"\b([a-z0-9]*?)({alternation})([a-z0-9]*)\b", ignore_case=True)
    return _Brands(pattern, names)


def _name_in(piece: str, names: dict[str, tuple[str, ...]]) -> list[str]:
    """A watched name (or its first word) inside a glued piece, the longest found, and a year
    after it ("vipinside" -> inside; "redone2024" -> red one 2024); [] when none is there."""
    best: tuple[int, int] | None = None
    for start in range(len(piece) - _MIN_NAME + 1):
        for end in range(len(piece), start + _MIN_NAME - 1, -1):
            if piece[start:end] in names:
                if best is None or end - start > best[1] - best[0]:
                    best = (start, end)
                break
    if best is None:
        return []
    rest = piece[best[1] :]
    year = [rest[:4]] if _YEAR.match(rest) else []
    return [*names[piece[best[0] : best[1]]], *year]


def brand_glued_words(text: str, wl: Watchlists) -> list[str]:
    """Words of page text where a pirate brand is glued to other letters, each followed by the
    words after it ("movies4uvipinside out 2 2024" -> movies4u inside out 2 2024)."""
    brands: _Brands = wl.compiled("glued_brands", _brands)
    if brands.pattern is None:
        return []
    out: list[str] = []
    seen: set[str] = set()
    for n, m in enumerate(brands.pattern.finditer(text)):
        if n >= _MAX_WORDS:
            break
        before, brand, after = (m.group(i).lower() for i in (1, 2, 3))
        if not (before or after) or m.group(0).lower() in seen:
            continue  # the brand alone is read by the lexicon; a repeated word (title bar and
            # headline) is read once
        seen.add(m.group(0).lower())
        following = tokens(text[m.end() : m.end() + _FOLLOWING_CHARS])
        head = _name_in(before, brands.names)
        tail = _name_in(after, brands.names)
        out += [*head, *tokens(brand), *tail, *following]
    return out

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
_MIN_BRAND_WORD = 7  # brands of letters only shorter than this glue into ordinary words
_MIN_NAME = 4
_MAX_TAG = 4  # letters beside the name a glued piece may carry ("vip", "org", "hd", "www")
_YEAR = re.compile(r"(?:19|20)\d\d")
_RELEASE_TAG = (
    r"(?:(?:480|576|720|1080|2160)p|web-?dl|webrip|bluray|brrip|bdrip|hdrip|dvdrip|hdcam|camrip"
    r"|x26[45]|h26[45]|hevc|10bit|aac|dual|esubs?|hindi|mkv|mp4)"
)
_RELEASE_RUN = re.compile(f"{_RELEASE_TAG}+")  # release tags glued after the name and year
_RELEASE_TAGS = re.compile(_RELEASE_TAG)


@dataclass(frozen=True)
class _Brands:
    pattern: LinearPattern | None
    names: dict[str, tuple[str, ...]]  # a watched name, or its first word, compacted -> its words


def _compact(text: str) -> str:
    """Letters and digits only, lower case, as a glued word writes them (no leetspeak folding:
    the 4 of "movies4u" stays a 4)."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _distinctive(brand: str) -> bool:
    """A brand that glued letters do not spell by chance: with a digit ("movies4u") or long
    ("vegamovies"); "filman" hides in "filmanalyse", "rezka" in "berezka"."""
    if not brand.isascii():
        return False
    return len(brand) >= _MIN_BRAND_WORD or (len(brand) >= 5 and any(c.isdigit() for c in brand))


def _brands(wl: Watchlists) -> _Brands:
    site = {
        _compact(term.written)
        for term in wl.lexicons.terms
        if term.category == "site" and not term.substring
    }
    brands = sorted((b for b in site if _distinctive(b)), key=len)
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


def _name_in(piece: str, names: dict[str, tuple[str, ...]]) -> tuple[list[str], int]:
    """A watched name (or its first word) inside a glued piece, the longest found, and a year
    after it, and release tags glued after those ("vipinside" -> inside; "redone2024" -> red one
    2024; "bidbabygirl2024720pwebdl" -> babygirl 2024 720p webdl), with the count of letters left
    unexplained around them; ([], len(piece)) when no name is there."""
    best: tuple[int, int] | None = None
    for start in range(len(piece) - _MIN_NAME + 1):
        for end in range(len(piece), start + _MIN_NAME - 1, -1):
            if piece[start:end] in names:
                if best is None or end - start > best[1] - best[0]:
                    best = (start, end)
                break
    if best is None:
        return [], len(piece)
    rest = piece[best[1] :]
    year = [rest[:4]] if _YEAR.match(rest) else []
    release = _RELEASE_RUN.match(rest[4 * len(year) :])
    tags = _RELEASE_TAGS.findall(release.group(0)) if release else []
    explained = best[1] - best[0] + 4 * len(year) + (len(release.group(0)) if release else 0)
    return [*names[piece[best[0] : best[1]]], *year, *tags], len(piece) - explained


def _explained(piece: str, names: dict[str, tuple[str, ...]]) -> list[str] | None:
    """The words a piece glued to a brand stands for, or None when it is ordinary letters
    ("alyse" of "filmanalyse": the brand there is a coincidence). A piece is explained by a
    watched name (and year) with at most a short tag around it ("vip", "org", "hd")."""
    if piece.isdigit():
        return [piece]
    words, left = _name_in(piece, names)
    return words if left <= _MAX_TAG else None


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
        head = _explained(before, brands.names)
        tail = _explained(after, brands.names)
        if head is None or tail is None:
            continue
        following = tokens(text[m.end() : m.end() + _FOLLOWING_CHARS])
        out += [*head, *tokens(brand), *tail, *following]
    return out

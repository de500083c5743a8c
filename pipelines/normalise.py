"""Text normalisation before matching: the evasions spammers use are folded away, the original is
kept.

``normalise(text)`` returns a plain lower-case string of words separated by single spaces, after:

1. HTML entities decoded (``&#77;an`` -> ``Man``);
2. zero-width and other format characters removed (U+200B, U+200C, U+200D, U+2060, U+FEFF, soft
   hyphen...);
3. confusable folding: every single character that Unicode's confusables data (shipped by the
   ``confusable-homoglyphs`` package) maps to a Latin letter becomes that letter (Cyrillic ``а``,
   Greek ``ο``, mathematical alphanumerics, fullwidth forms...);
4. Unicode NFKC, case folding and accent stripping (``Troisième`` -> ``troisieme``);
5. release-name separators (dots, underscores, hyphens) become spaces
   (``Man.of.Steel.2013.1080p``);
6. letter-spaced words joined (``P R O J E C T`` -> ``project``);
7. leetspeak folded inside words (``M4n 0f St33l`` -> ``man of steel``), but stand-alone numbers
   (``Iron Man 3``, ``2013``) and release tokens (``1080p``, ``x264``) are left alone.

ASCII digits are never folded by the confusables step: sequel numbers must survive.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables as _confusables

__all__ = ["Normalised", "confusable_map", "fold_text", "normalise", "normalise_phrase", "tokens"]

_BIDI_MARKS = "\u200e\u200f"
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "l",
        "€": "e",
    }
)
_LEET_CHARS = frozenset("0134579@$!|€")
# Tokens that legitimately mix letters and digits and must not be leet-folded.
_RELEASE_TOKEN = re.compile(
    r"^(?:\d{3,4}[pi]|[xh]\.?26[45]|hevc|\d+k|\d+d|s\d+e\d+|s\d+|e\d+"
    r"|\d+(?:st|nd|rd|th|er|e|eme|o|a|º|ª)"
    r"|\d+(?:fps|bit|gb|mb|min|mins|h|hrs?|x\d+)"
    r"|(?:dd|ddp|aac|ac|dts|eac|mp|h|x|ch)\d+|\d+ch|\d{2,4}s)$"
)
_DIGIT_PREFIX = re.compile(r"^\d{2,}[a-z]+$")  # site names such as 123movies, 9anime


@lru_cache(maxsize=1)
def confusable_map() -> dict[str, str]:
    """Every non-ASCII single character that Unicode's confusables data maps to a Latin letter ->
    that letter.

    Built once from the ``confusable-homoglyphs`` data (a copy of Unicode's ``confusables.txt``).
    """
    table: dict[str, str] = {}
    data = _confusables.confusables_data
    for letter in string.ascii_letters:
        for entry in data.get(letter, ()):
            char = entry["c"].strip(_BIDI_MARKS)
            if len(char) == 1 and not char.isascii():
                # Unicode maps I (and its look-alikes) to l; where NFKC already gives a letter,
                # keep it (fullwidth I is i), so words such as "ＭＯＶＩＥ" read as written.
                nfkc = unicodedata.normalize("NFKC", char).casefold()
                table.setdefault(
                    char,
                    nfkc if len(nfkc) == 1 and nfkc in string.ascii_lowercase else letter.lower(),
                )
    return table


@lru_cache(maxsize=1)
def _translation() -> dict[int, str | None]:
    """Confusables to Latin letters, and every format (Cf) character (zero-width space/joiners...)
    removed."""
    table: dict[int, str | None] = {ord(k): v for k, v in confusable_map().items()}
    _same_for_both_cases(table)
    for code in range(0x80, 0x110000):
        if unicodedata.category(chr(code)) == "Cf":
            table[code] = None
    for code in (
        0x034F,
        0x115F,
        0x1160,
        0x17B4,
        0x17B5,
        0x180E,
        0x3164,
        0xFFA0,
    ):  # invisible fillers
        table[code] = None
    return table


@lru_cache(maxsize=1)
def _replacements() -> dict[str, str]:
    """:func:`_translation` keyed by character, removals as ``""``."""
    return {chr(code): target or "" for code, target in _translation().items()}


def _fold_characters(text: str) -> str:
    """``text.translate(_translation())``, replacing only the characters ``text`` holds: a
    translation looks every character up, a page holds a few dozen distinct ones. (A
    replacement is ASCII or nothing, never a character replaced in turn.)"""
    table = _replacements()
    for char in [c for c in set(text) if c in table]:  # not set.intersection: it walks the table
        text = text.replace(char, table[char])
    return text


def _same_for_both_cases(table: dict[int, str | None]) -> None:
    """Fold both cases of a letter alike: the confusables list maps "К" to "k" but not "к", and
    "г" to "r" but not "Г", so "Качество" and "качество" folded apart and a capitalised word
    (a sentence start, a title bar) missed its lexicon term."""
    for code, target in list(table.items()):
        if target is None:
            continue
        letter = chr(code)
        for other in {letter.lower(), letter.upper()} - {letter}:
            # never an ASCII letter ("ſ" and "ı" have "S" and "I" for capitals): ASCII text
            # keeps its case until spaced letters are joined ("K O M B A T / I I")
            if len(other) == 1 and not other.isascii() and ord(other) not in table:
                table[ord(other)] = target.lower()


# Accents (Latin, Greek, Cyrillic) and Arabic / Hebrew vowel points are stripped like accents;
# the vowel signs and viramas of Indic and Thai scripts spell the word and stay (see _WORDS).
_COMBINING = re.compile(
    r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    r"\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]+"
)


# Letter-spaced words: "P R O J E C T", "M.O.R.T.A.L", "K O M B A T / I I" (two letters only in
# capitals).
_SPACED = re.compile(r"(?<![^\W_])[^\W\d_](?:[ .][^\W\d_])+(?![^\W_])")


def _join_spaced(match: re.Match[str]) -> str:
    run = match.group(0)
    letters = run[::2]
    if len(letters) < 3 and not letters.isupper():
        return run  # "e a", "y o": ordinary short words
    return letters


def fold_text(text: str) -> str:
    """Entities, zero-width characters, confusables, NFKC, case and accents; punctuation is
    kept."""
    text = html.unescape(text) if "&" in text else text
    if text.isascii():
        return _SPACED.sub(_join_spaced, text).casefold()
    text = unicodedata.normalize("NFKC", _fold_characters(text))
    text = _SPACED.sub(_join_spaced, text).casefold()
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFD", text)))


def _unleet(word: str) -> str:
    core = word.strip("!|$@")
    if not core or core.isdigit() or _RELEASE_TOKEN.match(core) or _DIGIT_PREFIX.match(core):
        return word
    if not any(c.isalpha() for c in core) or not any(c in _LEET_CHARS for c in core):
        return word
    return core.translate(_LEET)


# A character of a word or a leetspeak symbol, read once "_" is a space (both split words): one
# character class, much faster than the alternation it stands for
_C = r"[\w@$!|€]"
# A word holding both a letter and a leetspeak character: the only words :func:`_unleet` needs to
# see. Each lookahead skips possessively what cannot be what it looks for (word characters that
# are no leetspeak character; digits, "_" and symbols, which are no letter): no backtracking.
_LEET_CANDIDATE = re.compile(
    rf"(?<!{_C})(?=[^\W0134579]*+[0134579@$!|€])(?=[\d_@$!|€]*+[^\W\d_]){_C}++"
)


def _mark_ranges() -> str:
    """A regex class body of the combining marks (Unicode Mn, Mc, Me) of the scripts of South and
    South-East Asia (Devanagari to Mongolian, and their extensions)."""
    ranges: list[tuple[int, int]] = []
    for code in (*range(0x0900, 0x1D00), *range(0xA800, 0xAB00)):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


# A word: a letter or digit, then letters, digits and combining marks. Python's \w leaves out the
# marks, which cut Thai, Devanagari and Bengali words at every vowel sign ("फुल" -> "फ", "ल").
# (Read once "_" is a space: ``\w`` is then a letter or a digit.)
_WORDS = re.compile(rf"\w[\w{_mark_ranges()}]*")
_SYMBOLS = "@$!|€"  # leetspeak symbols left after folding: spaces between words


#: Texts up to this long are memoised (labels, headings, link texts recur across a page's
#: stages); a page's whole text is not kept.
_MEMO_CHARS = 256


def tokens(text: str) -> list[str]:
    """The normalised words of ``text`` (see :func:`normalise`)."""
    global _last_long
    if len(text) <= _MEMO_CHARS:
        return list(_memoised_tokens(text))
    last_text, last_words = _last_long  # one read: another thread may replace it meanwhile
    if text is last_text or text == last_text:
        return list(last_words)
    words = _tokens(text)
    _last_long = (text, tuple(words))
    return words


# the last long text read and its words: a page's text is read by more than one stage
_last_long: tuple[str, tuple[str, ...]] = ("", ())


def _tokens(text: str) -> list[str]:
    folded = fold_text(text).replace("_", " ")
    if not _LEET_CHARS.isdisjoint(folded):
        folded = _LEET_CANDIDATE.sub(lambda m: _unleet(m.group(0)), folded)
    for symbol in _SYMBOLS:
        if symbol in folded:
            folded = folded.replace(symbol, " ")
    return _WORDS.findall(folded)


@lru_cache(maxsize=16384)
def _memoised_tokens(text: str) -> tuple[str, ...]:
    return tuple(_tokens(text))


def normalise(text: str) -> str:
    """Fold ``text`` for matching: lower-case words separated by single spaces (see the module
    docstring)."""
    return " ".join(tokens(text))


@lru_cache(maxsize=16384)
def normalise_phrase(text: str) -> str:
    """:func:`normalise` for short, repeated strings (watchlist phrases, link labels), memoised."""
    return normalise(text)


@dataclass(frozen=True)
class Normalised:
    """A text and its folded form: the original is kept as evidence, the folded form is matched."""

    original: str
    folded: str

    @classmethod
    def of(cls, text: str) -> Normalised:
        return cls(text, normalise(text))

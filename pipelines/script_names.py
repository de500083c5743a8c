"""Names written in scripts that put no space between words (Han, kana, Hangul, Thai, Lao,
Khmer, Myanmar): "楽天カード", "佐川急便", "우체국택배", "ธนาคารไทยพาณิชย์".

The tokeniser (:func:`pipelines.normalise.tokens`) splits words at spaces and punctuation, so in
these scripts a "word" is a whole run of text ("楽天e", "vpassログインl三井住友カード",
"우체국택배를"): a name must be found inside it. :class:`RunNames` does that over the
normalised text (names and text folded alike).

Inside a run a short name is often part of another word: 楽天 (Rakuten) is also "optimistic"
(楽天的), 中国银行 (Bank of China) begins 中国银行业 ("China's banking sector"). So a name is
*short* when it has fewer than three wide characters (Han, kana, Hangul) or five letters
(Thai, Lao ...), and a short or ordinary-word name counts only where it stands alone in its run:
the characters beside it are none of these scripts ("楽天e-NAVI", "微信 登录"), and it weighs half
(:class:`pipelines.brands.BrandIndex` marks it weak).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.normalise import normalise

__all__ = ["RunName", "RunNames", "is_unspaced", "short_run_name"]

#: Wide characters, one syllable or word each: CJK ideographs, kana, Hangul.
_WIDE = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
#: Alphabetic scripts written without spaces between words: Thai, Lao, Myanmar, Khmer.
_NARROW = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"
_UNSPACED = re.compile(f"[{_WIDE}{_NARROW}]")
_WIDE_CHAR = re.compile(f"[{_WIDE}]")
#: Wide characters a name needs to be read anywhere in its run (two are a word of their own).
_MIN_WIDE = 3
#: Letters of the other scripts a name needs to be read anywhere in its run.
_MIN_LETTERS = 5


def is_unspaced(text: str) -> bool:
    """Whether ``text`` holds a character of a script written without spaces between words."""
    return not text.isascii() and _UNSPACED.search(text) is not None


def short_run_name(folded: str) -> bool:
    """Whether a normalised name is too short to be read inside a longer run ("楽天", "토스")."""
    letters = folded.replace(" ", "")
    wide = len(_WIDE_CHAR.findall(letters))
    return (
        wide * 2 + (len(letters) - wide) < _MIN_WIDE * 2 if wide else len(letters) < _MIN_LETTERS
    )


@dataclass(frozen=True)
class RunName:
    """A listed name in an unspaced script: as normalised, the brands it names, and whether it
    must stand alone in its run (short or ordinary-word names)."""

    folded: str
    brands: tuple[str, ...]
    alone: bool


class RunNames:
    """The listed names written in unspaced scripts, found inside runs of text."""

    def __init__(self, names: list[RunName]) -> None:
        # longest first: "楽天カード" is read before "楽天" at the same place
        self.names = tuple(sorted(names, key=lambda n: -len(n.folded)))

    def __bool__(self) -> bool:
        return bool(self.names)

    def find(self, text: str) -> dict[str, tuple[RunName, int]]:
        """Folded name -> (the name, times found) for the names ``text`` holds."""
        if not self.names or not is_unspaced(text):
            return {}
        folded = normalise(text)
        found: dict[str, tuple[RunName, int]] = {}
        taken: list[tuple[int, int]] = []
        for name in self.names:
            count = 0
            start = folded.find(name.folded)
            while start != -1:
                end = start + len(name.folded)
                inside = any(a <= start and end <= b for a, b in taken)
                if not inside and (not name.alone or _stands_alone(folded, start, end)):
                    count += 1
                    taken.append((start, end))
                start = folded.find(name.folded, end)
            if count:
                found[name.folded] = (name, count)
        return found


def _stands_alone(folded: str, start: int, end: int) -> bool:
    """Whether no unspaced-script character touches ``folded[start:end]``."""
    before = folded[start - 1] if start else " "
    after = folded[end] if end < len(folded) else " "
    return _UNSPACED.match(before) is None and _UNSPACED.match(after) is None

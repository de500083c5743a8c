"""Static decoding of obfuscated scripts: the HTML a page hides in ``atob``, ``unescape`` ...

:func:`decode` reads each inline script with RE2 patterns (:mod:`pipelines._linear`: linear
time, whatever the script) and recovers the strings passed to ``atob``, ``unescape`` /
``decodeURIComponent``, ``String.fromCharCode``, ``\\x``/``\\u`` escaped literals and
``document.write`` / ``innerHTML`` / ``insertAdjacentHTML``. Recovered code that decodes again
is decoded again, at most :data:`MAX_ROUNDS` layers deep. The work is bounded: each round hands
the patterns at most the scripts (round one) or :data:`MAX_DECODED_CHARS` recovered characters,
and :attr:`Decoded.examined` counts the characters handed over; every bound that cuts something
off says so in :attr:`Decoded.notes`.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipelines._linear import compile_linear
from pipelines.budget import Budget

__all__ = ["MAX_DECODED_CHARS", "MAX_ROUNDS", "PATTERNS", "Decoded", "decode", "decode_scripts"]

#: Layers of obfuscation decoded (a script that unescapes code that calls atob is two layers).
MAX_ROUNDS = 4
#: Characters recovered per page; what a page hides beyond this is not decoded.
MAX_DECODED_CHARS = 1_000_000
_MAX_NESTED = 20  # decoded strings that decode again: more than this and the next layer is skipped
_NOT_QUOTE = "[^'\"]"  # neither quote: a string that holds none
_NESTED_CALLS = (
    "atob(",
    "unescape(",
    "fromCharCode(",
    "document.write",
    "innerHTML",
    "insertAdjacentHTML",
)


def _quoted(body: str, quotes: str = "'\"") -> str:
    """``body`` between two quotes of one kind (``QUOTE`` in ``body`` stands for that quote).

    One capturing group per kind of quote: RE2 has no backreference, and "up to the first
    closing quote of the same kind" is what the backtracking ``(['"])(.*?)\\1`` meant.
    """
    return "|".join(f"{q}({body.replace('QUOTE', q)}){q}" for q in quotes)


_BASE64 = _quoted(r"[A-Za-z0-9+/=\s]{8,}")
_PERCENT = _quoted(_NOT_QUOTE + "+")
_ESCAPED = _quoted(r"(?:\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}){6,}" + _NOT_QUOTE + "*")
_WRITTEN = _quoted("[^QUOTE]*", quotes="'\"`")
_ATOB = compile_linear(r"atob\(\s*(?:" + _BASE64 + r")\s*\)")
_UNESCAPE = compile_linear(
    r"(?:unescape|decodeURIComponent|decodeURI)\(\s*(?:" + _PERCENT + r")\s*\)"
)
_FROMCHARCODE = compile_linear(r"String\.fromCharCode\(\s*([0-9,\s]+)\)")
_HEX_STRING = compile_linear(_ESCAPED)
_WRITE = compile_linear(
    r"(?:document\.write(?:ln)?|\.innerHTML\s*=|insertAdjacentHTML\([^,]+,)\s*\(?\s*(?:"
    + _WRITTEN
    + ")"
)
#: Every pattern a script meets, for tests that count the characters each one is handed.
PATTERNS = ("_ATOB", "_UNESCAPE", "_FROMCHARCODE", "_HEX_STRING", "_WRITE")


@dataclass
class Decoded:
    """What the scripts hid (HTML fragments), the bounds that cut something off, the work done."""

    fragments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    examined: int = 0  # characters handed to the patterns, over all rounds
    recovered: int = 0  # characters recovered, over all rounds (at most MAX_DECODED_CHARS)


def _literal(match: Any) -> str:
    """The string literal a match captured (one group per quote character, one is set)."""
    return next((g for g in match.groups() if g is not None), "")


def _b64(text: str) -> str:
    try:
        data = base64.b64decode("".join(text.split()) + "==", validate=False)
    except (binascii.Error, ValueError):
        return ""
    return data.decode("utf-8", "replace")


def _js_unescape(text: str) -> str:
    return text.replace("\\/", "/").replace("\\'", "'").replace('\\"', '"').replace("\\n", "\n")


def _char_codes(match: Any) -> str | None:
    try:
        return "".join(chr(int(n)) for n in match.group(1).split(",") if n.strip())
    except (ValueError, OverflowError):
        return None


def _hex(match: Any) -> str:
    return _literal(match).encode("latin-1", "replace").decode("unicode_escape", "replace")


def _strings(script: str) -> Iterator[str]:
    """Every string the script decodes or writes, in the order of the patterns."""
    yield from (_b64(_literal(m)) for m in _ATOB.finditer(script))
    yield from (urllib.parse.unquote(_literal(m)) for m in _UNESCAPE.finditer(script))
    codes = (_char_codes(m) for m in _FROMCHARCODE.finditer(script))
    yield from (c for c in codes if c is not None)
    yield from (_hex(m) for m in _HEX_STRING.finditer(script))
    written = (_js_unescape(_literal(m)) for m in _WRITE.finditer(script))
    yield from (w for w in written if "<" in w)


def _round(scripts: Iterable[str], result: Decoded, budget: Budget) -> list[str]:
    """One layer: the strings recovered from ``scripts``, within the character bound."""
    out: list[str] = []
    for script in scripts:
        result.examined += len(script) * len(PATTERNS)
        for text in _strings(script):
            if result.recovered + len(text) > MAX_DECODED_CHARS:
                result.notes.append(
                    f"scripts decoded up to {MAX_DECODED_CHARS:,} recovered characters only"
                )
                return out
            result.recovered += len(text)
            out.append(urllib.parse.unquote(text) if "%3c" in text.lower() else text)
        if not budget.check("decoding scripts"):
            break
    return out


def _layers(scripts: list[str], result: Decoded, budget: Budget, depth: int) -> list[str]:
    out = _round(scripts, result, budget)
    decoded = [d for d in out if "<" in d]
    # another round: decoded code that itself decodes (atob inside unescape ...)
    nested = [d for d in out if any(call in d for call in _NESTED_CALLS)]
    if not nested or len(nested) >= _MAX_NESTED or result.notes or budget.exceeded_after:
        return decoded
    if depth >= MAX_ROUNDS:
        result.notes.append(f"scripts decoded {MAX_ROUNDS} layers deep; deeper layers not decoded")
        return decoded
    decoded += [d for d in _layers(nested, result, budget, depth + 1) if d not in decoded]
    return decoded


def decode(scripts: list[str], budget: Budget | None = None) -> Decoded:
    """The HTML fragments recovered from ``scripts``, with the bounds that were reached."""
    result = Decoded()
    result.fragments = _layers(scripts, result, budget or Budget(), 1)
    return result


def decode_scripts(scripts: list[str]) -> list[str]:
    """HTML recovered from scripts: atob, unescape, String.fromCharCode, \\x escapes, writes."""
    return decode(scripts).fragments

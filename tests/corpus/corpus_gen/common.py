"""Shared helpers: the page record, text filling, title disguises, slugs, hosts and link shapes."""

from __future__ import annotations

import html
import random
import re
import string
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

__all__ = [
    "DISGUISES",
    "SHORTENERS",
    "STREAM_HOSTS",
    "Page",
    "disguise",
    "esc",
    "fill",
    "pick",
    "rand_token",
    "short_link",
    "slugify",
    "tumblr_wrap",
]


@dataclass
class Page:
    """One corpus page before it is written: its HTML plus its labels."""

    platform: str
    kind: str
    url: str
    language: str
    html: str
    fake_stream: bool
    sso_lure: bool
    matched_title: str | None
    note: str
    category: str
    extra: dict[str, str] = field(default_factory=dict)


def esc(text: str) -> str:
    """HTML-escape plain text (quotes too)."""
    return html.escape(text, quote=True)


def fill(template: str, t_html: str = "", **values: object) -> str:
    """Escape `template`, then put the (already HTML) title and the escaped values in."""
    out = esc(template)
    for key, value in values.items():
        out = out.replace("{" + key + "}", esc(str(value)))
    return out.replace("{t}", t_html)


def pick(rng: random.Random, items: list[str] | tuple[str, ...], k: int) -> list[str]:
    """k distinct items (or all of them when fewer)."""
    return rng.sample(list(items), min(k, len(items)))


# title disguises
# Each single character below is listed in Unicode's confusables data as a look-alike of the Latin
# letter it replaces. 'l' and 'I' are left out: their confusable skeletons are ambiguous.
HOMOGLYPHS = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "x": "\u0445",
    "y": "\u0443",
    "i": "\u0456",
    "s": "\u0455",
    "j": "\u0458",
    "d": "\u0501",
    "h": "\u04bb",
    "w": "\u051d",
    "v": "\u03bd",
    "A": "\u0410",
    "B": "\u0412",
    "E": "\u0415",
    "H": "\u041d",
    "K": "\u041a",
    "M": "\u041c",
    "O": "\u041e",
    "P": "\u0420",
    "C": "\u0421",
    "T": "\u0422",
    "X": "\u0425",
    "S": "\u0405",
    "N": "\u039d",
    "Z": "\u0396",
    "Y": "\u03a5",
    "G": "\u050c",
    "F": "\u03dc",
}
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
LEET = {"o": "0", "O": "0", "i": "1", "I": "1", "a": "4", "A": "4", "e": "3", "E": "3"}


def _homoglyph(text: str, rng: random.Random) -> str:
    idx = [i for i, ch in enumerate(text) if ch in HOMOGLYPHS]
    chosen = set(rng.sample(idx, max(1, len(idx) // 2))) if idx else set()
    return esc("".join(HOMOGLYPHS[ch] if i in chosen else ch for i, ch in enumerate(text)))


def _zero_width(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if ch.isalnum() and rng.random() < 0.45:
            out.append(rng.choice(ZERO_WIDTH))
    return esc("".join(out))


def _leet(text: str, rng: random.Random) -> str:
    return esc("".join(LEET.get(ch, ch) if rng.random() < 0.8 else ch for ch in text))


def _release(text: str, rng: random.Random, sep: str) -> str:
    words = re.findall(r"[\w']+", text.replace("&", "and"))
    return esc(sep.join(w.replace("'", "") for w in words))


def _entities(text: str, rng: random.Random) -> str:
    out = []
    for ch in text:
        roll = rng.random()
        if ch.isalpha() and roll < 0.35:
            out.append(f"&#{ord(ch)};")
        elif ch.isalpha() and roll < 0.55:
            out.append(f"&#x{ord(ch):x};")
        elif ch == " " and roll < 0.5:
            out.append("&#32;")
        else:
            out.append(esc(ch))
    return "".join(out)


def _fullwidth(text: str, rng: random.Random) -> str:
    return esc(
        "".join(
            chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else "\u3000" if ch == " " else ch
            for ch in text
        )
    )


def _math_bold(text: str, rng: random.Random) -> str:
    def conv(ch: str) -> str:
        if "A" <= ch <= "Z":
            return chr(0x1D400 + ord(ch) - 65)
        if "a" <= ch <= "z":
            return chr(0x1D41A + ord(ch) - 97)
        if "0" <= ch <= "9":
            return chr(0x1D7CE + ord(ch) - 48)
        return ch

    return esc("".join(conv(ch) for ch in text))


def _mixed_case(text: str, rng: random.Random) -> str:
    return esc("".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text))


DISGUISES = {
    "plain": lambda text, rng: esc(text),
    "homoglyph": _homoglyph,
    "zero_width": _zero_width,
    "leet": _leet,
    "dots": lambda text, rng: _release(text, rng, "."),
    "underscores": lambda text, rng: _release(text, rng, "_"),
    "entities": _entities,
    "fullwidth": _fullwidth,
    "math_bold": _math_bold,
    "mixed_case": _mixed_case,
}


def disguise(text: str, how: str, rng: random.Random) -> str:
    """The title `text` as HTML, disguised the way `how` names."""
    return DISGUISES[how](text, rng)


# URLs
def slugify(text: str) -> str:
    """Slug the way blog platforms make them: ASCII letters and digits only, hyphen-joined."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:80].strip("-") or "post"


def rand_token(
    rng: random.Random, n: int, alphabet: str = string.ascii_letters + string.digits
) -> str:
    """A random token of n characters."""
    return "".join(rng.choice(alphabet) for _ in range(n))


STREAM_HOSTS = (
    "hdstream4k.xyz",
    "fullmovies-hd.site",
    "moviesflix.click",
    "cinemahd.top",
    "stream-now.live",
    "123movies-free.to",
    "putlockers.cc",
    "flixnow.click",
    "cinevault.top",
    "moviebox-free.site",
    "kinox-hd.to",
    "cuevanaplus.lat",
    "filmesonlinehd.net",
    "lk21gold.lol",
    "altadefinizione-hd.quest",
    "wiflix-hd.cam",
    "watchfree4k.online",
    "streamzone.buzz",
    "fmovies-hd.pw",
    "nonton21.wiki",
)
SHORTENERS = ("bit.ly", "cutt.ly", "tinyurl.com", "is.gd", "rb.gy", "shorturl.at", "t.ly", "ow.ly")


def short_link(rng: random.Random) -> str:
    """A URL-shortener link."""
    host = rng.choice(SHORTENERS)
    return f"https://{host}/{rand_token(rng, rng.choice((6, 7)))}"


def tumblr_wrap(target: str, blog: str, post_id: str, rng: random.Random) -> str:
    """Tumblr's outbound link wrapper around `target`."""
    sig = rand_token(rng, 40, "0123456789abcdef")
    post = quote(f"https://{blog}.tumblr.com/post/{post_id}", safe="")
    return (
        f"https://t.umblr.com/redirect?z={quote(target, safe='')}&amp;t={sig}"
        f"&amp;b=t%3A{rand_token(rng, 22)}&amp;p={post}&amp;m=1"
    )

"""How spammers make fake-stream posts findable: the replica's own phrase lists.

The replica never reads the crawler's ``watchlists/searches.yaml``: the words its spam posts carry
are written here, after the shapes real fake-stream spam uses (English SEO strings, pirate-site
names as keywords, local-language formulas such as ``ganzer film deutsch``, release names and
vowel-dropped titles such as ``avngrs domsday onlin free``). Some of them happen to match the
crawler's searches, some do not: that overlap is what the crawl tests measure.

``{title}`` and ``{year}`` are replaced per film. Pure data, so the world stays deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["HIDDEN_TAGS", "LOCAL_FORMULAS", "SPAM_SEO", "SeoPhrasings", "abbreviate"]


@dataclass(frozen=True)
class SeoPhrasings:
    """Keyword strings spammers stuff into posts (``queries``) and the tags they put on them."""

    queries: tuple[str, ...]
    tags: tuple[str, ...]


SPAM_SEO = SeoPhrasings(
    queries=(
        "{title} full movie",
        "watch {title} {year} online free",
        "{title} {year} full movie online",
        "{title} 123movies",
        "{title} putlocker",
        "{title} ({year}) full hd 1080p",
        "{title} streaming",
        "{title} free download",
    ),
    tags=(
        "{title} full movie",
        "{title}",
        "{title} {year}",
        "watch {title} online",
        "{title} streaming",
    ),
)

#: Local-language formulas: the title in plain words, but none of the English search words.
LOCAL_FORMULAS: dict[str, str] = {
    "de": "{title} {year} ganzer film deutsch",
    "fr": "{title} {year} film complet streaming vf",
    "es": "ver {title} {year} pelicula completa en español latino",
    "pt": "assistir {title} {year} filme completo dublado",
    "it": "{title} {year} film completo in italiano",
    "id": "nonton {title} {year} sub indo",
    "tr": "{title} {year} türkçe dublaj full izle",
    "vi": "xem phim {title} {year} vietsub",
    "ru": "{title} {year} смотреть онлайн бесплатно",
    "en": "{title} {year} hdrip english subs",
}

#: Tags of posts written for expansion only: generic, never the title.
HIDDEN_TAGS = ("free movies", "hd", "new release", "cinema", "stream")

_VOWEL_E = re.compile(r"(?<=\w)e")
_DOUBLE = re.compile(r"(\w)\1")


def abbreviate(title: str) -> str:
    """The vowel-dropped spelling spam titles use to dodge filters (``Avengers: Doomsday`` ->
    ``avngrs domsday``): lower case, no punctuation, inner ``e`` dropped, doubles collapsed."""
    words = re.findall(r"[^\W_]+", title.lower())
    return " ".join(_DOUBLE.sub(r"\1", _VOWEL_E.sub("", word)) for word in words)

#!/usr/bin/env python
# ruff: noqa: S311  (generator of HTML/phrase test data: long markup literals; random is for data, not security)
"""Build the labelled evaluation corpus (tests/corpus/pages + manifest.jsonl) from a seed.

    python tests/corpus/build_corpus.py [--seed 3] [--out tests/corpus]

Same seed, same bytes. See tests/corpus/README.md for the label rules and the split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_gen import landings, posts
from corpus_gen.common import DISGUISES, Page
from corpus_gen.films import NEAR_MISS, WATCHED, Film
from corpus_gen.kits import OBFUSCATIONS

DEFAULT_SEED = 3
PLATFORMS = ("tumblr", "wordpress", "blogger")
MANIFEST_KEYS = (
    "id",
    "url",
    "path",
    "platform",
    "kind",
    "language",
    "fake_stream",
    "sso_lure",
    "matched_title",
    "split",
    "note",
)

Builder = Callable[[random.Random], Page]

# Language mix for posts: English-heavy like the platforms, every main language well represented.
POST_LANGS = (
    ["en"] * 9 + ["fr"] * 3 + ["es"] * 3 + ["de"] * 3 + ["pt"] * 3 + ["id"] * 3 + ["it"] * 3
)
STYLES = ("classic", "stuffed", "release", "servers", "minimal", "synopsis")
DISGUISE_CYCLE = ["plain"] * 4 + [d for d in DISGUISES if d != "plain"]


def _cycle(seq: list[str] | tuple[str, ...], i: int) -> str:
    return seq[i % len(seq)]


def _stream_plan(platform: str, rng: random.Random) -> Iterator[Builder]:
    """Watched-title fake streams (some with inline lures or unwatched extras) and near misses."""
    lures = {
        "tumblr": ["sso_buttons", "sso_buttons", "oauth_broad", "sso_buttons"],
        "wordpress": ["sso_buttons", "form", "oauth_broad", "sso_buttons"],
        "blogger": ["form", "obf", "obf", "card", "oauth_broad"],
    }[platform]
    extras = ["tr", "vi", "ru"]
    offset = PLATFORMS.index(platform) * 7
    for i in range(34):
        film = WATCHED[(i + offset) % len(WATCHED)]
        lang = extras[i // 11 % 3] if i % 11 == 10 else _cycle(POST_LANGS, i * 5 + offset)
        how = _cycle(DISGUISE_CYCLE, i * 3 + offset)
        style = _cycle(STYLES, i + offset)
        lure = lures[i // 8] if i % 8 == 3 and i // 8 < len(lures) else None
        also = (
            [NEAR_MISS[(i * 3) % len(NEAR_MISS)], NEAR_MISS[(i * 3 + 1) % len(NEAR_MISS)]]
            if i in (5, 22)
            else None
        )
        yield _bind(posts.stream_post, platform, lang, film, how, style, lure, also)
    for i in range(10):
        film = NEAR_MISS[(i * 3 + offset) % len(NEAR_MISS)]
        lang = _cycle(POST_LANGS, i * 7 + offset)
        lure = ("sso_buttons" if platform != "blogger" else "form") if i == 4 else None
        yield _bind(
            posts.stream_post,
            platform,
            lang,
            film,
            _cycle(DISGUISE_CYCLE, i * 5),
            _cycle(STYLES, i),
            lure,
            None,
        )


def _bind(fn: Callable[..., Page], *args: object) -> Builder:
    return lambda rng: fn(rng, *args)


_NEG_MIX = {
    "tumblr": ["review"] * 9
    + ["trailer"] * 4
    + ["box"] * 3
    + ["stream_news"] * 4
    + ["warning"] * 7
    + ["interview"] * 2
    + ["fanart"] * 5
    + ["piracy_news"] * 2
    + ["security"]
    + ["event"],
    "wordpress": ["review"] * 8
    + ["trailer"] * 3
    + ["box"] * 3
    + ["stream_news"] * 5
    + ["warning"] * 6
    + ["interview"] * 2
    + ["piracy_news"] * 2
    + ["security"]
    + ["newsletter"] * 3
    + ["social_comment"] * 3
    + ["event"],
    "blogger": ["review"] * 10
    + ["trailer"] * 4
    + ["box"] * 3
    + ["stream_news"] * 5
    + ["warning"] * 7
    + ["interview"] * 2
    + ["fanart"]
    + ["piracy_news"] * 2
    + ["security"]
    + ["event"],
}
_AMBIGUOUS = {
    "tumblr": ("odyssey", "supergirl"),
    "wordpress": ("hail_mary", "street_fighter"),
    "blogger": ("michael", "moana"),
}
_ALL_LANGS = [*POST_LANGS, "tr", "vi", "ru"]


def _negative_plan(platform: str) -> Iterator[Builder]:
    """Hard negatives: 38 about films plus two word-collision posts."""
    offset = PLATFORMS.index(platform) * 5
    wp_comments = ["highlander", "verbum", "highlander", "verbum", "jetpack", "selfhosted"]
    for i, kind in enumerate(_NEG_MIX[platform]):
        film: Film = (
            NEAR_MISS[(i + offset) % len(NEAR_MISS)]
            if i % 4 == 3
            else WATCHED[(i * 3 + offset) % len(WATCHED)]
        )
        lang = (
            "en"
            if kind in ("interview", "fanart", "security", "event", "piracy_news")
            else _cycle(_ALL_LANGS, i * 3 + offset)
        )
        comments = "auto"
        if platform == "wordpress":
            comments = _cycle(wp_comments, i) if i % 3 != 2 else "auto"
            if kind == "social_comment":
                comments = "selfhosted"
        elif platform == "blogger" and i % 2 == 0:
            comments = "blogger"
        yield _bind(posts.negative_post, platform, lang, film, kind, comments)
    for variant in _AMBIGUOUS[platform]:
        yield _bind(posts.ambiguous_post, platform, variant)


def _account_plan(platform: str) -> Iterator[Builder]:
    variants = {
        "tumblr": ("giveaway", "appeal"),
        "wordpress": ("giveaway", "verify_form"),
        "blogger": ("verify_form", "appeal"),
    }[platform]
    for v in variants:
        yield _bind(posts.account_lure_post, platform, "en", v)


LANDING_LANGS = ["en", "en", "en", "fr", "es", "de", "pt", "id", "it"]


def _landing_plan() -> Iterator[Builder]:
    """Landing pages: lures, fake players without lures, and the legitimate pages lures imitate."""
    w_lures = (
        ["sso_lookalike"] * 6
        + ["sso_samehost_form"] * 3
        + ["form"] * 4
        + ["card"] * 4
        + [f"obf:{m}" for m in OBFUSCATIONS]
        + ["oauth_broad"] * 5
    )
    hows = ["plain"] * 5 + ["homoglyph", "zero_width", "entities", "leet", "mixed_case"]
    for i, lure in enumerate(w_lures):
        film = WATCHED[(i * 7) % len(WATCHED)]
        yield _bind(landings.player_page, _cycle(LANDING_LANGS, i), film, lure, _cycle(hows, i))
    u_lures = (
        ["sso_lookalike"] * 3
        + ["form"] * 2
        + ["card"] * 2
        + ["obf:atob", "obf:charcode"]
        + ["oauth_broad"] * 2
    )
    for i, lure in enumerate(u_lures):
        yield _bind(
            landings.player_page,
            _cycle(LANDING_LANGS, i + 3),
            NEAR_MISS[(i * 5) % len(NEAR_MISS)],
            lure,
        )
    yield _bind(landings.player_page, "en", None, "card")
    yield _bind(landings.player_page, "es", None, "sso_lookalike")
    for i in range(8):
        yield _bind(
            landings.player_page,
            _cycle(LANDING_LANGS, i + 1),
            WATCHED[(i * 5 + 2) % len(WATCHED)],
            "none",
            _cycle(hows, i + 2),
        )
    for i in range(4):
        yield _bind(
            landings.player_page,
            _cycle(LANDING_LANGS, i),
            NEAR_MISS[(i * 7 + 1) % len(NEAR_MISS)],
            "none",
        )
    yield from _clone_plan()
    yield from _legit_landing_plan()


def _clone_plan() -> Iterator[Builder]:
    provs = (
        ["Google"] * 3
        + ["Microsoft"] * 3
        + ["Facebook"] * 3
        + ["Apple"] * 2
        + ["Tumblr", "WordPress.com"]
    )
    for i, prov in enumerate(provs):
        yield _bind(landings.clone_page, prov, "js" if i % 3 == 1 else "form", False)
    for i, prov in enumerate(("Microsoft", "Google", "Facebook")):
        yield _bind(landings.clone_page, prov, "form" if i else "js", True)
    bitb = [
        (WATCHED[3], False),
        (WATCHED[0], True),
        (WATCHED[11], False),
        (NEAR_MISS[2], True),
        (None, False),
    ]
    for i, (film, split) in enumerate(bitb):
        yield _bind(landings.bitb_page, _cycle(LANDING_LANGS, i), film, split)
    for film in (WATCHED[5], None, None):
        yield _bind(landings.consent_lookalike_page, film)


def _provider_own(rng: random.Random, name: str) -> Page:
    return landings.provider_own_page(name)


def _legit_landing_plan() -> Iterator[Builder]:
    for name in landings.PROVIDER_OWN:
        yield _bind(_provider_own, name)
    for variant in (*landings.LEGIT_OAUTH, "narrow_links", "route", "own_password"):
        yield _bind(landings.legit_oauth_page, variant)
    sites = [
        ("official", WATCHED[3]),
        ("official", WATCHED[5]),
        ("official", WATCHED[12]),
        ("streamer_title", WATCHED[2]),
        ("streamer_title", WATCHED[4]),
        ("streamer_title", WATCHED[0]),
        ("streamer_title", WATCHED[15]),
        ("tickets", WATCHED[6]),
        ("tickets", WATCHED[9]),
    ]
    for variant, film in sites:
        yield _bind(landings.legit_site_page, variant, film)


def build_pages(seed: int) -> list[Page]:
    """Every page of the corpus, each built from its own seeded RNG."""
    plan: list[Builder] = []
    master = random.Random(seed)
    for platform in PLATFORMS:
        plan += (
            list(_stream_plan(platform, master))
            + list(_negative_plan(platform))
            + list(_account_plan(platform))
        )
    plan += list(_landing_plan())
    pages: list[Page] = []
    seen: set[str] = set()
    for i, build in enumerate(plan):
        page = build(random.Random(f"{seed}:{i}"))
        attempt = 0
        while page.url in seen:  # every URL must be unique: rebuild from a derived seed
            attempt += 1
            page = build(random.Random(f"{seed}:{i}:{attempt}"))
        seen.add(page.url)
        pages.append(page)
    return pages


def _stable_hash(seed: int, text: str) -> str:
    return hashlib.sha256(f"{seed}:{text}".encode()).hexdigest()


def assign_ids(pages: list[Page], seed: int) -> list[tuple[str, Page]]:
    """Neutral ids (<platform>-NNN) in an order that hides how pages were generated."""
    order = sorted(range(len(pages)), key=lambda i: _stable_hash(seed, f"order:{i}"))
    counters: dict[str, int] = {}
    out = []
    for i in order:
        page = pages[i]
        counters[page.platform] = counters.get(page.platform, 0) + 1
        out.append((f"{page.platform}-{counters[page.platform]:03d}", page))
    return sorted(out, key=lambda pair: pair[0])


def assign_splits(items: list[tuple[str, Page]], seed: int) -> dict[str, str]:
    """Alternate tune/holdout inside each (platform, fake_stream, sso_lure) stratum, ordered by
    generator category and language so that every kind of case lands on both sides."""
    strata: dict[tuple[str, bool, bool], list[tuple[str, Page]]] = {}
    for pid, page in items:
        strata.setdefault((page.platform, page.fake_stream, page.sso_lure), []).append((pid, page))
    split: dict[str, str] = {}
    for key, members in sorted(strata.items()):
        members.sort(key=lambda m: (m[1].category, m[1].language, _stable_hash(seed, m[0])))
        start = int(_stable_hash(seed, repr(key)), 16) % 2
        for j, (pid, _) in enumerate(members):
            split[pid] = ("tune", "holdout")[(j + start) % 2]
    return split


def write_corpus(out: Path, seed: int) -> list[dict[str, object]]:
    """Write pages/ and manifest.jsonl under `out`; return the manifest rows."""
    pages_dir = out / "pages"
    for old in pages_dir.glob("*/*.html"):
        old.unlink()
    items = assign_ids(build_pages(seed), seed)
    splits = assign_splits(items, seed)
    rows = []
    for pid, page in items:
        rel = f"pages/{page.platform}/{pid}.html"
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(page.html, encoding="utf-8", newline="\n")
        values = {
            "id": pid,
            "url": page.url,
            "path": rel,
            "platform": page.platform,
            "kind": page.kind,
            "language": page.language,
            "fake_stream": page.fake_stream,
            "sso_lure": page.sso_lure,
            "matched_title": page.matched_title,
            "split": splits[pid],
            "note": page.note,
        }
        rows.append({k: values[k] for k in MANIFEST_KEYS})
    with (out / "manifest.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def summary(rows: list[dict[str, object]]) -> str:
    """Counts per split x label, per language and per platform."""
    lines = [f"pages: {len(rows)}"]
    for split in ("tune", "holdout"):
        sub = [r for r in rows if r["split"] == split]
        fs = sum(bool(r["fake_stream"]) for r in sub)
        ss = sum(bool(r["sso_lure"]) for r in sub)
        neg = sum(not r["fake_stream"] and not r["sso_lure"] for r in sub)
        lines.append(
            f"{split}: {len(sub)} pages, fake_stream {fs}/{len(sub) - fs}, sso_lure {ss}/{len(sub) - ss}, "
            f"both-negative {neg}"
        )
    for key in ("language", "platform"):
        counts: dict[str, int] = {}
        for r in rows:
            counts[str(r[key])] = counts.get(str(r[key]), 0) + 1
        lines.append(
            f"{key}: "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)
    rows = write_corpus(args.out, args.seed)
    print(summary(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Seeded generation of the replica's world: blogs, posts and landing pages with their ground
truth.

``build_dataset(seed, scale)`` (:mod:`replica.content.world`) is deterministic. At scale 1 it makes
~26 blogs (Tumblr, WordPress.com, self-hosted/Atomic WordPress, Blogger; criminals' and fans';
:mod:`replica.content.blogs`) and ~300 posts in 10 languages (:mod:`replica.content.phrases`):

- **fake streams** of watched titles (``watchlists/titles.yaml``, read by
  :mod:`replica.content.watchlist`) under disguised titles (homoglyphs, zero-width characters,
  leetspeak, release names, entities, reordering, numbers as words/roman numerals, translations;
  :mod:`replica.content.disguises`), linking to lure players directly or through Tumblr's
  ``t.umblr.com`` wrapper, shorteners, meta-refresh chains, a JavaScript redirect, hostile pages or
  dead links (:mod:`replica.content.stream_posts`);
- **lure posts** (giveaways linking to look-alike logins and OAuth-consent phishing) and posts that
  embed the sign-in trap themselves;
- **hard negatives** (~40%; :mod:`replica.content.fan_posts`): reviews, trailers, box office, legit
  streaming news, fan art, scam warnings quoting lure phrases, legit links, the platforms' own
  "Sign in with Google" comment widgets, legit sign-in pages, sequels/near-miss titles and fake
  streams of films nobody watches.

The pages posts link to are in :mod:`replica.content.lure_pages` and
:mod:`replica.content.benign_pages`, filed with their truth by :mod:`replica.content.landings`.

Truth: ``fake_stream`` = pretends to stream a *watched* film; ``sso_lure`` = the post carries a
trap or a link that a polite crawler (HTTP + meta-refresh redirects within 5 hops, robots.txt
honoured, no JavaScript redirects) ends on a lure page; ``matched_title`` = the watchlist title
string, set on hits only. Every hit carries plain tags or SEO keywords so that at least one search
of ``watchlists/searches.yaml`` finds it on its platform.
"""

from __future__ import annotations

from replica.content.films import NEAR_MISSES, UNWATCHED
from replica.content.world import build_dataset

__all__ = ["NEAR_MISSES", "UNWATCHED", "build_dataset"]

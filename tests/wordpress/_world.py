"""A WordPress test world: the shared seeded dataset plus one blog per WordPress quirk the spider
must handle.

The quirk blogs are derived from the watchlist (titles, search phrasings), never from the shared
dataset's contents, so the tests keep working while ``replica/content.py`` grows. Each quirk blog
has one *seed* post carrying a watchlist tag (how the Reader tag stream surfaces the WordPress.com
and Jetpack sites; the other self-hosted ones are configured) and several fake-stream posts that
carry no watchlist tag: only searching (or listing) the site itself finds them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipelines.watchlists import Title, load_searches, load_titles
from replica.content import build_dataset
from replica.dataset import Blog, Dataset, Post, Truth

__all__ = ["CONFIGURED_SITES", "QUIRKS", "build_world", "watched"]

#: (blog name, host, kind, options)
QUIRKS: list[tuple[str, str, str, dict[str, object]]] = [
    (
        "selfhosted-classic",
        "films-hub.example",
        "selfhosted",
        {"theme": "classic", "gmt_offset": 2},
    ),
    (
        "selfhosted-plain",
        "plain-movies.example",
        "selfhosted",
        {"plain_permalinks": True, "theme": "block"},
    ),
    (
        "selfhosted-blocked",
        "locked-stream.example",
        "selfhosted",
        {"rest_blocked": True, "posts_per_page": 2, "posts_per_rss": 2, "theme": "block"},
    ),
    (
        "selfhosted-blocked-classic",
        "locked-classic.example",
        "selfhosted",
        {"rest_blocked": True, "posts_per_page": 2, "posts_per_rss": 2, "theme": "classic"},
    ),
    ("selfhosted-old", "old-wp.example", "selfhosted", {"wp_version": "4.9.8"}),
    ("customdomain", "cinemanow.example", "wpcom", {}),
    ("atomic-site", "atomic-films.example", "atomic", {}),
    ("hdmovies-quirk", "hdmovies-quirk.wordpress.com", "wpcom", {"gmt_offset": -5}),
    # Jetpack-connected: the Reader streams its posts whole, the only way past its robots.txt
    (
        "robots-off",
        "no-robots.example",
        "selfhosted",
        {"robots_disallow_all": True, "jetpack": True},
    ),
]
#: Self-hosted sites without Jetpack are in no Reader stream: the crawl is told about them
#: (``LUREWATCH_WORDPRESS_SITES``), as an analyst names the sites to watch; so is the Jetpack
#: one whose robots.txt shuts crawlers out (its posts still come whole from the Reader).
CONFIGURED_SITES = [host for _, host, kind, _ in QUIRKS if kind == "selfhosted"]
POSTS_PER_BLOG = 5


def watched(limit: int = 2) -> list[Title]:
    """The first watchlist titles, those the quirk posts are about."""
    return load_titles()[:limit]


def _post(blog: Blog, n: int, title: Title, moment: datetime, seed: bool) -> Post:
    phrase = load_searches().queries_for(title)[0]  # e.g. "Man of Steel full movie"
    lure = f"https://player-{blog.name}.stream-now.example/{n}"
    tags = [load_searches().tags_for(title)[-1]] if seed else ["streaming", "hd"]
    return Post(
        blog,
        str(910000 + n),
        f"{blog.name}-post-{n}",
        f"{phrase} & more #{n} – free HD",
        f'<p>{phrase} online free. Stream it now.</p><p><a href="{lure}">Watch</a></p>',
        moment,
        tags=tags,
        truth=Truth(fake_stream=True, matched_title=title.title, note=f"quirk {blog.name}"),
        outbound=[lure],
        post_format="block" if n % 2 else "classic",
    )


def build_world(seed: int = 2026) -> Dataset:
    """The shared dataset (``seed``) plus the quirk blogs."""
    base = build_dataset(seed=seed)
    blogs, posts = list(base.blogs), list(base.posts)
    start = datetime(2026, 10, 1, 12, tzinfo=UTC)
    n = 0
    for i, (name, host, kind, options) in enumerate(QUIRKS):
        blog = Blog(
            "wordpress",
            name,
            host,
            f"{name.title()} Blog",
            blog_id=str(300100 + i),
            kind=kind,
            options=dict(options),
        )
        blogs.append(blog)
        for j in range(POSTS_PER_BLOG):
            n += 1
            title = watched()[j % 2]
            # a site that disallows robots can only be reported from the Reader: tag all its posts
            seed = j == 0 or bool(options.get("robots_disallow_all"))
            posts.append(_post(blog, n, title, start - timedelta(hours=n), seed=seed))
        posts.append(
            Post(
                blog,
                str(990000 + i),
                f"{name}-about",
                "About this blog",
                "<p>Just a blog.</p>",
                start - timedelta(days=30),
            )
        )
    return Dataset(blogs, posts, base.landings)


def write_watchlists(tmp: Path, dataset: Dataset) -> tuple[Path, Path]:
    """A titles file with every title a WordPress hit is about, and a searches file with deep
    paging."""
    wanted = {p.truth.matched_title for p in dataset.expected_hits("wordpress")}
    chosen = [t for t in load_titles() if t.title in wanted]
    titles = tmp / "titles.yaml"
    titles.write_text(
        "".join(
            f"- title: {t.title!r}\n  year: {t.year}\n"
            + (f"  aliases: {list(t.aliases)!r}\n" if t.aliases else "")
            for t in chosen
        ),
        encoding="utf-8",
    )
    searches = tmp / "searches.yaml"
    plan = load_searches()
    searches.write_text(
        "queries:\n"
        + "".join(f"  - {q!r}\n" for q in plan.queries)
        + "tags:\n"
        + "".join(f"  - {t!r}\n" for t in plan.tags)
        + "max_pages: 10\n",
        encoding="utf-8",
    )
    return titles, searches

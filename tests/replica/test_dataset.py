"""The replica's world: determinism, variety, ground truth and findability of every hit."""

from __future__ import annotations

from datetime import UTC
from urllib.parse import urlsplit

import pytest

from crawler.links import outbound_links
from pipelines.watchlists import Title, load_searches, load_titles
from replica.content import build_dataset
from replica.content.disguises import DISGUISES
from replica.dataset import Dataset, Landing, Post

SPAM_LANGUAGES = {"en", "fr", "es", "de", "pt", "id", "it"}


@pytest.fixture(scope="module")
def world() -> Dataset:
    return build_dataset(seed=2026, scale=1)


@pytest.fixture(scope="module")
def titles() -> dict[str, Title]:
    return {t.title: t for t in load_titles()}


def _fingerprint(ds: Dataset) -> list[tuple[object, ...]]:
    posts = [
        (p.url, p.title, p.body_html, tuple(p.tags), p.truth, tuple(p.outbound), p.published)
        for p in ds.posts
    ]
    landings = [
        (u, lnd.html, lnd.kind, lnd.redirect_to, lnd.truth)
        for u, lnd in sorted(ds.landings.items())
    ]
    return [*posts, *landings, *((b.host, b.blog_id, b.kind) for b in ds.blogs)]


def test_same_seed_same_world_and_other_seed_differs(world: Dataset) -> None:
    assert _fingerprint(build_dataset(seed=2026)) == _fingerprint(world)
    assert _fingerprint(build_dataset(seed=7)) != _fingerprint(world)


def test_blogs_per_platform_and_wordpress_kinds(world: Dataset) -> None:
    for platform in ("tumblr", "wordpress", "blogger"):
        assert len(world.blogs_on(platform)) >= 8
    wp = world.blogs_on("wordpress")
    kinds = {b.kind for b in wp}
    assert kinds == {"wpcom", "selfhosted", "atomic"}
    assert all(
        b.host.endswith(".wordpress.com") and b.blog_id.isdigit() for b in wp if b.kind == "wpcom"
    )
    selfhosted = [b for b in wp if b.kind == "selfhosted"]
    assert any(b.options.get("rest_blocked") for b in selfhosted)
    assert any(b.options.get("plain_permalinks") for b in selfhosted)
    assert all(len(b.blog_id) == 19 and b.blog_id.isdigit() for b in world.blogs_on("blogger"))
    assert {b.options["persona"] for b in world.blogs} == {"criminal", "fan"}
    assert len({b.host for b in world.blogs}) == len(world.blogs)


def test_post_ids_dates_and_formats(world: Dataset) -> None:
    for post in world.posts:
        assert post.published.tzinfo == UTC and post.published.year == 2026
        if post.platform == "tumblr":
            assert int(post.post_id) > 2**53
        elif post.platform == "blogger":
            assert len(post.post_id) == 19 and post.post_id.isdigit()
        else:
            assert 0 < int(post.post_id) < 100_000
    formats = {(p.platform, p.post_format) for p in world.posts}
    assert {
        ("tumblr", "legacy"),
        ("tumblr", "npf"),
        ("wordpress", "classic"),
        ("wordpress", "block"),
    } <= formats
    assert len({p.url for p in world.posts}) == len(world.posts)
    for platform in ("tumblr", "blogger"):
        ids = [p.post_id for p in world.posts_on(platform)]
        assert len(set(ids)) == len(ids)


def test_languages_and_disguises(world: Dataset) -> None:
    fake = [p for p in world.posts if p.truth.fake_stream]
    assert SPAM_LANGUAGES <= {p.language for p in fake}
    notes = " ".join(p.truth.note for p in fake)
    for kind in DISGUISES:
        assert f"disguise: {kind}" in notes
    assert any("\u200b" in p.title for p in fake)
    assert any(any("\u0400" <= c <= "\u04ff" for c in p.title) for p in fake)
    assert any(any("\u0370" <= c <= "\u03ff" for c in p.title) for p in fake)
    assert any("t.umblr.com/redirect?z=" in p.body_html for p in world.posts_on("tumblr"))


def test_titles_and_tags_have_normalised_whitespace(world: Dataset) -> None:
    """Crawlers collapse whitespace; disguises must not rely on runs of spaces."""
    for post in world.posts:
        assert post.title == " ".join(post.title.split()), post.title
        assert all(tag == " ".join(tag.split()) for tag in post.tags), post.tags


def test_hit_share_and_hard_negative_kinds(world: Dataset) -> None:
    negatives = [p for p in world.posts if not p.truth.is_hit]
    assert 0.3 <= len(negatives) / len(world.posts) <= 0.5
    kinds = {p.truth.note.split(":")[0] for p in negatives}
    assert {
        "review",
        "trailer",
        "box_office",
        "streaming_news",
        "fan_art",
        "scam_warning",
        "legit_links",
        "comment_widget",
        "legit_signin",
        "near_miss_review",
        "near_miss_stream",
        "unwatched",
    } <= kinds
    widgets = [p for p in negatives if p.truth.note.startswith("comment_widget")]
    assert {p.platform for p in widgets} == {"blogger", "wordpress"}
    assert all("Google" in p.body_html for p in widgets)


def test_truth_titles_are_watchlist_strings(world: Dataset, titles: dict[str, Title]) -> None:
    for post in world.posts:
        if post.truth.is_hit:
            assert post.truth.matched_title in titles
        else:
            assert post.truth.matched_title is None
    unwatched = [
        p for p in world.posts if p.truth.note.startswith(("unwatched", "near_miss_stream"))
    ]
    assert unwatched and not any(p.truth.is_hit for p in unwatched)


def test_outbound_is_what_a_crawler_extracts(world: Dataset) -> None:
    """``Post.outbound`` = the body's off-platform links, Tumblr-unwrapped, in order."""
    for post in world.posts:
        assert (
            outbound_links(post.body_html, post.url, own_hosts=(post.blog.host,)) == post.outbound
        ), post.url


# truth of lures, recomputed independently


def _final(ds: Dataset, url: str, budget: int = 5) -> Landing | None:
    seen = 0
    while (landing := ds.landings.get(url)) is not None:
        if "Disallow: /\n" in ds.robots.get(urlsplit(url).hostname or "", ""):
            return None
        target = landing.redirect_to or landing.refresh_to
        if target is None:
            return landing
        seen += 1
        if seen > budget:
            return None
        url = target
    return None


def _links_to_lure(ds: Dataset, post: Post) -> bool:
    """A link that ends on a lure landing, or on another blog's post that embeds a trap."""
    for url in post.outbound:
        final = _final(ds, url)
        if final is not None and final.kind == "lure":
            return True
        linked = ds.post_by_url(url)
        if linked is not None and linked.truth.note.startswith("embedded_lure"):
            return True
    return False


def test_sso_lure_truth_follows_reachable_landings(world: Dataset) -> None:
    for post in world.posts:
        embedded = post.truth.note.startswith("embedded_lure")
        assert post.truth.sso_lure == (embedded or _links_to_lure(world, post)), post.truth.note
    by_plan: dict[str, set[bool]] = {}
    for post in world.posts:
        if post.truth.note.startswith("stream:"):
            by_plan.setdefault(post.truth.note.rsplit("link: ", 1)[-1], set()).add(
                post.truth.sso_lure
            )
    for plan in (
        "lure",
        "lure_js",
        "shortener_lure",
        "meta_chain_lure",
        "http_meta_lure",
        "chain5_lure",
        "imdb_and_lure",
    ):
        assert by_plan[plan] == {True}, plan
    for plan in (
        "chain7_lure",
        "loop_via_shortener",
        "robots_lure",
        "js_redirect_benign",
        "dead_link",
        "hostile",
        "ad_player",
        "trailer_and_ad_player",
    ):
        assert by_plan[plan] == {False}, plan


def test_every_platform_links_every_hostile_page(world: Dataset) -> None:
    """So that each spider's own crawl test meets every hostile page."""
    for platform in ("tumblr", "wordpress", "blogger"):
        met = set()
        for post in world.posts_on(platform):
            for url in post.outbound:
                hops = 0
                while (landing := world.landings.get(url)) is not None and hops < 10:
                    met.add(landing.hostile)
                    url, hops = landing.next_hop or "", hops + 1
        assert {"redirect_loop", "huge", "gzip_bomb", "drip", "script_loop", "download"} <= met, (
            platform
        )


def test_landing_variety(world: Dataset) -> None:
    lures = [lnd for lnd in world.landings.values() if lnd.kind == "lure"]
    variants = {lnd.variant for lnd in lures}
    assert {
        "facebook_button",
        "google_button",
        "apple_button",
        "microsoft_button",
        "password_gate",
        "telegram_exfil",
        "card_form",
        "browser_in_browser",
        "oauth_google",
        "oauth_microsoft",
        "atob_form",
        "charcode_button",
        "lookalike_login",
        "robots_blocked",
    } <= variants
    needs_js = [lnd for lnd in lures if lnd.needs_js]
    assert needs_js and all("<form" not in lnd.html and "<script>" in lnd.html for lnd in needs_js)
    hosts = {urlsplit(u).hostname for u in world.landings}
    assert {
        "bit.ly",
        "cutt.ly",
        "tinyurl.com",
        "is.gd",
        "www.imdb.com",
        "www.youtube.com",
        "www.netflix.com",
    } <= hosts
    linked = {u for p in world.posts for u in p.outbound}
    hostile = {lnd.hostile for lnd in world.landings.values() if lnd.hostile}
    assert hostile == {"redirect_loop", "huge", "gzip_bomb", "drip", "script_loop", "download"}
    reachable = {(_final(world, u, 10) or Landing("")).hostile for u in linked} | {
        world.landings[u].hostile for u in linked if u in world.landings
    }
    assert hostile - {"redirect_loop"} <= reachable
    assert any("accounts.google.com/o/oauth2/v2/auth" in lnd.html for lnd in lures)
    assert any("api.telegram.org/bot" in lnd.html for lnd in lures)


# findability

ROUTES = {"search", "expansion", "cross-link"}


def _found_by(ds: Dataset, post: Post, title: Title) -> tuple[list[str], list[str]]:
    plan = load_searches()
    queries = [q for q in plan.queries_for(title) if post in ds.search(q, post.platform)]
    tags = [t for t in plan.tags_for(title) if post in ds.tagged(t, post.platform)]
    return queries, tags


def test_every_fake_lists_the_routes_that_reach_it(world: Dataset) -> None:
    """Truth is not reachability: every fake is listed, with the routes that can reach it."""
    fakes = [p for p in world.posts if p.truth.fake_stream]
    assert len(fakes) >= 100
    assert {route for p in fakes for route in p.truth.routes} == ROUTES
    for post in world.expected_hits():
        assert set(post.truth.routes) <= ROUTES, post.url
    unwatched = [p for p in world.posts if "unwatched film" in p.truth.note]
    assert unwatched and all(not p.truth.is_hit and p.truth.routes for p in unwatched)


def test_some_fakes_no_planned_search_finds_are_left_to_expansion_and_links(
    world: Dataset, titles: dict[str, Title]
) -> None:
    unsearched = []
    for post in world.expected_hits():
        queries, tags = _found_by(world, post, titles[post.truth.matched_title or ""])
        if not queries and not tags:
            unsearched.append(post)
    assert len(unsearched) >= 10
    assert all({"expansion", "cross-link"} & set(p.truth.routes) for p in unsearched)
    searched = len(world.expected_hits()) - len(unsearched)
    print(f"hits found by a planned search: {searched}/{len(world.expected_hits())}")
    player = [p for p in world.expected_hits("blogger") if p.blog.options.get("unindexed")]
    assert player and all("search" not in p.truth.routes for p in player)
    assert any("cross-link" in p.truth.routes for p in player)


def test_disguised_posts_hide_the_title_from_search_and_carry_no_seo_line(
    world: Dataset,
) -> None:
    hidden = [p for p in world.posts if p.truth.note.startswith("hidden_stream:")]
    assert len(hidden) >= 20
    assert not [p for p in hidden if "Keywords:" in p.body_html or "display:none" in p.body_html]
    styles = {p.truth.note.split("(", 1)[1].split(")")[0].split(":")[0] for p in hidden}
    assert {"disguise", "local", "abbreviated"} <= styles
    assert any("ganzer film deutsch" in p.title for p in hidden)
    assert any(" onlin free" in p.title for p in hidden)


def test_tag_only_and_query_only_hits_exist(world: Dataset, titles: dict[str, Title]) -> None:
    modes = set()
    for post in world.expected_hits("tumblr"):
        queries, tags = _found_by(world, post, titles[post.truth.matched_title or ""])
        modes.add((bool(queries), bool(tags)))
    assert {(True, False), (False, True), (True, True)} <= modes


def test_benign_posts_also_match_planned_searches(
    world: Dataset, titles: dict[str, Title]
) -> None:
    for platform in ("tumblr", "wordpress", "blogger"):
        returned = set()
        for title in titles.values():
            q, t = load_searches().queries_for(title), load_searches().tags_for(title)
            returned |= {p.url for s in q for p in world.search(s, platform) if not p.truth.is_hit}
            returned |= {p.url for s in t for p in world.tagged(s, platform) if not p.truth.is_hit}
        assert len(returned) >= 5, platform


def test_scale_multiplies_the_world() -> None:
    small, big = build_dataset(scale=1), build_dataset(scale=3)
    assert len(big.blogs) == 3 * len(small.blogs)
    assert len(big.posts) == 3 * len(small.posts)
    assert len({p.url for p in big.posts}) == len(big.posts)
    assert len({b.host for b in big.blogs}) == len(big.blogs)


def test_summary_counts(world: Dataset) -> None:
    summary = world.summary()
    assert summary["posts"] == len(world.posts)
    assert sum(v["hits"] for v in summary["platforms"].values()) == len(world.expected_hits())
    assert set(summary["platforms"]) == {"tumblr", "wordpress", "blogger"}
    assert len(summary["languages"]) >= 7

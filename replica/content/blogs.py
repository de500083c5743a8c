"""The replica's blogs: criminals' spam blogs and ordinary fan/review blogs on each platform."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

from replica.dataset import Blog

__all__ = ["BLOG_SPECS", "BlogSpec", "make_blogs"]


@dataclass(frozen=True)
class BlogSpec:
    platform: str
    name: str  # tumblr name / blogspot subdomain / WordPress.com slug or self-hosted domain
    title: str
    languages: tuple[str, ...]
    persona: str  # criminal | fan
    kind: str = "hosted"
    options: dict[str, Any] = field(default_factory=dict)


BLOG_SPECS: tuple[BlogSpec, ...] = (
    # Tumblr
    BlogSpec(
        "tumblr", "moviezone-hd", "MovieZone HD | Watch Full Movies Free", ("en",), "criminal"
    ),
    BlogSpec("tumblr", "films-streaming-vf", "Films Streaming VF Gratuit", ("fr",), "criminal"),
    BlogSpec(
        "tumblr",
        "peliculas-completas-latino",
        "Películas Completas Latino HD",
        ("es",),
        "criminal",
    ),
    BlogSpec(
        "tumblr", "nonton-film-terbaru-21", "Nonton Film Terbaru Sub Indo", ("id",), "criminal"
    ),
    BlogSpec("tumblr", "hdfilme-deutsch-stream", "HD Filme Deutsch Stream", ("de",), "criminal"),
    BlogSpec(
        "tumblr", "world-cinema-free", "World Cinema Free HD", ("tr", "vi", "ru", "en"), "criminal"
    ),
    BlogSpec("tumblr", "cinephile-diaries", "cinephile diaries", ("en",), "fan"),
    BlogSpec("tumblr", "marvel-and-more-fanart", "marvel & more (fan art)", ("en", "es"), "fan"),
    BlogSpec(
        "tumblr",
        "kinonews-und-kritiken",
        "Kinonews & Kritiken",
        ("de", "fr"),
        "fan",
        options={"robots_disallow_all": True},
    ),
    # WordPress
    BlogSpec("wordpress", "streamfilms2026", "Stream Films 2026", ("en",), "criminal", "wpcom"),
    BlogSpec(
        "wordpress",
        "filmescompletosdublados",
        "Filmes Completos Dublados",
        ("pt",),
        "criminal",
        "wpcom",
    ),
    BlogSpec(
        "wordpress",
        "guardafilm-streaming-ita",
        "Guarda Film Streaming ITA",
        ("it",),
        "criminal",
        "wpcom",
    ),
    BlogSpec("wordpress", "reelcriticreviews", "Reel Critic Reviews", ("en",), "fan", "wpcom"),
    BlogSpec("wordpress", "cinefilosenlinea", "Cinéfilos en línea", ("es",), "fan", "wpcom"),
    BlogSpec(
        "wordpress",
        "www.watchfree-hd.net",
        "WatchFree HD",
        ("en", "es"),
        "criminal",
        "selfhosted",
        {"rest_blocked": True, "jetpack": True},
    ),
    BlogSpec(
        "wordpress",
        "filmstreaming-vf.fr",
        "Film Streaming VF",
        ("fr",),
        "criminal",
        "selfhosted",
        # no Jetpack: neither the Reader nor any search knows it; WordPress.com spam links it
        {"plain_permalinks": True, "unindexed": True, "player": True},
    ),
    BlogSpec(
        "wordpress",
        "filmkritik-blog.de",
        "Filmkritik Blog",
        ("de",),
        "fan",
        "selfhosted",
        {"jetpack": True},
    ),
    BlogSpec(
        "wordpress", "hdmoviesworld.net", "HD Movies World", ("en", "id"), "criminal", "atomic"
    ),
    # Blogger
    BlogSpec("blogger", "filmes-online-gratis-hd", "Filmes Online Grátis HD", ("pt",), "criminal"),
    BlogSpec("blogger", "nonton-movie-hd21", "Nonton Movie HD21", ("id",), "criminal"),
    BlogSpec("blogger", "ver-peliculas-online-hd", "Ver Películas Online HD", ("es",), "criminal"),
    BlogSpec("blogger", "streaming-film-ita-2026", "Streaming Film ITA 2026", ("it",), "criminal"),
    BlogSpec("blogger", "watch-full-movies-2026", "Watch Full Movies 2026", ("en",), "criminal"),
    BlogSpec("blogger", "film-complet-vf-gratuit", "Film Complet VF Gratuit", ("fr",), "criminal"),
    # a "player" blog no search engine has indexed yet: spam posts elsewhere link its posts
    BlogSpec(
        "blogger",
        "hd-player-server-2026",
        "HD Player Server",
        ("en", "es"),
        "criminal",
        options={"unindexed": True, "player": True},
    ),
    BlogSpec("blogger", "cinema-reviews-and-more", "Cinema Reviews and More", ("en",), "fan"),
    BlogSpec("blogger", "kinoblog-berlin", "Kinoblog Berlin", ("de",), "fan"),
)


def _copy_name(spec: BlogSpec, copy: int) -> str:
    if copy == 0:
        return spec.name
    if "." in spec.name:  # a domain: number the first label
        prefix = "www." if spec.name.startswith("www.") else ""
        first, rest = spec.name.removeprefix(prefix).split(".", 1)
        return f"{prefix}{first}{copy + 1}.{rest}"
    return f"{spec.name}-{copy + 1}"


def _host(spec: BlogSpec, name: str) -> str:
    if spec.platform == "tumblr":
        return f"{name}.tumblr.com"
    if spec.platform == "blogger":
        return f"{name}.blogspot.com"
    return f"{name}.wordpress.com" if spec.kind == "wpcom" else name


def _blog_id(spec: BlogSpec, rng: random.Random) -> str:
    if spec.platform == "tumblr":
        return "t:" + "".join(
            rng.choice(string.ascii_letters + string.digits + "-_") for _ in range(22)
        )
    if spec.platform == "blogger":
        return str(rng.randrange(10**18, 10**19))
    return str(rng.randrange(100_000_000, 240_000_000))


_DESCRIPTIONS = {
    "criminal": "Watch the latest movies online free in HD. New films added every day!",
    "fan": "Notes, reviews and fan art about the films I love.",
}


def make_blogs(rng: random.Random, scale: int) -> list[tuple[Blog, BlogSpec]]:
    """``scale`` copies of every blog spec (copy 0 keeps the spec's name)."""
    out: list[tuple[Blog, BlogSpec]] = []
    for copy in range(scale):
        for spec in BLOG_SPECS:
            name = _copy_name(spec, copy)
            options = {**spec.options, "language": spec.languages[0], "persona": spec.persona}
            if spec.kind == "atomic":  # hosted by WordPress.com: Jetpack comes with it
                options.setdefault("jetpack", True)
            title = spec.title if copy == 0 else f"{spec.title} {copy + 1}"
            blog = Blog(
                spec.platform,
                name,
                _host(spec, name),
                title,
                description=_DESCRIPTIONS[spec.persona],
                blog_id=_blog_id(spec, rng),
                kind=spec.kind,
                options=options,
            )
            out.append((blog, spec))
    return out

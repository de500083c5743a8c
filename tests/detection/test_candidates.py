"""Titles not yet watched: the film an unwatched fake-stream page offers (pipelines/candidates).

The pages are written for these tests (invented films, several languages and page shapes); the
watchlist is the shipped one, on which none of these films is.
"""

from __future__ import annotations

import asyncio
import html

import pytest
from scrapy import Spider

from pipelines.candidates import add_candidate, build_vocabulary, page_candidate, title_candidate
from pipelines.detection import DetectionPipeline
from pipelines.items import Hit, LandingPage
from pipelines.scoring import Assessment
from pipelines.watchlists import load_watchlists
from tests._settings import lurewatch_crawler

WL = load_watchlists()

#: A pirate page body: two players, a quality line and download links (clear offer evidence).
BODY = (
    "<div class='player'><span>Server 1</span> <span>Server 2</span>"
    "<iframe src='https://embed.vidcdn.example/e/8812' allowfullscreen></iframe></div>"
    "<p>Quality: HD 1080p · Download: <a href='https://files.example/d/1'>720p</a></p>"
)


def page(title: str, h1: str | None = None, body: str = BODY, og: str | None = None) -> str:
    meta = f"<meta property='og:title' content='{html.escape(og, quote=True)}'>" if og else ""
    heading = f"<h1>{html.escape(h1)}</h1>" if h1 else ""
    return (
        f"<html><head><title>{html.escape(title)}</title>{meta}</head>"
        f"<body>{heading}{body}</body></html>"
    )


OFFERED = [
    (
        "en",
        "Watch The Lantern Keepers (2026) Full Movie Online Free HD | FlixPortal",
        "https://flixportal.example/movie/the-lantern-keepers-2026",
        "The Lantern Keepers",
    ),
    (
        "es",
        "Ver Los Hijos del Viento (2025) Película Completa en Español Latino – CineGratisHD",
        "https://cinegratishd.example/los-hijos-del-viento/",
        "Los Hijos del Viento",
    ),
    (
        "pt",
        "Assistir O Último Farol Filme Completo Dublado Grátis - MegaTela",
        "https://megatela.example/filme/o-ultimo-farol",
        "O Último Farol",
    ),
    (
        "fr",
        "Le Dernier Phare (2026) en streaming VF gratuit – VoirFilmz",
        "https://voirfilmz.example/le-dernier-phare-2026.html",
        "Le Dernier Phare",
    ),
    (
        "de",
        "Die stille Stadt 2026 ganzer Film Deutsch kostenlos anschauen | KinoStrom",
        "https://kinostrom.example/die-stille-stadt",
        "Die stille Stadt",
    ),
    (
        "ru",
        "Ночной экспресс (фильм 2026) смотреть онлайн бесплатно в хорошем качестве – КиноЛис",
        "https://kinolis.example/9931-nochnoj-ekspress.html",
        "Ночной экспресс",
    ),
    (
        "tr",
        "Kırmızı Bisiklet 2 (2026) Türkçe Dublaj Full HD İzle - FilmKulesi",
        "https://filmkulesi.example/kirmizi-bisiklet-2-izle/",
        "Kırmızı Bisiklet 2",
    ),
    (
        "id",
        "Nonton Film Rumah Kaca 3 (2026) Sub Indo Full Movie | LayarBioskop",
        "https://layarbioskop.example/rumah-kaca-3-2026/",
        "Rumah Kaca 3",
    ),
    (
        "ar",
        "مشاهدة فيلم The Salt Road 2026 مترجم اون لاين | سيما بلس",
        "https://cimaplus.example/watch/the-salt-road-2026",
        "The Salt Road",
    ),
    (
        "it",
        "Il Giardino di Vetro (2025) Streaming ITA Film Completo Gratis – FilmSubito",
        "https://filmsubito.example/il-giardino-di-vetro/",
        "Il Giardino di Vetro",
    ),
    (
        "pl",
        "Zimowy Ogród (2026) cały film online za darmo Lektor PL – KinoDom",
        "https://kinodom.example/zimowy-ogrod-2026",
        "Zimowy Ogród",
    ),
    (
        "release",
        "The.Copper.Orchard.2026.1080p.WEB-DL.DDP5.1.x264-NOGRP | scenefeed",
        "https://scenefeed.example/post/88/the-copper-orchard",
        "The Copper Orchard",
    ),
]


@pytest.mark.parametrize(("lang", "title", "url", "film"), OFFERED, ids=[o[0] for o in OFFERED])
def test_the_offered_film_is_extracted_as_written(
    lang: str, title: str, url: str, film: str
) -> None:
    assert page_candidate(page(title), url, WL) == film


def test_heading_and_og_title_agree_over_a_site_logo_heading() -> None:
    got = page_candidate(
        page(
            "Glass Harbour (2026) watch online free HD – StreamHutHD",
            h1="StreamHutHD",
            og="Glass Harbour (2026) watch online free HD",
        ),
        "https://streamhuthd.example/glass-harbour",
        WL,
    )
    assert got == "Glass Harbour"


def test_a_blog_name_before_a_colon_is_not_the_film() -> None:
    got = page_candidate(
        page("Cinema Gratis 24: Watch Paper Lions (2025) Full Movie Online Free"),
        "https://cinema-gratis-24.blogspot.com/2026/01/paper-lions.html",
        WL,
    )
    assert got == "Paper Lions"


def test_colons_inside_a_title_are_kept() -> None:
    got = page_candidate(
        page("Watch Starfall: The Last Orbit (2026) Full Movie Free HD | MoviesRoom"),
        "https://moviesroom.example/starfall-the-last-orbit",
        WL,
    )
    assert got == "Starfall: The Last Orbit"


def test_disguised_writing_is_cleaned() -> None:
    # zero-width characters, fullwidth digits, random case and Cyrillic look-alikes
    title = "Watch Ｓ\u200bilver Cаnyon ２ (2026) FuLL MoViE Online Free HD"
    got = page_candidate(page(title), "https://freeflix.example/w/9", WL)
    assert got == "Silver Canyon 2"


def test_a_sequel_number_that_is_not_watched_is_a_candidate() -> None:
    # Iron Man 3 is watched; Iron Man 2 is another film
    got = page_candidate(
        page("Watch Iron Man 2 (2010) Full Movie Online Free | MovieHall"),
        "https://moviehall.example/iron-man-2",
        WL,
    )
    assert got == "Iron Man 2"


NOT_OFFERED = [
    ("watched", "Watch Man of Steel (2013) Full Movie Online Free HD | FlixPortal", BODY),
    ("review", "The Lantern Keepers review: a slow, lovely fantasy | Screen Notes", BODY),
    ("trailer", "The Lantern Keepers – Official Trailer (2026) HD", BODY),
    ("legal", "Watch The Lantern Keepers free on Tubi: stream it now in HD", BODY),
    ("warning", "Beware of scam sites offering The Lantern Keepers full movie free", BODY),
    ("question", "Where can I watch The Lantern Keepers online for free?", BODY),
    ("one kind only", "The Lantern Keepers online | Film Diary", BODY),
    ("no page evidence", "Watch The Lantern Keepers Full Movie", "<p>My notes on films.</p>"),
    ("fakes", "Watch out for fake film streaming portals | Consumer Desk", BODY),
    ("box office", "The Lantern Keepers box office: full weekend figures in HD charts", BODY),
]


@pytest.mark.parametrize(("case", "title", "body"), NOT_OFFERED, ids=[n[0] for n in NOT_OFFERED])
def test_no_candidate_without_clear_offer_or_with_counter_evidence(
    case: str, title: str, body: str
) -> None:
    assert page_candidate(page(title, body=body), "https://blog.example/p/1", WL) is None


def test_title_candidate_is_pure_and_names_its_evidence() -> None:
    terms = [("xx", "watch", ("gucka",)), ("xx", "free", ("gratix",))]
    vocab = build_vocabulary([*terms, ("xx", "trailer", ("teazer",))], [("tubi",)])
    film, kinds = title_candidate(["Gucka Blue Meadow gratix"], "site.example", vocab)
    assert film == "Blue Meadow"
    assert sorted(kinds) == ["free", "watch"]
    assert title_candidate(["Blue Meadow teazer"], "site.example", vocab)[1] == ["trailer"]
    assert title_candidate(["Blue Meadow"], "site.example", vocab) == (None, [])
    assert title_candidate(["Gucka Blue Meadow on Tubi"], "site.example", vocab)[1] == [
        "watch",
        "legal_frame",
    ]


def test_add_candidate_sets_the_verdict_only_when_no_watched_title_matched() -> None:
    post = Hit(
        url="https://freeflix.tumblr.com/post/5/the-lantern-keepers",
        platform="tumblr",
        title="Watch The Lantern Keepers (2026) Full Movie Online Free HD",
        html=BODY,
    )
    found = add_candidate(Assessment().finish(), post, WL)
    assert (found.candidate_title, found.verdict) == ("The Lantern Keepers", "unwatched_fake")
    watched = Assessment(fake_stream=True, matched_title="Man of Steel").finish()
    assert add_candidate(watched, post, WL).candidate_title is None


def test_a_landing_page_gives_the_candidate_when_the_post_does_not() -> None:
    landing = LandingPage(
        "https://go.example/x",
        "https://kinolis.example/9931-nochnoj-ekspress.html",
        200,
        page("Ночной экспресс (фильм 2026) смотреть онлайн бесплатно – КиноЛис"),
    )
    post = Hit(
        url="https://notes.tumblr.com/post/6",
        platform="tumblr",
        title="new link",
        html="<p><a href='https://go.example/x'>here</a></p>",
        landing_pages=[landing],
    )
    assert add_candidate(Assessment().finish(), post, WL).candidate_title == "Ночной экспресс"


def test_the_pipeline_keeps_an_unwatched_fake() -> None:
    crawler = lurewatch_crawler(Spider, None)
    crawler.stats.open_spider()
    pipe = DetectionPipeline.from_crawler(crawler)
    item = Hit(
        url="https://freeflix.tumblr.com/post/7/paper-lions",
        platform="tumblr",
        title="Watch Paper Lions (2025) Full Movie Online Free HD",
        html=BODY,
    )
    kept = asyncio.run(pipe.process_item(item))
    assert kept.verdict == "unwatched_fake"
    assert (kept.fake_stream, kept.matched_title, kept.candidate_title) == (
        False,
        None,
        "Paper Lions",
    )
    assert crawler.stats.get_value("lurewatch/detection/posts/unwatched_fake") == 1

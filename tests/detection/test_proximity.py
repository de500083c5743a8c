"""Evidence by proximity: offer words of many languages around a watched title, weighed against
counter-evidence and legal services (pipelines/proximity.py through assess_page)."""

from __future__ import annotations

import pytest

from pipelines.proximity import LexiconIndex, card_labels
from pipelines.scoring import assess_page, unglued_release_words
from pipelines.watchlists import Watchlists, load_watchlists


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def _page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body>{body}</body></html>"


# Interleaved words (brackets, a year, a site name) between the title and the offer, in the
# languages the issue lists; none of these is a contiguous template.
INTERLEAVED = {
    "ru": (
        "Scream 7 (фильм 2026) смотреть онлайн – KinoZal",
        "<h1>Scream 7 (2026)</h1><p>Смотреть бесплатно в хорошем качестве HD 720. Плеер 1</p>",
    ),
    "uk": (
        "Scream 7 (2026) – UAKino",
        "<h1>Scream 7</h1><p>Дивитися онлайн українською безкоштовно в HD якості. Плеєр 2</p>",
    ),
    "tr": (
        "Scream 7 2026 | FilmKeyfi",
        "<h1>Scream 7</h1><p>Türkçe dublaj tek parça full izle, indirmeden bedava. Sunucu 1</p>",
    ),
    "pt": (
        "Scream 7 – CineTop",
        "<h1>Scream 7 (2026)</h1><p>Assistir filme dublado grátis em HD, baixar torrent.</p>",
    ),
    "hi": (
        "Scream 7 (2026) – मूवी",
        "<h1>Scream 7</h1><p>हिंदी डब्ड फुल मूवी डाउनलोड 720p, फ्री में देखें</p>",
    ),
    "th": (
        "Scream 7 ดูหนังออนไลน์ฟรี",
        "<h1>Scream 7</h1><p>พากย์ไทยเต็มเรื่องมาสเตอร์ ดูฟรีไม่มีโฆษณา</p>",
    ),
}


@pytest.mark.parametrize("lang", sorted(INTERLEAVED))
def test_offer_words_around_the_title_make_a_fake_stream(wl: Watchlists, lang: str) -> None:
    title, body = INTERLEAVED[lang]
    got = assess_page(_page(title, body), "https://kino-free.example/scream-7", wl)
    assert got.fake_stream, got.reasons
    assert got.matched_title == "Scream 7"
    assert any(r.startswith("offer words near the title:") for r in got.reasons)


_PIRATE = (
    "<h1>Scream 7 (2026)</h1><p>Watch Scream 7 full movie online free in HD 1080p, no sign up."
    " Server 1 Server 2 Download</p><p>Genre: Horror. Runtime: 112 min. IMDb 7.1</p>"
)


def test_a_trailer_tab_lowers_but_does_not_erase_strong_offer_evidence(wl: Watchlists) -> None:
    plain = assess_page(_page("Scream 7", _PIRATE), "https://kino-free.example/s7", wl)
    html = _page("Scream 7", _PIRATE + "<button>Trailer</button><p>User reviews</p>")
    with_trailer = assess_page(html, "https://kino-free.example/s7", wl)
    assert with_trailer.fake_stream, with_trailer.reasons
    assert with_trailer.score <= plain.score
    assert any(r.startswith("context: ") and "trailer" in r for r in with_trailer.reasons)


def test_a_scam_warning_quoting_the_offer_stays_benign(wl: Watchlists) -> None:
    body = (
        "<h1>Beware of fake Scream 7 streams</h1><p>Scammers post 'watch Scream 7 full movie"
        " online free HD' links. It is a scam: phishing pages steal your credit card details."
        " Don't click them; Kaspersky warns of malware.</p>"
    )
    got = assess_page(_page("Scam warning", body), "https://news.example/scam", wl)
    assert not got.fake_stream, got.reasons


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "https://news.example/man-of-steel-free",
            "<h1>Man of Steel is now streaming free on Tubi</h1><p>Watch Man of Steel online"
            " for free, full movie in HD, with ads on Tubi.</p>",
        ),
        (
            "https://tubitv.com/movies/100-man-of-steel",
            "<h1>Man of Steel</h1><p>Watch Man of Steel free online full movie HD.</p>",
        ),
        (
            "https://www.zeit.example/kultur/man-of-steel",
            "<h1>Man of Steel</h1><p>Man of Steel kostenlos im Stream ansehen: in der ARD"
            " Mediathek, ganzer Film in HD.</p>",
        ),
    ],
)
def test_a_legal_free_service_is_not_a_fake_stream(wl: Watchlists, url: str, body: str) -> None:
    got = assess_page(_page("Man of Steel", body), url, wl)
    assert not got.fake_stream, got.reasons
    assert any("a legal service" in r for r in got.reasons), got.reasons


def test_the_same_offer_without_the_legal_service_is_a_fake_stream(wl: Watchlists) -> None:
    body = (
        "<h1>Man of Steel is now streaming free</h1><p>Watch Man of Steel online for free,"
        " full movie in HD, no sign up.</p>"
    )
    got = assess_page(_page("Man of Steel", body), "https://news.example/mos", wl)
    assert got.fake_stream, got.reasons


def test_another_numbered_work_is_not_the_watched_film(wl: Watchlists) -> None:
    body = (
        "<h1>Watch the Street Fighter 6 finals live, free</h1><p>Street Fighter 6 finals stream"
        " free, no sign-up needed to watch. Street Fighter 6 top 8 on Sunday.</p>"
        "<p>Tags: street fighter</p>"
    )
    got = assess_page(_page("Street Fighter 6 finals", body), "https://blog.example/sf6", wl)
    assert not got.fake_stream, got.reasons


def test_offer_words_far_from_any_title_do_not_count(wl: Watchlists) -> None:
    filler = " ".join(["lorem"] * 60)
    body = f"<p>Scream 7 opens in October.</p><p>{filler}</p><p>Watch online free full HD</p>"
    got = assess_page(_page("Cinema diary", body), "https://blog.example/diary", wl)
    assert not any(r.startswith("offer words near the title:") for r in got.reasons)
    assert not got.fake_stream


# A pirate catalogue shows the film as a card of "Label: value" entries, some of which describe
# the copy (quality, translation, added episodes) rather than the film; often no offer phrase.
_CARD = (
    "<h1>Сериал Scream 7</h1><div>Описание</div><div>Актеры: Нева Кэмпбелл, Кортни Кокс</div>"
    "<div>Режиссер: Кевин Уильямсон</div><div>Жанр: ужасы</div><div>Страна: США</div>"
    "<div>Вышел: 2026</div><div>Добавлено: 1-6 серия из 8 (12.03.2026)</div>"
    "<p>Убийца в маске снова звонит жителям тихого городка.</p>"
)


def test_a_catalogue_card_with_labels_of_the_copy_is_a_fake_stream(wl: Watchlists) -> None:
    got = assess_page(_page("Scream 7", _CARD), "https://serial-zal.example/scream-7", wl)
    assert got.fake_stream, got.reasons
    assert any(r.startswith("catalogue card with labels of the copy") for r in got.reasons)


def test_card_labels_count_label_entries_not_words_in_prose(wl: Watchlists) -> None:
    index = LexiconIndex(wl.lexicons)
    labels, copy = card_labels("Genre: horror. Director: K. W. Quality: 1080p", index)
    assert labels == {"genre", "director", "quality"}
    assert copy
    labels, copy = card_labels("The genre needs a director who cares about quality.", index)
    assert labels == set()
    assert not copy


def test_a_card_of_the_film_alone_is_not_a_fake_stream(wl: Watchlists) -> None:
    body = (
        "<h1>Scream 7</h1><p>Genre: horror. Director: Kevin Williamson. Cast: Neve Campbell."
        " Runtime: 114 minutes. Country: USA.</p><p>Ghostface is back in Woodsboro.</p>"
    )
    got = assess_page(_page("Scream 7 – film facts", body), "https://filmfacts.example/s7", wl)
    assert any(r.startswith("catalogue card of the film") for r in got.reasons), got.reasons
    assert not got.fake_stream, got.reasons


def test_a_catalogue_card_in_table_cells_counts_like_label_entries(wl: Watchlists) -> None:
    rows = "".join(
        f"<tr><th>{k}</th><td>{v}</td></tr>"
        for k, v in [
            ("Tür", "Korku"),
            ("Yönetmen", "K. W."),
            ("Oyuncular", "N. C."),
            ("Süre", "114 dk"),
            ("Kalite", "1080p"),
        ]
    )
    body = f"<h1>Scream 7</h1><table>{rows}</table><p>Maskeli katil geri döndü.</p>"
    got = assess_page(_page("Scream 7 | DiziEvi", body), "https://dizievi.example/s7", wl)
    assert any(r.startswith("catalogue card with labels of the copy") for r in got.reasons)
    assert got.fake_stream, got.reasons


def test_section_headings_are_no_headline_frame(wl: Watchlists) -> None:
    body = (
        "<h1>Scream 7 (2026)</h1><p>Genre: Horror · Runtime: 1h 54m · Cast: Neve Campbell ·"
        " Quality: HD</p><p>Server 1 · Server 2</p><h2>User reviews</h2><p>great copy</p>"
    )
    got = assess_page(_page("Scream 7 (2026) - FlixBay", body), "https://flixbay.example/s7", wl)
    assert not any(r.startswith("headline context") for r in got.reasons), got.reasons
    assert got.fake_stream, got.reasons


def test_a_review_headline_still_weighs_against_the_page(wl: Watchlists) -> None:
    body = "<h1>Scream 7 review</h1><p>Genre: Horror. Runtime: 114 minutes.</p>"
    got = assess_page(_page("Scream 7 review", body), "https://paper.example/s7", wl)
    assert any(r.startswith("headline context") for r in got.reasons), got.reasons
    assert not got.fake_stream


def test_a_pirate_brand_heading_the_page_with_the_title_is_evidence(wl: Watchlists) -> None:
    body = "<div>Filmix » Фільми » Scream 7</div><h1>Scream 7</h1><p>Маніяк повертається.</p>"
    got = assess_page(_page("Filmix » Фільми » Scream 7", body), "https://fx.example/s7", wl)
    assert any(r.startswith("a pirate site's name and the title") for r in got.reasons)
    assert got.fake_stream, got.reasons


def test_piracy_news_naming_a_brand_and_the_film_in_its_headline_stays_benign(
    wl: Watchlists,
) -> None:
    head = "123movies clone taken down before Scream 7 opens"
    body = (
        f"<h1>{head}</h1><p>The pirate site was blocked after a takedown request from copyright"
        " holders. Security researchers warn of malware. Scream 7 opens in theaters Friday.</p>"
    )
    got = assess_page(_page(head, body), "https://technews.example/s7", wl)
    assert not got.fake_stream, got.reasons


def test_a_glued_release_name_of_a_watched_title_is_read_as_words(wl: Watchlists) -> None:
    got = unglued_release_words("grab scream720262160pwebdlx265 or other20261080p now", wl)
    assert got[:2] == ["scream", "7"]
    assert {"2026", "2160p", "webdl", "x265"} <= set(got)
    assert unglued_release_words("sometitle20261080pwebdl and 1080p alone", wl) == []


def test_a_page_naming_the_film_only_in_a_glued_release_name_is_judged(wl: Watchlists) -> None:
    body = "<h1>scream720261080pwebripx264</h1><p>Download from the mirror, full HD.</p>"
    got = assess_page(_page("scream720261080pwebripx264", body), "http://198.51.100.7/s7", wl)
    assert got.matched_title == "Scream 7", got.reasons
    assert got.fake_stream, got.reasons


@pytest.mark.parametrize("brand", ["Tamilyogi", "Hdhub4u", "Isaimini", "Intitle Index Of Mkv"])
def test_download_site_brands_used_as_keywords_are_offer_words(wl: Watchlists, brand: str) -> None:
    head = f"{brand} Scream 7 2026"
    page = _page(head, f"<h1>{head}</h1><p>Ghostface returns.</p>")
    got = assess_page(page, "http://x.example/", wl)
    assert any("(site)" in r for r in got.reasons), got.reasons
    assert got.fake_stream, got.reasons


def test_a_release_group_named_psa_is_no_public_service_announcement(wl: Watchlists) -> None:
    head = "Scream.7.2026.1080p.10bit.BluRay.6CH.x265.HEVC-PSA"
    body = f"<h1>{head}</h1><p>A 10-bit HEVC encode: Blu-ray quality at a third of the size.</p>"
    got = assess_page(_page(head, body), "http://203.0.113.9/scream-7-2026-1080p-psa", wl)
    assert not any("psa" in r and ("context" in r) for r in got.reasons), got.reasons
    assert got.fake_stream, got.reasons


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (
            "Scream 7 full movie leaked online by Tamilrockers",
            "<p>The slasher has been leaked within hours of its theatrical release. The notorious"
            " piracy website put an HD print up for pirated downloads; the makers urge fans to"
            " watch it in cinemas.</p>",
        ),
        (
            "Scream 7 full movie leaked online by Tamilrockers",
            "<p>फिल्म Scream 7 को तमिलरॉकर्स ने रिलीज के कुछ घंटे बाद ऑनलाइन लीक कर दिया है।"
            " फिल्म सिनेमाघरों में लगी है और मेकर्स पायरेसी से परेशान हैं।</p>",
        ),
    ],
)
def test_news_of_a_leak_stays_benign(wl: Watchlists, head: str, body: str) -> None:
    got = assess_page(_page(head, f"<h1>{head}</h1>{body}"), "https://news.example/s7-leak", wl)
    assert not got.fake_stream, got.reasons


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (
            "Free classics",
            "<p>The archive streams films in the public domain, legally and free: The Odyssey,"
            " the silent version, can be watched online in HD.</p>",
        ),
        (
            "Una piattaforma streaming per vedere classici gratuitamente e senza pubblicità",
            "<p>Un archivio di film di pubblico dominio.</p><p>Ci sono Metropolis, The Odyssey"
            " nella versione muta, e i film di Chaplin.</p>",
        ),
    ],
)
def test_a_public_domain_classic_offered_free_stays_benign(
    wl: Watchlists, head: str, body: str
) -> None:
    got = assess_page(_page(head, f"<h1>{head}</h1>{body}"), "https://classics.example/", wl)
    assert not got.fake_stream, got.reasons


def test_a_season_pack_release_name_is_a_fake_stream_phrasing(wl: Watchlists) -> None:
    head = "Moana Season 2 WEBRip"
    body = f"<h1>{head}</h1><p>A WEBRip is ripped from a web source; play it in VLC.</p>"
    got = assess_page(_page(head, body), "http://198.51.100.20/moana-season-2-webrip", wl)
    assert any(r.startswith("template ") for r in got.reasons), got.reasons
    assert got.fake_stream, got.reasons


def test_a_glued_name_with_a_season_or_a_sign_before_the_release_is_read(wl: Watchlists) -> None:
    assert unglued_release_words("moanas01complete720pwebrip", wl)[:3] == [
        "moana",
        "s01",
        "complete",
    ]
    got = unglued_release_words("site-app-toystory5-720p-mkv", wl)
    assert got[:4] == ["toy", "story", "5", "720p"]
    assert unglued_release_words("moana-1080p", wl) == []  # the tokeniser reads it already


def test_a_pirate_brand_glued_to_the_title_in_the_heading_is_evidence(wl: Watchlists) -> None:
    head = "World4ufree-app-toystory5-720p-mkv"
    body = f"<h1>{head}</h1><p>The file extension can hold several subtitle tracks.</p>"
    got = assess_page(_page(head, body), "http://198.51.100.30/world4ufree-toystory5", wl)
    assert got.matched_title == "Toy Story 5", got.reasons
    assert got.fake_stream, got.reasons


DOORWAY_HEAD = "Toy Story 5 2026 Tamil Dubbed Download"
DOORWAY_BODY = (
    f"<h1>{DOORWAY_HEAD}</h1><p>Toy Story 5 2026 tamil dubbed download links spread on forums."
    " Beware: such sites carry malware and phishing pop-ups, so scan every file.</p>"
)


def test_a_doorway_on_a_bare_ip_address_wrapping_the_offer_in_safety_advice_is_found(
    wl: Watchlists,
) -> None:
    url = "http://203.0.113.44/toy-story-5-2026-tamil-dubbed-download"
    got = assess_page(_page(DOORWAY_HEAD, DOORWAY_BODY), url, wl)
    assert any(r.startswith("served from a bare IP address") for r in got.reasons), got.reasons
    assert got.fake_stream, got.reasons


def test_the_same_warning_on_a_named_site_is_judged_without_the_doorway_rule(
    wl: Watchlists,
) -> None:
    url = "https://securityblog.example/toy-story-5-2026-tamil-dubbed-download"
    got = assess_page(_page(DOORWAY_HEAD, DOORWAY_BODY), url, wl)
    assert not any(r.startswith("served from a bare IP") for r in got.reasons), got.reasons
    assert not got.fake_stream, got.reasons


def test_a_bare_ip_page_that_does_not_head_with_the_title_gets_no_doorway_bonus(
    wl: Watchlists,
) -> None:
    body = "<h1>Server status</h1><p>Nightly backup finished; Toy Story 5 poster cached.</p>"
    got = assess_page(_page("Server status", body), "http://[2001:db8::7]/status", wl)
    assert not any(r.startswith("served from a bare IP") for r in got.reasons), got.reasons
    assert not got.fake_stream, got.reasons


def test_a_dubbed_download_phrasing_is_a_template_and_dubbing_news_is_not(wl: Watchlists) -> None:
    head = "Moana 2026 Tamil Dubbed Download"
    page = _page(head, f"<h1>{head}</h1><p>Tamil dubbed download, 720p and 480p links.</p>")
    got = assess_page(page, "https://dubbedhub.example/moana", wl)
    assert any(r.startswith("template ") and "dubbed" in r for r in got.reasons), got.reasons
    news = "Moana Hindi dubbed version tops the box office in its opening weekend"
    got = assess_page(_page(news, f"<h1>{news}</h1>"), "https://news.example/moana", wl)
    assert not any(r.startswith("template ") for r in got.reasons), got.reasons
    assert not got.fake_stream, got.reasons


@pytest.mark.parametrize(
    ("head", "body"),
    [
        (
            "Nonton film Moana gratis di lapangan desa",
            "<p>Pemutaran film Moana digelar dengan layar tancap; warga nonton bareng sampai"
            " malam.</p>",
        ),
        (
            "Moana: free screening in the park on Friday",
            "<p>Watch Moana free at the open-air screening; bring a blanket, the film starts at"
            " dusk.</p>",
        ),
    ],
)
def test_a_free_screening_is_an_event_not_a_copy(wl: Watchlists, head: str, body: str) -> None:
    got = assess_page(_page(head, f"<h1>{head}</h1>{body}"), "https://town.example/moana", wl)
    assert not got.fake_stream, got.reasons


def test_a_season_number_after_the_title_is_no_other_work(wl: Watchlists) -> None:
    head = "Moana 1 сезон сериал смотреть онлайн"
    body = (
        f"<h1>{head}</h1><p>1-10 серия. Moana 1 сезон смотреть онлайн в хорошем качестве HD.</p>"
    )
    got = assess_page(_page(head, body), "https://serial.example/moana", wl)
    assert any(r.startswith("offer words near the title") for r in got.reasons), got.reasons
    assert got.fake_stream, got.reasons

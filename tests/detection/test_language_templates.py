"""Templates for languages that had lexicons only (uk, pl, nl, ar, hi), and for a word and a
year between the title and the offer ("Title (фильм 2025) смотреть онлайн", "Title 2015 bangla
movie hd 720p", "Title (2025) tek parça izle", the issue's examples):
a pirate headline is a fake stream; the same title in a review, a trailer note or a legal
service's announcement is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.scoring import assess_page
from pipelines.watchlists import Watchlists, load_watchlists


@pytest.fixture(scope="module")
def wl(tmp_path_factory: pytest.TempPathFactory) -> Watchlists:
    titles: Path = tmp_path_factory.mktemp("titles") / "titles.yaml"
    names = [
        "Тиха гавань",
        "Тихая гавань",
        "Cicha Przystań",
        "Stille Haven",
        "الميناء الهادئ",
        "शांत बंदरगाह",
        "Harbour Lights",
    ]
    titles.write_text("".join(f'- title: "{n}"\n' for n in names), encoding="utf-8")
    return load_watchlists(titles=titles)


def _page(head: str, body: str) -> str:
    return f"<html><head><title>{head}</title></head><body><h1>{head}</h1>{body}</body></html>"


FAKE = {
    "bn": ("Harbour Lights 2025 bangla movie hd 720p", "<p>Story of a fisherman.</p>"),
    "it": ("Harbour Lights 2025 film streaming ita", "<p>Trama: un pescatore.</p>"),
    "tr": ("Harbour Lights (2025) tek parça izle", "<p>Konu: bir balıkçı.</p>"),
    "ru": ("Тихая гавань (фильм 2025) смотреть онлайн - КиноЗал", "<p>История о рыбаке.</p>"),
    "uk-film": (
        "Тиха гавань (фільм 2025) дивитися онлайн - UAKino",
        "<p>Історія про рибалку.</p>",
    ),
    "uk": ("Тиха гавань (2025) дивитися онлайн українською", "<p>Жанр: драма.</p>"),
    "pl": ("Cicha Przystań cały film online lektor", "<p>Obejrzyj bez rejestracji.</p>"),
    "nl": ("Stille Haven online kijken", "<p>Speler 1 laadt de film.</p>"),
    "ar": ("مسلسل الميناء الهادئ الحلقة 7 مترجمة", "<p>قصة الحلقة السابعة من المسلسل.</p>"),
    "ar-film": ("مشاهدة فيلم الميناء الهادئ مترجم", "<p>قصة الفيلم: رحلة عبر البحر.</p>"),
    "hi": ("शांत बंदरगाह फुल मूवी डाउनलोड", "<p>कहानी एक मछुआरे की है.</p>"),
}

BENIGN = {
    "ru-guide": (
        "Тихая гавань (2025): где смотреть онлайн",
        "<p>Фильм доступен на Кинопоиске и в Okko по подписке.</p>",
    ),
    "pl-review": ("Cicha Przystań: cały film na barkach aktorki", "<p>Nasza recenzja filmu.</p>"),
    "uk-cinema": (
        "Тиха гавань українською: дивитися в кінотеатрах з 5 червня",
        "<p>Прем'єра в кіно.</p>",
    ),
    "bn": (
        "Harbour Lights (2025) review: a Bengali film about the sea",
        "<p>Our critic on the Bengali film, now in cinemas.</p>",
    ),
    "tr": ("Harbour Lights (2025) fragman ve konusu", "<p>Film sinemalarda.</p>"),
    "ru": (
        "«Тихая гавань» (2025): рецензия — где смотреть онлайн легально",
        "<p>Фильм вышел в кинотеатрах; смотреть онлайн можно по подписке.</p>",
    ),
    "uk": (
        "«Тиха гавань»: дивіться онлайн трейлер фільму",
        "<p>Стрічку можна переглянути на Netflix.</p>",
    ),
    "pl": (
        "Cicha Przystań – recenzja filmu",
        "<p>Nasza recenzja: film wchodzi do kin w piątek.</p>",
    ),
    "ar": (
        "مسلسل الميناء الهادئ: مراجعة الحلقة الأخيرة",
        "<p>مراجعة نقدية للمسلسل الذي يعرض على منصة شاهد.</p>",
    ),
    "hi": ("शांत बंदरगाह रिव्यू", "<p>फिल्म सिनेमाघरों में रिलीज हो चुकी है, बॉक्स ऑफिस पर कमाई अच्छी.</p>"),
}


@pytest.mark.parametrize("lang", sorted(FAKE))
def test_a_pirate_headline_in_the_language_is_a_fake_stream(wl: Watchlists, lang: str) -> None:
    head, body = FAKE[lang]
    got = assess_page(_page(head, body), "https://films.example/a", wl)
    assert got.fake_stream, got.reasons
    assert any(r.startswith("template") for r in got.reasons), got.reasons


@pytest.mark.parametrize("lang", sorted(BENIGN))
def test_the_title_in_a_review_or_trailer_note_stays_benign(wl: Watchlists, lang: str) -> None:
    head, body = BENIGN[lang]
    got = assess_page(_page(head, body), "https://news.example/a", wl)
    assert not got.fake_stream, got.reasons

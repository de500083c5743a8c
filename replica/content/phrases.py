"""Words of the replica's world: how fake-stream, giveaway, review and trailer posts read per
language.

Pure data, so the dataset stays deterministic for a seed.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LANGUAGES", "Phrases"]


@dataclass(frozen=True)
class Phrases:
    """How a fake-stream post reads in one language ({t} = title as shown, {y} = year)."""

    code: str
    headlines: tuple[str, ...]
    intros: tuple[str, ...]
    cta: str  # the big button text
    lure_giveaway: str  # a lure post that is not a fake stream: "log in to win tickets"
    review: str  # an honest review opener
    trailer: str  # honest trailer post


LANGUAGES: dict[str, Phrases] = {
    "en": Phrases(
        "en",
        (
            "Watch {t} ({y}) Full Movie Online Free HD",
            "{t} {y} FULL MOVIE Streaming [HD 1080p]",
            "[WATCH] {t} Online Free ({y}) Full Movie 123Movies",
            "{t} ({y}) full movie download free",
        ),
        (
            "Watch {t} full movie online free in HD quality. No sign up, no ads, stream now on "
            "any device.",
            "Stream {t} ({y}) online free. 1080p, 4K, with "
            "subtitles. Click the player below to start watching.",
            "Here you can watch {t} for free. The film is "
            "available in full length, fast servers, no buffering.",
        ),
        "&#9654; WATCH NOW",
        "Win 2 tickets for {t}! Log in with Facebook to enter the giveaway.",
        "Just came back from {t}. Honest thoughts, no spoilers.",
        "The official {t} trailer is out.",
    ),
    "fr": Phrases(
        "fr",
        (
            "Regarder {t} ({y}) Film Complet en Streaming VF Gratuit",
            "{t} ({y}) Streaming VF HD Gratuit",
            "[VOIR] {t} film complet {y} en français",
        ),
        (
            "Regarder {t} en streaming VF gratuit et en HD. Film complet, sans inscription, sans "
            "publicité.",
            "Voir {t} ({y}) film complet en français. Lecteur rapide, qualité HD 1080p.",
        ),
        "&#9654; REGARDER MAINTENANT",
        "Gagnez des places pour {t} ! Connectez-vous avec Facebook pour participer.",
        "Je sors de la séance de {t}. Mon avis, sans spoiler.",
        "La bande-annonce officielle de {t} est là.",
    ),
    "es": Phrases(
        "es",
        (
            "Ver {t} ({y}) Película Completa Online Gratis en Español Latino",
            "{t} ({y}) Película Completa HD Latino",
            "VER {t} {y} pelicula completa online gratis",
        ),
        (
            "Ver {t} online gratis en español latino. Película completa en HD, sin registrarse.",
            "Aquí puedes ver la película completa {t} ({y}) en castellano y latino, calidad "
            "1080p.",
        ),
        "&#9654; VER AHORA",
        "¡Gana entradas para {t}! Inicia sesión con Google para participar.",
        "Acabo de ver {t} en el cine. Mi reseña, sin spoilers.",
        "Ya está aquí el tráiler oficial de {t}.",
    ),
    "de": Phrases(
        "de",
        (
            "{t} ({y}) Ganzer Film Deutsch Stream Kostenlos",
            "{t} {y} Stream Deutsch HD - Ganzer Film",
            "{t} ganzer Film auf Deutsch online anschauen",
        ),
        (
            "{t} ganzer Film auf Deutsch kostenlos im Stream ansehen. HD, ohne Anmeldung.",
            "Hier {t} ({y}) komplett auf Deutsch streamen. Schnelle Server, 1080p.",
        ),
        "&#9654; JETZT ANSEHEN",
        "Gewinne Kinokarten für {t}! Melde dich mit Apple an, um teilzunehmen.",
        "Gerade aus {t} gekommen. Meine Kritik, ohne Spoiler.",
        "Der offizielle Trailer zu {t} ist da.",
    ),
    "pt": Phrases(
        "pt",
        (
            "Assistir {t} ({y}) Filme Completo Dublado Online Grátis",
            "{t} ({y}) Filme Completo Dublado HD",
            "Assistir {t} {y} online dublado e legendado",
        ),
        (
            "Assistir {t} filme completo dublado online grátis em HD. Sem cadastro, sem anúncios.",
            "Veja {t} ({y}) completo e dublado. Player rápido, qualidade 1080p.",
        ),
        "&#9654; ASSISTIR AGORA",
        "Ganhe ingressos para {t}! Entre com o Facebook para participar.",
        "Acabei de ver {t} no cinema. Minha crítica, sem spoilers.",
        "Saiu o trailer oficial de {t}.",
    ),
    "id": Phrases(
        "id",
        (
            "Nonton {t} ({y}) Full Movie Sub Indo Gratis",
            "Nonton Film {t} {y} Sub Indo HD LK21",
            "Download {t} ({y}) Sub Indo Full Movie",
        ),
        (
            "Nonton {t} full movie sub indo gratis kualitas HD. Tanpa daftar, langsung putar.",
            "Streaming film {t} ({y}) subtitle Indonesia, server cepat, kualitas 1080p.",
        ),
        "&#9654; NONTON SEKARANG",
        "Menangkan tiket {t}! Masuk dengan Google untuk ikut undian.",
        "Baru selesai nonton {t} di bioskop. Ulasan tanpa spoiler.",
        "Trailer resmi {t} sudah rilis.",
    ),
    "it": Phrases(
        "it",
        (
            "Guarda {t} ({y}) Film Completo in Streaming ITA Gratis",
            "{t} ({y}) Streaming ITA Film Completo HD",
            "{t} {y} film completo in italiano",
        ),
        (
            "Guarda {t} in streaming ITA gratis e in HD. Film completo, senza registrazione.",
            "Vedi {t} ({y}) film completo in italiano, player veloce, qualità 1080p.",
        ),
        "&#9654; GUARDA ORA",
        "Vinci i biglietti per {t}! Accedi con Facebook per partecipare.",
        "Appena uscito dalla sala di {t}. La mia recensione senza spoiler.",
        "È uscito il trailer ufficiale di {t}.",
    ),
    "tr": Phrases(
        "tr",
        ("{t} ({y}) Full HD Türkçe Dublaj İzle", "{t} {y} Türkçe Altyazılı Full İzle"),
        ("{t} filmini Türkçe dublaj full HD izle. Üyeliksiz, reklamsız.",),
        "&#9654; HEMEN İZLE",
        "{t} bileti kazan! Katılmak için Google ile giriş yap.",
        "{t} filmini sinemada izledim. Spoilersız yorumum.",
        "{t} resmi fragmanı yayınlandı.",
    ),
    "vi": Phrases(
        "vi",
        ("Xem Phim {t} ({y}) Full HD Vietsub", "{t} {y} Thuyết Minh Full HD"),
        ("Xem phim {t} full HD vietsub miễn phí, không quảng cáo.",),
        "&#9654; XEM NGAY",
        "Nhận vé xem {t}! Đăng nhập bằng Facebook để tham gia.",
        "Vừa xem xong {t} ở rạp. Cảm nhận không spoil.",
        "Trailer chính thức của {t} đã ra mắt.",
    ),
    "ru": Phrases(
        "ru",
        (
            "Смотреть {t} ({y}) онлайн бесплатно в хорошем качестве",
            "{t} {y} смотреть онлайн HD 1080",
        ),
        ("Смотреть фильм {t} онлайн бесплатно в хорошем качестве HD 1080, без регистрации.",),
        "&#9654; СМОТРЕТЬ",
        "Выиграй билеты на {t}! Войди через Google, чтобы участвовать.",
        "Только что посмотрел {t} в кино. Без спойлеров.",
        "Вышел официальный трейлер фильма {t}.",
    ),
}

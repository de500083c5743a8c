"""Normalisation: every evasion folded, numbers kept."""

from __future__ import annotations

import random
import re
import string
import unicodedata

import pytest
from confusable_homoglyphs import confusables

from pipelines import normalise as n
from pipelines.normalise import confusable_map, normalise, tokens

# Unicode itself calls l, I and 1 confusable, and casefolding turns I into i: the pair is one
# class.
_SAME = {"i": "il", "l": "il"}


def _unicode_latin_confusables() -> dict[str, set[str]]:
    """Every single character that Unicode's confusables data maps to a Latin letter (ASCII
    excluded)."""
    out: dict[str, set[str]] = {}
    for letter in string.ascii_letters:
        for entry in confusables.confusables_data.get(letter, ()):
            char = entry["c"].strip("\u200e\u200f")
            if len(char) == 1 and not char.isascii():
                out.setdefault(char, set()).add(letter.lower())
    return out


def test_every_single_character_latin_confusable_is_folded() -> None:
    pairs = _unicode_latin_confusables()
    assert len(pairs) > 1200  # the data really is Unicode's full table
    missed = []
    for char, letters in pairs.items():
        folded = tokens(f"x{char}x")
        accepted = {f"x{c}x" for letter in letters for c in _SAME.get(letter, letter)}
        accepted.add(
            f"x{unicodedata.normalize('NFKC', char).casefold()}x"
        )  # ſ is s by NFKC, f by shape
        if len(folded) != 1 or folded[0] not in accepted:
            missed.append((char, hex(ord(char)), letters, folded))
    assert not missed, missed[:20]


def test_confusable_table_covers_cyrillic_and_greek() -> None:
    table = confusable_map()
    assert table["а"] == "a" and table["о"] == "o" and table["Ѕ"] == "s"  # Cyrillic
    assert table["ο"] == "o" and table["Α"] == "a"  # Greek


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ма\u200bn оf Ѕtееl", "man of steel"),  # Cyrillic + zero-width space
        ("I\u200dron\u2060 Man\ufeff 3", "iron man 3"),  # joiners, word joiner, BOM
        ("M4n 0f St33l", "man of steel"),  # leetspeak inside words
        ("Iron Man 3 (2013)", "iron man 3 2013"),  # stand-alone numbers kept
        (
            "Man.of.Steel.2013.1080p.WEB-DL.x264",
            "man of steel 2013 1080p web dl x264",
        ),  # release name
        ("Fast_and_Furious_6", "fast and furious 6"),  # underscores
        ("&#77;an of &amp; Steel", "man of steel"),  # entities
        ("𝐌𝐚𝐧 𝐨𝐟 𝐒𝐭𝐞𝐞𝐥", "man of steel"),  # mathematical alphanumerics
        ("ＦＵＬＬ ＭＯＶＩＥ", "full movie"),  # fullwidth (NFKC)
        ("Dune : Troisième partie", "dune troisieme partie"),  # accents
        ("123movies fr33!!!", "123movies free"),  # site names keep their digits
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "word", ["Качество", "Вышел", "Год", "Смотреть", "Дивитися", "Μεγάλη", "Нет"]
)
def test_both_cases_of_a_letter_fold_alike(word: str) -> None:
    # a capitalised word (a sentence start, a title bar, "Качество:") must meet its lexicon term
    assert normalise(word) == normalise(word.lower()) == normalise(word.upper())


def test_a_capitalised_russian_label_meets_its_lexicon_term() -> None:
    from pipelines.proximity import LexiconIndex
    from pipelines.watchlists import load_watchlists

    index = LexiconIndex(load_watchlists().lexicons)
    hits = index.find(tokens("Смотреть онлайн. Качество: HD. Перевод: дубляж"))
    assert {h.term.category for h in hits} >= {"watch", "stream", "quality", "version"}


def test_non_ascii_text_keeps_ascii_case_until_spaced_letters_are_joined() -> None:
    # a "▶" sends the text through the confusables table, which must never fold an ASCII letter
    # ("ı" and "ſ" have "I" and "S" for capitals): two spaced capitals are a numeral
    assert tokens("Nonton M O R T A L / K O M B A T / I I (2026) ▶ NONTON") == [
        "nonton",
        "mortal",
        "kombat",
        "ii",
        "2026",
        "nonton",
    ]
    assert tokens("S T R E A M ▶") == tokens("S T R E A M") == ["stream"]


def test_tokens_of_a_short_text_are_a_fresh_list_each_time() -> None:
    # short texts are memoised: a caller extending its words must not change the next caller's
    first = tokens("Watch Dune 2 online")
    first.append("extra")
    assert tokens("Watch Dune 2 online") == ["watch", "dune", "2", "online"]


@pytest.mark.parametrize("size", [1, 40])
def test_a_long_text_reads_like_its_short_pieces(size: int) -> None:
    # texts past the memo's size go through the same folding as short ones
    piece = "W4tch M4n_0f_St33l h3r3 1080p ▶ Ｓｔｒｅａｍ "
    assert tokens(piece * size) == tokens(piece) * size


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("man_of_steel", ["man", "of", "steel"]),  # an underscore splits words
        ("st33l_2013", ["steel", "2013"]),  # a leet word before an underscore is still folded
        ("_m4n_", ["man"]),
        ("2026 1080p x264", ["2026", "1080p", "x264"]),  # numbers and release tokens stay
        ("no leet here", ["no", "leet", "here"]),
    ],
)
def test_underscores_and_leetspeak(raw: str, words: list[str]) -> None:
    assert tokens(raw) == words


def test_look_alikes_invisible_characters_and_symbols_fold_together() -> None:
    # Cyrillic look-alikes, a zero-width space and a soft hyphen inside words, leet symbols
    assert tokens("Wаtch\u200b Dune\u00ad Раrt Тhrее | fr€€ str€am @ HD") == [
        "watch",
        "dune",
        "part",
        "three",
        "free",
        "stream",
        "hd",
    ]


def test_leetspeak_words_are_the_words_holding_a_letter_and_a_leet_character() -> None:
    word = r"[\w@$!|€]"  # the definition, spelled with plain (backtracking) lookaheads
    plain = re.compile(rf"(?<!{word})(?={word}*[0134579@$!|€])(?={word}*[^\W\d_]){word}+")
    rng = random.Random(3)  # noqa: S311 - test texts, not secrets
    alphabet = "ab1 3@$!|€_z9é٣२ि .-4x"
    texts = ["h4ck3r p@ssw0rd 1080p x264 2024 s3x c0d3 €uro |ogin"] + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(20_000)
    ]
    for text in texts:
        assert [m.span() for m in n._LEET_CANDIDATE.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]

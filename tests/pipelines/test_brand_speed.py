"""The brand and look-alike shortcuts give the answers of the plain readings they replace."""

from __future__ import annotations

import random

import pytest

from pipelines import brands as brands_module
from pipelines import lures
from pipelines.brands import BrandIndex, load_brands, presented_brands
from pipelines.lures import LureIndex
from pipelines.normalise import normalise, tokens
from pipelines.signals import parse_page
from pipelines.watchlists import load_lures


@pytest.fixture(scope="module")
def index() -> BrandIndex:
    return BrandIndex(load_brands())


def _named_every_position(idx: BrandIndex, text: str) -> dict[str, tuple[bool, int]]:
    """The reading before the first-word shortcut: every position, every size."""
    words = tokens(text)
    found: dict[str, tuple[bool, int]] = {}
    for at in range(len(words)):
        for size in range(1, idx.longest + 1):
            key = tuple(words[at : at + size])
            for brand in idx.names.get(key, ()):
                weak, count = found.get(brand.name, (True, 0))
                found[brand.name] = (weak and key in idx.weak, count + 1)
    return found


def test_named_equals_every_position_reading(index: BrandIndex) -> None:
    rng = random.Random(8)  # noqa: S311 - test texts, not secrets
    names = [n for b in index.file.brands for n in b.names]
    filler = "sign in to your account bank of the pay online code we sent".split()
    for _ in range(400):
        parts = [rng.choice(names) if rng.random() < 0.4 else rng.choice(filler)]
        parts += [
            rng.choice(names) if rng.random() < 0.3 else rng.choice(filler) for _ in range(8)
        ]
        text = " ".join(parts[: rng.randint(1, len(parts))])
        got = index.named(text)
        assert got == _named_every_position(index, text), text
        assert list(got) == list(_named_every_position(index, text)), text


def test_named_counts_a_name_at_the_end_as_before(index: BrandIndex) -> None:
    text = "log in with netflix"
    assert index.named(text) == _named_every_position(index, text)
    assert index.named(text)["Netflix"][1] >= 1


def test_copied_cues_are_the_brands_own(index: BrandIndex) -> None:
    assert len(index.copied) == len(index.file.brands)
    for brand, assets, classes, titles in index.copied:
        assert assets == tuple(c.lower() for c in brand.assets)
        assert classes == tuple(f" {c.lower()}" for c in brand.classes)
        assert titles == {normalise(t) for t in brand.titles}
    assert index.by_name == {b.name: b for b in index.file.brands}


def test_kit_title_is_found_however_it_is_cased(index: BrandIndex) -> None:
    brand = next(b for b in index.file.brands if b.titles)
    html = f"<html><head><title>{brand.titles[0].upper()}</title></head><body></body></html>"
    cues: dict[str, dict[str, int]] = {}
    brands_module._copied_cues(parse_page(html, "https://kit.example/"), index, cues)
    assert "kit title" in cues.get(brand.name, {})
    assert presented_brands(parse_page("<title>x</title>", "https://kit.example/"), index) == []


HOSTS = [
    "faceb00k-login.com",
    "accounts.google.com.evil.example",
    "rnicrosoftonline.com",
    "goog1e-auth.com",
    "fb-verify-age.com",
    "tumbir.com",
    "example.org",
    "www.google.com",
    "login.microsoftonline.com",
    "",
    "paypa1-secure.net",
]


def test_lookalike_memo_gives_the_worked_out_answer() -> None:
    idx = LureIndex(load_lures())
    for host in HOSTS * 2:
        assert lures._lookalike(host, idx) == lures._lookalike_of(host, idx), host
    assert any(lures._lookalike(h, idx) for h in HOSTS)
    assert set(idx.lookalikes) == set(HOSTS)


def test_lookalike_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    idx = LureIndex(load_lures())
    long_host = "a" * 300 + ".example"
    assert lures._lookalike(long_host, idx) is None
    assert long_host not in idx.lookalikes
    monkeypatch.setattr(lures, "_MEMO_HOSTS", 3)
    for host in HOSTS[:5]:
        lures._lookalike(host, idx)
    assert len(idx.lookalikes) <= 3
    assert lures._lookalike(HOSTS[0], idx) == lures._lookalike_of(HOSTS[0], idx)

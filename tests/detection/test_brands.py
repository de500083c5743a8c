"""brands.yaml: the shipped list loads; a broken file is refused with file:line before a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.commands._watchlists import detection_watchlists, load_each
from pipelines.brands import load_brands
from pipelines.exceptions import WatchlistError
from pipelines.watchlists import check_watchlists, load_watchlists
from tests._settings import lurewatch_settings

GOOD = """\
brands:
  - name: Examplepay
    category: payment
    domains: [examplepay.com]
    names: [Examplepay]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brands.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_brands_cover_the_issue_categories() -> None:
    brands = load_brands().brands
    categories = {b.category for b in brands}
    assert len(brands) >= 50
    assert {"social", "mail", "payment", "streaming", "gaming", "messaging", "developer"} <= (
        categories
    )
    paypal = next(b for b in brands if b.name == "PayPal")
    assert "paypal.com" in paypal.domains


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    brand = load_brands(_write(tmp_path, GOOD)).brands[0]
    assert (brand.name, brand.domains, brand.assets) == ("Examplepay", ("examplepay.com",), ())


@pytest.mark.parametrize(
    ("change", "line", "field"),
    [
        (("category: payment", "category: banking"), 3, "category"),
        (("domains: [examplepay.com]", "domains: [not a domain]"), 4, "domains"),
        (("names: [Examplepay]", "names: []"), 5, "names"),
        (("names: [Examplepay]", "names: [Examplepay]\n    colour: red"), 6, "colour"),
    ],
)
def test_a_broken_file_names_file_line_and_field(
    tmp_path: Path, change: tuple[str, str], line: int, field: str
) -> None:
    path = _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(WatchlistError) as caught:
        load_brands(path)
    assert str(caught.value).startswith(f"{path}:{line}: {field}: ")


def test_a_brand_listed_twice_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + GOOD.split("\n", 1)[1])
    with pytest.raises(WatchlistError, match="listed twice"):
        load_brands(path)


def test_a_broken_brands_file_stops_loading_and_is_reported_by_check(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("category: payment", "category: shop"))
    with pytest.raises(WatchlistError, match=f"^{path}:3: category"):
        load_watchlists(brands=path)
    errors = check_watchlists({"brands": path})
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:3: category")


def test_lurewatch_brands_names_the_file_every_command_judges_with(tmp_path: Path) -> None:
    good = _write(tmp_path, GOOD)
    wl = detection_watchlists(lurewatch_settings({"LUREWATCH_BRANDS": str(good)}))
    assert [b.name for b in wl.brands.brands] == ["Examplepay"]
    broken = tmp_path / "broken.yaml"
    broken.write_text(GOOD.replace("category: payment", "category: shop"), encoding="utf-8")
    _, problems = load_each(lurewatch_settings({"LUREWATCH_BRANDS": str(broken)}))
    assert [p.split(": ")[0] for p in problems] == [f"{broken}:3"]
    with pytest.raises(WatchlistError, match=f"^{broken}:3: category"):
        detection_watchlists(lurewatch_settings({"LUREWATCH_BRANDS": str(broken)}))

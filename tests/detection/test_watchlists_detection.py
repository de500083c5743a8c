"""templates.yaml, lures.yaml, thresholds.yaml: loaded, and every error names file, line and
field."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.exceptions import WatchlistError
from pipelines.watchlists import (
    check_watchlists,
    load_lures,
    load_templates,
    load_thresholds,
    load_watchlists,
)


def test_shipped_files_are_valid() -> None:
    wl = load_watchlists()
    assert check_watchlists() == []
    langs = {t.lang for t in wl.templates.templates}
    assert {"en", "fr", "es", "de", "pt", "id", "it"} <= langs
    assert {p.key for p in wl.lures.providers} >= {
        "google",
        "facebook",
        "apple",
        "microsoft",
        "x",
        "tumblr",
        "wordpress",
    }
    assert wl.thresholds.fake_stream == 50


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "field"),
    [
        (
            "templates:\n  - {pattern: 'watch {title}', lang: en, weight: 50, colour: red}\n",
            2,
            "colour",
        ),
        ("templates:\n  - {pattern: 'watch now', lang: en, weight: 50}\n", 2, "pattern"),
        ("templates:\n  - {pattern: 'watch {title} {film}', lang: en, weight: 5}\n", 2, "pattern"),
        (
            "templates:\n  - pattern: 'watch {title}'\n    lang: en\n    weight: high\n",
            4,
            "weight",
        ),
        ("templates: []\n", 1, "templates"),
    ],
)
def test_template_errors(tmp_path: Path, text: str, line: int, field: str) -> None:
    with pytest.raises(WatchlistError) as err:
        load_templates(_write(tmp_path, "templates.yaml", text))
    assert (err.value.line, err.value.field) == (line, field)
    assert str(err.value).startswith(f"{tmp_path / 'templates.yaml'}:{line}: {field}:")


def test_lure_regex_error(tmp_path: Path) -> None:
    text = (
        "providers:\n  google: {names: [google], domains: [google.com]}\n"
        "collection_endpoints:\n  - 'ok'\n  - '(unclosed'\n"
    )
    with pytest.raises(WatchlistError) as err:
        load_lures(_write(tmp_path, "lures.yaml", text))
    assert (err.value.line, err.value.field) == (5, "collection_endpoints")
    assert "invalid regular expression" in str(err.value)


def test_threshold_range_and_unknown_weight(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "watchlists" / "thresholds.yaml"
    text = shipped.read_text(encoding="utf-8").replace("sso_lure: 50 ", "sso_lure: 500 ")
    with pytest.raises(WatchlistError) as err:
        load_thresholds(_write(tmp_path, "t.yaml", text))
    assert err.value.field == "sso_lure" and err.value.line == 5
    text = shipped.read_text(encoding="utf-8").replace("  cta: 15", "  ctaa: 15")
    with pytest.raises(WatchlistError) as err:
        load_thresholds(_write(tmp_path, "t2.yaml", text))
    assert err.value.field == "ctaa"


def test_check_watchlists_reports_each_broken_file(tmp_path: Path) -> None:
    broken = _write(
        tmp_path, "templates.yaml", "templates:\n  - {pattern: x, lang: en, weight: 1}\n"
    )
    bad_yaml = _write(tmp_path, "lures.yaml", "providers: [\n")
    errors = check_watchlists({"templates": broken, "lures": bad_yaml})
    assert len(errors) == 2
    assert errors[0].startswith(f"{broken}:2: pattern:")
    assert errors[1].startswith(f"{bad_yaml}:") and "invalid YAML" in errors[1]

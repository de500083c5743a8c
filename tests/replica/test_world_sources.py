"""The replica is independent reference data: its own imports, its own reading of watchlists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from replica.content import build_dataset, watchlist
from replica.errors import WorldError

REPLICA = Path(__file__).resolve().parents[2] / "replica"


def _imported_packages(source: Path) -> set[str]:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", sorted(REPLICA.rglob("*.py")), ids=lambda p: p.name)
def test_no_replica_module_imports_the_code_it_checks(module: Path) -> None:
    assert not _imported_packages(module) & {"crawler", "pipelines"}


def test_the_world_never_reads_the_crawlers_search_phrasings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spam posts carry the replica's own phrase lists: a broken ``searches.yaml`` (or none)
    changes nothing in the world."""
    shipped = build_dataset()
    folder = _shipped_with(tmp_path, "searches.yaml", "- not: [the crawler's\n")
    (folder / "searches.yaml").unlink()
    monkeypatch.setattr(watchlist, "files", lambda package: folder)
    world = build_dataset()
    assert [(p.url, p.title, p.body_html, p.tags) for p in world.posts] == [
        (p.url, p.title, p.body_html, p.tags) for p in shipped.posts
    ]
    sources = [path.read_text(encoding="utf-8") for path in REPLICA.rglob("*.py")]
    assert not [text for text in sources if 'searches.yaml")' in text or "load_searches" in text]


def _shipped_with(tmp_path: Path, name: str, text: str) -> Path:
    for shipped in ("titles.yaml", "searches.yaml"):
        source = watchlist.files("watchlists") / shipped
        (tmp_path / shipped).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("titles.yaml", "- title: [unclosed\n", r"^watchlists/titles\.yaml: cannot be read"),
        ("titles.yaml", "[]\n", "must be a non-empty list"),
        ("titles.yaml", "- year: 2026\n", "entry 1 has no title"),
        ("titles.yaml", "- title: Dune\n  aliases: [1, 2]\n", "aliases of 'Dune' must be strings"),
    ],
)
def test_a_broken_watchlist_file_is_a_one_line_world_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, says: str
) -> None:
    folder = _shipped_with(tmp_path, name, text)
    monkeypatch.setattr(watchlist, "files", lambda package: folder)
    with pytest.raises(WorldError, match=says) as raised:
        build_dataset()
    assert "\n" not in str(raised.value)


def test_a_missing_watchlist_file_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watchlist, "files", lambda package: tmp_path)
    with pytest.raises(WorldError, match=r"^watchlists/\w+\.yaml: cannot be read: .*No such file"):
        build_dataset()


def test_a_scale_below_one_is_a_world_error() -> None:
    with pytest.raises(WorldError, match="scale must be >= 1, not 0"):
        build_dataset(scale=0)

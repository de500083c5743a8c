"""The committed corpus is exactly what the generator writes from the default seed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "lurewatch_corpus_builder", CORPUS / "build_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_rebuild_reproduces_the_committed_manifest_and_pages(tmp_path: Path) -> None:
    builder = _load_builder()
    builder.write_corpus(tmp_path, builder.DEFAULT_SEED)
    assert (tmp_path / "manifest.jsonl").read_bytes() == (CORPUS / "manifest.jsonl").read_bytes()
    built = sorted(p.relative_to(tmp_path) for p in (tmp_path / "pages").glob("*/*.html"))
    committed = sorted(p.relative_to(CORPUS) for p in (CORPUS / "pages").glob("*/*.html"))
    assert built == committed
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel


def test_another_seed_gives_other_pages_with_the_same_recipe(tmp_path: Path) -> None:
    builder = _load_builder()
    rows = builder.write_corpus(tmp_path, 11)
    committed = (CORPUS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(committed)
    assert (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines() != committed

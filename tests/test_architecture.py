"""The package dependencies point one way: ``crawler`` -> ``pipelines`` -> nothing of the project.

* no module of ``pipelines/`` imports ``crawler`` (the detection core never needs the glue);
* no module of ``replica/`` imports ``crawler`` or ``pipelines`` (the reference world must not
  share the code it checks);
* importing the detection core leaves ``scrapy`` and ``twisted`` out of ``sys.modules``, and so
  does importing the platform parsers (``crawler.parsers``) and the link extraction they use;
* only ``bench/learned_weights.py`` imports scikit-learn (an optional extra, ``learn``).

Imports are read with :mod:`ast` (every ``import`` and ``from ... import``, relative or inside a
function, and ``importlib.import_module("...")`` with a literal name): nothing is imported to check
them. Run as a script to print the violations (exit status 1 if any)::

    python3 tests/test_architecture.py
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Package -> the project packages it must never import.
FORBIDDEN = {
    "pipelines": ("crawler",),
    "replica": ("crawler", "pipelines"),
}

#: The detection core: plain functions over strings and watchlists, usable without Scrapy.
CORE = (
    "pipelines.exceptions",
    "pipelines.items",
    "pipelines.normalise",
    "pipelines.urls",
    "pipelines.text",
    "pipelines.watchlists",
    "pipelines.matching",
    "pipelines.templates",
    "pipelines.signals",
    "pipelines.lures",
    "pipelines.scoring",
    "pipelines.es.documents",
)
#: The platform parsers beside the spiders: JSON, feeds and HTML to post fields, without Scrapy.
PARSERS = (
    "crawler.links",
    "crawler.parsers",
    "crawler.parsers.tumblr",
    "crawler.parsers.wordpress",
    "crawler.parsers.blogger",
)
FRAMEWORKS = ("scrapy", "twisted")

_PROBE = """
import importlib, json, sys
frameworks = {frameworks!r}
loaded = {{}}
for name in {core!r}:
    before = {{m.partition(".")[0] for m in sys.modules}}
    importlib.import_module(name)
    after = {{m.partition(".")[0] for m in sys.modules}}
    new = sorted(f for f in frameworks if f in after - before)
    if new:
        loaded[name] = new
print(json.dumps(loaded))
"""


def module_name(path: Path, root: Path = ROOT) -> str:
    """Dotted name of the module at ``path`` (``pipelines/es/__init__.py``: ``pipelines.es``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(
    source: str, module: str, is_package: bool = False
) -> Iterator[tuple[int, str]]:
    """``(line, absolute module name)`` of every import in ``source``, the source of ``module``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, _resolve(node.module or "", node.level, package)
        elif isinstance(node, ast.Call):
            target = _import_call_target(node)
            if target:
                yield node.lineno, target


def _resolve(name: str, level: int, package: str) -> str:
    """The absolute name of ``from <level dots><name> import ...`` written in ``package``."""
    if not level:
        return name
    parts = package.split(".") if package else []
    base = parts[: len(parts) - level + 1]
    return ".".join([*base, name] if name else base)


def _import_call_target(node: ast.Call) -> str | None:
    """The literal module name of ``importlib.import_module("x")`` or ``__import__("x")``."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def _top(name: str) -> str:
    return name.partition(".")[0]


def import_violations(root: Path = ROOT) -> list[str]:
    """``path:line: <module> imports <name>`` for every import :data:`FORBIDDEN` forbids."""
    out = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((root / package).rglob("*.py")):
            module = module_name(path, root)
            source = path.read_text(encoding="utf-8")
            is_package = path.name == "__init__.py"
            for line, name in imported_modules(source, module, is_package):
                if _top(name) in forbidden:
                    out.append(f"{path.relative_to(root)}:{line}: {module} imports {name}")
    return sorted(set(out))


#: scikit-learn is an optional extra (``learn``) of one benchmark: nothing else imports it.
LEARNED_WEIGHTS = "bench/learned_weights.py"


def optional_import_violations(root: Path = ROOT, name: str = "sklearn") -> list[str]:
    """``path:line: <module> imports <name>`` for every import of ``name`` outside
    :data:`LEARNED_WEIGHTS`."""
    out = []
    for package in ("crawler", "pipelines", "replica", "bench", "tests"):
        for path in sorted((root / package).rglob("*.py")):
            if path.relative_to(root).as_posix() == LEARNED_WEIGHTS:
                continue
            module = module_name(path, root)
            source = path.read_text(encoding="utf-8")
            for line, found in imported_modules(source, module, path.name == "__init__.py"):
                if _top(found) == name:
                    out.append(f"{path.relative_to(root)}:{line}: {module} imports {found}")
    return sorted(set(out))


def core_violations(root: Path = ROOT, modules: tuple[str, ...] = CORE) -> list[str]:
    """``importing <module> loads scrapy, twisted`` for each of ``modules`` that pulls them in
    (imported in this order, in a fresh interpreter)."""
    code = _PROBE.format(frameworks=FRAMEWORKS, core=modules)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return [f"importing the detection core fails: {last}"]
    loaded: dict[str, list[str]] = json.loads(proc.stdout)
    return [f"importing {name} loads {', '.join(found)}" for name, found in loaded.items()]


def test_pipelines_never_imports_crawler() -> None:
    violations = [v for v in import_violations() if v.startswith("pipelines")]
    assert not violations, "\n".join(violations)


def test_replica_imports_neither_crawler_nor_pipelines() -> None:
    violations = [v for v in import_violations() if v.startswith("replica")]
    assert not violations, "\n".join(violations)


def test_the_detection_core_imports_without_scrapy_or_twisted() -> None:
    violations = core_violations()
    assert not violations, "\n".join(violations)


def test_the_platform_parsers_import_without_scrapy_or_twisted() -> None:
    violations = core_violations(modules=PARSERS)
    assert not violations, "\n".join(violations)


def test_only_the_learned_weights_bench_imports_scikit_learn() -> None:
    violations = optional_import_violations()
    assert not violations, "\n".join(violations)


def test_an_import_of_scikit_learn_elsewhere_is_reported(tmp_path: Path) -> None:
    (tmp_path / "bench").mkdir()
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "bench" / "learned_weights.py").write_text("import sklearn\n")
    (tmp_path / "pipelines" / "fit.py").write_text("from sklearn.linear_model import Ridge\n")
    assert optional_import_violations(tmp_path) == [
        "pipelines/fit.py:1: pipelines.fit imports sklearn.linear_model"
    ]


def test_every_kind_of_import_is_seen() -> None:
    source = (
        "import os, crawler.settings\n"
        "from crawler import defaults\n"
        "from .. import crawler\n"
        "from ..signals import Form\n"
        "def late():\n"
        "    from crawler.items import Hit\n"
        "    return importlib.import_module('crawler.links')\n"
    )
    found = {name for _, name in imported_modules(source, "pipelines.es.documents")}
    assert found == {
        "os",
        "crawler.settings",
        "crawler",
        "pipelines",
        "pipelines.signals",
        "crawler.items",
        "crawler.links",
    }


def test_a_forbidden_import_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "pipelines").mkdir()
    (tmp_path / "replica").mkdir()
    (tmp_path / "pipelines" / "ok.py").write_text("import re\nfrom pipelines import urls\n")
    (tmp_path / "replica" / "bad.py").write_text(
        '"""Doc."""\n\nfrom pipelines.urls import unwrap\n'
    )
    assert import_violations(tmp_path) == ["replica/bad.py:3: replica.bad imports pipelines.urls"]


def test_a_core_module_loading_scrapy_is_reported(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text("import re\n")
    (tmp_path / "glue.py").write_text("from scrapy.http import Request\n")
    assert core_violations(tmp_path, ("plain", "glue")) == ["importing glue loads scrapy, twisted"]


def main() -> int:
    """Print every violation; 1 if there is any, else 0."""
    violations = import_violations() + core_violations() + core_violations(modules=PARSERS)
    violations += optional_import_violations()
    for violation in violations:
        print(violation)
    if not violations:
        print(
            "ok: crawler -> pipelines -> nothing; replica imports neither;"
            " core and platform parsers without Scrapy; scikit-learn in one benchmark only"
        )
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())

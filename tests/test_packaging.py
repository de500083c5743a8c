"""``pip install .`` as a user does it: a wheel in a fresh virtualenv, run from any folder.

The wheel is built from a copy of the checkout (the shared tree gets no ``build/``), installed with
``--no-deps`` into a virtualenv that sees the system's site-packages for the dependencies, and
``lurewatch watchlists check``, ``demo`` and ``eval`` run from an empty folder. The system's
editable install of lurewatch is visible there too: its import finder comes after the
virtualenv's and would serve a package the wheel lacks, so the fixture first proves that every
lurewatch module is imported from the virtualenv.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests._crawl import ROOT, clean_env

pytestmark = pytest.mark.crawl

#: What the wheel holds at its top level: the code and the two data-only packages.
PACKAGES = ("crawler", "pipelines", "replica", "watchlists", "kibana")
#: Left out of the copy that is built (besides hidden entries): build output, local runs' files.
_NOT_COPIED = {"build", "dist", "out", "data", "lurewatch.egg-info"}
_PROBE = """
import json, sys, sysconfig
import crawler.cli, crawler.demo, pipelines.es.kibana, pipelines.watchlists, replica.server
import kibana, watchlists
print(json.dumps({
    "site": sysconfig.get_path("purelib"),
    "packages": {name: sys.modules[name].__file__ for name in %r},
    "ours": sorted(
        m.__file__ for n, m in list(sys.modules.items())
        if n.partition(".")[0] in %r and getattr(m, "__file__", None)
    ),
    "watchlists": str(pipelines.watchlists.WATCHLIST_DIR),
    "ndjson": str(pipelines.es.kibana.DEFAULT_NDJSON),
}))
"""


def _ignore(folder: str, names: list[str]) -> set[str]:
    if Path(folder) == ROOT:
        return {n for n in names if n in _NOT_COPIED or n.startswith(".")}
    return {"__pycache__"} & set(names)


def _run(
    cmd: list[str], cwd: Path, timeout: float = 300, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = clean_env(extra)
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``pip`` builds from (a copy of) the checkout."""
    src = tmp_path_factory.mktemp("src") / "lurewatch"
    shutil.copytree(ROOT, src, ignore=_ignore)
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)]
    proc = _run(cmd, cwd=out)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (built,) = out.glob("lurewatch-*.whl")
    return built


class Install(NamedTuple):
    """A virtualenv holding the wheel, and what its Python imports from a folder far away."""

    home: Path
    site: Path
    probe: dict[str, Any]

    def command(self, *args: str) -> list[str]:
        return [str(self.home / "bin" / "lurewatch"), *args]


def _probe(home: Path) -> dict[str, Any]:
    code = _PROBE % (PACKAGES, PACKAGES)
    proc = _run([str(home / "bin" / "python"), "-c", code], cwd=home.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads(proc.stdout))


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Install:
    """A fresh virtualenv with the wheel installed (pip and the dependencies: the system's)."""
    home = tmp_path_factory.mktemp("venv") / "env"
    # no pip of its own (ensurepip takes half a minute): the system's pip installs into it
    create = [sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(home)]
    made = _run(create, cwd=home.parent)
    assert made.returncode == 0, made.stderr
    install = ["-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)]
    proc = _run([str(home / "bin" / "python"), *install], cwd=home.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    probe = _probe(home)
    site = Path(probe["site"])
    # the system's editable install would serve a package the wheel lacks: then no test here counts
    elsewhere = [f for f in probe["ours"] if not Path(f).is_relative_to(site)]
    assert not elsewhere, f"lurewatch modules not imported from the virtualenv: {elsewhere}"
    return Install(home, site, probe)


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder far from the checkout, where the commands run."""
    folder = tmp_path / "somewhere"
    folder.mkdir()
    return folder


def test_the_wheel_holds_the_code_and_the_shipped_data_and_no_tests(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == set(PACKAGES)
    shipped = {f"watchlists/{p.name}" for p in (ROOT / "watchlists").glob("*.yaml")}
    assert shipped and shipped <= set(names)
    assert "kibana/lurewatch.ndjson" in names


def test_the_installed_copy_and_its_data_are_what_runs(venv: Install) -> None:
    assert venv.site.is_relative_to(venv.home)
    for name, file in venv.probe["packages"].items():
        assert Path(file).is_relative_to(venv.site), f"{name} imported from {file}"
    assert Path(venv.probe["watchlists"]) == venv.site / "watchlists"
    ndjson = Path(venv.probe["ndjson"])
    assert ndjson.is_file() and ndjson.is_relative_to(venv.site)


def test_watchlists_check_reads_the_shipped_files_from_any_folder(
    venv: Install, elsewhere: Path
) -> None:
    proc = _run(venv.command("watchlists", "check"), cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "titles" in proc.stdout and "searches" in proc.stdout
    assert not proc.stderr.strip()


def test_eval_without_a_checkout_says_so_in_one_line(venv: Install, elsewhere: Path) -> None:
    proc = _run(venv.command("eval"), cwd=elsewhere)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--manifest" in proc.stderr


def test_demo_runs_end_to_end_from_any_folder_without_indexing(
    venv: Install, elsewhere: Path
) -> None:
    assert "ELASTICSEARCH_URL" not in clean_env()
    # one watched title and no screenshots keep the crawl short; the shipped data still loads
    titles = elsewhere / "titles.yaml"
    titles.write_text("- title: Man of Steel\n  year: 2013\n", encoding="utf-8")
    proc = _run(
        venv.command("demo", "--out", "hits.jsonl", "-s", "LUREWATCH_EVIDENCE_SCREENSHOTS=0"),
        cwd=elsewhere,
        extra={"LUREWATCH_TITLES": str(titles)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    hits = (elsewhere / "hits.jsonl").read_text(encoding="utf-8").splitlines()
    assert any(json.loads(line)["fake_stream"] for line in hits)
    assert f"hits written to {elsewhere / 'hits.jsonl'}" in proc.stdout
    assert "no deploy/es/local" in proc.stdout and "running without indexing" in proc.stdout

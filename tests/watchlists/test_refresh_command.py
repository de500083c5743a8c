"""``lurewatch watchlists refresh`` against the replica's TMDB, as a user runs it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

from crawler.exitcodes import ExitCode
from pipelines.watchlists import load_titles
from pipelines.watchlists.refresh import split_managed
from replica.server import ReplicaServer
from tests._crawl import ROOT, clean_env

ANALYST = """# analyst list: comments and hand edits stay
- title: "Avengers: Doomsday"  # already watched: TMDB trends it, refresh must not add it
  year: 2026
  aliases: [Avengers 5]
- {title: Zootopia 2, year: 2025}
"""


def _refresh(titles: Path, origin: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"LUREWATCH_TITLES": str(titles), "LUREWATCH_OFFLINE_ORIGIN": origin}
    key = {"TMDB_API_KEY": env.pop("TMDB_API_KEY")} if "TMDB_API_KEY" in env else {}
    settings = [arg for name, value in env.items() for arg in ("-s", f"{name}={value}")]
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "watchlists", "refresh", *settings],
        cwd=ROOT,
        env=clean_env({**base, **key}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_refresh_adds_upcoming_and_trending_films_with_local_titles(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text(ANALYST, encoding="utf-8")
    proc = _refresh(titles, replica.origin, TMDB_API_KEY="k" * 32)
    assert proc.returncode == ExitCode.OK, proc.stderr
    text = titles.read_text(encoding="utf-8")
    assert split_managed(text)[0] == ANALYST
    by_title = {t.title: t for t in load_titles(titles)}
    assert "Los guardianes del farol" in by_title["The Lantern Keepers"].aliases
    assert "Die Laternenwächter" in by_title["The Lantern Keepers"].aliases
    assert "Puerto de medianoche" in by_title["Midnight Harbor"].aliases  # original title
    assert {"Orbit of Ash", "Paper Tigers 2"} <= set(by_title)
    assert "Kestrel" not in by_title  # trending, but out 400 days ago: past its watch time
    assert list(by_title).count("Avengers: Doomsday") == 1
    assert by_title["Avengers: Doomsday"].aliases == ("Avengers 5",)
    assert 'source: "tmdb/upcoming"' in text and 'source: "tmdb/trending"' in text
    assert "added: 4" in proc.stdout and "already watched: 1 (Avengers: Doomsday)" in proc.stdout
    again = _refresh(titles, replica.origin, TMDB_API_KEY="k" * 32)
    assert again.returncode == ExitCode.OK and "(unchanged)" in again.stdout
    assert titles.read_text(encoding="utf-8") == text


def test_missing_key_is_one_error_line_and_the_config_status(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text(ANALYST, encoding="utf-8")
    proc = _refresh(titles, replica.origin)
    assert proc.returncode == ExitCode.CONFIG
    assert proc.stderr.strip().splitlines() == [
        "error: TMDB_API_KEY is not set: watchlists refresh needs a TMDB API key"
        " (v3 key or read access token)"
    ]
    assert titles.read_text(encoding="utf-8") == ANALYST


def test_refused_key_and_unreachable_tmdb_have_their_statuses(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text(ANALYST, encoding="utf-8")
    refused = _refresh(titles, replica.origin, TMDB_API_KEY="revoked")
    assert refused.returncode == ExitCode.CONFIG
    assert "TMDB_API_KEY refused by https://api.themoviedb.org: Suspended" in refused.stderr
    assert "revoked" not in refused.stderr  # the key itself is never printed
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    down = _refresh(titles, closed, TMDB_API_KEY="k" * 32)
    assert down.returncode == ExitCode.UNREACHABLE, down.stderr
    assert down.stderr.startswith("error: TMDB: ") and len(down.stderr.splitlines()) == 1
    assert titles.read_text(encoding="utf-8") == ANALYST


def test_suggested_titles_from_a_crawl_output_are_added_as_candidates(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    titles = tmp_path / "titles.yaml"
    titles.write_text(ANALYST, encoding="utf-8")
    crawl = tmp_path / "hits.jsonl"
    pages = [
        {"url": "https://a.tumblr.com/post/1", "candidate_title": "Shrek 5"},
        {"url": "https://b.tumblr.com/post/2", "candidate_title": "Shrek 5"},
        {"url": "https://c.tumblr.com/post/3", "candidate_title": "Seen Once"},
        {"url": "https://d.tumblr.com/post/4", "candidate_title": None},
    ]
    crawl.write_text("".join(json.dumps(p) + "\n" for p in pages), encoding="utf-8")
    proc = _refresh(
        titles, replica.origin, TMDB_API_KEY="k" * 32, LUREWATCH_REFRESH_CANDIDATES=str(crawl)
    )
    assert proc.returncode == ExitCode.OK, proc.stderr
    managed = split_managed(titles.read_text(encoding="utf-8"))[1]
    assert '- title: "Shrek 5"\n  source: "candidates"' in managed
    assert "Seen Once" not in managed  # on one page only (LUREWATCH_REFRESH_CANDIDATES_MIN=2)

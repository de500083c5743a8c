"""Bounded inputs: watchlists, manifests and saved pages cannot exhaust time or memory.

Every watchlist file is read up to ``LUREWATCH_WATCHLIST_MAXSIZE`` and parsed once per content;
YAML anchors and aliases (a "billion laughs" expands to gigabytes wherever it is shown), deep
nesting, non-scalar keys and unreadable values are refused as ``file:line: problem``; an error
shows a short excerpt of a value, never the value; ``searches.yaml`` phrasings use plain
``{title}``/``{year}`` only; page, budget and count settings have upper bounds; ``classify``
refuses anything but regular files and never reads more than the detector judges. What could
hang or eat memory on a regression (FIFOs, ``/dev/zero``) runs in a subprocess with a memory limit
and a timeout.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.middlewares.rate_limit import RateLimitConfig
from crawler.rendering.config import RenderLimits
from crawler.spiders.config import BloggerConfig, LandingConfig, SpiderConfig
from pipelines.classify import MAX_PAGE_BYTES, jobs_from_manifest, read_page
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError, WatchlistError
from pipelines.watchlists import (
    MAX_SEARCH_PAGES,
    WATCHLIST_DIR,
    load_searches,
    load_templates,
    load_titles,
)
from tests._crawl import ROOT, clean_env
from tests._settings import lurewatch_settings

_MEMORY = 1536 * 1024 * 1024  # bytes of address space for a subprocess that must stay small


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY, _MEMORY))


def _run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``lurewatch ARGS`` with bounded memory and time (a regression fails, never hangs)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=ROOT,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limited,
    )


def _write(tmp_path: Path, text: str, name: str = "titles.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _bomb(levels: int) -> str:
    """A billion-laughs titles.yaml: ``year`` is 9**levels strings through nested aliases."""
    lines = ["- title: Bomb", "  notes:", "    a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        lines.append(f"    a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append(f"  year: *a{levels}")
    return "\n".join(lines) + "\n"


def _refused(path: Path, line: int, fragment: str) -> WatchlistError:
    with pytest.raises(WatchlistError) as caught:
        load_titles(path)
    error = caught.value
    assert (error.path, error.line) == (str(path), line)
    assert fragment in str(error) and len(str(error)) < len(str(path)) + 200
    return error


def test_an_alias_bomb_is_refused_at_its_first_anchor(tmp_path: Path) -> None:
    # 9**5 strings: the old error message repeated all of them (9**9 took 70 s and 3 GB)
    _refused(_write(tmp_path, _bomb(5)), 3, "anchor &a0: anchors and aliases are not allowed")


def test_any_alias_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "- title: Man of Steel\n  year: 2013\n- title: X\n  aliases: *a\n")
    _refused(path, 4, "alias *a: anchors and aliases are not allowed")


def test_an_error_shows_a_short_excerpt_of_a_long_value(tmp_path: Path) -> None:
    path = _write(tmp_path, f"- title: Man of Steel\n  year: {'9x' * 50_000}\n")
    error = _refused(path, 2, "year: must be a year such as 2026, not '9x9x")
    assert "..." in str(error)  # abridged while the excerpt is built


def test_deep_nesting_is_refused_with_its_line(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "- title: X\n  year: " + "[" * 100_000 + "\n"), 2, "nested deeper")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- title: X\n  year: 2020\n  ? [a, b]\n  : 1\n", 3),
        ("- {[1]: 2}\n", 1),
        ("- title: X\n  {a: 1}: 2\n", 2),
    ],
)
def test_a_list_or_mapping_as_key_is_refused(tmp_path: Path, text: str, line: int) -> None:
    _refused(_write(tmp_path, text), line, "a key must be a plain value")


def test_an_unreadable_number_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, f"- title: X\n  year: {'9' * 5000}\n"), 2, "unreadable value")


def test_a_watchlist_larger_than_its_cap_is_refused_unread(tmp_path: Path) -> None:
    text = (WATCHLIST_DIR / "titles.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, text)
    with pytest.raises(WatchlistError, match="larger than LUREWATCH_WATCHLIST_MAXSIZE"):
        load_titles(path, max_bytes=len(text.encode()) - 1)
    assert load_titles(path, max_bytes=len(text.encode())) == load_titles()


def test_the_watchlist_cap_is_a_setting(tmp_path: Path) -> None:
    path = _write(tmp_path, (WATCHLIST_DIR / "titles.yaml").read_text(encoding="utf-8"))
    proc = _run(
        "watchlists", "check", "--titles", str(path), "-s", "LUREWATCH_WATCHLIST_MAXSIZE=100"
    )
    assert proc.returncode == 1
    assert (
        f"error: {path}: cannot read file: larger than LUREWATCH_WATCHLIST_MAXSIZE" in proc.stderr
    )


def test_fifos_and_devices_are_refused_promptly(tmp_path: Path) -> None:
    fifo = tmp_path / "titles.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        # 1.5 s on a quiet machine; the bound only turns a hang into a failure (a rehearsal
        # with three test processes took over 30 s to start the command)
        proc = _run("watchlists", "check", "--titles", str(path), timeout=120)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert f"error: {path}: cannot read file: not a regular file" in proc.stderr


def test_classify_refuses_fifos_and_devices(tmp_path: Path) -> None:
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    proc = _run("classify", "/dev/zero", str(fifo), timeout=120)  # was 5.4 GB, MemoryError
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout.count("not a regular file") == 2


def test_classify_reads_no_more_than_the_detector_judges(tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    with page.open("wb") as handle:
        handle.write(b"<html><body>")
        handle.write(b"a" * MAX_PAGE_BYTES)
    assert len(read_page(page)) == MAX_PAGE_BYTES


def test_a_manifest_larger_than_its_cap_is_refused(tmp_path: Path) -> None:
    manifest = _write(tmp_path, '{"path": "a.html"}\n', "manifest.jsonl")
    with pytest.raises(OSError, match="larger than LUREWATCH_MANIFEST_MAXSIZE"):
        list(jobs_from_manifest(manifest, max_bytes=10))
    proc = _run("classify", "--manifest", str(manifest), "-s", "LUREWATCH_MANIFEST_MAXSIZE=10")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: cannot read manifest: larger than LUREWATCH_MANIFEST")


def test_each_watchlist_file_is_parsed_once_however_many_components_load_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from crawler.commands._watchlists import load_each
    from crawler.spiders.blogger import BloggerSpider
    from crawler.spiders.tumblr import TumblrSpider
    from crawler.spiders.wordpress import WordPressSpider
    from pipelines.detection import DetectionPipeline
    from tests._settings import lurewatch_crawler

    parsed: list[str] = []
    real_load = yaml.load

    def counting(stream: Any, Loader: Any) -> Any:
        parsed.append(stream[:40])
        return real_load(stream, Loader=Loader)

    monkeypatch.setattr(yaml, "load", counting)
    # what `lurewatch crawl` does: check every file, then build 3 spiders and their pipelines
    _, problems = load_each(lurewatch_settings())
    assert problems == []
    for spider in (TumblrSpider, WordPressSpider, BloggerSpider):
        crawler = lurewatch_crawler(spider)
        spider.from_crawler(crawler)
        DetectionPipeline.from_crawler(crawler)
    assert len(parsed) <= 5, f"{len(parsed)} parses of 5 files"  # was 17 (titles 7 times)


def test_an_edited_watchlist_is_parsed_again(tmp_path: Path) -> None:
    path = _write(tmp_path, "- title: Man of Steel\n  year: 2013\n")
    assert [t.title for t in load_titles(path)] == ["Man of Steel"]
    path.write_text("- title: Iron Man 3\n  year: 2013\n", encoding="utf-8")  # same size
    assert [t.title for t in load_titles(path)] == ["Iron Man 3"]


@pytest.mark.parametrize(
    "phrasing",
    [
        "{title} {title:x>20000000}",  # was accepted: 20 MB queries, 226 s and a 440 MB log
        "{title} {title!r}",
        "{title} {title.upper}",
        "{title} {title[0]}",
        "{title} {year:>9999}",
        "{title} {year:{title}}",
        "{title} {0}",  # refused before too, kept so
        "{title} {}",
        "{{title}} full movie",  # an escaped brace: no placeholder at all
    ],
)
def test_search_phrasings_are_plain_title_and_year_only(tmp_path: Path, phrasing: str) -> None:
    text = f"queries:\n  - '{{title}} full movie'\n  - '{phrasing}'\ntags: ['{{title}}']\n"
    path = _write(tmp_path, text, "searches.yaml")
    with pytest.raises(WatchlistError, match=r"searches.yaml:3: queries: .*placeholder"):
        load_searches(path)


def test_search_budgets_and_phrasings_are_bounded(tmp_path: Path) -> None:
    pages = f"queries: ['{{title}}']\ntags: ['{{title}}']\nmax_pages: {MAX_SEARCH_PAGES + 1}\n"
    with pytest.raises(WatchlistError, match=r":3: max_pages: must be an integer from 1 to 100"):
        load_searches(_write(tmp_path, pages, "pages.yaml"))
    long = f"queries: ['{{title}} {'x' * 300}']\ntags: ['{{title}}']\n"
    with pytest.raises(WatchlistError, match=r":1: queries: phrasing longer than 200"):
        load_searches(_write(tmp_path, long, "long.yaml"))
    many = "queries: [" + ", ".join(["'{title}'"] * 51) + "]\ntags: ['{title}']\n"
    with pytest.raises(WatchlistError, match=r":1: queries: more than 50 phrasings"):
        load_searches(_write(tmp_path, many, "many.yaml"))


def test_titles_and_aliases_are_bounded(tmp_path: Path) -> None:
    _refused(_write(tmp_path, f"- title: {'T' * 201}\n"), 1, "title: longer than 200")
    path = _write(tmp_path, f"- title: T\n  aliases: [{'A' * 201}]\n", "aliases.yaml")
    _refused(path, 2, "aliases: longer than 200")


def test_templates_errors_are_short_too(tmp_path: Path) -> None:
    text = f"templates:\n  - pattern: '{'p' * 100_000}'\n    lang: en\n    weight: 10\n"
    with pytest.raises(WatchlistError) as caught:
        load_templates(_write(tmp_path, text, "templates.yaml"))
    assert str(caught.value).startswith(f"{tmp_path}/templates.yaml:2: pattern: must be a string")
    assert len(str(caught.value)) < 300


_TOO_LARGE = [
    (SpiderConfig, "LUREWATCH_MAX_TITLES", 10_001),
    (LandingConfig, "LUREWATCH_MAX_LANDINGS_PER_POST", 51),
    (LandingConfig, "LUREWATCH_LANDING_REDIRECTS", 21),
    (LandingConfig, "LUREWATCH_LANDING_TIMEOUT", 301),
    (LandingConfig, "LUREWATCH_LANDING_MAXSIZE", 2**30),
    (LandingConfig, "LUREWATCH_LANDING_CACHE", 10**7),
    (BloggerConfig, "LUREWATCH_BLOGGER_DISCOVERY_PAGES", 101),
    (BloggerConfig, "LUREWATCH_BLOGGER_DISCOVERY_PAGE_SIZE", 101),
    (RenderLimits, "LUREWATCH_RENDER_MAXSIZE", 2**30),
    (RenderLimits, "LUREWATCH_RENDER_TIMEOUT", 301),
    (RenderLimits, "LUREWATCH_RENDER_SETTLE", 61),
    (RenderLimits, "LUREWATCH_RENDER_DEADLINE", 901),
    (RenderLimits, "LUREWATCH_RENDER_PAGES_PER_CONTEXT", 1001),
    (RenderLimits, "LUREWATCH_RENDER_REDIRECTS", 21),
    (RateLimitConfig, "LUREWATCH_MAX_BACKOFF", 3601),
    (EsConfig, "LUREWATCH_ES_BATCH_SIZE", 10_001),
    (EsConfig, "LUREWATCH_ES_MAX_RETRIES", 21),
    (EsConfig, "LUREWATCH_ES_TIMEOUT", 3601),
    (EsConfig, "LUREWATCH_ES_FLUSH_SECONDS", 3601),
    (EsConfig, "LUREWATCH_ES_RETRY_BACKOFF", 3601),
]


@pytest.mark.parametrize(("config", "name", "value"), _TOO_LARGE)
def test_budget_settings_have_upper_bounds(config: Any, name: str, value: object) -> None:
    settings = lurewatch_settings({name: value, "ELASTICSEARCH_URL": "http://es:9200"})
    with pytest.raises(ConfigError, match=rf"^{name}: must be .* to .*, got {value}"):
        config.from_settings(settings)


def test_the_watchlist_cap_itself_is_bounded() -> None:
    from pipelines.watchlists import watchlist_maxsize

    with pytest.raises(ConfigError, match=r"^LUREWATCH_WATCHLIST_MAXSIZE: .*, got 1073741824"):
        watchlist_maxsize(lurewatch_settings({"LUREWATCH_WATCHLIST_MAXSIZE": 2**30}))


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["-s", "LUREWATCH_MAX_TITLES=20000"], "LUREWATCH_MAX_TITLES: must be an integer from 0"),
        (["-s", "LUREWATCH_RENDER_TIMEOUT=1e9"], "LUREWATCH_RENDER_TIMEOUT: must be a number"),
        (["-s", "ELASTICSEARCH_URL=es:9200"], "ELASTICSEARCH_URL: must be an http(s) URL"),
    ],
)
def test_a_crawl_with_a_bad_setting_stops_with_one_line(args: list[str], line: str) -> None:
    proc = _run(
        "crawl", "--spiders", "tumblr", "-s", "LUREWATCH_OFFLINE_ORIGIN=http://127.0.0.1:9", *args
    )
    assert proc.returncode == 2
    assert proc.stderr == f"lurewatch crawl: {line}" + proc.stderr.split(line, 1)[1]
    assert proc.stderr.count("\n") <= 1 and "Traceback" not in proc.stderr


@pytest.mark.crawl
def test_a_crawl_checks_every_watchlist_before_its_first_request(tmp_path: Path) -> None:
    files = {
        "LUREWATCH_TITLES": _write(tmp_path, _bomb(5), "titles.yaml"),
        "LUREWATCH_SEARCHES": _write(
            tmp_path, "queries: ['{title:>9}']\ntags: ['{title}']\n", "s.yaml"
        ),
        "LUREWATCH_TEMPLATES": _write(tmp_path, "templates: []\n", "templates.yaml"),
        "LUREWATCH_LURES": _write(tmp_path, "providers: {}\n", "lures.yaml"),
        "LUREWATCH_THRESHOLDS": _write(tmp_path, "- [\n", "thresholds.yaml"),
    }
    args = [arg for name, path in files.items() for arg in ("-s", f"{name}={path}")]
    proc = _run("crawl", "-s", "LUREWATCH_OFFLINE_ORIGIN=http://127.0.0.1:9", *args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("lurewatch crawl: broken watchlist: ")
    assert proc.stderr.count("\n") <= 1 and len(proc.stderr) < 2000
    for path in files.values():
        assert f"{path}:" in proc.stderr

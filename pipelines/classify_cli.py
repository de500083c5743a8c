"""``lurewatch classify``: judge saved pages with the detection engine, one JSON line per page.

    lurewatch classify [--titles FILE] [--url URL] PATH...
    lurewatch classify [--titles FILE] --manifest FILE.jsonl

Static HTML only and no network, unless ``--render``: then each page is loaded in headless Chromium with every
request aborted except the page itself (served from the file), and the rendered DOM is judged. Output is in
input order: ``url``, ``fake_stream``, ``sso_lure``, ``matched_title``, ``score``, ``reasons`` (and ``id``
when the manifest line has one). An unreadable page gets ``{"url", "path", "error"}`` on its line and a
message on stderr; the exit status is 1 if any page failed, else 0 (2 for bad arguments or watchlists).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from pipelines.exceptions import WatchlistError
from pipelines.scoring import Assessment, assess_page
from pipelines.watchlists import Watchlists, load_watchlists

__all__ = ["Job", "main", "read_page"]

_RENDER_URL = "http://classify.invalid/page.html"
_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Job:
    """One page to classify: where it is, the URL it was served at, the manifest id if any."""

    path: Path
    url: str
    id: Any = None


def read_page(path: Path) -> str:
    """The page's HTML as text (charset from BOM / meta / sniffing, like a browser)."""
    body = path.read_bytes()
    return html_to_unicode(None, body)[1]


def _jobs_from_paths(paths: list[str], url: str | None) -> Iterator[Job]:
    for p in paths:
        path = Path(p)
        yield Job(path, url or path.resolve().as_uri())


def _jobs_from_manifest(manifest: Path) -> Iterator[Job | str]:
    """Jobs, or an error string for a manifest line that cannot be used."""
    base = manifest.resolve().parent
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            path = base / entry["path"]
            yield Job(path, entry.get("url") or path.as_uri(), entry.get("id"))
        except (ValueError, KeyError, TypeError) as exc:
            yield f"{manifest}:{number}: bad manifest line: {exc}"


def _result(job: Job, a: Assessment) -> dict[str, Any]:
    out: dict[str, Any] = {"id": job.id} if job.id is not None else {}
    out |= {
        "url": job.url,
        "fake_stream": a.fake_stream,
        "sso_lure": a.sso_lure,
        "matched_title": a.matched_title,
        "score": a.score,
        "reasons": a.reasons,
    }
    return out


def _error(job: Job | None, message: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": job.id} if job is not None and job.id is not None else {}
    if job is not None:
        out |= {"url": job.url, "path": str(job.path)}
    return out | {"error": message}


class _Renderer:
    """Headless Chromium with the network cut: only the page itself is answered, from memory."""

    def __init__(self, timeout: float, executable: str = "/usr/bin/chromium") -> None:
        from playwright.sync_api import sync_playwright  # imported only when --render is used

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(
            executable_path=executable, headless=True, args=_CHROMIUM_ARGS
        )
        self.timeout_ms = timeout * 1000

    def render(self, html: str, url: str) -> str:
        target = url if url.startswith(("http://", "https://")) else _RENDER_URL
        context = self._browser.new_context(java_script_enabled=True, service_workers="block")
        try:
            page = context.new_page()
            page.set_default_timeout(self.timeout_ms)

            def route(r: Any) -> None:
                if (
                    r.request.url.split("#")[0] == target.split("#")[0]
                    and r.request.resource_type == "document"
                    and r.request.frame == page.main_frame
                ):
                    r.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
                else:
                    r.abort()

            context.route("**/*", route)
            page.goto(target, wait_until="load", timeout=self.timeout_ms)
            page.wait_for_timeout(300)  # let inline scripts finish writing the DOM
            return page.content()
        finally:
            context.close()

    def close(self) -> None:
        self._browser.close()
        self._pw.stop()


def _classify(job: Job, wl: Watchlists, render: Callable[[str, str], str] | None) -> dict[str, Any]:
    html = read_page(job.path)
    if render is not None:
        html = render(html, job.url)
    return _result(job, assess_page(html, job.url, wl))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lurewatch classify", description="Judge saved pages (JSON Lines out)."
    )
    parser.add_argument("--titles", help="titles YAML (default: the shipped watchlists/titles.yaml)")
    parser.add_argument("--url", help="the URL the page(s) were served at (default: their file:// URI)")
    parser.add_argument(
        "--manifest", type=Path, help="JSON Lines with url and path (relative to the manifest)"
    )
    parser.add_argument(
        "--render", action="store_true", help="render in headless Chromium (no network) first"
    )
    parser.add_argument("--render-timeout", type=float, default=15.0, help="seconds per page when rendering")
    parser.add_argument("paths", nargs="*", metavar="PATH")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``lurewatch classify``; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if bool(args.manifest) == bool(args.paths):
        parser.error("give either PATH... or --manifest FILE.jsonl")
    try:
        wl = load_watchlists(titles=args.titles)
    except WatchlistError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    try:
        jobs = list(
            _jobs_from_manifest(args.manifest) if args.manifest else _jobs_from_paths(args.paths, args.url)
        )
    except OSError as exc:
        sys.stderr.write(f"error: cannot read manifest: {exc}\n")
        return 2
    renderer = _Renderer(args.render_timeout) if args.render else None
    try:
        failed = _run(jobs, wl, renderer.render if renderer else None)
    finally:
        if renderer is not None:
            renderer.close()
    return 1 if failed else 0


def _run(jobs: list[Job | str], wl: Watchlists, render: Callable[[str, str], str] | None) -> int:
    failed = 0
    for job in jobs:
        if isinstance(job, str):
            record, message = _error(None, job), job
        else:
            try:
                record, message = _classify(job, wl, render), ""
            except Exception as exc:
                message = f"{job.path}: {type(exc).__name__}: {exc}"
                record = _error(job, message)
        if message:
            failed += 1
            sys.stderr.write(f"error: {message}\n")
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return failed


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

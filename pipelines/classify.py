"""Judge saved pages with the detection engine: what ``lurewatch classify`` does, Scrapy-free.

Static HTML only and no network, unless a :class:`Renderer` is given: then each page is loaded in
headless Chromium with every request aborted except the page itself (served from the file), and the
rendered DOM is judged. Each page gives one record: ``url``, ``fake_stream``, ``sso_lure``,
``matched_title``, ``score``, ``reasons`` (and ``id`` when the manifest line has one); a page that
cannot be judged gives ``{"url", "path", "error"}`` instead.

Every file is read bounded: a page up to :data:`MAX_PAGE_BYTES`, a manifest up to ``max_bytes``
(``LUREWATCH_MANIFEST_MAXSIZE``); anything but a regular file (``/dev/zero``, a FIFO) is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from pipelines._files import read_head, read_within
from pipelines.scoring import MAX_PAGE_CHARS, Assessment, assess_page
from pipelines.watchlists import Watchlists

__all__ = [
    "MANIFEST_MAXSIZE",
    "MAX_PAGE_BYTES",
    "Job",
    "Render",
    "Renderer",
    "classify_all",
    "jobs_from_manifest",
    "jobs_from_paths",
    "read_page",
]

#: Bytes of a saved page read: every character the detector judges (:data:`MAX_PAGE_CHARS`, at most
#: 4 bytes each), so a longer file is judged exactly as if it were read whole.
MAX_PAGE_BYTES = 4 * MAX_PAGE_CHARS
#: Default of ``LUREWATCH_MANIFEST_MAXSIZE``: bytes of a manifest.
MANIFEST_MAXSIZE = 16 * 1024 * 1024

#: Renders ``html`` as served at ``url``; returns the rendered DOM.
Render = Callable[[str, str], str]

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
    """The page's HTML as text (charset from BOM / meta / sniffing, like a browser).

    At most :data:`MAX_PAGE_BYTES` are read; ``OSError`` for anything but a regular file.
    """
    body, _ = read_head(path, MAX_PAGE_BYTES)
    return html_to_unicode(None, body)[1]


def jobs_from_paths(paths: Iterable[str], url: str | None) -> Iterator[Job]:
    """A job per path, served at ``url`` (default: the file's ``file://`` URI)."""
    for p in paths:
        path = Path(p)
        yield Job(path, url or path.resolve().as_uri())


def jobs_from_manifest(
    manifest: Path, *, max_bytes: int = MANIFEST_MAXSIZE
) -> Iterator[Job | str]:
    """Jobs, or an error string for each unusable manifest line.

    Each line is JSON with ``path`` (relative to the manifest), and optionally ``url`` and ``id``.
    ``OSError`` when the manifest is missing, not a regular file, larger than ``max_bytes`` or
    not UTF-8.
    """
    base = manifest.resolve().parent
    try:
        text = read_within(manifest, max_bytes, "LUREWATCH_MANIFEST_MAXSIZE").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OSError(f"not UTF-8 text: {exc}") from None
    for number, line in enumerate(text.splitlines(), 1):
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


class Renderer:
    """Headless Chromium with the network cut: only the page itself is answered, from memory."""

    def __init__(self, timeout: float, executable: str = "/usr/bin/chromium") -> None:
        from playwright.sync_api import sync_playwright  # imported only when rendering

        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(
            executable_path=executable, headless=True, args=_CHROMIUM_ARGS
        )
        self.timeout_ms = timeout * 1000

    def render(self, html: str, url: str) -> str:
        """The DOM of ``html`` served at ``url`` once its scripts have run."""
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
        """Close the browser and stop Playwright."""
        self._browser.close()
        self._pw.stop()


def _classify(job: Job, wl: Watchlists, render: Render | None) -> dict[str, Any]:
    html = read_page(job.path)
    if render is not None:
        html = render(html, job.url)
    return _result(job, assess_page(html, job.url, wl))


def classify_all(
    jobs: Iterable[Job | str], wl: Watchlists, render: Render | None = None
) -> Iterator[tuple[dict[str, Any], str]]:
    """Each job's record, in input order, with the error message (``""`` when it was judged).

    An error string among the jobs (a bad manifest line) gives an error record; a page that fails
    does not stop the others.
    """
    for job in jobs:
        if isinstance(job, str):
            yield _error(None, job), job
            continue
        try:
            yield _classify(job, wl, render), ""
        except Exception as exc:
            message = f"{job.path}: {type(exc).__name__}: {exc}"
            yield _error(job, message), message

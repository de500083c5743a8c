"""Whether a page needs a browser: its static HTML builds its visible content with script.

True for pages that write markup from script (``document.write``, ``innerHTML``/
``insertAdjacentHTML`` fed by ``atob``/``unescape``/``String.fromCharCode``/``eval``), and for app
shells (an almost empty body with a root ``div`` and scripts). False for ordinary pages whose only
scripts are analytics or widgets. The visible text is :func:`pipelines.text.html_text`'s.

The page is a stranger's: the patterns that scan to a closing delimiter (``</script>``, ``>``) run
on RE2 (:mod:`pipelines._linear`), linear in the page whatever it holds (20,000 unclosed
``<script>`` tags cost Python's backtracking ``re`` 49 s). The others look for short tokens: a
failed attempt costs at most the run of spaces after a token.
"""

from __future__ import annotations

import re

from pipelines._linear import compile_linear
from pipelines.text import html_text

__all__ = ["needs_rendering"]

_SCRIPT = compile_linear(r"<script\b([^>]*)>(.*?)</script\s*>", ignore_case=True, dot_all=True)
_WRITERS = re.compile(
    r"document\s*\.\s*write(ln)?\s*\(|\.\s*(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\s*\("
)
_DECODERS = re.compile(
    r"\batob\s*\(|\bunescape\s*\(|String\s*\.\s*fromCharCode|\beval\s*\(|decodeURIComponent\s*\("
)
_BUILDS_FORM = re.compile(r"createElement\s*\(\s*['\"](form|input|iframe|a)['\"]", re.I)
_JS_REDIRECT = re.compile(
    r"(window\.|document\.|top\.)?location(\.href)?\s*=(?!=)|location\.(replace|assign)\s*\("
)
_APP_ROOT = compile_linear(
    r"<div\b[^>]*\bid\s*=\s*['\"]?(root|app|__next|__nuxt|main-app|svelte)\b", ignore_case=True
)
_ANALYTICS = re.compile(
    r"googletagmanager|google-analytics|gtag\s*\(|\bga\s*\(\s*['\"]|fbq\s*\(|_paq\b|hotjar|"
    r"clarity\.ms|"
    r"plausible|matomo|stats\.wp\.com|quantserve|chartbeat|dataLayer",
    re.I,
)
_THIN_TEXT = 80  # characters of visible text below which a scripted page is an app shell


def needs_rendering(html: str) -> bool:
    """True when the page's visible content is (mostly) produced by script (see the module)."""
    if not html or "<script" not in html.lower():
        return False
    scripts = [(m.group(1), m.group(2)) for m in _SCRIPT.finditer(html)]
    inline = [body for _, body in scripts if body.strip() and not _ANALYTICS.search(body)]
    if any(_builds_markup(body) for body in inline):
        return True
    if len(html_text(html)) >= _THIN_TEXT:
        return False
    # an app shell, or a near-empty page whose script is the content (or a JS redirect)
    return bool(_APP_ROOT.search(html) or inline or _has_own_script_src(scripts))


def _builds_markup(script: str) -> bool:
    """Script that writes markup, or decodes strings and builds forms/links with them."""
    if _WRITERS.search(script):
        return True
    builds = _BUILDS_FORM.search(script) or _JS_REDIRECT.search(script)
    return bool(_DECODERS.search(script) and builds)


def _has_own_script_src(scripts: list[tuple[str, str]]) -> bool:
    return any("src" in attrs.lower() and not _ANALYTICS.search(attrs) for attrs, _ in scripts)

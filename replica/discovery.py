"""Replica of the web-search APIs used to find blogspot blogs (``platforms.md`` §4.4).

- Google Custom Search JSON API, ``www.googleapis.com/customsearch/v1`` (or
  ``customsearch.googleapis.com``): ``key`` (or ``X-goog-api-key``), ``cx``, ``q``, ``num`` 1..10,
  ``start`` 1..91 (≤100 results per query), ``siteSearch``; ``items`` absent on zero hits,
  ``queries.nextPage`` while more results exist; Google's error envelope for a missing or invalid
  key.
- Brave Search API, ``api.search.brave.com/res/v1/web/search``: ``X-Subscription-Token`` header
  (422 when missing, 401 when invalid), ``q``, ``count`` (≤20), ``offset`` (a page number, ≤9);
  ``web.results[]``.
- A self-hosted SearXNG instance at ``searx.example.org``: ``/search?q=&format=json&pageno=N``
  (10 results a page; ``format`` other than ``json`` is 403 Forbidden, as on an instance whose
  ``search.formats`` lists only html); ``results[]`` of ``{url, title, content, engine, engines,
  parsed_url, template, positions, score, category}``.

Results come from the dataset's Blogger posts (the replica's crude model of a web index): each
matching post's URL and its blog's home page, plus a few off-platform "noise" results a spider must
ignore.
"""

from __future__ import annotations

import html as html_lib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus, urlparse, urlsplit

from replica.blogger.errors import INVALID_KEY_PREFIX, api_key_error, google_error
from replica.dataset import Dataset, search_tokens
from replica.http import Request, Response, Router, json_response
from replica.quota import brave_quota_error, google_quota_error, spend

__all__ = ["DiscoveryReplica", "Result", "register"]

CSE_MAX_RESULTS = 100  # the API never returns more than 100 results for a query
BRAVE_MAX_COUNT = 20
BRAVE_MAX_OFFSET = 9
_SITE = re.compile(r"(?i)(?<!\S)-?site:(\S+)")


@dataclass(frozen=True)
class Result:
    url: str
    title: str
    snippet: str


@dataclass
class DiscoveryReplica:
    """The discovery replica's state: its dataset and a log of every request (tests read it)."""

    dataset: Dataset
    log: list[str] = field(default_factory=list)

    def results(self, query: str, site: str | None = None) -> list[Result]:
        """What the "web index" returns for ``query``: blog posts and home pages, noise between."""
        sites = [s.lower().strip("/") for s in _SITE.findall(query)] + (
            [site.lower()] if site else []
        )
        words = " ".join(_SITE.sub(" ", query).replace('"', " ").split())
        found: list[Result] = []
        seen_blogs: set[str] = set()
        for post in self.dataset.search(words, "blogger"):
            if sites and not any(
                post.blog.host == s or post.blog.host.endswith("." + s) for s in sites
            ):
                continue
            if post.blog.host not in seen_blogs:
                seen_blogs.add(post.blog.host)
                found.append(
                    Result(
                        f"https://{post.blog.host}/",
                        post.blog.title,
                        post.blog.description or post.blog.title,
                    )
                )
            plain = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", post.body_html)).split())
            found.append(Result(post.url, f"{post.blog.title}: {post.title}", plain[:160]))
        return _with_noise(found, words) if found else []


def _noise(words: str) -> list[Result]:
    """Off-platform results a real engine mixes in even with ``site:`` (and look-alike hosts)."""
    slug = "-".join(search_tokens(words)) or "movie"
    return [
        Result(
            f"https://www.imdb.com/find/?q={quote_plus(words)}",
            f"{words} - IMDb",
            "Find movies, TV shows...",
        ),
        Result(
            "https://www.blogger.com/about/",
            "Blogger.com - Create a unique and beautiful blog",
            "Publish your passions.",
        ),
        Result(
            f"https://blogspot.com.{slug[:40]}.stream-hd.example/watch",
            f"{words} HD",
            "Stream now",
        ),
        Result(
            f"https://www.youtube.com/results?search_query={quote_plus(words)}",
            f"{words} - YouTube",
            "Trailer",
        ),
        Result(
            f"https://en.wikipedia.org/wiki/{quote(words.replace(' ', '_'))}",
            f"{words} - Wikipedia",
            "Film",
        ),
    ]


def _with_noise(found: list[Result], words: str) -> list[Result]:
    noise = _noise(words)
    out: list[Result] = []
    for i, result in enumerate(found):
        if i % 3 == 0 and noise:
            out.append(noise.pop(0))
        out.append(result)
    return out + noise[:1]


def _cse_item(result: Result, words: str) -> dict[str, Any]:
    parts = urlsplit(result.url)
    bold = _bolder(words)
    return {
        "kind": "customsearch#result",
        "title": result.title,
        "htmlTitle": bold(html_lib.escape(result.title)),
        "link": result.url,
        "displayLink": parts.netloc,
        "snippet": result.snippet,
        "htmlSnippet": bold(html_lib.escape(result.snippet)),
        "formattedUrl": result.url,
        "htmlFormattedUrl": html_lib.escape(result.url),
        "pagemap": {"metatags": [{"og:url": result.url, "og:title": result.title}]},
    }


def _bolder(words: str) -> Any:
    tokens = [re.escape(t) for t in search_tokens(words)]
    pattern = re.compile(rf"(?i)\b({'|'.join(tokens)})\b") if tokens else None
    return lambda s: pattern.sub(r"<b>\1</b>", s) if pattern else s


def _cse_query(q: str, cx: str, total: int, count: int, start: int) -> dict[str, Any]:
    return {
        "title": f"Google Custom Search - {q}",
        "totalResults": str(total),
        "searchTerms": q,
        "count": count,
        "startIndex": start,
        "inputEncoding": "utf8",
        "outputEncoding": "utf8",
        "safe": "off",
        "cx": cx,
    }


def _cse_bad_argument() -> Response:
    return google_error(
        400, "Request contains an invalid argument.", "badRequest", "INVALID_ARGUMENT"
    )


def _cse(state: DiscoveryReplica, request: Request) -> Response:
    state.log.append(request.url)
    error = api_key_error(request)
    if error is not None:
        return error
    key = request.arg("key") or request.headers.get("x-goog-api-key", "")
    verdict = spend(state, "google_cse", key)
    if verdict is not None and not verdict.allowed:
        return google_quota_error()
    q = request.arg("q") or ""
    cx = request.arg("cx") or ""
    num = request.int_arg("num", 10)
    start = request.int_arg("start", 1)
    if not q or not cx or not 1 <= num <= 10 or start < 1 or start + num - 1 > CSE_MAX_RESULTS:
        return _cse_bad_argument()
    site = request.arg("siteSearch") if request.arg("siteSearchFilter", "i") == "i" else None
    results = state.results(q, site)[:CSE_MAX_RESULTS]
    page = results[start - 1 : start - 1 + num]
    total = len(results)
    body: dict[str, Any] = {
        "kind": "customsearch#search",
        "url": {
            "type": "application/json",
            "template": "https://www.googleapis.com/customsearch/v1?q={searchTerms}"
            "&num={count?}&start={startIndex?}&lr={language?}&safe={safe?}&cx={cx?}&sort={sort?}&filter={filter?}"
            "&gl={gl?}&cr={cr?}&googlehost={googleHost?}&c2coff={disableCnTwTranslation?}&hq={hq?}&hl={hl?}"
            "&siteSearch={siteSearch?}&siteSearchFilter={siteSearchFilter?}&exactTerms={exactTerms?}"
            "&excludeTerms={excludeTerms?}&linkSite={linkSite?}&orTerms={orTerms?}&dateRestrict={dateRestrict?}"
            "&lowRange={lowRange?}&highRange={highRange?}&searchType={searchType}&fileType={fileType?}"
            "&rights={rights?}&imgSize={imgSize?}&imgType={imgType?}&imgColorType={imgColorType?}"
            "&imgDominantColor={imgDominantColor?}&alt=json",
        },
        "queries": {"request": [_cse_query(q, cx, total, num, start)]},
        "context": {"title": "lurewatch blogspot"},
        "searchInformation": {
            "searchTime": 0.21,
            "formattedSearchTime": "0.21",
            "totalResults": str(total),
            "formattedTotalResults": f"{total:,}",
        },
    }
    if start + num - 1 < total:
        body["queries"]["nextPage"] = [_cse_query(q, cx, total, num, start + num)]
    if start > 1:
        body["queries"]["previousPage"] = [_cse_query(q, cx, total, num, max(1, start - num))]
    if page:  # absent on zero hits
        body["items"] = [_cse_item(r, _SITE.sub(" ", q)) for r in page]
    return json_response(body, headers=[("Vary", "Origin, X-Origin, Referer")])


def _brave_error(
    status: int, code: str, detail: str, meta: dict[str, Any] | None = None
) -> Response:
    error: dict[str, Any] = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{code}:{detail}")),
        "status": status,
        "code": code,
        "detail": detail,
    }
    if meta:
        error["meta"] = meta
    return json_response({"type": "ErrorResponse", "error": error, "time": 1764331200}, status)


def _brave_missing(where: str, name: str) -> Response:
    meta = {
        "errors": [
            {"type": "missing", "loc": [where, name], "msg": "Field required", "input": None}
        ]
    }
    return _brave_error(422, "VALIDATION", "Unable to validate request parameter(s)", meta)


def _brave_result(result: Result) -> dict[str, Any]:
    parts = urlsplit(result.url)
    return {
        "title": result.title,
        "url": result.url,
        "is_source_local": False,
        "is_source_both": False,
        "description": html_lib.escape(result.snippet),
        "profile": {
            "name": parts.netloc,
            "url": result.url,
            "long_name": parts.netloc,
            "img": f"https://imgs.search.brave.com/favicon/{parts.netloc}",
        },
        "language": "en",
        "family_friendly": True,
        "type": "search_result",
        "subtype": "generic",
        "is_live": False,
        "meta_url": {
            "scheme": parts.scheme,
            "netloc": parts.netloc,
            "hostname": parts.hostname,
            "favicon": f"https://imgs.search.brave.com/favicon/{parts.netloc}",
            "path": " › ".join(p for p in parts.path.split("/") if p),
        },
    }


def _brave(state: DiscoveryReplica, request: Request) -> Response:
    state.log.append(request.url)
    token = request.headers.get("x-subscription-token", "")
    if not token:
        return _brave_missing("header", "x-subscription-token")
    if token.startswith(INVALID_KEY_PREFIX):
        return _brave_error(
            401, "SUBSCRIPTION_TOKEN_INVALID", "The provided subscription token is invalid."
        )
    verdict = spend(state, "brave", token)
    if verdict is not None and not verdict.allowed:
        return brave_quota_error(verdict)
    q = request.arg("q") or ""
    if not q:
        return _brave_missing("query", "q")
    count = request.int_arg("count", BRAVE_MAX_COUNT)
    offset = request.int_arg("offset", 0)
    if not 1 <= count <= BRAVE_MAX_COUNT or not 0 <= offset <= BRAVE_MAX_OFFSET:
        meta = {
            "errors": [
                {
                    "type": "less_than_equal",
                    "loc": ["query", "offset" if count <= 20 else "count"],
                    "msg": "Input should be less than or equal to the maximum",
                }
            ]
        }
        return _brave_error(422, "VALIDATION", "Unable to validate request parameter(s)", meta)
    results = state.results(q)
    page = results[offset * count : (offset + 1) * count]
    body: dict[str, Any] = {
        "type": "search",
        "query": {
            "original": q,
            "show_strict_warning": False,
            "is_navigational": False,
            "is_news_breaking": False,
            "spellcheck_off": True,
            "country": "us",
            "bad_results": False,
            "should_fallback": False,
            "postal_code": "",
            "city": "",
            "header_country": "",
            "state": "",
            "more_results_available": (offset + 1) * count < len(results)
            and offset < BRAVE_MAX_OFFSET,
        },
        "mixed": {
            "type": "mixed",
            "main": [{"type": "web", "index": i, "all": False} for i in range(len(page))],
            "top": [],
            "side": [],
        },
    }
    if page:
        body["web"] = {
            "type": "search",
            "results": [_brave_result(r) for r in page],
            "family_friendly": True,
        }
    headers = [
        ("X-RateLimit-Limit", "20, 20000000"),
        ("X-RateLimit-Policy", "20;w=1, 20000000;w=2592000"),
        ("X-RateLimit-Remaining", "19, 19999999"),
        ("X-RateLimit-Reset", "1, 1419704"),
    ]
    return json_response(body, headers=headers)


SEARXNG_PAGE = 10


def _searxng(state: DiscoveryReplica, request: Request) -> Response:
    state.log.append(request.url)
    if request.arg("format") != "json":
        return Response(403, b"Forbidden", [("Content-Type", "text/plain")])
    q = request.arg("q") or ""
    page_number = request.int_arg("pageno", 1)
    results = state.results(q) if q and page_number >= 1 else []
    page = results[(page_number - 1) * SEARXNG_PAGE : page_number * SEARXNG_PAGE]
    body: dict[str, Any] = {
        "query": q,
        "number_of_results": 0,
        "results": [
            {
                "url": r.url,
                "title": r.title,
                "content": r.snippet,
                "engine": "duckduckgo",
                "engines": ["duckduckgo", "brave"],
                "parsed_url": list(urlparse(r.url)),
                "template": "default.html",
                "positions": [i + 1],
                "score": round(1.0 / (i + 1), 3),
                "category": "general",
            }
            for i, r in enumerate(page)
        ],
        "answers": [],
        "corrections": [],
        "infoboxes": [],
        "suggestions": [],
        "unresponsive_engines": [],
    }
    return json_response(body)


def register(router: Router, dataset: Dataset) -> None:
    """Register the discovery APIs; the state (with its request log) is ``router.discovery``."""
    state = DiscoveryReplica(dataset)
    router.discovery = state  # type: ignore[attr-defined]  # tests read the request log here
    router.add(
        r"(?:www|customsearch)\.googleapis\.com", r"/customsearch/v1", lambda r: _cse(state, r)
    )
    router.add(r"api\.search\.brave\.com", r"/res/v1/web/search", lambda r: _brave(state, r))
    router.add(r"searx\.example\.org", r"/search", lambda r: _searxng(state, r))

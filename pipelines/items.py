"""Items yielded by the spiders: one :class:`Hit` per post, with the landing pages it links to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["DETECTION_FIELDS", "EXPORT_FIELDS", "Hit", "LandingPage"]


@dataclass
class LandingPage:
    """A page reached by following one of a post's outbound links (one hop, redirects included)."""

    url: str  # the link as found in the post, unwrapped (t.umblr.com, href.li)
    final_url: str = ""  # after redirects / meta refresh
    status: int = 0
    html: str = ""  # bounded by the download size cap; not exported
    rendered: bool = False  # fetched through Chromium
    redirects: list[str] = field(default_factory=list)
    error: str | None = None  # why it could not be fetched (redirect loop, too large, timeout...)


@dataclass
class Hit:
    """One blog post, as crawled and then judged by the detection pipeline."""

    url: str
    platform: str  # tumblr | wordpress | blogger
    blog: str = ""
    title: str = ""
    text: str = ""  # plain text of the post body
    published: str | None = None  # ISO 8601
    tags: list[str] = field(default_factory=list)
    outbound_urls: list[str] = field(default_factory=list)
    landing_urls: list[str] = field(default_factory=list)  # final URLs of the landing pages
    fetched_at: str = ""  # ISO 8601, UTC
    post_id: str | None = None
    search: str | None = None  # the query or tag that found it
    # filled by pipelines.detection
    fake_stream: bool = False
    sso_lure: bool = False
    matched_title: str | None = None
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    lure_urls: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    verdict: str = "benign"  # benign | fake_stream | unwatched_fake | lure
    #: the film an unwatched fake stream offers, as extracted from the page (else None)
    candidate_title: str | None = None
    # working fields, never exported or indexed
    html: str = ""
    landing_pages: list[LandingPage] = field(default_factory=list)
    #: evidence of the fetch (pipelines/evidence.py): indexed under ``evidence``, not in feeds
    evidence: dict[str, Any] = field(default_factory=dict)


#: The fields the detection pipeline sets on a :class:`Hit`.
DETECTION_FIELDS: tuple[str, ...] = (
    "fake_stream",
    "sso_lure",
    "matched_title",
    "score",
    "reasons",
    "lure_urls",
    "templates",
    "verdict",
    "candidate_title",
)

#: The fields written by feed exports and indexed (everything but the working fields).
EXPORT_FIELDS: list[str] = [
    "url",
    "platform",
    "blog",
    "title",
    "text",
    "published",
    "tags",
    "outbound_urls",
    "landing_urls",
    "fetched_at",
    "post_id",
    "search",
    *DETECTION_FIELDS,
]

"""What one channel is told: incidents (a post, or a lure URL), each with its X-ARF v4 report.

An :class:`Incident` is one reported URL with the facts abuse desks ask for (category, platform,
blog, matched title, rights holder, the detection's reasons, first/last seen, evidence hashes,
campaign, request id). :func:`xarf_report` turns it into an X-ARF v4 report (xarf-spec 4.2.0):

- a fake-stream post on a blog platform: ``copyright``/``ugc_platform``;
- a fake-stream post on a self-hosted site: ``copyright``/``link_site`` (the streaming links);
- a lure (post or off-platform page): ``content``/``phishing``, or ``content``/``fraud`` when
  what it asks for is a payment card.

Reports are validated with the ``xarf`` package (the official schemas it ships); an invalid one
raises :class:`XarfInvalid` before anything is written or marked.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import xarf

from pipelines.exceptions import LurewatchError
from pipelines.safety import strip_controls
from pipelines.takedowns.config import Reporter
from pipelines.takedowns.store import StoredHit, iso
from pipelines.urls import host_of

__all__ = ["Incident", "XarfInvalid", "incident_for_hit", "request_id", "xarf_report"]

#: X-ARF report ids are UUIDs: derived from the request id, so a report is traceable both ways.
_REPORT_NAMESPACE = uuid.UUID("5b2f4a8e-3f5c-4c11-9a51-6c7577617463")
_PLATFORM_NAMES = {"tumblr": "Tumblr", "blogger": "Blogger", "wordpress": "WordPress.com"}
_MAX_DESCRIPTION = 1000
_MAX_EVIDENCE_BYTES = 5 * 1024 * 1024  # X-ARF: 5 MB per evidence item
_MAX_REASONS = 20


class XarfInvalid(LurewatchError):
    """A generated X-ARF report fails the XARF v4 schemas (a bug: nothing is sent)."""


def request_id(doc_id: str, reported_at: datetime) -> str:
    """The request id of reporting hit ``doc_id`` at ``reported_at``: ``lw-<date>-<12 hex>``."""
    digest = hashlib.sha256(f"{doc_id}|{iso(reported_at)}".encode()).hexdigest()[:12]
    return f"lw-{reported_at:%Y%m%d}-{digest}"


def _text(value: Any, limit: int = 500) -> str:
    """Page text made one inert line: controls and bidi marks out, whitespace collapsed."""
    return " ".join(strip_controls(str(value or "")).split())[:limit]


@dataclass
class Incident:
    """One reported URL in one channel."""

    request_id: str
    subject: str  # post | lure_url
    url: str
    category: str  # copyright | phishing | fraud
    platform: str
    blog: str
    matched_title: str
    rights_holder: str
    reasons: list[str]
    first_seen: str
    last_seen: str
    score: int
    campaign_id: str
    campaign_size: int
    evidence_hashes: list[str] = field(default_factory=list)
    screenshots: list[str] = field(default_factory=list)  # paths of the PNGs (item 2's evidence)
    linked_urls: list[str] = field(default_factory=list)  # landing / lure URLs of the post
    linked_from: list[str] = field(default_factory=list)  # for a lure URL: the posts linking it
    hit_ids: list[str] = field(default_factory=list)
    channel: str = ""
    self_hosted: bool = False

    @property
    def report_id(self) -> str:
        """The X-ARF ``report_id`` (a UUID derived from :attr:`request_id`)."""
        return str(uuid.uuid5(_REPORT_NAMESPACE, self.request_id))

    @property
    def evidence_summary(self) -> str:
        """The detection's reasons in one line."""
        return "; ".join(self.reasons)

    def row(self) -> dict[str, Any]:
        """The CSV/JSON record abuse desks ask for."""
        return {
            "request_id": self.request_id,
            "channel": self.channel,
            "subject": self.subject,
            "reported_url": self.url,
            "category": self.category,
            "platform": self.platform,
            "blog": self.blog,
            "matched_title": self.matched_title,
            "rights_holder": self.rights_holder,
            "evidence_summary": self.evidence_summary,
            "score": self.score,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "evidence_hashes": " ".join(self.evidence_hashes),
            "campaign_id": self.campaign_id,
            "campaign_size": self.campaign_size,
            "linked_urls": " ".join(self.linked_urls),
            "linked_from": " ".join(self.linked_from),
            "xarf_report_id": self.report_id,
        }


def _category(hit: StoredHit) -> str:
    if hit.get("verdict") != "lure" and not hit.get("sso_lure"):
        return "copyright"
    reasons = " ".join(str(r) for r in hit.get("reasons") or ())
    return "fraud" if "card form" in reasons and "password form" not in reasons else "phishing"


def _evidence_hashes(source: dict[str, Any]) -> tuple[list[str], list[str]]:
    """``sha256:`` hashes of the fetched HTML and screenshots, and the screenshots' paths."""
    evidence = source.get("evidence") or {}
    hashes = [f"sha256:{evidence['html_sha256']}"] if evidence.get("html_sha256") else []
    paths = []
    for shot in evidence.get("screenshots") or ():
        if isinstance(shot, dict) and shot.get("sha256"):
            hashes.append(f"sha256:{shot['sha256']}")
            paths.append(str(shot.get("path") or ""))
    return hashes, [p for p in paths if p]


def incident_for_hit(
    hit: StoredHit, request: str, rights_holder: str, campaign: tuple[str, int], self_hosted: bool
) -> Incident:
    """The incident of reporting the post of ``hit`` itself."""
    hashes, shots = _evidence_hashes(hit.source)
    linked = [*(hit.get("lure_urls") or ()), *(hit.get("landing_urls") or ())]
    return Incident(
        request_id=request,
        subject="post",
        url=str(hit.get("url")),
        category=_category(hit),
        platform=str(hit.get("platform") or ""),
        blog=_text(hit.get("blog"), 200),
        matched_title=_text(hit.get("matched_title"), 200),
        rights_holder=rights_holder,
        reasons=[_text(r) for r in (hit.get("reasons") or ())[:_MAX_REASONS]],
        first_seen=str(hit.get("first_seen") or ""),
        last_seen=str(hit.get("last_seen") or ""),
        score=int(hit.get("score") or 0),
        campaign_id=campaign[0],
        campaign_size=campaign[1],
        evidence_hashes=hashes,
        screenshots=shots,
        linked_urls=list(dict.fromkeys(str(u) for u in linked if u != hit.get("url"))),
        hit_ids=[hit.id],
        self_hosted=self_hosted,
    )


def _description(incident: Incident) -> str:
    what = {
        "copyright": "Fake streaming post (no film; links to ad, scam or malware pages)",
        "phishing": "Credential lure (page asking for account passwords)",
        "fraud": "Card capture lure (page asking for payment card details)",
    }[incident.category]
    title = f" for {incident.matched_title!r}" if incident.matched_title else ""
    return f"{what}{title}. Evidence: {incident.evidence_summary}"[:_MAX_DESCRIPTION]


def _evidence_items(incident: Incident) -> list[dict[str, Any]]:
    summary = "\n".join(incident.reasons) or "no reasons recorded"
    items = [
        xarf.create_evidence("text/plain", summary, description="lurewatch detection reasons")
    ]
    for path in incident.screenshots:
        screenshot = Path(path)
        if screenshot.is_file() and screenshot.stat().st_size <= _MAX_EVIDENCE_BYTES:
            items.append(
                xarf.create_evidence(
                    "image/png", screenshot.read_bytes(), description="screenshot of the page"
                )
            )
    return [item.model_dump(by_alias=True, exclude_none=True) for item in items]


def _type_fields(incident: Incident, verified_at: str) -> dict[str, Any]:
    host = host_of(incident.url)
    if incident.category == "copyright" and incident.self_hosted:
        links = [
            {"target_url": url, "link_type": "streaming_link"} for url in incident.linked_urls
        ]
        fields: dict[str, Any] = {
            "category": "copyright",
            "type": "link_site",
            "infringing_url": incident.url,
            "site_name": host,
            "site_category": "streaming_links",
            "evidence_source": "automated_crawl",
            **({"linked_content": links} if links else {}),
        }
    elif incident.category == "copyright":
        fields = {
            "category": "copyright",
            "type": "ugc_platform",
            "infringing_url": incident.url,
            "platform_name": _PLATFORM_NAMES.get(incident.platform, incident.platform or host),
            "evidence_source": "automated_detection",
        }
    else:
        fields = {
            "category": "content",
            "type": incident.category,
            "url": incident.url,
            "domain": host,
            "verified_at": verified_at,
            "verification_method": "automated_crawler",
        }
        if incident.category == "fraud":
            fields.update(fraud_type="other", payment_methods=["credit_card"])
        else:
            fields["lure_type"] = "other"
    if incident.category == "copyright":
        fields["work_category"] = "movie"
        if incident.matched_title:
            fields["work_title"] = incident.matched_title
        if incident.rights_holder:
            fields["rights_holder"] = incident.rights_holder
    return fields


def xarf_report(incident: Incident, reporter: Reporter, reported_at: datetime) -> dict[str, Any]:
    """The X-ARF v4 report of ``incident``; raises :class:`XarfInvalid` if the schemas refuse."""
    tags = [f"lurewatch:{incident.request_id}"]
    if incident.campaign_id:
        tags.append(f"campaign:{incident.campaign_id}")
    report: dict[str, Any] = {
        "xarf_version": "4.2.0",
        "report_id": incident.report_id,
        "timestamp": iso(reported_at),
        "reporter": reporter.xarf_contact(),
        "sender": reporter.xarf_contact(),
        "source_identifier": host_of(incident.url),
        **_type_fields(incident, incident.last_seen or iso(reported_at)),
        "confidence": round(min(max(incident.score, 0), 100) / 100, 2),
        "description": _description(incident),
        "evidence": _evidence_items(incident),
        "tags": tags,
    }
    result = xarf.parse(json.dumps(report))
    if result.errors:
        problems = "; ".join(f"{e.field or '/'}: {e.message}" for e in result.errors[:5])
        raise XarfInvalid(f"X-ARF report for {incident.request_id} is invalid: {problems}")
    return report

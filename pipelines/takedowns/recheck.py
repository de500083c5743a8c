"""``takedowns recheck``: is a reported post gone? And how long did its removal take?

Each reported post is fetched once per user agent (``LUREWATCH_RECHECK_USER_AGENTS``, at least
two). One fetch says (:func:`classify_fetch`):

- ``http_404`` / ``http_410``: the answer's status;
- ``platform_not_found`` / ``platform_terminated``: the platform's "not found" or "terminated"
  wording (with a 404, or a "soft 404" 200);
- ``nxdomain``: the host no longer resolves;
- ``content_changed``: the page answers but no longer matches: the detection core judges it
  benign and none of the links the post was reported for, nor its title or matched title, is
  on it;
- ``up``: still there; ``unknown``: a timeout, a 5xx, a refusal: says nothing.

The post is ``removed`` only when every fetch, under at least two different user agents, says
gone (:func:`judge`): a cloaked post showing a 404 to one agent and the page to the other stays
``reported``. The removal records how it was observed (``removal_method``: the kinds seen, and
``removal_observations``: ``<agent #>:<kind>:<status>`` per fetch).
"""

from __future__ import annotations

import html
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipelines.scoring import assess_page
from pipelines.takedowns.store import StoredHit, iso
from pipelines.watchlists import Watchlists

__all__ = [
    "TTR_DEFINITION",
    "Judgement",
    "Observation",
    "RemovalFigure",
    "classify_fetch",
    "format_seconds",
    "judge",
    "parse_time",
    "recheck_update",
    "time_to_removal",
]

#: What the time-to-removal figures measure, printed next to them.
TTR_DEFINITION = (
    "time to removal = first verified removal minus first report: from reported_at (the export "
    "that first sent the hit to an abuse channel) to the recheck at which fetches under two "
    "different user agents all saw the post gone (404/410, the platform's not-found or "
    "terminated page, NXDOMAIN, or content no longer matching); median and 90th percentile "
    "(nearest rank) over the removed hits of each group; hits still up are not in the figure"
)

GONE = (
    "http_404",
    "http_410",
    "platform_not_found",
    "platform_terminated",
    "nxdomain",
    "content_changed",
)

#: The platforms' own wording for a post or a blog that is no more (lower-case).
_NOT_FOUND = (
    "there's nothing here",
    "there’s nothing here",
    "the page you were looking for in this blog does not exist",
    "that page can’t be found",
    "that page can't be found",
    "doesn’t exist",
    "doesn't exist",
    "is no longer available",
)
_TERMINATED = (
    "has been terminated",
    "blog has been removed",
    "has been removed for violating",
    "archived or suspended",
)
_MAX_TEXT = 200_000
_HEADLINE_RE = re.compile(r"<(title|h1)\b[^>]*>(.{0,500}?)</\1>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Observation:
    """One fetch of a reported post under one user agent."""

    url: str
    agent: int  # index of the user agent
    status: int = 0  # 0: no HTTP answer
    body: str = ""  # the page's HTML (bounded)
    error: str = ""  # nxdomain | timeout | refused | <exception name>


@dataclass(frozen=True)
class Judgement:
    """What the fetches of one post say together."""

    removed: bool
    method: str  # the gone kinds seen, "+"-joined; "" unless removed
    observations: tuple[str, ...]  # "<agent>:<kind>:<status>" per fetch


def _headline(body: str) -> str:
    """The page's ``<title>`` and ``<h1>`` texts: where a platform says a post is gone."""
    found = _HEADLINE_RE.findall(body[:_MAX_TEXT])
    return " ".join(re.sub(r"<[^>]*>", " ", text) for _, text in found)


def _platform_wording(body: str, whole: bool) -> str:
    """The platform's gone wording in ``body`` (``whole``) or only in its headline (a 200)."""
    text = (body[:_MAX_TEXT] if whole else _headline(body)).lower()
    if any(phrase in text for phrase in _TERMINATED):
        return "platform_terminated"
    if any(phrase in text for phrase in _NOT_FOUND):
        return "platform_not_found"
    return ""


def _still_matches(hit: Mapping[str, Any], obs: Observation, wl: Watchlists) -> bool:
    if assess_page(obs.body[:_MAX_TEXT], obs.url, wl).verdict != "benign":
        return True
    links = [*(hit.get("lure_urls") or ()), *(hit.get("outbound_urls") or ())]
    if any(str(link) in obs.body for link in links if link and link != hit.get("url")):
        return True
    titles = [str(hit.get(name) or "") for name in ("title", "matched_title")]
    page = html.unescape(obs.body)
    return any(t and re.search(re.escape(t), page, re.IGNORECASE) for t in titles)


def classify_fetch(hit: Mapping[str, Any], obs: Observation, wl: Watchlists) -> str:
    """What one fetch says about the post: a :data:`GONE` kind, ``up`` or ``unknown``."""
    if obs.error:
        return "nxdomain" if obs.error == "nxdomain" else "unknown"
    if obs.status in (404, 410):
        return _platform_wording(obs.body, whole=True) or f"http_{obs.status}"
    if obs.status != 200:
        return "unknown"
    # a "soft 404" (200 with the platform's not-found page) says so in its headline only: a
    # live post may well contain "doesn't exist" in its text
    wording = _platform_wording(obs.body, whole=False)
    if wording:
        return wording
    return "up" if _still_matches(hit, obs, wl) else "content_changed"


def judge(
    hit: Mapping[str, Any], observations: Sequence[Observation], wl: Watchlists
) -> Judgement:
    """``removed`` when every fetch says gone and at least two user agents were asked."""
    kinds = [classify_fetch(hit, obs, wl) for obs in observations]
    seen = tuple(f"{o.agent}:{k}:{o.status}" for o, k in zip(observations, kinds, strict=True))
    agents = {o.agent for o in observations}
    removed = len(agents) >= 2 and all(kind in GONE for kind in kinds)
    method = "+".join(sorted(set(kinds))) if removed else ""
    return Judgement(removed, method, seen)


def parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def recheck_update(hit: StoredHit, judgement: Judgement, now: datetime) -> dict[str, Any]:
    """The partial document recording this recheck (and the removal, if it was one)."""
    doc: dict[str, Any] = {
        "last_checked": iso(now),
        "check_count": int(hit.get("check_count") or 0) + 1,
        "removal_observations": list(judgement.observations),
    }
    if judgement.removed:
        reported = parse_time(hit.get("reported_at"))
        doc.update(status="removed", removed_at=iso(now), removal_method=judgement.method)
        if reported is not None:
            doc["time_to_removal_seconds"] = max(0, round((now - reported).total_seconds()))
    return doc


@dataclass(frozen=True)
class RemovalFigure:
    """Time to removal of one group (a platform or a channel)."""

    group: str
    removed: int
    still_reported: int
    median_seconds: float | None
    p90_seconds: float | None
    definition: str = field(default=TTR_DEFINITION, repr=False)


def _nearest_rank(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def time_to_removal(hits: Iterable[Mapping[str, Any]], by: str) -> list[RemovalFigure]:
    """Median and p90 time to removal per value of field ``by`` (``platform``, ``channel``)."""
    removed: dict[str, list[float]] = defaultdict(list)
    waiting: dict[str, int] = defaultdict(int)
    for hit in hits:
        group = str(hit.get(by) or "unknown")
        seconds = hit.get("time_to_removal_seconds")
        if hit.get("status") == "removed" and seconds is not None:
            removed[group].append(float(seconds))
        elif hit.get("status") == "reported":
            waiting[group] += 1
    figures = []
    for group in sorted(set(removed) | set(waiting)):
        values = removed.get(group, [])
        figures.append(
            RemovalFigure(
                group,
                len(values),
                waiting.get(group, 0),
                statistics.median(values) if values else None,
                _nearest_rank(values, 0.9) if values else None,
            )
        )
    return figures


def format_seconds(seconds: float | None) -> str:
    """``"3h 05m"``, ``"2d 4h"``, ``"45s"``; ``"-"`` for none."""
    if seconds is None:
        return "-"
    whole = round(seconds)
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"

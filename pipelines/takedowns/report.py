"""``lurewatch report``: a self-contained HTML report of the hits and their takedowns.

:func:`summarise` turns hit documents into the figures (hits per day per platform, top titles,
top lure domains, campaigns, reported vs removed, time to removal per platform with its
definition); :func:`render_report` writes them as one HTML page: tables, and charts drawn by
pygal as inline SVG. The page loads nothing (no CDN, no script, no font or image from elsewhere):
pygal's own configuration ``<script>`` is taken out of each SVG, its CSS stays inline.

All text comes from hostile pages (titles, domains, campaign examples): the page is rendered by
Jinja2 with autoescape on, and pygal writes labels through lxml, which escapes them.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipelines.takedowns._pygal import pygal
from pipelines.takedowns.recheck import (
    TTR_DEFINITION,
    RemovalFigure,
    format_seconds,
    parse_time,
    time_to_removal,
)
from pipelines.takedowns.store import iso

__all__ = ["ReportData", "render_report", "report_query", "summarise"]

PLATFORMS = ("tumblr", "wordpress", "blogger")
_TOP = 10
_MAX_LABEL = 80
#: pygal's per-chart configuration script (tooltips); the report runs no script at all.
_PYGAL_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


def report_query(since: datetime) -> dict[str, Any]:
    """Hits seen, reported or removed at or after ``since``."""
    stamp = iso(since)
    fields = ("first_seen", "last_seen", "reported_at", "removed_at")
    return {
        "bool": {
            "should": [{"range": {name: {"gte": stamp}}} for name in fields],
            "minimum_should_match": 1,
        }
    }


@dataclass
class Campaign:
    """One campaign of the report: hits sharing a ``campaign_id``."""

    id: str
    size: int
    platforms: list[str]
    example: str
    removed: int


@dataclass
class ReportData:
    """The figures of one report."""

    since: datetime
    now: datetime
    days: list[str] = field(default_factory=list)
    per_day: dict[str, dict[str, int]] = field(default_factory=dict)  # platform -> day -> n
    hits: int = 0
    false_positives: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    titles: list[tuple[str, int]] = field(default_factory=list)
    lure_domains: list[tuple[str, int]] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    outcome: dict[str, dict[str, int]] = field(default_factory=dict)  # platform -> counts
    removal: list[RemovalFigure] = field(default_factory=list)
    definition: str = TTR_DEFINITION


def _days(since: datetime, now: datetime) -> list[str]:
    days: list[str] = []
    day = since.date()
    while day <= now.date() and len(days) < 400:
        days.append(day.isoformat())
        day += timedelta(days=1)
    return days


def _label(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def _campaigns(hits: list[Mapping[str, Any]]) -> list[Campaign]:
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for hit in hits:
        if hit.get("campaign_id"):
            groups[str(hit["campaign_id"])].append(hit)
    found = [
        Campaign(
            id=cid,
            size=len(members),
            platforms=sorted({str(m.get("platform")) for m in members}),
            example=_label(members[0].get("matched_title") or members[0].get("title") or ""),
            removed=sum(1 for m in members if m.get("status") == "removed"),
        )
        for cid, members in groups.items()
        if len(members) > 1
    ]
    return sorted(found, key=lambda c: (-c.size, c.id))[:_TOP]


def _outcome(hits: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for hit in hits:
        row = counts.setdefault(str(hit.get("platform")), {"hits": 0, "reported": 0, "removed": 0})
        row["hits"] += 1
        row["reported"] += 1 if hit.get("reported_at") else 0
        row["removed"] += 1 if hit.get("status") == "removed" else 0
    return dict(sorted(counts.items()))


def _per_day(hits: Iterable[Mapping[str, Any]], days: list[str]) -> dict[str, dict[str, int]]:
    per_day: dict[str, dict[str, int]] = {}
    wanted = set(days)
    for hit in hits:
        seen = parse_time(hit.get("first_seen"))
        day = seen.date().isoformat() if seen else ""
        if day in wanted:
            row = per_day.setdefault(str(hit.get("platform")), dict.fromkeys(days, 0))
            row[day] += 1
    return dict(sorted(per_day.items()))


def summarise(docs: Iterable[Mapping[str, Any]], since: datetime, now: datetime) -> ReportData:
    """The report's figures over hit documents (false positives counted apart, never as hits)."""
    all_docs = list(docs)
    hits = [d for d in all_docs if d.get("status") != "false_positive"]
    data = ReportData(since=since, now=now, days=_days(since, now))
    data.hits = len(hits)
    data.false_positives = len(all_docs) - len(hits)
    data.statuses = dict(Counter(str(d.get("status") or "new") for d in all_docs))
    data.per_day = _per_day(hits, data.days)
    titles = Counter(_label(h["matched_title"]) for h in hits if h.get("matched_title"))
    data.titles = titles.most_common(_TOP)
    domains = Counter(_label(d) for h in hits for d in set(h.get("lure_domains") or []))
    data.lure_domains = domains.most_common(_TOP)
    data.campaigns = _campaigns(hits)
    data.outcome = _outcome(hits)
    data.removal = time_to_removal(hits, "platform")
    return data


def _style() -> Any:
    return pygal.style.Style(background="white", plot_background="white", font_family="sans-serif")


def _svg(chart: Any) -> Markup:
    """The chart as inline SVG markup, without pygal's script."""
    svg = chart.render(is_unicode=True)
    return Markup(_PYGAL_SCRIPT.sub("", svg))  # noqa: S704 - lxml-escaped SVG, script removed


def _chart(kind: Any, title: str, **options: Any) -> Any:
    return kind(
        js=[],
        disable_xml_declaration=True,
        width=900,
        height=360,
        title=title,
        style=_style(),
        print_values=False,
        **options,
    )


def _charts(data: ReportData) -> dict[str, Markup]:
    charts: dict[str, Markup] = {}
    per_day = _chart(pygal.StackedBar, "Hits per day per platform", x_label_rotation=45)
    per_day.x_labels = data.days
    for platform, row in data.per_day.items():
        per_day.add(platform, [row[d] for d in data.days])
    charts["per_day"] = _svg(per_day)
    outcome = _chart(pygal.Bar, "Reported vs removed per platform")
    outcome.x_labels = list(data.outcome)
    for what in ("hits", "reported", "removed"):
        outcome.add(what, [row[what] for row in data.outcome.values()])
    charts["outcome"] = _svg(outcome)
    domains = _chart(pygal.HorizontalBar, "Top lure domains", show_legend=False)
    domains.x_labels = [name for name, _ in data.lure_domains]
    domains.add("hits", [n for _, n in data.lure_domains])
    charts["domains"] = _svg(domains)
    titles = _chart(pygal.HorizontalBar, "Top titles", show_legend=False)
    titles.x_labels = [name for name, _ in data.titles]
    titles.add("hits", [n for _, n in data.titles])
    charts["titles"] = _svg(titles)
    return charts


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipelines.takedowns", "templates"),
        autoescape=True,  # every value is page text: escaped unless marked safe (the SVG)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["duration"] = format_seconds
    return env


def render_report(data: ReportData) -> str:
    """The HTML page of ``data`` (one file, nothing loaded from elsewhere)."""
    template = _environment().get_template("report.html.j2")
    return template.render(
        data=data,
        charts=_charts(data),
        since=iso(data.since),
        now=iso(data.now),
    )

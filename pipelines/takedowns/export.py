"""``takedowns export``: from the index's new hits to files per abuse channel, each hit once.

1. campaigns over every hit that is no false positive (:mod:`pipelines.takedowns.campaigns`),
   their fields written where they changed;
2. select: status ``new``, score >= the minimum (or confirmed by an analyst), never a false
   positive, and the command's filters (:func:`pipelines.takedowns.store.export_query`);
3. plan: each hit's channel (:mod:`pipelines.takedowns.channels`, RDAP for self-hosted sites),
   one incident per hit, one per off-platform lure URL in each of its domain's channels;
   every X-ARF report is built and validated now, before anything is marked or written;
4. mark: per hit, a guarded update (``status: reported``, ``reported_at``, ``request_id``,
   ``channel``, ``reported_to``, ``report_id``, campaign); a hit changed meanwhile is dropped
   from this export and waits for the next one, so no hit is ever in two exports;
5. write the files of the hits that were marked (:mod:`pipelines.takedowns.writers`).

``dry_run`` does 1-3 and 5 (campaigns computed, not written) and changes nothing in the
index (files are still written).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.evidence import EvidenceStore
from pipelines.takedowns.campaigns import Campaign, cluster
from pipelines.takedowns.channels import (
    Channel,
    is_platform_host,
    lure_channels,
    network_channel,
    platform_channel,
)
from pipelines.takedowns.config import TakedownConfig
from pipelines.takedowns.incidents import Incident, incident_for_hit, request_id, xarf_report
from pipelines.takedowns.notices import notice_environment, render_notice
from pipelines.takedowns.rdap import ContactFinder
from pipelines.takedowns.store import Criteria, HitStore, StoredHit, export_query, iso
from pipelines.takedowns.writers import ChannelFiles, write_channel
from pipelines.urls import host_of, registrable_domain

__all__ = ["ExportResult", "export_hits", "refresh_campaigns"]

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_NOT_FALSE_POSITIVE = {
    "bool": {
        "must_not": [
            {"term": {"review": "false_positive"}},
            {"term": {"status": "false_positive"}},
        ]
    }
}


@dataclass
class ExportResult:
    """What an export did."""

    export_id: str
    selected: int = 0
    reported: int = 0  # hits marked (in a dry run: that would be marked)
    conflicts: int = 0  # hits changed while exporting: left for the next export
    campaigns_updated: int = 0
    channels: dict[str, ChannelFiles] = field(default_factory=dict)
    dry_run: bool = False


@dataclass
class _Plan:
    channels: dict[str, Channel] = field(default_factory=dict)
    incidents: dict[str, list[Incident]] = field(default_factory=lambda: defaultdict(list))
    lures: dict[tuple[str, str], Incident] = field(default_factory=dict)
    updates: dict[str, tuple[StoredHit, dict[str, Any]]] = field(default_factory=dict)


async def _hit_channel(hit: StoredHit, finder: ContactFinder) -> Channel:
    # the host as served (www. kept): the one DNS and security.txt answer for
    host = host_of(str(hit.get("url")))
    known = platform_channel(str(hit.get("platform") or ""), host)
    return known or network_channel(await finder.site_contacts(host))


def _stored_files(config: TakedownConfig, relative: list[str]) -> list[str]:
    """Evidence paths of a document (relative to the evidence folder) as files to attach."""
    store = EvidenceStore(config.evidence_root)
    found = []
    for path in relative:
        try:
            found.append(str(store.path(path)))
        except ValueError:
            logger.warning("evidence path outside the evidence folder ignored: %r", path)
    return found


async def _plan_hit(
    plan: _Plan,
    hit: StoredHit,
    finder: ContactFinder,
    config: TakedownConfig,
    campaign: Campaign,
    now: datetime,
) -> None:
    channel = await _hit_channel(hit, finder)
    request = request_id(hit.id, now)
    holder = config.rights_holder(hit.get("matched_title"))
    incident = incident_for_hit(
        hit, request, holder, (campaign.id, campaign.size), channel.kind != "platform"
    )
    incident.screenshots = _stored_files(config, incident.screenshots)
    incident.channel = channel.key
    plan.channels[channel.key] = channel
    plan.incidents[channel.key].append(incident)
    reported_to = [channel.key, *await _plan_lures(plan, hit, incident, finder, now)]
    plan.updates[hit.id] = (
        hit,
        {
            "status": "reported",
            "reported_at": iso(now),
            "request_id": request,
            "channel": channel.key,
            "reported_to": list(dict.fromkeys(reported_to)),
            "report_id": incident.report_id,
            "campaign_id": campaign.id,
            "campaign_size": campaign.size,
        },
    )


def _lure_urls_by_domain(hit: StoredHit) -> dict[str, list[str]]:
    """Off-platform lure URLs of ``hit`` by registrable domain (the post's own site left out)."""
    own = registrable_domain(str(hit.get("url_host") or host_of(str(hit.get("url")))))
    found: dict[str, list[str]] = defaultdict(list)
    for url in hit.get("lure_urls") or ():
        host = host_of(str(url))
        domain = registrable_domain(host) if host else ""
        if domain and domain != own and not is_platform_host(host):
            found[host].append(str(url))
    return found


async def _plan_lures(
    plan: _Plan, hit: StoredHit, post: Incident, finder: ContactFinder, now: datetime
) -> list[str]:
    """Add the lure-URL incidents of ``hit`` to its domains' channels; return those channels."""
    keys: list[str] = []
    for host, urls in _lure_urls_by_domain(hit).items():
        for channel in lure_channels(await finder.site_contacts(host)):
            plan.channels[channel.key] = channel
            keys.append(channel.key)
            for url in urls:
                _add_lure(plan, channel, url, post, now)
    return keys


def _add_lure(plan: _Plan, channel: Channel, url: str, post: Incident, now: datetime) -> None:
    known = plan.lures.get((channel.key, url))
    if known is not None:
        known.linked_from.append(post.url)
        known.hit_ids.append(post.hit_ids[0])
        return
    incident = Incident(
        request_id=request_id(f"{channel.key}|{url}", now),
        subject="lure_url",
        url=url,
        category="fraud" if post.category == "fraud" else "phishing",
        platform="",
        blog="",
        matched_title="",
        rights_holder="",
        reasons=post.reasons,
        first_seen=post.first_seen,
        last_seen=post.last_seen,
        score=post.score,
        campaign_id=post.campaign_id,
        campaign_size=post.campaign_size,
        linked_from=[post.url],
        hit_ids=list(post.hit_ids),
        channel=channel.key,
    )
    plan.lures[channel.key, url] = incident
    plan.incidents[channel.key].append(incident)


async def refresh_campaigns(
    store: HitStore, threshold: float, dry_run: bool = False
) -> tuple[dict[str, Campaign], dict[str, StoredHit], int]:
    """Cluster every hit that is no false positive; write changed ``campaign_*`` fields.

    Returns the campaigns by hit id, the hits read, and how many documents were updated.
    """
    hits = {hit.id: hit for hit in await store.search(_NOT_FALSE_POSITIVE)}
    campaigns = cluster({i: h.source for i, h in hits.items()}, threshold)
    updated = 0
    for hit_id, campaign in campaigns.items():
        hit = hits[hit_id]
        doc = {
            "campaign_id": campaign.id,
            "campaign_size": campaign.size,
            "campaign_signals": list(campaign.signals),
        }
        if any(hit.get(k) != v for k, v in doc.items()) and not dry_run:
            updated += await store.update(hit, doc)
    return campaigns, hits, updated


def _keep_marked(plan: _Plan, marked: set[str]) -> dict[str, list[Incident]]:
    """The incidents of the hits that were marked (lure incidents: of their marked posts)."""
    kept: dict[str, list[Incident]] = {}
    for key, incidents in plan.incidents.items():
        left = []
        for incident in incidents:
            ids = [i for i in incident.hit_ids if i in marked]
            if ids:
                incident.hit_ids = ids
                left.append(incident)
        if left:
            kept[key] = left
    return kept


async def export_hits(
    store: HitStore,
    finder: ContactFinder,
    config: TakedownConfig,
    criteria: Criteria,
    out_dir: Path,
    *,
    now: Clock = lambda: datetime.now(UTC),
    dry_run: bool = False,
) -> ExportResult:
    """Run the export described in the module docstring; return what it did."""
    moment = now()
    result = ExportResult(export_id=moment.strftime("%Y%m%dT%H%M%SZ"), dry_run=dry_run)
    # campaigns first: their updates change the documents' versions the marking is guarded by
    campaigns, _, result.campaigns_updated = await refresh_campaigns(
        store, config.campaign_threshold, dry_run
    )
    selected = await store.search(export_query(criteria))
    result.selected = len(selected)
    if not selected:
        return result
    plan = _Plan()
    for hit in selected:
        campaign = campaigns.get(hit.id) or Campaign(f"c-{hit.id[:12]}", (hit.id,), ())
        await _plan_hit(plan, hit, finder, config, campaign, moment)
    reports = {
        i.request_id: xarf_report(i, config.reporter, moment)
        for incidents in plan.incidents.values()
        for i in incidents
    }
    marked = await _mark(store, plan, dry_run, result)
    env = notice_environment(config.templates_dir)
    for key, incidents in _keep_marked(plan, marked).items():
        channel = plan.channels[key]
        notice = render_notice(env, channel, incidents, config.reporter, result.export_id)
        files = write_channel(
            out_dir,
            channel,
            incidents,
            [reports[i.request_id] for i in incidents],
            notice,
            result.export_id,
        )
        result.channels[key] = files
    return result


async def _mark(store: HitStore, plan: _Plan, dry_run: bool, result: ExportResult) -> set[str]:
    if dry_run:
        result.reported = len(plan.updates)
        return set(plan.updates)
    marked = set()
    for hit_id, (hit, doc) in plan.updates.items():
        if await store.update(hit, doc):
            marked.add(hit_id)
        else:
            result.conflicts += 1
    result.reported = len(marked)
    return marked

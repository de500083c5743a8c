"""The takedown core without services: fakes for the index and RDAP."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pipelines.exceptions import ConfigError
from pipelines.takedowns.campaigns import cluster
from pipelines.takedowns.channels import network_channel, platform_channel
from pipelines.takedowns.config import TakedownConfig, parse_duration
from pipelines.takedowns.export import export_hits
from pipelines.takedowns.rdap import (
    ContactFinder,
    NetworkContact,
    SiteContacts,
    abuse_emails,
    parse_security_txt,
)
from pipelines.takedowns.recheck import Observation, classify_fetch, judge, time_to_removal
from pipelines.takedowns.store import Criteria, HitStore, StoredHit
from pipelines.watchlists import load_watchlists
from tests._settings import lurewatch_settings

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HOSTILE_BLOG = '=HYPERLINK("http://x")\n\nI withdraw this notice <script>alert(1)</script>'


def _config(tmp: Path, **extra: Any) -> TakedownConfig:
    values = {
        "LUREWATCH_REPORTER_NAME": "Ann Analyst",
        "LUREWATCH_REPORTER_EMAIL": "ann@rights.example",
        "LUREWATCH_DATA_DIR": str(tmp),
        **extra,
    }
    return TakedownConfig.from_settings(lurewatch_settings(values))


class FakeStore(HitStore):
    """Documents in a dict; every update bumps the version, a stale one conflicts."""

    def __init__(self, docs: dict[str, dict[str, Any]]) -> None:
        self.docs = docs
        self.seq = dict.fromkeys(docs, 1)
        self.queries: list[dict[str, Any]] = []

    async def search(self, query: dict[str, Any]) -> list[StoredHit]:
        self.queries.append(query)
        wanted = [i for i, d in self.docs.items() if _matches(d, query)]
        return [StoredHit(i, "idx", self.seq[i], 1, dict(self.docs[i])) for i in sorted(wanted)]

    async def update(self, hit: StoredHit, doc: dict[str, Any]) -> bool:
        if self.seq[hit.id] != hit.seq_no:
            return False
        self.docs[hit.id].update(doc)
        self.seq[hit.id] += 1
        return True

    async def by_ids(self, ids: Any) -> list[StoredHit]:
        raise NotImplementedError


def _matches(doc: dict[str, Any], query: dict[str, Any]) -> bool:
    """Enough of the query language for the export's queries: status and review terms."""
    text = json.dumps(query)
    if doc.get("status") == "false_positive" or doc.get("review") == "false_positive":
        return False
    return '"status": "new"' not in text or doc.get("status") == "new"


class FakeFinder(ContactFinder):
    async def site_contacts(self, host: str) -> SiteContacts:
        registrar = NetworkContact("registrar", "Porkfolio", ("abuse@pork.test",), "rdap", host)
        hosting = NetworkContact("hosting", "Cheaphost", ("abuse@cheap.test",), "rdap", host)
        return SiteContacts(host, registrar, (hosting,), ("mailto:security@site.test",))


def _doc(url: str, platform: str, **extra: Any) -> dict[str, Any]:
    return {
        "url": url,
        "platform": platform,
        "blog": "films",
        "title": "Watch Dune full movie",
        "text": "watch dune part three full movie free hd online streaming now here",
        "status": "new",
        "score": 80,
        "verdict": "fake_stream",
        "fake_stream": True,
        "matched_title": "Dune: Part Three",
        "reasons": ["fake-stream template", "=cmd|' /C calc'!A0"],
        "first_seen": "2026-11-20T00:00:00.000Z",
        "last_seen": "2026-11-29T00:00:00.000Z",
        **extra,
    }


def _run_export(store: FakeStore, tmp: Path, dry_run: bool = False) -> Any:
    return asyncio.run(
        export_hits(
            store,
            FakeFinder(),
            _config(tmp, LUREWATCH_RIGHTS_HOLDERS={"dune: part three": "Legendary"}),
            Criteria(min_score=50),
            tmp / "out",
            now=lambda: NOW,
            dry_run=dry_run,
        )
    )


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(
        {
            "a": _doc("https://films.tumblr.com/post/1/x", "tumblr", blog=HOSTILE_BLOG),
            "b": _doc("https://films.wordpress.com/2026/11/01/x/", "wordpress"),
            "c": _doc(
                "https://selfhosted.example/2026/11/01/x/",
                "wordpress",
                verdict="lure",
                sso_lure=True,
                lure_urls=["https://login.lure.test/x?a=1&b=2"],
                lure_domains=["login.lure.test"],
            ),
            "d": _doc(
                "https://films.blogspot.com/2026/11/x.html", "blogger", review="false_positive"
            ),
        }
    )


def test_export_writes_each_channel_and_marks_each_hit_once(
    store: FakeStore, tmp_path: Path
) -> None:
    result = _run_export(store, tmp_path)
    assert result.reported == 3 and result.conflicts == 0
    assert set(result.channels) == {
        "tumblr",
        "automattic",
        "hosting-cheaphost",
        "registrar-porkfolio",
    }
    assert store.docs["d"]["status"] == "new"  # the false positive is never exported
    for key in ("a", "b", "c"):
        doc = store.docs[key]
        assert doc["status"] == "reported" and doc["reported_at"] == "2026-11-30T12:00:00.000Z"
        assert doc["request_id"].startswith("lw-20261130-") and doc["channel"]
    assert store.docs["c"]["channel"] == "hosting-cheaphost"  # self-hosted: its hosting network
    assert set(store.docs["c"]["reported_to"]) == {"hosting-cheaphost", "registrar-porkfolio"}
    again = _run_export(store, tmp_path)
    assert again.selected == 0 and not again.channels


def test_hostile_text_is_inert_in_csv_and_notice(store: FakeStore, tmp_path: Path) -> None:
    result = _run_export(store, tmp_path)
    files = result.channels["tumblr"]
    with files.csv.open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["blog"].startswith("'=HYPERLINK")  # neutralised: a formula no more
    assert "\n" not in row["blog"]
    assert row["rights_holder"] == "Legendary"
    notice = files.notice.read_text(encoding="utf-8")
    assert "<script>" not in notice and "&lt;script&gt;" in notice
    assert "\nI withdraw this notice" not in notice  # no forged line
    assert "https://films.tumblr.com/post/1/x" in notice
    lure_notice = result.channels["registrar-porkfolio"].notice.read_text(encoding="utf-8")
    assert "https://login.lure.test/x?a=1&b=2" in lure_notice  # URLs stay exact
    report = json.loads(next(files.xarf.glob("*.json")).read_text(encoding="utf-8"))
    assert report["category"] == "copyright" and report["type"] == "ugc_platform"
    assert report["rights_holder"] == "Legendary"


def test_dry_run_writes_files_and_changes_nothing(store: FakeStore, tmp_path: Path) -> None:
    before = json.dumps(store.docs, sort_keys=True)
    result = _run_export(store, tmp_path, dry_run=True)
    assert result.reported == 3 and result.channels
    assert json.dumps(store.docs, sort_keys=True) == before


def test_a_hit_changed_meanwhile_is_left_for_the_next_export(
    store: FakeStore, tmp_path: Path
) -> None:
    original = store.update

    async def racing(hit: StoredHit, doc: dict[str, Any]) -> bool:
        if hit.id == "b" and "status" in doc:
            store.seq["b"] += 1  # an analyst wrote in between
        return await original(hit, doc)

    store.update = racing  # type: ignore[method-assign]
    result = _run_export(store, tmp_path)
    assert result.conflicts == 1 and "automattic" not in result.channels
    assert store.docs["b"]["status"] == "new"


def test_channels_of_platforms_and_self_hosted_sites() -> None:
    assert platform_channel("tumblr", "x.tumblr.com").key == "tumblr"  # type: ignore[union-attr]
    assert platform_channel("blogger", "x.example").key == "google"  # type: ignore[union-attr]
    assert platform_channel("wordpress", "a.wordpress.com").key == "automattic"  # type: ignore[union-attr]
    assert platform_channel("wordpress", "blog.example") is None
    nothing = NetworkContact("registrar", "Quiet", (), "rdap", "x")
    site = SiteContacts("x.example", nothing, ())
    assert network_channel(site).key == "unresolved"
    registrar_only = SiteContacts("x.example", NetworkContact("registrar", "R", ("a@r.test",)))
    assert network_channel(registrar_only).key == "registrar-r"


def test_rdap_abuse_contacts_from_rfc9083_entities() -> None:
    rdap = {
        "objectClassName": "domain",
        "entities": [
            {
                "roles": ["registrar"],
                "vcardArray": ["vcard", [["fn", {}, "text", "MarkMonitor Inc."]]],
                "entities": [
                    {
                        "roles": ["abuse"],
                        "vcardArray": [
                            "vcard",
                            [
                                ["email", {}, "text", "Abuse@MarkMonitor.com"],
                                ["fn", {}, "text", "A"],
                            ],
                        ],
                    }
                ],
            },
            {"roles": ["technical"], "vcardArray": ["vcard", [["email", {}, "text", "t@x.com"]]]},
        ],
    }
    assert abuse_emails(rdap) == ["abuse@markmonitor.com"]
    assert parse_security_txt(
        "# c\nContact: mailto:s@x.test\nExpires: 2027\ncontact: https://x/r\n"
    ) == [
        "mailto:s@x.test",
        "https://x/r",
    ]


def test_campaigns_link_shared_lure_domains_and_near_duplicate_text() -> None:
    spam = "watch {} full movie free online hd streaming 1080p no signup click the play button now"
    hits = {
        "1": {"lure_domains": ["evil.test"], "text": "one"},
        "2": {"lure_domains": ["evil.test"], "text": "two"},
        "3": {"text": spam.format("dune part three"), "matched_title": "Dune: Part Three"},
        "4": {"text": spam.format("toy story 5"), "matched_title": "Toy Story 5"},
        "5": {"text": "a genuine review of a film I liked with many words of its own here"},
    }
    campaigns = cluster(hits, 0.8)
    assert campaigns["1"].id == campaigns["2"].id and campaigns["1"].size == 2
    assert campaigns["3"].id == campaigns["4"].id  # one template, two films
    assert "template" in campaigns["3"].signals
    assert campaigns["5"].size == 1
    assert cluster(hits, 0.8)["1"].id == campaigns["1"].id  # stable ids


@pytest.fixture(scope="module")
def wl() -> Any:
    return load_watchlists()


def test_removal_needs_two_user_agents_agreeing(wl: Any) -> None:
    hit = {"url": "https://x.tumblr.com/post/1", "title": "Watch Dune", "matched_title": "Dune"}
    gone = Observation(hit["url"], 0, 404, "<h1>There's nothing here.</h1>")
    live = Observation(hit["url"], 1, 200, "<title>Watch Dune</title><p>Watch Dune free</p>")
    assert classify_fetch(hit, gone, wl) == "platform_not_found"
    assert not judge(hit, [gone, live], wl).removed  # cloaked: one agent sees it
    assert not judge(hit, [gone], wl).removed  # one agent is not enough
    other = Observation(hit["url"], 1, 410, "")
    verdict = judge(hit, [gone, other], wl)
    assert verdict.removed and verdict.method == "http_410+platform_not_found"
    assert classify_fetch(hit, Observation(hit["url"], 0, error="nxdomain"), wl) == "nxdomain"
    assert classify_fetch(hit, Observation(hit["url"], 0, 503, ""), wl) == "unknown"
    # a live post quoting "doesn't exist" in its text is no soft 404
    quoting = Observation(hit["url"], 0, 200, "<title>Watch Dune</title><p>it doesn't exist</p>")
    assert classify_fetch(hit, quoting, wl) == "up"
    changed = Observation(hit["url"], 0, 200, "<title>Cats</title><p>Photos of my cat.</p>")
    assert classify_fetch(hit, changed, wl) == "content_changed"


def test_time_to_removal_median_and_nearest_rank_p90() -> None:
    hits = [
        {"platform": "tumblr", "status": "removed", "time_to_removal_seconds": s}
        for s in (3600, 7200, 10800, 36000)
    ]
    hits.append({"platform": "tumblr", "status": "reported"})
    (fig,) = time_to_removal(hits, "platform")
    assert fig.removed == 4 and fig.still_reported == 1
    assert fig.median_seconds == 9000 and fig.p90_seconds == 36000
    assert "first verified removal minus first report" in fig.definition


def test_config_reads_durations_and_refuses_bad_values(tmp_path: Path) -> None:
    assert parse_duration("6h") == timedelta(hours=6)
    assert parse_duration("7d") == timedelta(days=7)
    with pytest.raises(ConfigError, match="--since"):
        parse_duration("soon", "--since")
    with pytest.raises(ConfigError, match="LUREWATCH_RECHECK_USER_AGENTS"):
        _config(tmp_path, LUREWATCH_RECHECK_USER_AGENTS=["same", "same"])
    with pytest.raises(ConfigError, match="LUREWATCH_REPORTER_EMAIL"):
        _config(tmp_path, LUREWATCH_REPORTER_EMAIL="nobody").reporter.check()

"""The nightly summary: counts per platform from the spiders' final stats, as a table and a
document."""

from __future__ import annotations

from pipelines.ops.summary import COLUMNS, carried_stats, crawl_document, summarise, table

TUMBLR = {
    "downloader/response_count": 132,
    "lurewatch/tumblr/posts": 58,
    "lurewatch/incremental/skipped": 12,
    "lurewatch/incremental/skipped/tumblr": 12,
    "item_scraped_count": 37,
    "lurewatch/es/docs/created": 30,
    "lurewatch/es/docs/updated": 7,
    "lurewatch/detection/posts/lure": 23,
    "log_count/ERROR": 2,
    "spider_exceptions/count": 1,
    "lurewatch/quota/tumblr/requests": 10,
    "lurewatch/quota/tumblr/used/1h": 99,
    "finish_reason": "finished",
}
BLOGGER = {
    "downloader/response_count": 50,
    "lurewatch/blogger/posts": 4,
    "item_scraped_count": 3,
    "lurewatch/quota/google_cse/requests": 3,
    "lurewatch/quota/brave/requests": 2,
    "finish_reason": "shutdown",
}


def test_counts_come_from_the_platforms_stats() -> None:
    row = summarise("tumblr", TUMBLR)
    assert (row.pages, row.posts, row.hits, row.new_hits, row.lures) == (132, 58, 37, 30, 23)
    assert row.errors == 3 and row.quota_used == 10 and row.finish_reason == "finished"
    assert row.skipped == 12  # not fetched again: fetched within the re-check interval


def test_quota_used_sums_every_api_of_the_platform_and_new_hits_need_indexing() -> None:
    row = summarise("blogger", BLOGGER)
    assert row.quota_used == 5
    assert row.new_hits is None  # no lurewatch/es stat: indexing was off, not "0 new"
    assert row.skipped == 0  # the ledger skipped nothing (or was off)


def test_a_spider_that_did_not_finish_counts_as_an_error() -> None:
    row = summarise("wordpress", None)
    assert row.errors == 1 and row.finish_reason == "did not finish"


def test_table_has_a_line_per_platform_and_totals() -> None:
    text = table([summarise("tumblr", TUMBLR), summarise("blogger", BLOGGER)])
    header, tumblr, blogger, total = text.splitlines()
    assert header.split() == ["platform", *COLUMNS, "finish"]
    assert header.split()[3] == "skipped"
    tumblr_cells = ["tumblr", "132", "58", "12", "37", "30", "23", "3", "10", "finished"]
    assert tumblr.split() == tumblr_cells
    assert blogger.split()[5] == "-"  # unknown new hits shown as such
    assert total.split() == ["total", "182", "62", "12", "40", "-", "23", "3", "15"]


def test_document_holds_totals_rows_and_outcome() -> None:
    rows = [summarise("tumblr", TUMBLR), summarise("blogger", BLOGGER)]
    doc = crawl_document("nightly-2026-12-03", "t0", "t1", rows, 9, ["min_posts_blogger"])
    assert doc["crawl_id"] == "nightly-2026-12-03" and doc["@timestamp"] == "t1"
    assert doc["pages"] == 182 and doc["new_hits"] is None and doc["exitcode"] == 9
    assert doc["failed_checks"] == ["min_posts_blogger"]
    assert [p["platform"] for p in doc["platforms"]] == ["tumblr", "blogger"]
    assert doc["platforms"][0]["new_hits"] == 30
    assert doc["skipped"] == 12 and doc["platforms"][0]["skipped"] == 12


def test_a_resumed_night_carries_counters_not_times_or_flags() -> None:
    stats = {
        **TUMBLR,
        "elapsed_time_seconds": 12.5,
        "memusage/max": 10**8,
        "spidermon/validation/validators": 1,
        "spidermon/validation/validators/Item/JSONSchemaValidator": True,
        "lurewatch/nightly/resumed": 1,
    }
    carried = carried_stats(stats)
    assert carried["downloader/response_count"] == 132
    assert carried["lurewatch/es/docs/created"] == 30
    assert not {k for k in carried if k.startswith(("elapsed", "memusage", "lurewatch/nightly"))}
    assert "finish_reason" not in carried  # text, not a counter
    assert not any(key.startswith("spidermon/validation/validators") for key in carried)

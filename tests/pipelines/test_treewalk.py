"""pipelines.treewalk: the one walk reads what each stage's own XPath or walk selects, in order."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.etree
import pytest

from pipelines.classify import read_page
from pipelines.furniture import furniture_of, read_furniture
from pipelines.text import parse_html, squeeze, visible_text
from pipelines.treewalk import MAX_ITEMS, PageWalk, walk

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "manifest.jsonl"

# what each stage selected by itself before the walk (signals.py and furniture.py)
XPATHS = {
    "title": "//title//text()",
    "meta": "//meta[@name='description' or @property='og:title' or @property='og:description']"
    "/@content",
    "buttons": "//button | //*[@onclick or @data-href or @data-url or @formaction]",
    "site_names": "//meta[@property='og:site_name' or @name='application-name'"
    " or @name='twitter:site' or @property='twitter:site' or @name='apple-mobile-web-app-title'"
    " or @name='og:site_name']/@content",
    "icons": "//link[contains(translate(@rel, 'ICON', 'icon'), 'icon')]/@href",
    "canonical": "//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href",
    "assets": "//img/@src | //script/@src | //link/@href | //source/@srcset | //image/@href"
    " | //meta[@property='og:image' or @name='twitter:image' or @itemprop='image']/@content"
    " | //*[@style]/@style | //style/text() | //use/@href | //input[@type='image']/@src",
    "alts": "//img/@alt | //*[@role='img']/@aria-label | //svg/title/text() | //*[@class and"
    " contains(translate(@class, 'LOGO', 'logo'), 'logo')]/@aria-label",
    "labels": "//th[following-sibling::td] | //dt",
    "h1": "//h1",
    "named": "//*[@class or @id]",
}
BOUNDS = {"site_names": 20, "icons": 20, "canonical": 1, "h1": 10, "named": MAX_ITEMS * 4}
BOUNDS.update(assets=MAX_ITEMS, alts=MAX_ITEMS, labels=MAX_ITEMS)
PLAYER = (
    "//video | //*[contains(concat(' ', translate(@id, 'PLAYER', 'player'), ' '), 'player')"
    " or contains(@class, 'player') or contains(@class, 'play-overlay')]"
)
TAGS = {
    "headings": ("h1", "h2"),
    "anchors": ("a", "area"),
    "frames": ("iframe",),
    "forms": ("form",),
    "inputs": ("input",),
    "scripts": ("script",),
}

TRICKY = [
    # attributes of one element in the order it writes them; a style's own style before its text
    '<html><head><style style="background:url(a.png)">p{background:url(b.png)}</style>'
    '<meta style="color:red" property="og:image" content="og.png">'
    '<link rel="Shortcut ICON" href="/fav.ico"><link rel="CANONICAL" href="/c1">'
    '<link rel="canonical" href="/c2"><title>The <b>title</b> tail</title></head><body>'
    '<img style="x:url(s.png)" src="i.png" alt="Alt one" role="img" aria-label="lab">'
    '<img aria-label="first" class="Site-LOGO" alt="second">'
    '<div class="brandLogo" aria-label="the logo" id="MainPLAYER">text</div>'
    '<input type="image" src="go.png" style="y"><input type="IMAGE" src="no.png">'
    "<source srcset='a.webp 1x'><use href='#icon'></use><image href='pic.svg'></image>"
    '<svg><title>svg title<b alt="x">bold</b> tail<svg><title>inner</title>after</svg>'
    " back</title></svg><p>after svg</p></body></html>",
    # buttons by tag and by attribute, players, a processing instruction in the text
    '<html><body><button onclick="go()">Play</button><span data-url="/x">Go</span>'
    '<a formaction="/f" href="/a">A</a><div class="play-overlay"></div>'
    "<p>before<?php echo 1 ?>after</p><video src=v.mp4></video>"
    '<base target="_top"><base href="/base1/"><base href="/base2/">'
    '<meta name="description" content="Desc"><meta property="og:title" content="OG">'
    '<meta name="twitter:site" content="@site"><meta property="og:site_name" content="Site">'
    "<table><tr><th>Year</th><td>2024</td></tr><tr><td>x</td><th>no</th></tr></table>"
    "<dl><dt>Genre</dt><dd>Drama</dd></dl><h1>One</h1><h2>Two</h2>"
    '<form action="/s"><input name="q"></form><input type="password">'
    '<iframe src="/frame"></iframe><area href="/map"><script>var a = 1;</script>'
    '<noscript>hidden</noscript><a title="link title" href="/t">t</a></body></html>',
    # past every bound
    "<html><head>"
    + '<meta property="og:site_name" content="s">' * 30
    + '<link rel="icon" href="/i.png">' * 30
    + "</head><body>"
    + '<img src="p.png" alt="a">' * (MAX_ITEMS + 50)
    + '<div class="c">x</div>' * (MAX_ITEMS * 4 + 50)
    + "<dl><dt>d</dt></dl>" * (MAX_ITEMS + 5)
    + "<h1>h</h1>" * 15
    + "</body></html>",
    # deep nesting, a player named only in an id
    "<html><body>"
    + "<div>" * 300
    + '<p id="player-1">deep</p>'
    + "</div>" * 300
    + "</body></html>",
    '<html><body><p class="multiplayer">no video</p><i id="Player">x</i></body></html>',
]


def _depth(root: lxml.etree._Element) -> int:
    depth = 0
    deepest = 0
    for event, _ in lxml.etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _reference(root: lxml.etree._Element) -> dict[str, object]:
    want: dict[str, object] = {}
    for name, path in XPATHS.items():
        found = root.xpath(path)
        if name in BOUNDS:
            found = found[: BOUNDS[name]]
        want[name] = [v if isinstance(v, lxml.etree._Element) else str(v) for v in found]
    for name, tags in TAGS.items():
        want[name] = list(root.iter(*tags))
    want["base"] = root.xpath("string(//base/@href)")
    want["player"] = bool(root.xpath(PLAYER))
    want["depth"] = _depth(root)
    return want


def _got(read: PageWalk) -> dict[str, object]:
    got = {name: getattr(read, name) for name in (*XPATHS, *TAGS, "player", "depth")}
    got["base"] = read.base or ""
    return got


def _corpus() -> list[str]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]
    return [read_page(CORPUS.parent / row["path"]) for row in rows]


@pytest.mark.parametrize("html", TRICKY)
def test_the_walk_reads_what_each_xpath_selects(html: str) -> None:
    root = parse_html(html)
    assert root is not None
    assert _got(walk(root)) == _reference(root)


def test_the_walk_reads_the_visible_text_and_the_furniture() -> None:
    for html in TRICKY:
        root = parse_html(html)
        assert root is not None
        read = walk(root)
        assert squeeze(" ".join(read.visible)) == visible_text(root)
        title = " ".join(read.title)
        mine = furniture_of(
            title,
            read.site_names,
            read.icons,
            read.canonical,
            read.assets,
            read.alts,
            read.labels,
            read.h1,
            read.named,
        )
        assert mine == read_furniture(root, title)


def test_the_tricky_pages_meet_what_they_are_there_for() -> None:
    first = walk(parse_html(TRICKY[0]))  # type: ignore[arg-type]
    assert first.assets[:4] == [
        "background:url(a.png)",
        "p{background:url(b.png)}",
        "color:red",
        "og.png",
    ]
    assert first.alts[:4] == ["Alt one", "lab", "first", "second"]
    assert first.alts[-1].startswith("svg title")  # raw text: the parser nests no tag in it
    assert first.canonical == ["/c1"] and first.icons == ["/fav.ico"] and first.player
    second = walk(parse_html(TRICKY[1]))  # type: ignore[arg-type]
    assert second.base == "/base1/" and [e.tag for e in second.buttons] == ["button", "span", "a"]
    assert [e.text for e in second.labels] == ["Year", "Genre"]
    bounded = walk(parse_html(TRICKY[2]))  # type: ignore[arg-type]
    assert len(bounded.assets) == MAX_ITEMS and len(bounded.site_names) == 20
    assert walk(parse_html(TRICKY[3])).depth > 300  # type: ignore[arg-type]
    assert walk(parse_html(TRICKY[4])).player  # type: ignore[arg-type]


def _furniture(read: PageWalk) -> object:
    title = " ".join(read.title)
    parts = (read.site_names, read.icons, read.canonical, read.assets, read.alts)
    return furniture_of(title, *parts, read.labels, read.h1, read.named)


def test_the_walk_reads_the_corpus_pages_as_the_xpaths_do() -> None:
    pages = _corpus()
    assert len(pages) > 300
    for html in pages:
        root = parse_html(html)
        if root is not None:
            read = walk(root)
            assert _got(read) == _reference(root)
            # read_furniture's own XPaths (furniture.py): a change there must reach the walk
            assert _furniture(read) == read_furniture(root, " ".join(read.title))

"""The visible-text extractor shared by detection, post text and the render decision."""

from __future__ import annotations

import pytest

from crawler.spiders._base import plain_text
from pipelines.text import html_text, parse_html, squeeze, text_of, visible_text

PAGE = """<!doctype html><html><head><title>Dune 3 free</title>
<style>.x { color: red }</style><script>var words = "script words";</script></head>
<body><h1>Watch   Dune</h1>
<p>Stream <b>now</b> <img src="p.png" alt="Play Dune"> <a href="/go" title="HD link">here</a></p>
<noscript>enable javascript</noscript><template><p>template words</p></template>
<script>document.write("<p>written</p>")</script><!-- a comment -->
</body></html>"""


def test_visible_text_leaves_out_code_and_keeps_attribute_texts_in_order() -> None:
    root = parse_html(PAGE)
    assert root is not None
    assert visible_text(root).split() == "Watch Dune Stream now Play Dune HD link here".split()
    assert visible_text(root, attributes=False).split() == "Watch Dune Stream now here".split()
    assert visible_text(root).startswith("Watch  Dune")  # the gap is kept, as in any line


def test_html_text_reads_a_document_as_the_content_of_one_div() -> None:
    # the title counts here (a bare <title> in a post body is words of the post)
    words = "Dune 3 free Watch Dune Stream now Play Dune HD link here"
    assert html_text(PAGE).split() == words.split()
    assert html_text("<title>Watch Dune</title><p>free</p>", attributes=False) == "Watch Dune free"
    loose = html_text("loose text <p>and a paragraph</p>")
    assert loose.split() == ["loose", "text", "and", "a", "paragraph"]


@pytest.mark.parametrize(
    ("text", "squeezed"),
    [
        ("W A T C H   D U N E", "W A T C H  D U N E"),  # a wide gap inside a line: a word boundary
        ("Watch\n\n  Dune", "Watch Dune"),  # a line break is one space
        ("\t Watch\u00a0Dune \r\n", "Watch Dune"),
        (" Watch Dune ", "Watch Dune"),  # single spaces only: stripped, nothing else changes
        ("Watch\u2003\u2003Dune", "Watch  Dune"),  # any in-line whitespace run, not only spaces
        ("Watch\u200bDune\tnow", "Watch\u200bDune now"),  # a format character is no space
        ("", ""),
    ],
)
def test_squeeze(text: str, squeezed: str) -> None:
    assert squeeze(text) == squeezed


def test_hidden_elements_count_as_text() -> None:
    # keyword stuffing hidden with CSS is evidence detection weighs, so it is read like any text
    html = '<p>Trailer</p><div style="display:none">dune full movie free</div><p hidden>hd</p>'
    assert html_text(html) == "Trailer dune full movie free hd"


def test_deep_nesting_does_not_hide_text() -> None:
    nested = "<div>" * 300 + "<p>Watch Dune free</p>" + "</div>" * 300
    assert html_text(nested) == "Watch Dune free"


@pytest.mark.parametrize("html", ["", "   \n", "<!-- only a comment -->", "<script>x()</script>"])
def test_nothing_visible_is_empty(html: str) -> None:
    assert html_text(html) == ""


def test_parse_html_refuses_empty_input() -> None:
    assert parse_html("") is None
    assert parse_html(" \n ") is None


def test_text_of_reads_all_the_text_of_an_element() -> None:
    form = '<form><label>E-mail</label><input name="e"><button>Sign   in</button></form>'
    root = parse_html(form)
    assert root is not None
    assert text_of(root.find(".//form")) == "E-mail Sign  in"


def test_post_text_is_the_posts_own_words_single_spaced() -> None:
    body = '<p>W A T C H   D U N E</p><p><a href="/x"><img alt="Play Dune"></a> free</p>'
    assert plain_text(body) == "W A T C H D U N E free"
    assert plain_text("") == ""

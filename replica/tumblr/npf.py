"""Tumblr's Neue Post Format: post bodies (HTML) as NPF content blocks, and NPF back to HTML."""

from __future__ import annotations

import html as htmlmod
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from replica.dataset import Post
from replica.tumblr.links import unwrap, wrap_link

__all__ = ["html_to_npf", "npf_to_html"]


_BLOCK_TAGS = {
    "p": None,
    "div": None,
    "h1": "heading1",
    "h2": "heading2",
    "h3": "heading2",
    "h4": "heading2",
    "blockquote": "quote",
    "li": "unordered-list-item",
    "pre": "chat",
    "section": None,
    "article": None,
}
_INLINE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "del": "strikethrough",
    "small": "small",
    "a": "link",
}


class _NpfBuilder(HTMLParser):
    """Turns a post body's HTML into NPF content blocks (text with formatting, image, video)."""

    def __init__(self, post: Post | None) -> None:
        super().__init__(convert_charrefs=True)
        self.post = post
        self.blocks: list[dict[str, Any]] = []
        self._text = ""
        self._formatting: list[dict[str, Any]] = []
        self._open: list[tuple[str, int, dict[str, Any]]] = []
        self._subtype: str | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._subtype = _BLOCK_TAGS[tag] or self._subtype
        elif tag == "br":
            self._text += "\n"
        elif tag == "img" and a.get("src"):
            self._flush()
            self.blocks.append(
                {
                    "type": "image",
                    "media": [
                        {"url": a["src"], "type": "image/jpeg", "width": 540, "height": 405}
                    ],
                    "alt_text": a.get("alt", ""),
                }
            )
        elif tag in ("iframe", "video", "source") and a.get("src"):
            self._flush()
            self.blocks.append(_video_block(a["src"]))
        elif tag in _INLINE:
            extra = {"url": wrap_link(a.get("href", ""), self.post)} if tag == "a" else {}
            if tag != "a" or a.get("href"):
                self._open.append((tag, len(self._text), extra))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag in _INLINE:
            self._close_inline(tag)

    def _close_inline(self, tag: str) -> None:
        """End the innermost open ``tag``: its span of text becomes one formatting range."""
        for i in range(len(self._open) - 1, -1, -1):
            name, start, extra = self._open[i]
            if name == tag:
                del self._open[i]
                end = len(self._text.rstrip())
                if end > start:
                    self._formatting.append(
                        {"start": start, "end": end, "type": _INLINE[tag], **extra}
                    )
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        data = re.sub(r"\s+", " ", data)
        if not self._text or self._text.endswith(("\n", " ")):
            data = data.lstrip()
        self._text += data

    def _flush(self) -> None:
        content = self._text.rstrip()
        lead = len(content) - len(content.lstrip())
        if content.strip():
            block: dict[str, Any] = {"type": "text", "text": content[lead:]}
            if self._subtype:
                block["subtype"] = self._subtype
            fmts = [
                {
                    **f,
                    "start": max(0, f["start"] - lead),
                    "end": min(len(content), f["end"]) - lead,
                }
                for f in self._formatting
                if f["start"] < len(content)
            ]
            if fmts:
                block["formatting"] = sorted(fmts, key=lambda f: (f["start"], f["end"]))
            self.blocks.append(block)
        self._text = ""
        self._formatting = []
        self._subtype = None
        self._open = [(n, 0, e) for n, _s, e in self._open]

    def close(self) -> None:
        super().close()
        self._flush()


def _video_block(src: str) -> dict[str, Any]:
    host = (urlsplit(src).hostname or "").lower()
    provider = next(
        (p for p in ("youtube", "vimeo", "dailymotion") if p in host),
        "tumblr" if "tumblr" in host else "",
    )
    block: dict[str, Any] = {
        "type": "video",
        "url": src,
        "embed_url": src,
        "embed_iframe": {"url": src, "width": 540, "height": 304},
    }
    if provider:
        block["provider"] = provider
    if src.endswith((".mp4", ".m3u8", ".webm")):
        block["media"] = {"url": src, "type": "video/mp4", "width": 540, "height": 304}
    return block


def html_to_npf(
    markup: str, post: Post | None = None, link_blocks: bool = False
) -> list[dict[str, Any]]:
    """NPF ``content`` for ``markup``.

    ``link_blocks``: a paragraph that is one link becomes a link block (NPF-authored posts).
    """
    builder = _NpfBuilder(post)
    builder.feed(markup)
    builder.close()
    blocks = builder.blocks
    if link_blocks:
        blocks = [_as_link_block(b) or b for b in blocks]
    return blocks


def _as_link_block(block: dict[str, Any]) -> dict[str, Any] | None:
    fmts = block.get("formatting") or []
    links = [f for f in fmts if f["type"] == "link"]
    if (
        block["type"] != "text"
        or len(links) != 1
        or links[0]["start"] > 0
        or links[0]["end"] < len(block["text"])
    ):
        return None
    url = unwrap(links[0]["url"])  # link blocks carry the raw target, as Tumblr's do
    host = urlsplit(url).hostname or ""
    return {
        "type": "link",
        "url": url,
        "title": block["text"],
        "display_url": url,
        "site_name": host,
        "description": "",
    }


def npf_to_html(blocks: list[dict[str, Any]]) -> str:
    """The legacy ``body`` of an NPF-authored post (Tumblr renders those as ``npf_row`` HTML)."""
    parts: list[str] = []
    for b in blocks:
        if b["type"] == "text":
            parts.append(f"<p>{_formatted_html(b)}</p>")
        elif b["type"] == "link":
            parts.append(
                f'<p><a href="{htmlmod.escape(wrap_link(b["url"]))}" class="link-block">'
                f"{htmlmod.escape(b.get('title') or b['url'])}</a></p>"
            )
        elif b["type"] == "image":
            src = htmlmod.escape(b["media"][0]["url"])
            parts.append(f'<figure class="tmblr-full"><img src="{src}"></figure>')
        elif b["type"] == "video":
            src = htmlmod.escape(b["url"])
            parts.append(f'<figure class="tmblr-embed"><iframe src="{src}"></iframe></figure>')
    return f'<div class="npf_row">{"".join(parts)}</div>'


def _formatted_html(block: dict[str, Any]) -> str:
    textval: str = block["text"]
    links = [f for f in block.get("formatting", []) if f["type"] == "link"]
    links.sort(key=lambda f: f["start"])
    out: list[str] = []
    pos = 0
    for f in links:
        if f["start"] < pos:
            continue
        out.append(htmlmod.escape(textval[pos : f["start"]]))
        label = htmlmod.escape(textval[f["start"] : f["end"]])
        out.append(f'<a href="{htmlmod.escape(f["url"])}">{label}</a>')
        pos = f["end"]
    out.append(htmlmod.escape(textval[pos:]))
    return "".join(out)

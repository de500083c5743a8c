
"""Platform-specific body markup: paragraphs, images, buttons and video embeds the way each editor
renders them (Tumblr NPF rows, Gutenberg blocks, Blogger's inline-styled divs)."""

from __future__ import annotations

import random

from .common import esc, rand_token

__all__ = ["Fmt"]

_HEX = "0123456789abcdef"


class Fmt:
    """Markup helpers for one platform and site."""

    def __init__(self, platform: str, site: str, rng: random.Random, year: int) -> None:
        self.platform = platform
        self.site = site
        self.rng = rng
        self.year = year

    def image_src(self, name: str) -> str:
        """An image URL hosted where this platform hosts uploads."""
        r = self.rng
        if self.platform == "tumblr":
            return (
                f"https://64.media.tumblr.com/{rand_token(r, 32, _HEX)}/{rand_token(r, 16, _HEX)}-"
                f"{rand_token(r, 2)}/s640x960/{rand_token(r, 40, _HEX)}.jpg"
            )
        if self.platform == "blogger":
            return (
                f"https://blogger.googleusercontent.com/img/b/R29vZ2xl/AVvXsE{rand_token(r, 58)}"
                f"/s640/{name}.jpg"
            )
        if self.site.endswith(".wordpress.com"):
            return f"https://{self.site.split('.')[0]}.files.wordpress.com/{self.year}/0{r.randint(1, 9)}/{name}.jpg?w=1024"
        return f"https://{self.site}/wp-content/uploads/{self.year}/0{r.randint(1, 9)}/{name}.jpg"

    def external_image(self, name: str) -> str:
        """An image on a free image host (typical of spam posts)."""
        r = self.rng
        return r.choice(
            (
                f"https://i.ibb.co/{rand_token(r, 7)}/{name}.png",
                f"https://i.imgur.com/{rand_token(r, 7)}.png",
                f"https://i.postimg.cc/{rand_token(r, 8)}/{name}.jpg",
            )
        )

    def para(self, html: str) -> str:
        """A paragraph."""
        if self.platform == "blogger" and self.rng.random() < 0.4:
            size = self.rng.choice(("large", "medium", "x-large"))
            return f'<div style="text-align: center;"><span style="font-size: {size};">{html}</span></div>'
        if self.platform == "tumblr" and self.rng.random() < 0.15:
            return f'<p class="npf_quirky">{html}</p>'
        return f"<p>{html}</p>"

    def heading(self, html: str) -> str:
        """A sub-heading inside the body."""
        if self.platform == "wordpress":
            return f'<h2 class="wp-block-heading">{html}</h2>'
        return f"<h2>{html}</h2>" if self.platform == "tumblr" else f"<h3><b>{html}</b></h3>"

    def image(self, src: str, alt: str, href: str = "") -> str:
        """An image, optionally linked."""
        img = f'<img src="{src}" alt="{alt}" width="640" height="360">'
        if self.platform == "tumblr":
            inner = f'<a href="{href}">{img}</a>' if href else img
            return (
                '<div class="npf_row"><figure class="tmblr-full" data-orig-height="720" data-orig-width="1280">'
                f"{inner}</figure></div>"
            )
        if self.platform == "wordpress":
            inner = f'<a href="{href}">{img}</a>' if href else img
            return f'<figure class="wp-block-image size-large">{inner}</figure>'
        target = href or src.replace("/s640/", "/s1600/")
        return (
            f'<div class="separator" style="clear: both; text-align: center;"><a href="{target}" '
            f'style="margin-left: 1em; margin-right: 1em;"><img border="0" data-original-height="720" '
            f'data-original-width="1280" src="{src}" alt="{alt}" width="400"></a></div>'
        )

    def button(self, href: str, label: str) -> str:
        """A call-to-action button."""
        if self.platform == "wordpress":
            return (
                '<div class="wp-block-buttons is-layout-flex"><div class="wp-block-button">'
                f'<a class="wp-block-button__link wp-element-button" href="{href}">{label}</a></div></div>'
            )
        if self.platform == "blogger":
            return (
                f'<div style="text-align: center;"><a href="{href}" style="background:#e50914;color:#fff;'
                f'padding:12px 28px;font-size:20px;"><b>{label}</b></a></div>'
            )
        return f'<p><a href="{href}"><b>{label}</b></a></p>'

    def youtube(self, vid: str) -> str:
        """A YouTube embed as the platform's editor writes it."""
        if self.platform == "tumblr":
            url = f"https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3D{vid}"
            return (
                f'<figure class="tmblr-embed tmblr-full" data-provider="youtube" data-orig-width="540" '
                f'data-orig-height="304" data-url="{url}"><iframe width="540" height="304" id="youtube_iframe" '
                f'src="https://www.youtube.com/embed/{vid}?feature=oembed&amp;enablejsapi=1&amp;origin=https://safe.txmblr.com'
                '&amp;wmode=opaque" frameborder="0" allowfullscreen></iframe></figure>'
            )
        if self.platform == "wordpress":
            return (
                '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube '
                'wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">'
                f'<iframe title="Official Trailer" width="1200" height="675" src="https://www.youtube.com/embed/{vid}'
                '?feature=oembed" frameborder="0" allowfullscreen></iframe></div></figure>'
            )
        return (
            f'<iframe allowfullscreen="" class="BLOG_video_class" height="266" '
            f'src="https://www.youtube.com/embed/{vid}" width="320" youtube-src-id="{vid}"></iframe>'
        )

    def ulist(self, items: list[str]) -> str:
        """A bulleted list of HTML items."""
        cls = ' class="wp-block-list"' if self.platform == "wordpress" else ""
        return f"<ul{cls}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"

    def quote(self, html: str) -> str:
        """A block quote."""
        if self.platform == "wordpress":
            return f'<blockquote class="wp-block-quote"><p>{html}</p></blockquote>'
        if self.platform == "tumblr":
            return f'<blockquote class="npf_indented">{html}</blockquote>'
        return f"<blockquote>{html}</blockquote>"

    def youtube_id(self) -> str:
        """A plausible YouTube video id."""
        return rand_token(
            self.rng, 11, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
        )

    def alt(self, text: str) -> str:
        """Escaped alt text."""
        return esc(text)

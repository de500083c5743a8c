"""The landing pages of the replica's world, filed as :class:`~replica.dataset.Landing` with their
truth.

:class:`LandingBook` hands out URLs for posts to link to (a lure for a film, a cinema page, a
bit.ly link to either, a redirect loop...) and creates each page once. :meth:`LandingBook.resolve`
is the ground-truth model of the crawler: it follows HTTP and meta-refresh redirects within
:data:`HOP_BUDGET` hops, never JavaScript redirects, and never enters a host whose robots.txt
disallows it.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from replica.content.benign_pages import BENIGN_PAGES, SCAM_WARNING_URLS
from replica.content.films import Film
from replica.content.lure_pages import LURE_PAGES
from replica.content.markup import code_for, page
from replica.dataset import Landing, Truth

__all__ = ["HOP_BUDGET", "HOSTILE_KINDS", "SHORTENERS", "LandingBook", "tumblr_wrap"]

HOP_BUDGET = (
    5  # the crawler's LUREWATCH_LANDING_REDIRECTS: redirects + meta refreshes per outbound link
)

SHORTENERS = ("bit.ly", "cutt.ly", "tinyurl.com", "is.gd")
HOSTILE_KINDS = ("redirect_loop", "huge", "gzip_bomb", "drip", "script_loop", "download")

#: a lure host that forbids every crawler in robots.txt: a polite crawl never sees its pages
ROBOTS_BLOCKED_HOST = "vip.hdstream-members.example"

_HOSTILE_URLS = {
    "huge": "https://bigpage.hostile-films.test/huge-player.html",
    "gzip_bomb": "https://bomb.hostile-films.test/player.html",
    "drip": "https://slow.hostile-films.test/stream.html",
    "script_loop": "https://spin.hostile-films.test/player.html",
    "download": "https://dl.hdfilms-download.xyz/HD.Player.Setup.2026.exe",
}
_LOOP = ("https://loop-a.redirect-trap.test/go", "https://loop-b.redirect-trap.test/back")


def tumblr_wrap(url: str, post_id: str, blog_uuid: str) -> str:
    """Tumblr's outbound-link wrapper, as it appears in post bodies."""
    sig = code_for("tumblr-sig", url, post_id, length=27)
    return (
        f"https://t.umblr.com/redirect?z={quote(url, safe='')}&t={sig}"
        f"&b={quote(blog_uuid, safe='')}&p={post_id}&m=1"
    )


class LandingBook:
    """Creates landing pages on demand (once per URL) and answers where a link finally leads."""

    def __init__(self) -> None:
        self.landings: dict[str, Landing] = {}
        self.robots: dict[str, str] = {ROBOTS_BLOCKED_HOST: "User-agent: *\nDisallow: /\n"}
        self._serial = 0

    def _add(self, landing: Landing) -> str:
        self.landings.setdefault(landing.url, landing)
        return landing.url

    def lure(self, variant: str, film: Film) -> str:
        build, needs_js, player = LURE_PAGES[variant]
        url, html = build(film)
        truth = Truth(
            fake_stream=player and film.watched,
            sso_lure=True,
            matched_title=film.title if film.watched else None,
            note=f"lure: {variant}",
        )
        return self._add(
            Landing(url, html, kind="lure", truth=truth, needs_js=needs_js, variant=variant)
        )

    def robots_blocked_lure(self, film: Film) -> str:
        url = f"https://{ROBOTS_BLOCKED_HOST}/watch/{film.slug}"
        html = page(
            f"{film.shown} - VIP",
            '<form action="/gate.php" method="post"><input name="email">'
            '<input type="password" name="password"><button>Sign in with Google</button></form>',
        )
        truth = Truth(
            fake_stream=film.watched,
            sso_lure=True,
            matched_title=film.title if film.watched else None,
            note="lure on a host whose robots.txt disallows everything",
        )
        return self._add(Landing(url, html, kind="lure", truth=truth, variant="robots_blocked"))

    def benign(self, variant: str, film: Film) -> str:
        url, html = BENIGN_PAGES[variant](film)
        fake = variant == "ad_player"
        truth = Truth(
            fake_stream=fake and film.watched,
            matched_title=film.title if fake and film.watched else None,
            note=f"benign: {variant}",
        )
        return self._add(Landing(url, html, kind="benign", truth=truth, variant=variant))

    def scam_warning(self, index: int) -> str:
        url, html = SCAM_WARNING_URLS[index % len(SCAM_WARNING_URLS)]
        return self._add(
            Landing(
                url,
                html,
                kind="benign",
                truth=Truth(note="benign: scam warning"),
                variant="warning",
            )
        )

    def hostile(self, kind: str) -> str:
        if kind == "redirect_loop":
            for here, there in (_LOOP, _LOOP[::-1]):
                self._add(
                    Landing(
                        here,
                        status=302,
                        kind="hostile",
                        redirect_to=there,
                        hostile=kind,
                        variant=kind,
                        truth=Truth(note="hostile: redirect loop"),
                    )
                )
            return _LOOP[0]
        url = _HOSTILE_URLS[kind]
        return self._add(
            Landing(
                url,
                kind="hostile",
                hostile=kind,
                variant=kind,
                needs_js=kind == "script_loop",
                truth=Truth(note=f"hostile: {kind}"),
            )
        )

    def add_google_signin(self, url: str) -> str:
        """Google's own sign-in page (Blogger's comment form links it): not a lure."""
        html = page(
            "Sign in - Google Accounts",
            '<form action="https://accounts.google.com/v3/signin/identifier" '
            'method="post"><h1>Sign in</h1><p>to continue to '
            'Blogger</p><input type="email" name="identifier">'
            "<button>Next</button></form>",
        )
        return self._add(
            Landing(
                url,
                html,
                kind="benign",
                variant="google_signin",
                truth=Truth(note="benign: the real provider's sign-in page"),
            )
        )

    def _code(self, *parts: object) -> str:
        self._serial += 1
        return code_for(*parts, self._serial)

    def shortened(self, target: str, service: str) -> str:
        url = f"https://{service}/{self._code(service, target)}"
        body = page("Redirecting", f'<a href="{target}">moved here</a>')
        return self._add(
            Landing(url, body, status=301, kind="redirect", redirect_to=target, variant=service)
        )

    def meta_refresh(self, target: str) -> str:
        url = f"https://go.linkredir.xyz/r/{self._code('meta', target)}"
        body = page(
            "Redirecting...",
            "<p>Please wait, redirecting to your video&hellip;</p>",
            head=f'<meta http-equiv="refresh" content="0;url={target}">',
        )
        return self._add(
            Landing(url, body, kind="redirect", refresh_to=target, variant="meta_refresh")
        )

    def js_redirect(self, target: str) -> str:
        url = f"https://out.jumplink.test/j/{self._code('js', target)}"
        body = page(
            "Loading",
            f'<p>Loading&hellip;</p><script>window.location.href = "{target}";</script>'
            f'<noscript><a href="{target}">Continue</a></noscript>',
        )
        return self._add(
            Landing(
                url,
                body,
                kind="redirect",
                script_to=target,
                variant="js_redirect",
                truth=Truth(note="JavaScript redirect (not a hop for the static crawl)"),
            )
        )

    def chain(self, target: str, hops: int) -> str:
        """A link reaching ``target`` after ``hops`` redirects (shorteners, meta refreshes)."""
        url = target
        for i in range(hops):
            url = (
                self.meta_refresh(url)
                if i % 2
                else self.shortened(url, SHORTENERS[i % len(SHORTENERS)])
            )
        return url

    def robots_allows(self, url: str) -> bool:
        rules = self.robots.get(urlsplit(url).hostname or "", "")
        return "Disallow: /\n" not in rules

    def resolve(self, url: str) -> Landing | None:
        """Where a polite crawl of ``url`` ends (``None``: unreachable, a loop, too many hops)."""
        hops = 0
        while True:
            landing = self.landings.get(url)
            if landing is None or not self.robots_allows(url):
                return None
            nxt = landing.next_hop
            if nxt is None:
                return landing
            hops += 1
            if hops > HOP_BUDGET:
                return None
            url = nxt

    def leads_to_lure(self, url: str) -> bool:
        final = self.resolve(url)
        return final is not None and final.kind == "lure"

"""Hard negatives: fans' reviews, trailers, news, fan art, scam warnings, legit links, sign-ins."""

from __future__ import annotations

from replica.content.drafting import Draft, DraftDesk, PostSlot
from replica.content.films import Film
from replica.content.markup import code_for, html_escape
from replica.content.phrases import LANGUAGES

__all__ = ["FanDrafts"]


class FanDrafts(DraftDesk):
    """Writes the drafts of hard negatives: posts about watched films that are not hits."""

    def _negative(
        self,
        kind: str,
        film: Film,
        slot: PostSlot,
        title: str,
        body: str,
        tags: list[str],
        urls: list[str],
        note: str,
    ) -> Draft:
        return Draft(kind, film, title, body, tags, urls, slot.language, note=note)

    def _link(self, url: str, slot: PostSlot, text: str) -> str:
        return f'<a href="{self._href(url, slot)}">{text}</a>'

    def draft_review(self, film: Film, slot: PostSlot) -> Draft:
        phrases = LANGUAGES[slot.language]
        imdb = self.book.benign(
            self.cycles.pick("review-link", ("imdb", "letterboxd_google", "wikipedia")), film
        )
        body = (
            f"<p>{phrases.review.format(t=film.shown)}</p>\n<p>It "
            "runs two and a half hours and honestly feels "
            "like a full movie&rsquo;s worth of ideas crammed "
            "in. The cast is great; the third act drags.</p>\n"
            f"<p>My rating: 4/5. More: {self._link(imdb, slot, film.shown)}</p>"
        )
        tags = [film.title, "review", "movies", "no spoilers"]
        return self._negative(
            "review", film, slot, f"{film.shown} review", body, tags, [imdb], "honest review"
        )

    def draft_trailer(self, film: Film, slot: PostSlot) -> Draft:
        phrases = LANGUAGES[slot.language]
        embed = self.book.benign("youtube_embed", film)
        watch = self.book.benign("youtube_watch", film)
        body = (
            f"<p>{phrases.trailer.format(t=film.shown)}</p>\n"
            f'<iframe width="560" height="315" src="{embed}" title="YouTube video player" '
            'frameborder="0" '
            "allowfullscreen></iframe>\n"
            f"<p>Watch the {film.shown} {film.year_text} trailer "
            f"online: {self._link(watch, slot, 'YouTube')}. "
            "In cinemas soon.</p>"
        )
        return self._negative(
            "trailer",
            film,
            slot,
            f"{film.shown} ({film.year_text}) &ndash; official trailer",
            body,
            [film.title, "trailer", f"{film.title} trailer"],
            [embed, watch],
            "trailer (YouTube embed)",
        )

    def draft_box_office(self, film: Film, slot: PostSlot) -> Draft:
        bom = self.book.benign("boxoffice", film)
        body = (
            f"<p>{film.shown} opened to $98.4 million this weekend, "
            f"the best opening of {film.year_text} so far. "
            f"Full numbers at {self._link(bom, slot, 'Box Office Mojo')}.</p>"
        )
        return self._negative(
            "box_office",
            film,
            slot,
            f"Box office: {film.shown} tops the weekend",
            body,
            [film.title, "box office"],
            [bom],
            "box office news",
        )

    def draft_streaming_news(self, film: Film, slot: PostSlot) -> Draft:
        news = self.book.benign("news", film)
        dplus = self.book.benign("disneyplus", film)
        body = (
            f"<p>Good news: {film.shown} is coming to streaming. "
            f"You can watch {film.shown} online legally on "
            f"{self._link(dplus, slot, 'Disney+')} from next month "
            f"({self._link(news, slot, 'Variety')}).</p>"
            "<p>Please don&rsquo;t fall for &ldquo;full movie&rdquo; links on blogs.</p>"
        )
        return self._negative(
            "streaming_news",
            film,
            slot,
            f"Where to watch {film.shown} online (legally)",
            body,
            [film.title, "streaming", "where to watch"],
            [dplus, news],
            "legit streaming news",
        )

    def draft_fan_art(self, film: Film, slot: PostSlot) -> Draft:
        art = self.book.benign("fan_art", film)
        media_key = code_for("fanart", film.title, slot.post_id, length=32)
        img = f"https://64.media.tumblr.com/{media_key}/s1280x1920/poster.jpg"
        body = (
            f'<figure><img src="{img}" alt="fan poster"></figure>\n<p>My {film.shown} fan poster! '
            f"Prints on {self._link(art, slot, 'DeviantArt')}. Can&rsquo;t wait for the full "
            "movie.</p>"
        )
        return self._negative(
            "fan_art",
            film,
            slot,
            f"{film.shown} fan poster",
            body,
            [film.title, "fan art", "digital art", "poster"],
            [art],
            "fan art",
        )

    def draft_scam_warning(self, film: Film, slot: PostSlot) -> Draft:
        warning = self.book.scam_warning(int(slot.post_id[-3:]))
        body = (
            f"<p>PSA: blogs promising &ldquo;{film.shown} full "
            "movie&rdquo; free streams are scams. They show a fake "
            "player and then say <q>Sign in with Facebook to "
            "continue watching</q> or <q>Create your FREE account "
            "to unlock the full movie</q>, or ask for a credit card &ldquo;to verify your "
            "age&rdquo;. "
            "Never enter your password there. Read "
            f"{self._link(warning, slot, 'this advice')}.</p>"
        )
        return self._negative(
            "scam_warning",
            film,
            slot,
            f"Warning: fake &ldquo;{film.shown} full movie&rdquo; links",
            body,
            [film.title, "scam", "phishing", "psa"],
            [warning],
            "scam warning quoting lure phrases",
        )

    def draft_legit_links(self, film: Film, slot: PostSlot) -> Draft:
        urls = [self.book.benign(v, film) for v in ("imdb", "youtube_watch", "cinema")]
        body = (
            f"<p>Everything you need before you watch {film.shown} ({film.year_text}): "
            f"{self._link(urls[0], slot, 'cast on IMDb')}, "
            f"{self._link(urls[1], slot, 'the trailer')}, and "
            f"{self._link(urls[2], slot, 'tickets at ODEON')}. See the full movie on the big "
            "screen!</p>"
        )
        return self._negative(
            "legit_links",
            film,
            slot,
            f"Watch {film.shown} in cinemas: all the links",
            body,
            [film.title, f"{film.title} full movie", "cinema"],
            urls,
            "mentions title, legit links",
        )

    def draft_legit_signin(self, film: Film, slot: PostSlot) -> Draft:
        netflix = self.book.benign("netflix_signin", film)
        lbx = self.book.benign("letterboxd_google", film)
        body = (
            f"<p>{film.shown} is finally streaming. Sign in to your Netflix account at "
            f"{self._link(netflix, slot, 'netflix.com/login')} and log it on Letterboxd "
            f"({self._link(lbx, slot, 'Sign in with Google there')}).</p>"
        )
        return self._negative(
            "legit_signin",
            film,
            slot,
            f"{film.shown} is now on Netflix",
            body,
            [film.title, "netflix"],
            [netflix, lbx],
            "legit sign-in pages on their own domains",
        )

    def draft_near_miss_review(self, film: Film, slot: PostSlot, watched: Film | None) -> Draft:
        imdb = self.book.benign("imdb", film)
        also = f" before {watched.shown} arrives" if watched else ""
        body = (
            f"<p>Rewatched {film.shown} ({film.year_text}){also}. Still holds up.</p>"
            f"<p>{self._link(imdb, slot, 'IMDb')}</p>"
        )
        tags = [film.title, "rewatch", *([watched.title] if watched else [])]
        return self._negative(
            "near_miss_review",
            film,
            slot,
            f"Rewatching {film.shown}",
            body,
            tags,
            [imdb],
            f"near-miss title {film.title!r}, not watched",
        )

    def draft_comment_widget(self, film: Film, slot: PostSlot) -> Draft:
        """A review with the platform's own comment form ("Sign in with Google"): not a lure."""
        draft = self.draft_review(film, slot)
        if slot.blog.platform == "blogger":
            widget = _blogger_comment_widget(slot)
            extra = [_BLOGGER_SIGNIN]
            self.book.add_google_signin(_BLOGGER_SIGNIN)
        elif slot.blog.platform == "wordpress":
            widget = _wordpress_comment_widget(slot)
            extra = []
        else:
            return draft
        draft.body += "\n" + widget
        draft.outbound += extra
        draft.kind = "comment_widget"
        draft.note = "platform's own comment widget with Sign in with Google"
        return draft


_BLOGGER_SIGNIN = (
    "https://accounts.google.com/ServiceLogin?service=blogger&continue="
    "https%3A%2F%2Fwww.blogger.com%2Fcomment%2Ffullpage"
)


def _blogger_comment_widget(slot: PostSlot) -> str:
    blog_id = slot.blog.blog_id
    host = slot.blog.host
    return (
        '<div class="comments" id="comments"><h4>No comments:</h4><div class="comment-form">'
        f'<p class="comment-footer"><a href="{html_escape(_BLOGGER_SIGNIN)}">Sign '
        "in with Google</a> to comment.</p>"
        f'<a href="https://www.blogger.com/comment/fullpage/post/{blog_id}/{slot.post_id}" '
        'id="comment-editor-src"></a>'
        '<iframe allowtransparency="true" class="blogger-iframe-colorize '
        'blogger-comment-from-post" frameborder="0" '
        'height="410px" id="comment-editor" name="comment-editor" '
        f'src="https://www.blogger.com/comment/frame/{blog_id}'
        f'?po={slot.post_id}&amp;hl=en&amp;saa=85391&amp;origin=https://{host}&amp;skin=contempo" '
        'width="100%">'
        "</iframe><script "
        'src="https://www.blogger.com/static/v1/jsbin/2830521187-comment_from_post_iframe.js">'
        "</script></div></div>"
    )


def _wordpress_comment_widget(slot: PostSlot) -> str:
    blog = slot.blog
    base = f"https://{blog.host}"
    return (
        '<div id="respond" class="comment-respond"><h3 id="reply-title" '
        'class="comment-reply-title">Leave a comment</h3>'
        f'<form action="{base}/wp-comments-post.php" method="post" id="commentform" '
        'class="comment-form">'
        '<div class="comment-form__verbum"><div class="comment-form-service">Log in with '
        '<a class="comment-form-service-google" '
        'href="https://public-api.wordpress.com/connect/?action=request&amp;'
        f'service=google&amp;blog_id={blog.blog_id}">Google</a> &middot; '
        '<a class="comment-form-service-wpcom" '
        'href="https://wordpress.com/log-in?redirect_to=https%3A%2F%2Fr-login.'
        'wordpress.com%2Fremote-login.php">WordPress.com</a> &middot; '
        '<a class="comment-form-service-facebook" '
        'href="https://public-api.wordpress.com/connect/?action=request&amp;'
        'service=facebook">Facebook</a></div>'
        '<textarea id="comment" name="comment" placeholder="Write a comment..."></textarea>'
        '<input id="email" name="email" type="email"><input id="author" name="author" '
        'type="text"></div>'
        f'<input type="hidden" name="comment_post_ID" value="{slot.post_id}" id="comment_post_ID">'
        '<input type="submit" id="comment-submit" value="Post Comment"></form></div>'
    )

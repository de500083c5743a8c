"""``www.tumblr.com`` (the search page a script fills in, robots.txt), ``t.umblr.com/redirect``."""

from __future__ import annotations

import hmac
import html as htmlmod
import json
from urllib.parse import unquote

from replica.http import Request, Response, html, text
from replica.tumblr.links import signature
from replica.tumblr.state import TumblrState

__all__ = ["WebRoutes"]


class WebRoutes(TumblrState):
    """The search page and robots.txt of ``www.tumblr.com``, and the ``t.umblr.com`` redirector."""

    def search_page(self, request: Request) -> Response:
        query = unquote(request.params["q"]).replace("+", " ")
        mode = request.params.get("mode") or "top"
        state = {
            "routeName": "search",
            "searchRoute": {
                "query": query,
                "mode": mode,
                "postTypeFilter": request.params.get("ptype") or "",
            },
            "apiFetchStore": {"API_TOKEN": self.config.web_token},
            "queries": {},
        }
        page = SEARCH_PAGE.format(
            title=htmlmod.escape(query), state=json.dumps(state).replace("</", "<\\/")
        )
        return self._log("search_page", request, html(page))

    def www_robots(self, request: Request) -> Response:
        return text(WWW_ROBOTS)

    def redirect(self, request: Request) -> Response:
        target = request.arg("z") or ""
        if not target.startswith(("http://", "https://")):
            return html("<html><body><h1>Invalid link</h1></body></html>", 400)
        if hmac.compare_digest(request.arg("t") or "", signature(target)):
            return Response(302, b"", [("Location", target), ("Content-Type", "text/html")])
        safe = htmlmod.escape(target, quote=True)
        return html(INTERSTITIAL.format(url=safe))


SEARCH_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Search on Tumblr</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="root"><div class="loading" aria-busy="true">Loading…</div></div>
<script type="application/json" id="___INITIAL_STATE___">{state}</script>
<script>
(function () {{
  var state = JSON.parse(document.getElementById("___INITIAL_STATE___").textContent);
  var route = state.searchRoute, root = document.getElementById("root");
  var params = new URLSearchParams({{limit: "20", days: "0", query: route.query, mode: route.mode,
    timeline_type: "post", skip_component: "related_tags,blog_search", reblog_info: "true"}});
  if (route.postTypeFilter) params.set("post_type_filter", route.postTypeFilter);
  fetch("/api/v2/timeline/search?" + params.toString(), {{headers: {{
      "Authorization": "Bearer " + state.apiFetchStore.API_TOKEN,
      "Accept": "application/json;format=camelcase"}}}})
    .then(function (r) {{ return r.json(); }})
    .then(function (data) {{
      root.innerHTML = "";
      var list = document.createElement("main");\
 list.setAttribute("data-testid", "search-results");
      (data.response.timeline.elements || []).forEach(function (el) {{
        if (el.objectType !== "post") return;
        var article = document.createElement("article");
        article.setAttribute("data-id", el.idString);
        var link = document.createElement("a");
        link.href = el.postUrl; link.className = "post-link";\
 link.textContent = el.summary || el.postUrl;
        article.appendChild(link); list.appendChild(article);
      }});
      root.appendChild(list); root.setAttribute("data-loaded", "1");
    }})
    .catch(function () {{ root.setAttribute("data-loaded", "error"); }});
}})();
</script></body></html>"""

INTERSTITIAL = """<!doctype html><html><head><meta charset="utf-8"><title>Tumblr</title>
<meta name="robots" content="noindex"></head><body><div class="interstitial">
<p>This link is taking you to a site outside of Tumblr. It may contain content we have not \
reviewed.</p>
<a class="continue" href="{url}">Continue</a></div></body></html>"""


WWW_ROBOTS = """User-agent: *
Disallow: /login
Disallow: /register
Disallow: /dashboard
Disallow: /settings
Disallow: /likes
Disallow: /api/
Sitemap: https://www.tumblr.com/sitemap.xml
"""

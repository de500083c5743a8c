"""needs_rendering: script-built pages need the browser, ordinary pages with analytics do not."""

from __future__ import annotations

import pytest

from crawler.rendering.decide import needs_rendering

ARTICLE = "<p>" + "A long ordinary article about the film, its cast and its reviews. " * 6 + "</p>"
GA = """<script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}
gtag('js', new Date()); gtag('config', 'G-X');</script>"""
FB = """<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){};t=b.createElement(e);
t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,document,'script',
'https://connect.facebook.net/en_US/fbevents.js'); fbq('init', '1'); fbq('track', 'PageView');</script>"""


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><script>document.write('<a href=\"/watch\">Watch Man of Steel</a>')</script>"
        "</body></html>",
        "<html><body>"
        + ARTICLE
        + "<script>document.write(unescape('%3Ca%20href%3D%22/x%22%3E'))</script></body></html>",
        "<html><body><div id=x></div>"
        "<script>document.getElementById('x').innerHTML = atob('PGZvcm0+');</script>"
        + ARTICLE
        + "</body></html>",
        "<html><body>" + ARTICLE + "<script>var f=document.createElement('form');"
        "f.action=String.fromCharCode(104,116,116,112);document.body.appendChild(f)</script></body></html>",
        '<!doctype html><html><head><script src="/static/js/main.3f2a.js"></script></head>'
        '<body><div id="root"></div></body></html>',
        "<html><body><noscript>Please enable JavaScript</noscript>"
        "<script src='/app.js'></script></body></html>",
        "<html><body>Loading…"
        "<script>location.href = atob('aHR0cHM6Ly9ldmlsLmV4YW1wbGUv')</script></body></html>",
    ],
)
def test_script_built_pages_need_rendering(html: str) -> None:
    assert needs_rendering(html)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html><body>" + ARTICLE + "</body></html>",
        "<html><head>" + GA + "</head><body>" + ARTICLE + "</body></html>",
        "<html><head>" + FB + "</head><body>" + ARTICLE + "</body></html>",
        "<html><head>"
        + GA
        + "</head><body><h1>Short page</h1><a href='/more'>more</a></body></html>",
        "<html><body>" + ARTICLE + "<script src='https://cdn.example/jquery.min.js'></script>"
        "<script>$(function(){ $('.menu').toggle(); });</script></body></html>",
    ],
)
def test_ordinary_pages_do_not_need_rendering(html: str) -> None:
    assert not needs_rendering(html)

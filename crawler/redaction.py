"""Keep secrets out of the logs.

Tumblr's API takes its key in the query string (``api_key=``), and Scrapy logs request URLs
(``Crawled (200) <GET ...>`` at DEBUG, ``Gave up retrying <GET ...>`` at ERROR). Every log record
of the process is therefore redacted as it is formatted: the values of the secret settings,
``api_key``/``key``/``token`` query parameters and the password of ``scheme://user:password@host``
URLs become ``***``. The credentials written into the service URLs (``ELASTICSEARCH_URL``,
``KIBANA_URL``, ``REDIS_URL``) are secrets too, as written and percent-decoded: a malformed URL (no
scheme, a ``/`` or ``#`` in the password) defeats the URL pattern, and a library's error may quote
it whole. Control characters (ESC, CR ...) and bidi overrides are removed from the message as well
(:func:`pipelines.safety.strip_controls`): logged page text can neither drive the terminal that
shows the log nor disguise a line.

:func:`install` is called by the :class:`SecretRedaction` extension with the crawler's secret
settings (from the environment through ``crawler.settings``, or given with ``-s``).
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

from scrapy.crawler import Crawler

from pipelines.config import split_userinfo
from pipelines.safety import strip_controls

__all__ = [
    "SECRET_SETTINGS",
    "URL_SETTINGS",
    "SecretRedaction",
    "install",
    "redact",
    "url_secrets",
]

#: Settings (and environment variables) whose values are secrets.
SECRET_SETTINGS = (
    "TUMBLR_API_KEY",
    "BLOGGER_API_KEY",
    "GOOGLE_CSE_KEY",
    "BRAVE_API_KEY",
    "TMDB_API_KEY",
    "ELASTICSEARCH_API_KEY",
    "ELASTICSEARCH_PASSWORD",
    "KIBANA_API_KEY",
    "KIBANA_PASSWORD",
)
#: Settings holding service URLs, which may carry credentials (:func:`url_secrets`).
URL_SETTINGS = ("ELASTICSEARCH_URL", "KIBANA_URL", "REDIS_URL")
MASK = "***"
_MIN_SECRET = 4  # shorter values would mask ordinary words
_QUERY_SECRET = re.compile(r"(?i)([?&;](?:api_key|apikey|key|access_token|token)=)[^&#\s'\"<>]+")
# Bounded repeats: each start position scans at most a few hundred characters, so a line is
# redacted in linear time whatever it holds (an unbounded ``[a-z0-9+.-]*://`` was quadratic on a
# long word). The password may hold ``/``, ``#`` and ``?`` (pasted unencoded); a URL without a
# scheme (``user:pw@host:9200``) is masked when a ``host:port`` follows its ``@``.
_URL_PASSWORD = re.compile(
    r"(\b[a-z][a-z0-9+.-]{0,31}://[^/\s:@]{0,256}:)[^@\s]{1,256}(@)", re.IGNORECASE
)
_BARE_PASSWORD = re.compile(
    r"((?<![\w.+:/-])[\w.-]{1,64}:)[^@\s:/]{1,256}(@[\w.-]{1,253}:\d{1,5}\b)"
)
_SECRETS: set[str] = set()
_state: dict[str, Any] = {"pattern": None, "installed": False}


def redact(text: str) -> str:
    """``text`` with every known secret, secret query parameter and URL password replaced by
    ``***``."""
    pattern = _state["pattern"]
    if pattern is not None:
        text = pattern.sub(MASK, text)
    text = _QUERY_SECRET.sub(rf"\g<1>{MASK}", text)
    text = _URL_PASSWORD.sub(rf"\g<1>{MASK}\g<2>", text)
    return _BARE_PASSWORD.sub(rf"\g<1>{MASK}\g<2>", text)


def url_secrets(url: str) -> list[str]:
    """The secrets in a service URL: its password (or a lone ``TOKEN@``) and its query values,
    each as written and percent-decoded; everything up to the last ``@`` is credentials."""
    _, userinfo, rest = split_userinfo(url.strip())
    found: list[str] = []
    if userinfo is not None:
        user, colon, password = userinfo.partition(":")
        found.append(password if colon else user)
    query = rest.partition("?")[2]
    found.extend(pair.partition("=")[2] for pair in query.split("&"))
    return [*found, *(unquote(secret) for secret in found)]


def _clean(text: str) -> str:
    return strip_controls(redact(text))


class _RedactedRecord(logging.LogRecord):
    def getMessage(self) -> str:
        return _clean(super().getMessage())


def _record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _RedactedRecord(*args, **kwargs)
    if record.exc_info and record.exc_info[0] is not None:
        # formatters reuse exc_text when it is set: format (and redact) the traceback here
        record.exc_text = _clean(
            "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        )
    return record


def install(secrets: Iterable[Any] = ()) -> None:
    """Redact ``secrets`` (and the generic patterns) in every log record of this process from now
    on."""
    new = {str(s) for s in secrets if s and len(str(s)) >= _MIN_SECRET} - _SECRETS
    if new:
        _SECRETS.update(new)
        alternatives = sorted(_SECRETS, key=len, reverse=True)
        _state["pattern"] = re.compile("|".join(re.escape(s) for s in alternatives))
    if not _state["installed"]:
        logging.setLogRecordFactory(_record_factory)
        _state["installed"] = True


class SecretRedaction:
    """Extension: redact the secret settings of this crawler (including ``-s NAME=VALUE`` ones)."""

    def __init__(self, secrets: Iterable[Any]) -> None:
        install(secrets)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SecretRedaction:
        secrets = [crawler.settings.get(name) for name in SECRET_SETTINGS]
        for name in URL_SETTINGS:
            secrets.extend(url_secrets(str(crawler.settings.get(name) or "")))
        return cls(secrets)

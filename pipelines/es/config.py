"""``EsConfig``: every Elasticsearch setting of lurewatch, read and validated in one place.

Settings (``crawler/settings.py`` fills them from the environment):

==============================  ==================================================================
``ELASTICSEARCH_URL``           base URL; empty disables indexing (``NotConfigured``)
``ELASTICSEARCH_API_KEY``       API key (``id:key`` or the encoded form); wins over user/password
``ELASTICSEARCH_USERNAME``      basic auth user (with ``ELASTICSEARCH_PASSWORD``)
``ELASTICSEARCH_CA_CERTS``      CA bundle for TLS; certificates are always verified
``LUREWATCH_ES_INDEX``          the alias hits are written to (default ``lurewatch-hits``)
``LUREWATCH_ES_ENABLED``        ``False`` turns the pipeline off even with a URL
``LUREWATCH_ES_BATCH_SIZE``     documents per bulk request
``LUREWATCH_ES_FLUSH_SECONDS``  a partial batch is sent after this many seconds
``LUREWATCH_ES_MAX_RETRIES``    retries of 429/5xx answers, with exponential backoff
``LUREWATCH_DATA_DIR``          the spool of unindexed hits lives in ``<dir>/es-spool/``
==============================  ==================================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from pipelines.exceptions import ConfigError

__all__ = ["DEFAULTS", "EsConfig", "redact_url"]

#: Defaults of the settings above (mirrored in ``crawler/defaults.py``).
DEFAULTS: dict[str, Any] = {
    "LUREWATCH_ES_INDEX": "lurewatch-hits",
    "LUREWATCH_ES_ENABLED": True,
    "LUREWATCH_ES_BATCH_SIZE": 500,
    "LUREWATCH_ES_FLUSH_SECONDS": 5.0,
    "LUREWATCH_ES_MAX_RETRIES": 3,
    "LUREWATCH_ES_RETRY_BACKOFF": 1.0,
    "LUREWATCH_ES_TIMEOUT": 30.0,
    "LUREWATCH_DATA_DIR": "data",
}

_ALIAS_RE = re.compile(r"^[a-z0-9][a-z0-9_.+-]{0,200}$")


def redact_url(url: str) -> str:
    """``url`` without any ``user:password@`` part, safe to log."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


@dataclass(frozen=True)
class EsConfig:
    """Connection and batching options of the Elasticsearch pipeline and the ``lurewatch es`` commands."""

    url: str
    index: str = DEFAULTS["LUREWATCH_ES_INDEX"]
    api_key: str = field(default="", repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    ca_certs: str = ""
    batch_size: int = DEFAULTS["LUREWATCH_ES_BATCH_SIZE"]
    flush_seconds: float = DEFAULTS["LUREWATCH_ES_FLUSH_SECONDS"]
    max_retries: int = DEFAULTS["LUREWATCH_ES_MAX_RETRIES"]
    retry_backoff: float = DEFAULTS["LUREWATCH_ES_RETRY_BACKOFF"]
    timeout: float = DEFAULTS["LUREWATCH_ES_TIMEOUT"]
    data_dir: Path = Path(DEFAULTS["LUREWATCH_DATA_DIR"])

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> EsConfig:
        """Build and validate; raise ``NotConfigured`` when indexing is off, ``ConfigError`` when wrong."""
        url = (settings.get("ELASTICSEARCH_URL") or "").strip()
        if not settings.getbool("LUREWATCH_ES_ENABLED", DEFAULTS["LUREWATCH_ES_ENABLED"]):
            raise NotConfigured("LUREWATCH_ES_ENABLED is False")
        if not url:
            raise NotConfigured("ELASTICSEARCH_URL not set")
        config = cls(
            url=url.rstrip("/"),
            index=settings.get("LUREWATCH_ES_INDEX") or DEFAULTS["LUREWATCH_ES_INDEX"],
            api_key=settings.get("ELASTICSEARCH_API_KEY") or "",
            username=settings.get("ELASTICSEARCH_USERNAME") or "",
            password=settings.get("ELASTICSEARCH_PASSWORD") or "",
            ca_certs=settings.get("ELASTICSEARCH_CA_CERTS") or "",
            batch_size=settings.getint("LUREWATCH_ES_BATCH_SIZE", DEFAULTS["LUREWATCH_ES_BATCH_SIZE"]),
            flush_seconds=settings.getfloat(
                "LUREWATCH_ES_FLUSH_SECONDS", DEFAULTS["LUREWATCH_ES_FLUSH_SECONDS"]
            ),
            max_retries=settings.getint("LUREWATCH_ES_MAX_RETRIES", DEFAULTS["LUREWATCH_ES_MAX_RETRIES"]),
            retry_backoff=settings.getfloat(
                "LUREWATCH_ES_RETRY_BACKOFF", DEFAULTS["LUREWATCH_ES_RETRY_BACKOFF"]
            ),
            timeout=settings.getfloat("LUREWATCH_ES_TIMEOUT", DEFAULTS["LUREWATCH_ES_TIMEOUT"]),
            data_dir=Path(settings.get("LUREWATCH_DATA_DIR") or DEFAULTS["LUREWATCH_DATA_DIR"]),
        )
        config.validate()
        return config

    def validate(self) -> None:
        """Raise ``ConfigError`` on contradictory or out-of-range options (never echoing a secret)."""
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"ELASTICSEARCH_URL must be an http(s) URL, got {redact_url(self.url)!r}")
        if bool(self.username) != bool(self.password):
            raise ConfigError("ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD must be set together")
        if self.ca_certs and not Path(self.ca_certs).is_file():
            raise ConfigError(f"ELASTICSEARCH_CA_CERTS: no such file {self.ca_certs!r}")
        if not _ALIAS_RE.match(self.index):
            raise ConfigError(f"LUREWATCH_ES_INDEX {self.index!r} is not a valid lowercase index/alias name")
        if self.batch_size < 1 or self.flush_seconds <= 0 or self.max_retries < 0 or self.timeout <= 0:
            raise ConfigError(
                "LUREWATCH_ES_BATCH_SIZE, _FLUSH_SECONDS and _TIMEOUT must be > 0, _MAX_RETRIES >= 0"
            )

    @property
    def safe_url(self) -> str:
        """The URL for log lines."""
        return redact_url(self.url)

    @property
    def spool_path(self) -> Path:
        """The JSON Lines spool of hits not yet indexed into :attr:`index`."""
        return self.data_dir / "es-spool" / f"{self.index}.jsonl"

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``Elasticsearch``/``AsyncElasticsearch`` (TLS always verified)."""
        kwargs: dict[str, Any] = {
            "hosts": [self.url],
            "request_timeout": self.timeout,
            "max_retries": self.max_retries,
            "retry_on_status": (429, 500, 502, 503, 504),
            "retry_on_timeout": True,
            "verify_certs": True,
        }
        if self.ca_certs:
            kwargs["ca_certs"] = self.ca_certs
        if self.api_key:
            kwargs["api_key"] = self.api_key
        elif self.username:
            kwargs["basic_auth"] = (self.username, self.password)
        return kwargs

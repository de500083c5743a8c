"""``EsConfig``: every Elasticsearch setting of lurewatch, read and validated in one place.

Settings (defaults in ``crawler/defaults.py``; ``crawler/settings.py`` reads the environment):

==============================  ============================================================
``ELASTICSEARCH_URL``           base URL (``http(s)://[user:password@]host[:port][/path]``);
                                empty turns indexing off
``ELASTICSEARCH_API_KEY``       API key (``id:key`` or the encoded form); wins over user/password
``ELASTICSEARCH_USERNAME``      basic auth user (with ``ELASTICSEARCH_PASSWORD``)
``ELASTICSEARCH_CA_CERTS``      CA bundle for TLS; certificates are always verified
``LUREWATCH_ES_INDEX``          the alias hits are written to
``LUREWATCH_ES_ENABLED``        ``False`` turns indexing off even with a URL
``LUREWATCH_ES_BATCH_SIZE``     documents per bulk request
``LUREWATCH_ES_FLUSH_SECONDS``  a partial batch is sent after this many seconds
``LUREWATCH_ES_MAX_RETRIES``    retries of 429/5xx answers, with exponential backoff
``LUREWATCH_ES_RETRY_BACKOFF``  seconds before the first retry
``LUREWATCH_ES_TIMEOUT``        seconds per request
``LUREWATCH_DATA_DIR``          the spool of unindexed hits lives in ``<dir>/es-spool/``
==============================  ============================================================

Credentials written into ``ELASTICSEARCH_URL`` are taken out of it (percent-decoded) and sent as
basic auth, unless ``ELASTICSEARCH_API_KEY`` or ``_USERNAME``/``_PASSWORD`` are set, which win: the
client, its errors and its logs only ever see the URL without them. A password may hold ``/``,
``#``, ``?`` or ``@`` unencoded (everything up to the last ``@`` is credentials). Every error shows
the URL with the password masked and no query.

Scrapy-free: the settings are anything with Scrapy's getters
(:class:`~pipelines.config.SettingsLike`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.config import (
    SettingsLike,
    parse_service_url,
    read_bool,
    read_float,
    read_int,
    read_positive,
    read_str,
    redact_url,
)
from pipelines.exceptions import ConfigError

__all__ = ["EsConfig", "redact_url"]

_ALIAS_RE = re.compile(r"^[a-z0-9][a-z0-9_.+-]{0,200}$")
#: Upper bounds (a typo must not make one bulk request of a million documents).
_MAX_BATCH = 10_000
_MAX_RETRIES = 20
_MAX_SECONDS = 3600.0


@dataclass(frozen=True)
class EsConfig:
    """Connection and batching options of the Elasticsearch pipeline and the ``es`` commands.

    Defaults come with the settings (``crawler/defaults.py``); build it with :meth:`from_settings`.
    """

    url: str  # without credentials: the one the client gets
    safe_url: str  # for messages and log lines: password masked
    index: str
    api_key: str = field(repr=False)
    username: str = field(repr=False)  # a lone token in the URL (https://TOKEN@host) lands here
    password: str = field(repr=False)
    ca_certs: str
    batch_size: int
    flush_seconds: float
    max_retries: int
    retry_backoff: float
    timeout: float
    data_dir: Path

    @staticmethod
    def off_reason(settings: SettingsLike) -> str | None:
        """Why indexing is off (disabled, or no ``ELASTICSEARCH_URL``); ``None`` when it is on."""
        if not read_bool(settings, "LUREWATCH_ES_ENABLED"):
            return "LUREWATCH_ES_ENABLED is False"
        if not read_str(settings, "ELASTICSEARCH_URL").strip():
            return "ELASTICSEARCH_URL not set"
        return None

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> EsConfig:
        """Read and validate; :class:`ConfigError` when indexing is off or a value is wrong."""
        reason = cls.off_reason(settings)
        if reason:
            raise ConfigError(reason)
        data_dir = read_str(settings, "LUREWATCH_DATA_DIR")
        if not data_dir:
            raise ConfigError("LUREWATCH_DATA_DIR: must be a directory, got ''")
        url = parse_service_url(
            read_str(settings, "ELASTICSEARCH_URL").strip(), "ELASTICSEARCH_URL"
        )
        username = read_str(settings, "ELASTICSEARCH_USERNAME")
        password = read_str(settings, "ELASTICSEARCH_PASSWORD")
        if bool(username) != bool(password):
            raise ConfigError(
                "ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD must be set together"
            )
        if not username:  # the URL's credentials, if any
            username, password = url.username, url.password
        config = cls(
            url=url.url,
            safe_url=url.shown,
            index=read_str(settings, "LUREWATCH_ES_INDEX"),
            api_key=read_str(settings, "ELASTICSEARCH_API_KEY"),
            username=username,
            password=password,
            ca_certs=read_str(settings, "ELASTICSEARCH_CA_CERTS"),
            batch_size=read_int(
                settings, "LUREWATCH_ES_BATCH_SIZE", minimum=1, maximum=_MAX_BATCH
            ),
            flush_seconds=read_positive(
                settings, "LUREWATCH_ES_FLUSH_SECONDS", maximum=_MAX_SECONDS
            ),
            max_retries=read_int(
                settings, "LUREWATCH_ES_MAX_RETRIES", minimum=0, maximum=_MAX_RETRIES
            ),
            retry_backoff=read_float(
                settings, "LUREWATCH_ES_RETRY_BACKOFF", minimum=0, maximum=_MAX_SECONDS
            ),
            timeout=read_positive(settings, "LUREWATCH_ES_TIMEOUT", maximum=_MAX_SECONDS),
            data_dir=Path(data_dir),
        )
        config.validate()
        return config

    def validate(self) -> None:
        """Raise :class:`ConfigError` on a bad CA bundle or alias (the URL is checked first)."""
        if self.ca_certs and not Path(self.ca_certs).is_file():
            raise ConfigError(f"ELASTICSEARCH_CA_CERTS: no such file, got {self.ca_certs!r}")
        if not _ALIAS_RE.match(self.index):
            raise ConfigError(
                f"LUREWATCH_ES_INDEX: {self.index!r} is not a valid lowercase index or alias name"
            )

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
        elif self.username or self.password:
            kwargs["basic_auth"] = (self.username, self.password)
        return kwargs

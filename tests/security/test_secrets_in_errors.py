"""A password in ``ELASTICSEARCH_URL`` never reaches an error, a command's output or a crawl's log.

Every malformed shape a user may paste (no scheme, ``/ # ? @`` in the password, percent-encoded,
IPv6 host, empty user, a lone token, whitespace, an API key in the query, a bad port ...) goes
through :class:`EsConfig` (error or repr), ``lurewatch es status`` and a whole crawl at DEBUG.
The password is ``Pw9zQ`` + a separator + ``Lx7vK``: neither half may appear anywhere.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler.redaction import install, redact, url_secrets
from pipelines.config import redact_url
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError
from tests._crawl import ROOT, clean_env
from tests._settings import lurewatch_settings

HALVES = ("Pw9zQ", "Lx7vK")
CLOSED = "127.0.0.1:9"  # nothing listens on the discard port

#: Each shape, and the credentials the client gets from it (``None``: the URL is refused).
SHAPES: list[tuple[str, tuple[str, str] | None]] = [
    (f"elastic:Pw9zQLx7vK@{CLOSED}", None),  # no scheme
    (f"http://elastic:Pw9zQLx7vK@{CLOSED}", ("elastic", "Pw9zQLx7vK")),
    (f"http://elastic:Pw9zQ/Lx7vK@{CLOSED}", ("elastic", "Pw9zQ/Lx7vK")),
    (f"http://elastic:Pw9zQ#Lx7vK@{CLOSED}", ("elastic", "Pw9zQ#Lx7vK")),
    (f"http://elastic:Pw9zQ?Lx7vK@{CLOSED}", ("elastic", "Pw9zQ?Lx7vK")),
    (f"http://elastic:Pw9zQ@Lx7vK@{CLOSED}", ("elastic", "Pw9zQ@Lx7vK")),
    (f"http://elastic:Pw9zQ%40Lx7vK@{CLOSED}", ("elastic", "Pw9zQ@Lx7vK")),
    ("http://elastic:Pw9zQLx7vK@[::1]:9", ("elastic", "Pw9zQLx7vK")),
    (f"http://:Pw9zQLx7vK@{CLOSED}", ("", "Pw9zQLx7vK")),
    (f"http://Pw9zQLx7vK@{CLOSED}", ("Pw9zQLx7vK", "")),  # a lone token
    (f"  https://elastic:Pw9zQLx7vK@{CLOSED}/es  ", ("elastic", "Pw9zQLx7vK")),
    (f"HTTP://elastic:Pw9zQLx7vK@{CLOSED}", ("elastic", "Pw9zQLx7vK")),
    (f"http://elastic:Pw9zQ Lx7vK@{CLOSED}", None),
    (f"http://elastic:Pw9zQ\tLx7vK@{CLOSED}", None),
    (f"http://{CLOSED}/?api_key=Pw9zQLx7vK", None),
    (f"http://{CLOSED}?apikey=Pw9zQ%2FLx7vK", None),
    (f"ftp://elastic:Pw9zQLx7vK@{CLOSED}", None),
    (f"http:elastic:Pw9zQLx7vK@{CLOSED}", None),
    (f"//elastic:Pw9zQLx7vK@{CLOSED}", None),
    ("http://elastic:Pw9zQLx7vK@127.0.0.1:port", None),
    ("http://elastic:Pw9zQLx7vK@", None),
]
IDS = [url.strip().replace(" ", "_").replace("\t", "_") for url, _ in SHAPES]


def _clean(text: str) -> bool:
    return not any(half in text for half in HALVES)


@pytest.mark.parametrize(("url", "credentials"), SHAPES, ids=IDS)
def test_es_config_never_shows_the_password(url: str, credentials: tuple[str, str] | None) -> None:
    settings = lurewatch_settings({"ELASTICSEARCH_URL": url})
    if credentials is None:
        with pytest.raises(ConfigError, match=r"^ELASTICSEARCH_URL: ") as caught:
            EsConfig.from_settings(settings)
        assert _clean(str(caught.value)), str(caught.value)
        return
    config = EsConfig.from_settings(settings)
    hosts = config.client_kwargs()["hosts"]
    assert _clean(repr(config)) and _clean(config.safe_url) and _clean(str(hosts))
    assert "@" not in config.url  # the client, its errors and its logs never see credentials
    assert config.client_kwargs()["basic_auth"] == credentials


def test_settings_credentials_win_over_the_urls() -> None:
    config = EsConfig.from_settings(
        lurewatch_settings(
            {
                "ELASTICSEARCH_URL": "http://u:in-url@es:9200",
                "ELASTICSEARCH_USERNAME": "lw",
                "ELASTICSEARCH_PASSWORD": "from-settings",
            }
        )
    )
    assert config.client_kwargs()["basic_auth"] == ("lw", "from-settings")
    assert config.client_kwargs()["hosts"] == ["http://es:9200"]


@pytest.mark.parametrize(
    "url",
    [
        "http://u:Pw9zQ#Lx7vK@es:9200",
        "http://u:Pw9zQ?Lx7vK@es:9200/x",
        "http://u:Pw9zQ/Lx7vK@es:9200",
        "http://u:Pw9zQ@Lx7vK@es:9200",
        "u:Pw9zQLx7vK@es:9200",
        "redis://:Pw9zQLx7vK@10.0.0.5:6379/0",
    ],
)
def test_redact_url_masks_passwords_of_every_shape(url: str) -> None:
    assert _clean(redact_url(url)), redact_url(url)


def test_service_url_credentials_are_redacted_from_log_text() -> None:
    url = "http://elastic:Pw9zQ/Lx7vK@127.0.0.1:9"
    install(url_secrets(url))
    # what elastic_transport raised (and a crawl's log printed) for a "/" in the password
    assert _clean(redact(f"ValueError: Could not parse URL {url!r}"))
    install(url_secrets("http://Pw9zQ%40Lx7vK@127.0.0.1:9"))
    assert _clean(redact("user Pw9zQ@Lx7vK and Pw9zQ%40Lx7vK"))


def _lurewatch(url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=ROOT,
        env=clean_env({"ELASTICSEARCH_URL": url, "LUREWATCH_ES_MAX_RETRIES": "0"}),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(("url", "credentials"), SHAPES, ids=IDS)
def test_es_status_never_shows_the_password(url: str, credentials: tuple[str, str] | None) -> None:
    proc = _lurewatch(url, "es", "status")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert _clean(proc.stdout + proc.stderr), proc.stderr[-2000:]


@pytest.mark.crawl
@pytest.mark.parametrize(("url", "credentials"), SHAPES, ids=IDS)
def test_a_crawls_whole_debug_log_never_shows_the_password(
    url: str, credentials: tuple[str, str] | None
) -> None:
    proc = _lurewatch(
        url,
        "crawl",
        "--spiders",
        "tumblr",
        "-s",
        "LOG_LEVEL=DEBUG",
        "-s",
        f"LUREWATCH_OFFLINE_ORIGIN=http://{CLOSED}",
        "-s",
        "LUREWATCH_MAX_TITLES=1",
        "-s",
        "RETRY_TIMES=0",
        "-s",
        "LUREWATCH_RENDER_ENABLED=0",
        timeout=300,
    )
    assert _clean(proc.stdout + proc.stderr), proc.stderr[-3000:]
    if credentials is None:  # refused before the crawl, in one line
        assert proc.returncode == 2 and proc.stderr.count("\n") <= 1, proc.stderr[-2000:]

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from pipelines.es.config import EsConfig, redact_url
from pipelines.exceptions import ConfigError


def test_no_url_is_not_configured() -> None:
    with pytest.raises(NotConfigured, match="ELASTICSEARCH_URL not set"):
        EsConfig.from_settings(Settings({}))


def test_disabled_wins_over_url() -> None:
    with pytest.raises(NotConfigured, match="LUREWATCH_ES_ENABLED"):
        EsConfig.from_settings(Settings({"ELASTICSEARCH_URL": "http://es:9200", "LUREWATCH_ES_ENABLED": "0"}))


def test_values_are_read_and_typed() -> None:
    config = EsConfig.from_settings(
        Settings(
            {
                "ELASTICSEARCH_URL": "https://es.example:9243/",
                "LUREWATCH_ES_INDEX": "hits-a",
                "LUREWATCH_ES_BATCH_SIZE": "50",
                "LUREWATCH_ES_FLUSH_SECONDS": "2.5",
                "LUREWATCH_DATA_DIR": "/d",
                "ELASTICSEARCH_API_KEY": "k",
            }
        )
    )
    assert (config.url, config.index, config.batch_size, config.flush_seconds) == (
        "https://es.example:9243",
        "hits-a",
        50,
        2.5,
    )
    assert config.spool_path == Path("/d/es-spool/hits-a.jsonl")
    kwargs = config.client_kwargs()
    assert kwargs["verify_certs"] is True and kwargs["api_key"] == "k" and "basic_auth" not in kwargs


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ELASTICSEARCH_USERNAME": "u"}, "set together"),
        ({"LUREWATCH_ES_INDEX": "Bad Name"}, "not a valid"),
        ({"LUREWATCH_ES_BATCH_SIZE": 0}, "must be > 0"),
        ({"ELASTICSEARCH_CA_CERTS": "/nonexistent/ca.pem"}, "no such file"),
    ],
)
def test_contradictions_fail_at_startup(settings: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        EsConfig.from_settings(Settings({"ELASTICSEARCH_URL": "http://es:9200", **settings}))


def test_bad_url_error_does_not_echo_the_password() -> None:
    with pytest.raises(ConfigError) as info:
        EsConfig.from_settings(Settings({"ELASTICSEARCH_URL": "ftp://user:hunter2@es:9200"}))
    assert "hunter2" not in str(info.value)


def test_secrets_stay_out_of_repr_and_logged_url() -> None:
    config = EsConfig(
        url="http://u:pw-in-url@es:9200",
        username="u",
        password="pw-secret",  # noqa: S106 - a fake secret: the test checks it is never shown
        api_key="key-secret",
    )
    assert "pw-secret" not in repr(config) and "key-secret" not in repr(config)
    assert config.safe_url == "http://***@es:9200"
    assert redact_url("http://es:9200") == "http://es:9200"

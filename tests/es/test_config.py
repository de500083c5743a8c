"""EsConfig from settings with lurewatch's defaults installed, as a crawl and the commands build
it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured

from pipelines.es.config import EsConfig, redact_url
from pipelines.exceptions import ConfigError
from pipelines.indexing import ElasticsearchPipeline
from tests._settings import lurewatch_crawler, lurewatch_settings

URL = {"ELASTICSEARCH_URL": "http://es:9200"}


def test_no_url_means_indexing_is_off() -> None:
    assert EsConfig.off_reason(lurewatch_settings()) == "ELASTICSEARCH_URL not set"
    with pytest.raises(ConfigError, match="ELASTICSEARCH_URL not set"):
        EsConfig.from_settings(lurewatch_settings())


def test_disabled_wins_over_url() -> None:
    settings = lurewatch_settings({**URL, "LUREWATCH_ES_ENABLED": "0"})
    assert EsConfig.off_reason(settings) == "LUREWATCH_ES_ENABLED is False"


def test_the_pipeline_is_not_configured_when_indexing_is_off() -> None:
    with pytest.raises(NotConfigured, match="LUREWATCH_ES_ENABLED is False"):
        ElasticsearchPipeline.from_crawler(
            lurewatch_crawler(settings={**URL, "LUREWATCH_ES_ENABLED": False})
        )


def test_defaults_come_from_the_installed_settings() -> None:
    config = EsConfig.from_settings(lurewatch_settings(URL))
    assert (config.index, config.batch_size, config.flush_seconds) == ("lurewatch-hits", 500, 5.0)
    assert (config.max_retries, config.retry_backoff, config.timeout) == (3, 1.0, 30.0)
    assert config.spool_path == Path("data/es-spool/lurewatch-hits.jsonl")
    assert not (config.api_key or config.username or config.password or config.ca_certs)


def test_values_are_read_and_typed() -> None:
    config = EsConfig.from_settings(
        lurewatch_settings(
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
    assert (
        kwargs["verify_certs"] is True and kwargs["api_key"] == "k" and "basic_auth" not in kwargs
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"ELASTICSEARCH_USERNAME": "u"}, "set together"),
        ({"LUREWATCH_ES_INDEX": "Bad Name"}, "LUREWATCH_ES_INDEX: 'Bad Name' is not a valid"),
        ({"LUREWATCH_ES_INDEX": ""}, "LUREWATCH_ES_INDEX: '' is not a valid"),
        (
            {"LUREWATCH_ES_BATCH_SIZE": 0},
            "LUREWATCH_ES_BATCH_SIZE: must be an integer from 1 to 10000, got 0",
        ),
        ({"LUREWATCH_ES_BATCH_SIZE": "abc"}, "LUREWATCH_ES_BATCH_SIZE: .* got 'abc'"),
        ({"LUREWATCH_ES_FLUSH_SECONDS": "0"}, "LUREWATCH_ES_FLUSH_SECONDS: must be a number > 0"),
        ({"LUREWATCH_ES_TIMEOUT": "nan"}, "LUREWATCH_ES_TIMEOUT: .* got 'nan'"),
        ({"LUREWATCH_ES_MAX_RETRIES": -1}, "LUREWATCH_ES_MAX_RETRIES: .* from 0 to 20, got -1"),
        ({"LUREWATCH_ES_RETRY_BACKOFF": "soon"}, "LUREWATCH_ES_RETRY_BACKOFF: .* got 'soon'"),
        ({"LUREWATCH_ES_ENABLED": "maybe"}, "LUREWATCH_ES_ENABLED: must be a boolean"),
        ({"LUREWATCH_DATA_DIR": ""}, "LUREWATCH_DATA_DIR"),
        ({"ELASTICSEARCH_CA_CERTS": "/nonexistent/ca.pem"}, "no such file"),
    ],
)
def test_bad_values_fail_at_startup_naming_setting_and_value(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        EsConfig.from_settings(lurewatch_settings({**URL, **settings}))


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("ftp://user:hunter2@es:9200", "ftp://user:***@es:9200"),
        ("user:hunter2@es:9200", "user:***@es:9200"),  # no scheme: urlsplit sees no netloc
        ("es.example", "es.example"),
    ],
)
def test_bad_url_error_names_the_url_without_its_password(url: str, shown: str) -> None:
    with pytest.raises(ConfigError) as info:
        EsConfig.from_settings(lurewatch_settings({"ELASTICSEARCH_URL": url}))
    assert "hunter2" not in str(info.value)
    assert str(info.value) == f"ELASTICSEARCH_URL: must be an http(s) URL, got {shown!r}"


def test_secrets_stay_out_of_repr_and_logged_url() -> None:
    config = EsConfig.from_settings(
        lurewatch_settings(
            {
                "ELASTICSEARCH_URL": "http://u:pw-in-url@es:9200",
                "ELASTICSEARCH_USERNAME": "u",
                "ELASTICSEARCH_PASSWORD": "pw-secret",
                "ELASTICSEARCH_API_KEY": "key-secret",
            }
        )
    )
    assert "pw-secret" not in repr(config) and "key-secret" not in repr(config)
    assert config.safe_url == "http://u:***@es:9200"


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("http://es:9200", "http://es:9200"),
        ("https://token@es:9200", "https://***@es:9200"),
        ("http://user:SEC/RET@es:9200/x", "http://user:***@es:9200/x"),  # a "/" in the password
        ("http://es:9200/_search?q=a@b", "http://es:9200/_search?q=a@b"),  # an "@" in the query
    ],
)
def test_redact_url(url: str, redacted: str) -> None:
    assert redact_url(url) == redacted


def test_the_es_core_imports_without_scrapy_or_twisted() -> None:
    code = (
        "import sys, pipelines.es, pipelines.es.documents, pipelines.es.client, "
        "pipelines.es.replay, pipelines.es.stats; "
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted', 'crawler')]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

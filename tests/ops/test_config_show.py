"""``lurewatch config show``: effective settings, secrets never printed."""

from __future__ import annotations

import pytest

from crawler.cli import run_command
from crawler.redaction import SECRET_SETTINGS, URL_SETTINGS
from pipelines.ops.config_show import config_rows


def test_rows_mask_secrets_and_url_passwords() -> None:
    rows = dict(
        config_rows(
            {
                "TUMBLR_API_KEY": "sekrit-key-123",
                "ELASTICSEARCH_URL": "http://u:pw-xyz@es:9200",
                "LUREWATCH_ES_INDEX": "lurewatch-hits",
                "BOT_NAME": "ignored",
            },
            SECRET_SETTINGS,
            URL_SETTINGS,
        )
    )
    assert rows["TUMBLR_API_KEY"] == "*** (set)"
    assert rows["BLOGGER_API_KEY"] == "(missing)"
    assert rows["ELASTICSEARCH_URL"] == "http://u:***@es:9200"
    assert rows["LUREWATCH_ES_INDEX"] == "lurewatch-hits"
    assert "BOT_NAME" not in rows


def test_command_prints_no_secret(capsys: pytest.CaptureFixture[str]) -> None:
    settings = {"TUMBLR_API_KEY": "sekrit-key-123", "REDIS_URL": "redis://:hunter22@r:6379/0"}
    assert run_command("config", ["show"], settings) == 0
    out = capsys.readouterr().out
    assert "sekrit-key-123" not in out and "hunter22" not in out
    assert "TUMBLR_API_KEY = *** (set)" in out
    assert "LUREWATCH_TITLES = " in out

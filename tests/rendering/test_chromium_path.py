"""``LUREWATCH_CHROMIUM_PATH`` reaches the launch options from env, ``-s`` or the default."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler import defaults
from crawler.addon import LurewatchAddon
from crawler.rendering.config import RenderLimits, chromium_path
from pipelines.exceptions import ConfigError

_PROJECT_OPTIONS = {"executable_path": "/usr/bin/chromium", "headless": True}


def _settings(**cmdline: str) -> Settings:
    settings = Settings()
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", dict(_PROJECT_OPTIONS), priority="project")
    settings.setdict(cmdline, priority="cmdline")
    LurewatchAddon().update_settings(settings)
    return settings


def test_a_command_line_chromium_path_reaches_the_launch_options() -> None:
    settings = _settings(LUREWATCH_CHROMIUM_PATH="/opt/chrome/chrome")
    options = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["executable_path"] == "/opt/chrome/chrome"
    assert options["headless"] is True  # the other launch options stay
    assert RenderLimits.from_settings(settings).chromium == "/opt/chrome/chrome"


def test_the_default_leaves_written_launch_options_alone() -> None:
    settings = Settings()
    options = {"executable_path": "/elsewhere/chromium"}
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", options, priority="project")
    LurewatchAddon().update_settings(settings)
    assert (
        settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")["executable_path"] == "/elsewhere/chromium"
    )
    assert chromium_path(settings) == defaults.LUREWATCH_CHROMIUM_PATH


def test_an_environment_chromium_path_beats_the_project_options() -> None:
    settings = Settings()
    settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", dict(_PROJECT_OPTIONS), priority="project")
    settings.set("LUREWATCH_CHROMIUM_PATH", "/env/chromium", priority="project")
    LurewatchAddon().update_settings(settings)
    assert settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")["executable_path"] == "/env/chromium"


def test_an_empty_chromium_path_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="LUREWATCH_CHROMIUM_PATH"):
        _settings(LUREWATCH_CHROMIUM_PATH="  ")

"""The Telnet console is off: no Python shell holding the settings (secrets included) is opened."""

from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.extensions.telnet import TelnetConsole
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler


def test_project_settings_switch_the_telnet_console_off() -> None:
    enabled = get_project_settings()["TELNETCONSOLE_ENABLED"]
    with pytest.raises(NotConfigured):
        TelnetConsole.from_crawler(get_crawler(Spider, {"TELNETCONSOLE_ENABLED": enabled}))

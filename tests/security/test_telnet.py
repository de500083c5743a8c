"""The Telnet console is off: no Python shell holding the settings (secrets included) is opened.

The whole-crawl check (no "Telnet Password" logged) is in ``test_ssrf_crawl.py``.
"""

from __future__ import annotations

from scrapy.utils.project import get_project_settings


def test_project_settings_switch_the_telnet_console_off() -> None:
    assert get_project_settings().getbool("TELNETCONSOLE_ENABLED") is False  # Scrapy's default: on

"""``lurewatch config show``: the effective configuration, every secret masked.

Settings come as a crawl sees them (defaults, ``crawler/settings.py`` with the environment,
``-s``); API keys and passwords are shown only as set or missing, URL passwords masked.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.redaction import SECRET_SETTINGS, URL_SETTINGS
from pipelines.ops.config_show import PREFIXES, config_rows


class Command(LurewatchCommand):
    def syntax(self) -> str:
        return "show"

    def short_desc(self) -> str:
        return "Print the effective configuration (settings, files, index, keys), secrets masked"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args != ["show"]:
            raise UsageError("usage: lurewatch config show", print_help=False)
        assert self.settings is not None
        # only lurewatch's own names: reading every Scrapy setting warns about deprecated ones
        names = [name for name in self.settings if name.startswith(PREFIXES)]
        values = {name: self.settings.get(name) for name in [*names, *SECRET_SETTINGS]}
        for name, shown in config_rows(values, SECRET_SETTINGS, URL_SETTINGS):
            sys.stdout.write(f"{name} = {shown}\n")

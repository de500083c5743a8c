"""``lurewatch kibana import``: the dashboards, saved searches and data view into Kibana.

Settings (environment or ``-s``): ``KIBANA_URL`` (required; ``--url``), ``KIBANA_API_KEY`` or
``KIBANA_USERNAME``/``KIBANA_PASSWORD``, ``KIBANA_SPACE`` (``--space``), ``KIBANA_CA_CERTS``.
TLS is verified; credentials are never printed. The request is built in :mod:`pipelines.es.kibana`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.error import URLError

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.exitcodes import ExitCode
from pipelines.es.kibana import DEFAULT_NDJSON, KibanaConfig, import_saved_objects
from pipelines.exceptions import ConfigError


class Command(LurewatchCommand):
    setting_flags: ClassVar[Mapping[str, str]] = {"url": "KIBANA_URL", "space": "KIBANA_SPACE"}

    def syntax(self) -> str:
        return "import [--url URL] [--space SPACE] [--file FILE.ndjson] [--no-overwrite]"

    def short_desc(self) -> str:
        return "Import the dashboards, saved searches and data view into Kibana"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="Kibana URL, as -s KIBANA_URL=URL")
        parser.add_argument("--space", help="Kibana space, as -s KIBANA_SPACE=SPACE")
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_NDJSON,
            help="NDJSON to import (else the shipped objects)",
        )
        parser.add_argument(
            "--no-overwrite", action="store_true", help="keep objects that already exist"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args != ["import"]:
            raise UsageError()
        try:
            config = KibanaConfig.from_settings(self.settings)
        except ConfigError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.CONFIG
            return
        if not opts.file.is_file():
            sys.stderr.write(f"error: no saved objects file {opts.file}\n")
            self.exitcode = ExitCode.USAGE
            return
        try:
            status, answer = import_saved_objects(
                config, opts.file, overwrite=not opts.no_overwrite
            )
        except (URLError, OSError) as exc:
            sys.stderr.write(f"error: cannot reach Kibana at {config.safe_url}: {exc}\n")
            self.exitcode = ExitCode.FAILED
            return
        self.exitcode = _report(status, answer, config.safe_url)


def _report(status: int, answer: dict[str, Any], url: str) -> ExitCode:
    if status in (401, 403):
        sys.stderr.write(
            f"error: Kibana at {url} refused the credentials (HTTP {status}): check "
            "KIBANA_API_KEY or KIBANA_USERNAME/KIBANA_PASSWORD\n"
        )
        return ExitCode.CONFIG
    if status != 200:
        message = answer.get("message", answer)
        sys.stderr.write(f"error: Kibana at {url} answered HTTP {status}: {message}\n")
        return ExitCode.FAILED
    for error in answer.get("errors", []):
        sys.stderr.write(f"error: {error.get('type')} {error.get('id')}: {error.get('error')}\n")
    sys.stdout.write(f"imported {answer.get('successCount', 0)} saved objects into {url}\n")
    return ExitCode.OK if answer.get("success") else ExitCode.FAILED

"""``lurewatch titles suggest [--min N] [--from FILE.jsonl]``: films to add to the watchlist.

Fake streams for films not on the watchlist get ``candidate_title`` (verdict ``unwatched_fake``).
This lists the candidate titles seen on at least ``N`` pages (default 2), with counts and example
URLs, then a block to paste into ``titles.yaml``. The pages come from a JSON Lines crawl output
(``--from``) or else from the index (the crawl's ``ELASTICSEARCH_*`` settings; ``--index`` is
``-s LUREWATCH_ES_INDEX``), leaving out hits an analyst marked false positives. The counting is
:mod:`pipelines.suggest`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from elasticsearch import ApiError, TransportError
from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.exitcodes import ExitCode
from pipelines.es.client import credential_error, describe_error, make_client
from pipelines.es.config import EsConfig
from pipelines.exceptions import ConfigError, InputError
from pipelines.suggest import Suggestion, from_index, from_jsonl, yaml_block

_MAX_MIN = 1_000_000


async def _from_index(config: EsConfig, minimum: int) -> list[Suggestion]:
    client = make_client(config)
    try:
        return await from_index(client, config.index, minimum)
    finally:
        await client.close()


def _describe(exc: Exception, config: EsConfig) -> str:
    if isinstance(exc, ApiError) and exc.status_code == 404:
        return f"no index {config.index} (run `lurewatch es setup`, then a crawl)"
    if isinstance(exc, TransportError):
        return f"Elasticsearch unreachable: {describe_error(exc)}"
    return describe_error(exc)


def _minimum(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= _MAX_MIN:
        raise argparse.ArgumentTypeError(f"must be between 1 and {_MAX_MIN:,}: {number}")
    return number


def _report(suggestions: list[Suggestion], minimum: int, source: str) -> str:
    if not suggestions:
        return f"no candidate title seen on {minimum} pages or more ({source})\n"
    lines = [f"candidate titles seen on {minimum} pages or more ({source}):"]
    for s in suggestions:
        lines.append(f"{s.count:6d}  {s.title}")
        lines += [f"        {url}" for url in s.urls]
    lines += ["", "# to watch them, add to titles.yaml (and a year):"]
    return "\n".join(lines) + "\n" + yaml_block(suggestions)


class Command(LurewatchCommand):
    setting_flags: ClassVar[Mapping[str, str]] = {"index": "LUREWATCH_ES_INDEX"}

    def syntax(self) -> str:
        return "suggest [--min N] [--from FILE.jsonl] [--index ALIAS]"

    def short_desc(self) -> str:
        return "Films not on the watchlist that fake streams offer, ready for titles.yaml"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--min", type=_minimum, default=2, metavar="N", help="pages a title needs (2)"
        )
        parser.add_argument(
            "--from",
            dest="source",
            type=Path,
            metavar="FILE",
            help="a JSON Lines crawl output instead of the index",
        )
        parser.add_argument("--index", help="the alias, as -s LUREWATCH_ES_INDEX=ALIAS")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if args != ["suggest"]:
            raise UsageError()
        if opts.source is not None:
            self._run_file(opts.source, opts.min)
        else:
            self._run_index(opts.min)

    def _run_file(self, path: Path, minimum: int) -> None:
        try:
            suggestions = from_jsonl(path, minimum)
        except InputError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.USAGE
            return
        sys.stdout.write(_report(suggestions, minimum, str(path)))

    def _run_index(self, minimum: int) -> None:
        assert self.settings is not None
        # reading the index is wanted even where the crawl's indexing is switched off
        self.settings.set("LUREWATCH_ES_ENABLED", True, priority="cmdline")
        try:
            config = EsConfig.from_settings(self.settings)
            suggestions = asyncio.run(_from_index(config, minimum))
        except ConfigError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.CONFIG
            return
        except (ApiError, TransportError) as exc:
            clear = credential_error(exc, config)
            sys.stderr.write(f"error: {clear or _describe(exc, config)} ({config.safe_url})\n")
            self.exitcode = ExitCode.CONFIG if clear else ExitCode.FAILED
            return
        sys.stdout.write(_report(suggestions, minimum, f"index {config.index}"))

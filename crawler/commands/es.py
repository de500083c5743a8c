"""``lurewatch es setup|replay|status|id``: index administration from the shell.

The connection is the crawl's: ``ELASTICSEARCH_*`` and ``LUREWATCH_ES_*`` from the environment
(``crawler/settings.py``) or ``-s``; ``--url``, ``--index`` and ``--data-dir`` are aliases of
``ELASTICSEARCH_URL``, ``LUREWATCH_ES_INDEX`` and ``LUREWATCH_DATA_DIR``. The index operations
themselves are in :mod:`pipelines.es`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar

from elasticsearch import ApiError, AsyncElasticsearch, TransportError
from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.exitcodes import ExitCode
from pipelines.es.client import credential_error, describe_error, make_client
from pipelines.es.config import EsConfig
from pipelines.es.documents import doc_id
from pipelines.es.replay import replay_spool
from pipelines.es.spool import Spool
from pipelines.es.stats import CounterStats, EsStats
from pipelines.es.template import backing_indices, setup_index
from pipelines.es.writer import HitWriter
from pipelines.exceptions import ConfigError, IndexingError, MappingConflictError
from pipelines.urls import canonical_post_url

Action = Callable[[AsyncElasticsearch, EsConfig], Awaitable[ExitCode]]


async def _setup(client: AsyncElasticsearch, config: EsConfig) -> ExitCode:
    sys.stdout.write(f"{await setup_index(client, config.index)}\n")
    return ExitCode.OK


async def _replay(client: AsyncElasticsearch, config: EsConfig) -> ExitCode:
    await setup_index(client, config.index)
    stats = EsStats(CounterStats())
    writer = HitWriter(
        client, config.index, stats, max_retries=config.max_retries, backoff=config.retry_backoff
    )
    spool = Spool(config.spool_path)
    result = await replay_spool(writer, spool, stats, config.batch_size)
    if result.busy:
        sys.stderr.write(f"another replay of {spool.path} is running\n")
        return ExitCode.FAILED
    left = spool.count()
    sys.stdout.write(
        f"replayed {result.sent} documents into {config.index}; "
        f"{left} still spooled in {spool.path}\n"
    )
    return ExitCode.OK if left == 0 else ExitCode.FAILED


async def _status(client: AsyncElasticsearch, config: EsConfig) -> ExitCode:
    indices = await backing_indices(client, config.index)
    count = (await client.count(index=config.index)).body["count"] if indices else 0
    writes = [name for name, is_write in indices.items() if is_write]
    sys.stdout.write(
        f"alias {config.index}: {len(indices)} indices {sorted(indices)} (write: {writes}); "
        f"{count} documents\n"
    )
    waiting = Spool(config.spool_path).count()
    sys.stdout.write(f"spool {config.spool_path}: {waiting} documents waiting\n")
    return ExitCode.OK if indices else ExitCode.FAILED


#: The actions that talk to the cluster.
ACTIONS: dict[str, Action] = {"setup": _setup, "replay": _replay, "status": _status}


async def _run(action: Action, config: EsConfig) -> ExitCode:
    client = make_client(config)
    try:
        return await action(client, config)
    except MappingConflictError as exc:
        sys.stderr.write(f"refusing to touch the index: {exc}\n")
        return ExitCode.USAGE
    except (ApiError, TransportError, IndexingError) as exc:
        clear = credential_error(exc, config)
        sys.stderr.write(f"error: {clear or describe_error(exc)} ({config.safe_url})\n")
        return ExitCode.CONFIG if clear else ExitCode.FAILED
    finally:
        await client.close()


class Command(LurewatchCommand):
    setting_flags: ClassVar[Mapping[str, str]] = {
        "url": "ELASTICSEARCH_URL",
        "index": "LUREWATCH_ES_INDEX",
        "data_dir": "LUREWATCH_DATA_DIR",
    }

    def syntax(self) -> str:
        return "[--url URL] [--index ALIAS] [--data-dir DIR] setup|replay|status|id POST_URL"

    def short_desc(self) -> str:
        return "Elasticsearch: index template and alias, spool replay, status, document ids"

    def long_desc(self) -> str:
        return (
            "setup: create or update the index template and alias (idempotent); "
            "replay: send the spooled hits (idempotent); "
            "status: alias, backing indices, document count and spool size; "
            "id POST_URL: the canonical URL and document id of a post URL."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="Elasticsearch URL, as -s ELASTICSEARCH_URL=URL")
        parser.add_argument("--index", help="the alias, as -s LUREWATCH_ES_INDEX=ALIAS")
        parser.add_argument(
            "--data-dir", help="where the spool lives, as -s LUREWATCH_DATA_DIR=DIR"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if len(args) == 2 and args[0] == "id":
            sys.stdout.write(f"{canonical_post_url(args[1])}\n{doc_id(args[1])}\n")
            return
        if len(args) != 1 or args[0] not in ACTIONS:
            raise UsageError()
        # the commands manage the index even where the crawl's indexing is switched off
        self.settings.set("LUREWATCH_ES_ENABLED", True, priority="cmdline")
        try:
            config = EsConfig.from_settings(self.settings)
        except ConfigError as exc:
            sys.stderr.write(f"error: {exc}\n")
            self.exitcode = ExitCode.CONFIG
            return
        self.exitcode = asyncio.run(_run(ACTIONS[args[0]], config))

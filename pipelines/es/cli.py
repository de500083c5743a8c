"""``lurewatch es setup|replay|status|id``: index administration from the shell.

Settings come from the Scrapy project (``crawler/settings.py`` reads the environment); ``--url``,
``--index`` and ``--data-dir`` override them.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from elasticsearch import ApiError, AsyncElasticsearch, TransportError
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings, Settings

from pipelines.es.client import credential_error, describe_error, make_client
from pipelines.es.config import EsConfig
from pipelines.es.documents import canonical_post_url, doc_id
from pipelines.es.replay import replay_spool
from pipelines.es.spool import Spool
from pipelines.es.stats import CounterStats, EsStats
from pipelines.es.template import backing_indices, setup_index
from pipelines.es.writer import HitWriter
from pipelines.exceptions import ConfigError, IndexingError, MappingConflictError

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_REFUSED, EXIT_CONFIG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lurewatch es", description="Manage the lurewatch hit index.")
    parser.add_argument("--url", help="Elasticsearch URL (default: ELASTICSEARCH_URL)")
    parser.add_argument("--index", help="alias (default: LUREWATCH_ES_INDEX or lurewatch-hits)")
    parser.add_argument("--data-dir", help="where the spool lives (default: LUREWATCH_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="create or update the index template and alias (idempotent)")
    sub.add_parser("replay", help="send the spooled hits (idempotent)")
    sub.add_parser("status", help="alias, backing indices, document count and spool size")
    doc = sub.add_parser("id", help="print the canonical URL and document id of a post URL")
    doc.add_argument("post_url")
    return parser


def _settings(base: BaseSettings | Mapping[str, Any] | None, args: argparse.Namespace) -> Settings:
    if base is None:
        from scrapy.utils.project import get_project_settings  # needs a project only here

        base = get_project_settings()
    settings = Settings(base.copy_to_dict() if isinstance(base, BaseSettings) else dict(base))
    for name, value in (
        ("ELASTICSEARCH_URL", args.url),
        ("LUREWATCH_ES_INDEX", args.index),
        ("LUREWATCH_DATA_DIR", args.data_dir),
    ):
        if value:
            settings.set(name, value, priority="cmdline")
    settings.set("LUREWATCH_ES_ENABLED", True, priority="cmdline")
    return settings


async def _setup(client: AsyncElasticsearch, config: EsConfig) -> int:
    print(await setup_index(client, config.index))
    return EXIT_OK


async def _replay(client: AsyncElasticsearch, config: EsConfig) -> int:
    await setup_index(client, config.index)
    stats = EsStats(CounterStats())
    writer = HitWriter(
        client, config.index, stats, max_retries=config.max_retries, backoff=config.retry_backoff
    )
    spool = Spool(config.spool_path)
    result = await replay_spool(writer, spool, stats, config.batch_size)
    if result.busy:
        print(f"another replay of {spool.path} is running", file=sys.stderr)
        return EXIT_FAILED
    left = spool.count()
    print(f"replayed {result.sent} documents into {config.index}; {left} still spooled in {spool.path}")
    return EXIT_OK if left == 0 else EXIT_FAILED


async def _status(client: AsyncElasticsearch, config: EsConfig) -> int:
    indices = await backing_indices(client, config.index)
    count = (await client.count(index=config.index)).body["count"] if indices else 0
    writes = [name for name, is_write in indices.items() if is_write]
    print(
        f"alias {config.index}: {len(indices)} indices {sorted(indices)} (write: {writes}); {count} documents"
    )
    print(f"spool {config.spool_path}: {Spool(config.spool_path).count()} documents waiting")
    return EXIT_OK if indices else EXIT_FAILED


_COMMANDS: dict[str, Callable[[AsyncElasticsearch, EsConfig], Awaitable[int]]] = {
    "setup": _setup,
    "replay": _replay,
    "status": _status,
}


async def _run(command: str, config: EsConfig) -> int:
    client = make_client(config)
    try:
        return await _COMMANDS[command](client, config)
    except MappingConflictError as exc:
        print(f"refusing to touch the index: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except (ApiError, TransportError, IndexingError) as exc:
        clear = credential_error(exc, config)
        print(f"error: {clear or describe_error(exc)} ({config.safe_url})", file=sys.stderr)
        return EXIT_CONFIG if clear else EXIT_FAILED
    finally:
        await client.close()


def main(argv: Sequence[str] | None = None, settings: BaseSettings | Mapping[str, Any] | None = None) -> int:
    """Entry point of ``lurewatch es``; returns the exit status.

    ``settings`` replaces the project settings (tests); by default ``crawler/settings.py`` supplies them.
    """
    args = _parser().parse_args(argv)
    if args.command == "id":
        print(canonical_post_url(args.post_url))
        print(doc_id(args.post_url))
        return EXIT_OK
    try:
        config = EsConfig.from_settings(_settings(settings, args))
    except (NotConfigured, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    return asyncio.run(_run(args.command, config))


if __name__ == "__main__":
    sys.exit(main())

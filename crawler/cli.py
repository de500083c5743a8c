# The docstring is printed verbatim as the usage text: keep its indentation (ruff format would dedent it).
# fmt: off
"""``lurewatch``: the command line.

    lurewatch crawl [-O hits.jsonl] [-s NAME=VALUE ...]   every platform spider in one process
    lurewatch demo                                        replica + crawl + summary, no keys, no internet
    lurewatch classify [--titles F] [--url U] PATH...     judge saved pages (JSON Lines out)
    lurewatch eval                                        precision / recall on the labelled corpus
    lurewatch watchlists check                            validate every watchlist file
    lurewatch es setup|replay|...                         Elasticsearch index template, spool replay
    lurewatch kibana import                               saved objects into Kibana
    lurewatch replica [--port N]                          serve the offline replica
"""
# fmt: on

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from importlib import import_module

__all__ = ["main"]

# subcommand -> "module:function" taking argv and returning an exit status
_COMMANDS: dict[str, str] = {
    "demo": "crawler.demo:main",
    "classify": "pipelines.classify_cli:main",
    "eval": "pipelines.evaluate:main",
    "watchlists": "crawler.watchlist_cli:main",
    "es": "pipelines.es.cli:main",
    "kibana": "pipelines.es.kibana:main",
    "replica": "crawler.cli:_replica",
}


def _usage() -> str:
    return (__doc__ or "").strip() + "\n"


def _crawl(argv: list[str]) -> int:
    from scrapy.cmdline import execute

    execute(["scrapy", "crawlall", *argv])  # exits with the crawl's status
    return 0


def _replica(argv: list[str]) -> int:
    sys.argv = ["python -m replica", *argv]
    from replica.__main__ import main as serve

    serve()
    return 0


def _load(target: str) -> Callable[[list[str]], int]:
    module, _, function = target.partition(":")
    return getattr(import_module(module), function)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # the Scrapy project is found by module name, so `lurewatch` works from any directory
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(_usage())
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "crawl":
        return _crawl(rest)
    if command not in _COMMANDS:
        sys.stderr.write(f"lurewatch: unknown command {command!r}\n\n{_usage()}")
        return 2
    return int(_load(_COMMANDS[command])(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())

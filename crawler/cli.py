"""``lurewatch``: the command line.

Every command is a Scrapy command in ``crawler/commands/`` (``lurewatch crawl`` is ``crawlall``)
and sees the same settings as a crawl: Scrapy's defaults, lurewatch's
(:func:`crawler.defaults.install`), the project's (``crawler/settings.py``, which reads the
environment), then ``-s NAME=VALUE`` and the command's flags. ``scrapy NAME`` runs the same
commands inside the project. Exit statuses are :class:`crawler.exitcodes.ExitCode`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
from collections.abc import Mapping, Sequence
from importlib import import_module
from typing import Any, ClassVar

from scrapy.cmdline import ScrapyArgumentParser
from scrapy.commands import ScrapyCommand, ScrapyHelpFormatter
from scrapy.crawler import AsyncCrawlerProcess, CrawlerProcess, CrawlerProcessBase
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.log import configure_logging
from scrapy.utils.project import get_project_settings

from crawler.defaults import install
from crawler.exitcodes import ExitCode

__all__ = ["COMMANDS", "LurewatchCommand", "main", "run_command", "usage"]

#: ``lurewatch`` command -> its module in ``crawler/commands/`` (Scrapy names a command after it).
COMMANDS: Mapping[str, str] = {
    "crawl": "crawlall",
    "demo": "demo",
    "classify": "classify",
    "eval": "eval",
    "watchlists": "watchlists",
    "es": "es",
    "kibana": "kibana",
    "replica": "replica",
    "takedowns": "takedowns",
    "hits": "hits",
    "config": "config",
    "titles": "titles",
    "nightly": "nightly",
    "evidence": "evidence",
    "report": "report",
    "watch": "watch",
}
_ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


class LurewatchCommand(ScrapyCommand):
    """A lurewatch command that is not a crawl: the project's settings, no crawler process.

    A subclass lists the flags that are aliases of settings in :attr:`setting_flags`; a flag wins
    over ``-s`` for the same setting. ``run`` sets :attr:`exitcode` to an :class:`ExitCode`.
    (This base lives here, not in ``crawler/commands/``: Scrapy takes every command class defined
    in that package for a command.)
    """

    requires_project = True
    requires_crawler_process = False
    #: option destination -> the setting it sets (``--titles F`` is ``-s LUREWATCH_TITLES=F``)
    setting_flags: ClassVar[Mapping[str, str]] = {}

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        install(self.settings)
        for dest, name in self.setting_flags.items():
            value = getattr(opts, dest)
            if value is not None:
                self.settings.set(name, value, priority="cmdline")
        # only a crawl configures logging by itself; the log options ask for it here
        if opts.logfile or opts.loglevel or opts.nolog:
            configure_logging(self.settings)
        # Scrapy parses with parse_known_args: an unknown option would pass for an argument
        unknown = [arg for arg in args if arg.startswith("-") and arg != "-"]
        if unknown:
            raise UsageError(f"unrecognized arguments: {' '.join(unknown)}", print_help=False)


def _command(name: str) -> ScrapyCommand:
    command: ScrapyCommand = import_module(f"crawler.commands.{COMMANDS[name]}").Command()
    return command


def usage() -> str:
    """The ``lurewatch`` usage text: every command, its syntax and what it does."""
    lines = ["usage: lurewatch COMMAND [options] [args]", "", "commands:"]
    for name in COMMANDS:
        command = _command(name)
        lines.append(f"  lurewatch {name} {command.syntax()}")
        lines.append(f"      {command.short_desc()}")
    lines += [
        "",
        "Every command reads the crawl's settings: the environment, and -s NAME=VALUE.",
        "`lurewatch COMMAND -h` lists a command's options.",
    ]
    return "\n".join(lines) + "\n"


def _project_settings() -> Settings:
    # the Scrapy project is found by module name, so `lurewatch` works from any directory
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    return get_project_settings()


def _parser(name: str, command: ScrapyCommand) -> argparse.ArgumentParser:
    return ScrapyArgumentParser(
        prog=f"lurewatch {name}",
        usage=f"lurewatch {name} {command.syntax()}",
        description=command.long_desc(),
        formatter_class=ScrapyHelpFormatter,
        conflict_handler="resolve",
    )


def _crawler_process(settings: Settings) -> CrawlerProcessBase:
    """The process a crawl command runs its crawlers in, chosen as ``scrapy crawl`` chooses it."""
    asyncio = settings["TWISTED_REACTOR"] == _ASYNCIO_REACTOR
    if asyncio and not settings.getbool("FORCE_CRAWLER_PROCESS"):
        return AsyncCrawlerProcess(settings)
    if not settings.getbool("TWISTED_REACTOR_ENABLED"):
        return AsyncCrawlerProcess(settings)
    return CrawlerProcess(settings)


def _run(command: ScrapyCommand, args: list[str], opts: argparse.Namespace) -> None:
    if not opts.profile:
        command.run(args, opts)
        return
    profile = cProfile.Profile()
    profile.runcall(command.run, args, opts)
    profile.dump_stats(opts.profile)


def _refuse(name: str, parser: argparse.ArgumentParser, exc: UsageError) -> ExitCode:
    """A command's ``UsageError``: its help, or one line (after the usage if asked for)."""
    if not str(exc):
        parser.print_help()
        return ExitCode.USAGE
    if exc.print_help:
        parser.print_usage(sys.stderr)
    sys.stderr.write(f"lurewatch {name}: {exc}\n")
    return ExitCode(getattr(exc, "exitcode", ExitCode.USAGE))  # a refusal may name its status


def run_command(
    name: str, argv: Sequence[str], settings: BaseSettings | Mapping[str, Any] | None = None
) -> int:
    """Run ``lurewatch NAME ARGV...`` in this process; return its exit status.

    ``settings`` replaces the project settings (``crawler/settings.py`` and the environment it
    reads): tests pass a plain dict. Bad options exit like argparse does (``SystemExit(2)``).
    """
    command = _command(name)
    command.settings = _project_settings() if settings is None else Settings(settings)
    command.settings.setdict(command.default_settings, priority="command")
    parser = _parser(name, command)
    command.add_options(parser)
    opts, args = parser.parse_known_args(list(argv))
    try:
        command.process_options(args, opts)
        if command.requires_crawler_process:
            command.crawler_process = _crawler_process(command.settings)
        _run(command, args, opts)
    except UsageError as exc:
        return _refuse(name, parser, exc)
    return int(command.exitcode)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``lurewatch``; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.umask(0o077)  # every file and folder lurewatch writes is 0600/0700, whatever opens it
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(usage())
        return ExitCode.OK if argv else ExitCode.USAGE
    name = argv[0]
    if name not in COMMANDS:
        sys.stderr.write(f"lurewatch: unknown command {name!r}\n\n{usage()}")
        return ExitCode.USAGE
    return run_command(name, argv[1:])


if __name__ == "__main__":
    sys.exit(main())

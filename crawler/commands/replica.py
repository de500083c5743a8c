"""``lurewatch replica [--host H] [--port 8089] [--seed 2026] [--scale 1]``: serve the replica.

The replica is the independent reference world: it reads no lurewatch setting, only its options.
A port that cannot be listened on is one line on stderr and the status ``FAILED``.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.exceptions import UsageError

from crawler.cli import LurewatchCommand
from crawler.exitcodes import ExitCode
from replica.__main__ import ListenError, add_options, serve


class Command(LurewatchCommand):
    def syntax(self) -> str:
        return (
            "[--host 127.0.0.1] [--port 8089] [--seed 2026] [--scale 1] [--clock F] [--quotas] "
            "[--publish SHARE] [--publish-hours H]"
        )

    def short_desc(self) -> str:
        return "Serve the offline replica of Tumblr, WordPress and Blogger until Ctrl-C"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        add_options(parser)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}", print_help=False)
        try:
            serve(
                host=opts.host,
                port=opts.port,
                seed=opts.seed,
                scale=opts.scale,
                clock=opts.clock,
                quotas=opts.quotas,
                publish=opts.publish,
                publish_hours=opts.publish_hours,
            )
        except ListenError as exc:
            sys.stderr.write(f"lurewatch replica: {exc}\n")
            self.exitcode = ExitCode.FAILED
        except ValueError as exc:  # --clock or --publish out of range
            raise UsageError(str(exc), print_help=False) from None

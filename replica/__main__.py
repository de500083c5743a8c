"""``python -m replica [--host 127.0.0.1] [--port 8089] [--seed 2026] [--clock FACTOR]
[--quotas] [--publish SHARE [--publish-hours H]]``: serve until Ctrl-C.

``lurewatch replica`` takes the same options and calls :func:`serve`.
"""

from __future__ import annotations

import argparse
import errno
import logging
import signal
import sys
import threading
from collections.abc import Sequence

from replica.server import ReplicaServer

__all__ = ["ListenError", "add_options", "main", "serve"]


class ListenError(Exception):
    """The replica cannot listen on the address it was given; the message says why, in one line."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """The replica's options: ``--host``, ``--port``, ``--seed``, ``--scale``, ``--clock``,
    ``--quotas``, ``--publish``, ``--publish-hours``."""
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--scale", type=int, default=1, help="multiplies blogs and posts (benchmarks)"
    )
    parser.add_argument(
        "--clock",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="the replica's time runs FACTOR times faster (3600: an hour a second)",
    )
    parser.add_argument(
        "--quotas",
        action="store_true",
        help="enforce the documented API quotas per key (Tumblr, Programmable Search, Brave)",
    )
    parser.add_argument(
        "--publish",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="publish this share (0-1) of the posts over time after the start (absent before)",
    )
    parser.add_argument(
        "--publish-hours",
        type=float,
        default=6.0,
        metavar="H",
        help="replica hours over which --publish spreads the posts (default 6)",
    )


def serve(
    host: str,
    port: int,
    seed: int = 2026,
    scale: int = 1,
    clock: float = 1.0,
    quotas: bool = False,
    publish: float = 0.0,
    publish_hours: float = 6.0,
) -> None:
    """Serve the replica until SIGTERM or Ctrl-C, its origin printed first on stdout.

    Raises :class:`ListenError` before serving when ``host:port`` cannot be listened on.
    """
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    try:
        server = ReplicaServer(
            host=host,
            port=port,
            seed=seed,
            scale=scale,
            clock=clock,
            quotas=quotas,
            publish=publish,
            publish_hours=publish_hours,
        )
    except OSError as exc:  # the bind: a busy port, a privileged one, an unknown host
        raise ListenError(_why(exc, host, port)) from exc
    done = threading.Event()
    # before the origin is printed: a caller may stop us as soon as it has read it
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    server.start()
    sys.stdout.write(f"{server.origin}\n")
    sys.stdout.flush()
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    server.stop()


def _why(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is in use"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m replica``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    add_options(parser)
    args = parser.parse_args(argv)
    try:
        serve(
            args.host,
            args.port,
            args.seed,
            args.scale,
            args.clock,
            args.quotas,
            args.publish,
            args.publish_hours,
        )
    except ListenError as exc:
        sys.stderr.write(f"python -m replica: {exc}\n")
        return 1
    except ValueError as exc:  # --clock or --publish out of range
        sys.stderr.write(f"python -m replica: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

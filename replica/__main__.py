"""``python -m replica [--host 127.0.0.1] [--port 8089] [--seed 2026]``: serve the replica until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from replica.server import ReplicaServer


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=int, default=1, help="multiplies blogs and posts (benchmarks)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server = ReplicaServer(host=args.host, port=args.port, seed=args.seed, scale=args.scale).start()
    print(server.origin, flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()

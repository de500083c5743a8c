"""Helpers for the integration tests: `lurewatch crawl` in a subprocess, a cut-off proxy to
Elasticsearch."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from crawler.demo import REPLICA_QUOTA
from pipelines.es.documents import doc_id
from tests._crawl import ROOT, clean_env, read_jsonl

__all__ = [
    "BulkCutoffProxy",
    "Crawl",
    "crawl_command",
    "finish",
    "hit_ids",
    "run_lurewatch_crawl",
    "start_crawl",
]


@dataclass
class Crawl:
    """A finished ``lurewatch crawl``: its hits (JSON Lines), per-spider stats and log."""

    hits: list[dict[str, Any]]
    stats: dict[str, dict[str, Any]]
    log: str
    returncode: int

    def total(self, stat: str) -> int:
        """``stat`` summed over the spiders."""
        return sum(int(s.get(stat) or 0) for s in self.stats.values())


def crawl_command(
    origin: str, out: Path, spiders: str, settings: dict[str, Any] | None = None
) -> list[str]:
    """``python -m crawler.cli crawl --spiders ... --stats-file <out>.stats.json -O out -s
    ...``."""
    opts = {
        "LUREWATCH_OFFLINE_ORIGIN": origin,
        "LOG_LEVEL": "INFO",
        **REPLICA_QUOTA,
        **(settings or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        "--spiders",
        spiders,
        "--stats-file",
        str(out.with_suffix(".stats.json")),
        "-O",
        str(out),
    ]
    for name, value in opts.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


@dataclass
class Running:
    """A crawl started with :func:`start_crawl`."""

    proc: subprocess.Popen[str]
    out: Path
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.out.with_suffix(".log")


def start_crawl(
    origin: str,
    out: Path,
    spiders: str,
    settings: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
) -> Running:
    """Start ``lurewatch crawl`` (stderr to ``<out>.log``) without waiting."""
    log = out.with_suffix(".log").open("w", encoding="utf-8")
    cmd = crawl_command(origin, out, spiders, settings)
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=clean_env(env),
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )
    log.close()
    return Running(proc, out)


def finish(running: Running, timeout: float = 300, check: bool = True) -> Crawl:
    """Wait for a crawl; read its hits, stats and log (fail with the log tail on a non-zero
    exit)."""
    try:
        code = running.proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        running.proc.kill()
        running.proc.wait()
        raise
    log = running.log_path.read_text(encoding="utf-8", errors="replace")
    if check and code != 0:
        raise AssertionError(f"lurewatch crawl failed ({code}):\n{log[-6000:]}")
    stats_path = running.out.with_suffix(".stats.json")
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.exists() else {}
    return Crawl(read_jsonl(running.out), stats, log, code)


def finish_all(runnings: list[Running], timeout: float = 300) -> list[Crawl]:
    """:func:`finish` each crawl, waiting for every one before raising the first failure (a crawl
    left running outlives its test, and its ``Popen`` warns in the next one)."""
    results: list[Crawl | BaseException] = []
    for running in runnings:
        try:
            results.append(finish(running, timeout))
        except (AssertionError, subprocess.TimeoutExpired) as exc:
            results.append(exc)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return cast("list[Crawl]", results)


def run_lurewatch_crawl(
    origin: str,
    out: Path,
    spiders: str,
    settings: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> Crawl:
    """``lurewatch crawl`` to the end."""
    return finish(start_crawl(origin, out, spiders, settings, env), timeout)


def hit_ids(hits: list[dict[str, Any]]) -> set[str]:
    """The Elasticsearch document ids of the hits (distinct posts)."""
    return {doc_id(hit["url"]) for hit in hits}


_BULK = re.compile(rb"(?:POST|PUT) /[^ ]*_bulk")


class BulkCutoffProxy:
    """A threaded TCP proxy to Elasticsearch that lets ``allow`` bulk requests through, then goes
    down.

    On the first bulk request past ``allow`` it forwards nothing more, drops every connection and
    stops listening (connection refused: Elasticsearch "went away" mid-crawl). :meth:`restart`
    brings it back on the same port.
    """

    def __init__(self, upstream: tuple[str, int], allow: int) -> None:
        self.upstream, self.allow = upstream, allow
        self.bulks = 0
        self.down = threading.Event()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._listener = self._listen(0)
        self.port: int = self._listener.getsockname()[1]
        self._thread = self._serve()

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(32)
        return listener

    def _serve(self) -> threading.Thread:
        thread = threading.Thread(target=self._accept, args=(self._listener,), daemon=True)
        thread.start()
        return thread

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # listener closed
            upstream = socket.create_connection(self.upstream)
            with self._lock:
                self._conns |= {client, upstream}
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(
                target=self._pipe, args=(upstream, client, False), daemon=True
            ).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while data := src.recv(65536):
                if from_client and _BULK.search(data) and self._count_bulk():
                    self.stop()
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                _close(sock)

    def _count_bulk(self) -> bool:
        """Count a bulk request; True when it is one too many."""
        with self._lock:
            self.bulks += 1
            return self.bulks > self.allow

    def stop(self) -> None:
        """Stop listening and drop every connection."""
        self.down.set()
        _close(self._listener)
        with self._lock:
            conns, self._conns = self._conns, set()
        for sock in conns:
            _close(sock)

    def restart(self) -> None:
        """Listen again on the same port and forward everything (no more cut-off)."""
        self.allow = 10**9
        self.down.clear()
        self._listener = self._listen(self.port)
        self._thread = self._serve()


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()

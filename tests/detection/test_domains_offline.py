"""Registrable domains come from tldextract's bundled snapshot: no network, ever."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import socket
def refuse(*a, **k):
    raise SystemExit("network used")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from pipelines._domains import registrable
for host in ("accounts.google.com.evil.co.uk", "a.b.blogspot.com", "x.stream.example"):
    print(registrable(host))
"""


def test_tldextract_runs_offline(tmp_path: Path) -> None:
    # a fresh interpreter with an empty HOME: no warm cache to hide a download
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["evil.co.uk", "blogspot.com", "stream.example"]
    assert not any(tmp_path.rglob("*.tldextract*"))
    assert socket.socket.connect is not None

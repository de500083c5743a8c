"""The run lock: a second holder is refused and told who holds it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.ops.lock import run_lock


def test_second_run_refused_naming_holder(tmp_path: Path) -> None:
    path = str(tmp_path / "nightly.lock")
    with run_lock(path):
        code = f"from pipelines.ops.lock import run_lock\nwith run_lock({path!r}): pass\n"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode != 0
        assert f"held by pid {os.getpid()}" in done.stderr
    with run_lock(path):  # released: taken again
        pass

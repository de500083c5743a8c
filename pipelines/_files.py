"""Reading files whose size and kind nobody vouches for: a bounded read of a regular file only.

A watchlist, a manifest or a saved page named on the command line may be huge, or be
``/dev/zero`` or a FIFO (which would block the reader forever): :func:`read_head` refuses anything
but a regular file and never reads more than the caller's limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["FileTooLarge", "read_head", "read_within"]

#: Opening a FIFO for reading blocks until a writer appears, unless non-blocking.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class FileTooLarge(OSError):
    """A file is larger than the limit its reader accepts."""


def _check_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise OSError("not a regular file (a directory, device, FIFO or socket)")


def read_head(path: str | Path, limit: int) -> tuple[bytes, int]:
    """At most ``limit`` bytes from the start of the regular file ``path``, and the file's size.

    ``OSError`` when ``path`` is missing, unreadable or not a regular file (checked before it is
    opened, and again on the open descriptor).
    """
    _check_regular(os.stat(path).st_mode)
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        _check_regular(info.st_mode)
        return handle.read(limit), info.st_size


def read_within(path: str | Path, limit: int, setting: str) -> bytes:
    """The whole regular file ``path``; :class:`FileTooLarge` (naming ``setting``) past
    ``limit``."""
    data, size = read_head(path, limit + 1)
    if len(data) > limit:
        raise FileTooLarge(
            f"larger than {setting} ({limit:,} bytes): {max(size, len(data)):,} bytes"
        )
    return data

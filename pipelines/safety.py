"""Output safety: text from hostile pages made harmless for spreadsheets, terminals and files.

Plain functions with no Scrapy in them, shared by the crawl's exports, its log filter and any
later writer (takedown reports):

- :func:`neutralise_csv_cell` defuses spreadsheet formulas (CSV injection);
- :func:`strip_controls` removes terminal escapes and bidi overrides (``reasons``, log lines);
- :func:`private_dir` and :func:`open_private` create directories 0700 and files 0600.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

__all__ = ["neutralise_csv_cell", "open_private", "private_dir", "strip_controls"]

#: What makes a spreadsheet read a cell as a formula (OWASP: ``=``, ``+``, ``-``, ``@``, tab, CR).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Bidi formatting characters: embeddings, overrides, isolates (U+202A-U+202E, U+2066-U+2069)
#: and the marks (ALM, LRM, RLM). An override shows ``\u202egpj.exe`` as ``exe.jpg``.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: C0 controls but tab and newline, DEL, and the C1 controls (ESC starts terminal sequences).
_CONTROLS = (*(c for c in range(0x20) if c not in (0x09, 0x0A)), 0x7F, *range(0x80, 0xA0))
_STRIP = dict.fromkeys((*_CONTROLS, *_BIDI))

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def neutralise_csv_cell(value: str) -> str:
    """``value`` made inert for spreadsheets: a leading formula character gets a ``'`` before it.

    Every value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed,
    as OWASP recommends, plain ones such as ``-5`` or ``- a list`` included: telling ``-5`` from
    ``-2+3`` or ``-cmd|...`` is the spreadsheet parser's business, and a stray quote in a cell
    costs less than a formula run on an analyst's machine. Other values are returned unchanged
    (so a value already neutralised, starting with ``'``, is never quoted twice).
    """
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def strip_controls(text: str) -> str:
    """``text`` without control characters (newline and tab kept) and bidi formatting marks."""
    return text.translate(_STRIP)


def private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents with mode 0700; existing ones keep their mode."""
    for directory in reversed((path, *path.parents)):
        if not directory.exists():
            directory.mkdir(mode=PRIVATE_DIR, exist_ok=True)  # a umask can only narrow it
    return path


def open_private(path: Path, mode: str = "a", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)``, creating a missing file with mode 0600 (a umask can only narrow it).

    ``mode`` is one of ``"a"``, ``"w"``, ``"ab"``, ``"wb"``; ``kwargs`` go to :func:`open`
    (``encoding``). An existing file keeps its mode: its owner chose it.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode.startswith("a") else os.O_TRUNC)
    return os.fdopen(os.open(path, flags, PRIVATE_FILE), mode, **kwargs)

"""pygal, imported once, without the import hook it installs.

pygal appends a ``sys.meta_path`` finder (``PluginImportFixer``, for its map plugins) that has no
``find_spec``: every later import in the process then raises ``ImportWarning`` on Python 3.11
(an error under ``filterwarnings = error``). The report uses no map plugin, so the finder is taken
out again right after the import.
"""

from __future__ import annotations

import sys

import pygal

__all__ = ["pygal"]

sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

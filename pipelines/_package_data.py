"""Where the data shipped with lurewatch lives: in a wheel, an editable install or a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["package_dir"]


def package_dir(package: str) -> Path:
    """The directory of the installed package ``package`` (data-only: ``watchlists``, ``kibana``).

    Found through :mod:`importlib.resources`, never relative to a checkout. Pip installs packages
    as files; a zip import gives no directory and raises :class:`ImportError`.
    """
    root = resources.files(package)
    if not isinstance(root, Path):
        raise ImportError(f"the {package!r} package is not installed as files on disk ({root!r})")
    return root

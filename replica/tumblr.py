"""Replica routes for tumblr (stub: being written)."""

from __future__ import annotations

from replica.dataset import Dataset
from replica.http import Router


def register(router: Router, dataset: Dataset) -> None:
    """Register this module's routes on ``router``."""

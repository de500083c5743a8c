"""Assemble the replica: generate the dataset, register every platform's routes on one router."""

from __future__ import annotations

from replica import blogger, discovery, landing, rdap, takedowns, tmdb, tumblr, wordpress
from replica.content import build_dataset
from replica.dataset import Dataset
from replica.http import Router

__all__ = ["build_router"]


def build_router(seed: int = 2026, scale: int = 1, dataset: Dataset | None = None) -> Router:
    """The replica's router over ``dataset`` (by default generated from ``seed`` and ``scale``)."""
    dataset = dataset or build_dataset(seed=seed, scale=scale)
    router = Router()
    # tests and the demo read the ground truth here
    router.dataset = dataset  # type: ignore[attr-defined]
    for module in (tumblr, wordpress, blogger, discovery, landing, rdap, takedowns, tmdb):
        module.register(router, dataset)
    return router

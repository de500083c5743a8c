"""Posts published over time, on the replica's clock (``--publish SHARE``, ``--publish-hours H``).

A share of the world's posts, chosen by the replica from its own world (per platform, from the
seed), gets a publish time spread over the ``hours`` after the replica started. Until its time a
post is absent from every listing, search, tag stream and feed, and its URL answers 404; from then
on it is there like any other post. The ground truth keeps the time: the post's ``published``
(:meth:`replica.dataset.Dataset.scheduled` lists them). With ``--clock 60`` six replica hours of
publishing pass in six real minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime

from replica.dataset import Dataset, Post

__all__ = ["publish_over_time"]

#: The first post appears this long after the start (replica seconds): never before a first poll.
FIRST_AFTER = 60.0


def publish_over_time(
    dataset: Dataset, now: Callable[[], float], share: float, hours: float, seed: int = 2026
) -> list[Post]:
    """Hold back ``share`` of each platform's posts and publish them between ``now()`` and
    ``hours`` later; returns them, oldest first. ``share`` 0 changes nothing."""
    if not 0 <= share <= 1:
        raise ValueError(f"publish share {share!r} must be between 0 and 1")
    if share and not hours > 0:
        raise ValueError(f"publish hours {hours!r} must be > 0")
    if not share:
        return []
    rng = random.Random(f"publish:{seed}")  # noqa: S311 - a reproducible world, not a secret
    start = now()
    chosen: list[Post] = []
    for platform in sorted({post.platform for post in dataset.posts}):
        posts = sorted(
            (p for p in dataset.posts if p.platform == platform), key=lambda p: p.post_id
        )
        chosen += rng.sample(posts, round(share * len(posts)))
    span = max(FIRST_AFTER + 1.0, hours * 3600.0)
    for post in chosen:
        moment = start + rng.uniform(FIRST_AFTER, span)
        post.published = datetime.fromtimestamp(int(moment), UTC)
    dataset.publish_later(chosen, now)
    return dataset.scheduled()

"""What the platform parsers share: the post fields they produce and small text helpers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypedDict

__all__ = ["PostFields", "single_spaced", "unique", "utc_isoformat"]


class PostFields(TypedDict):
    """The fields of a post a parser reads, as :meth:`PlatformSpider.make_hit` takes them."""

    url: str
    title: str
    html: str
    published: str | None  # ISO 8601, UTC
    tags: list[str]
    post_id: str | None


def utc_isoformat(moment: datetime) -> str:
    """``moment`` (timezone-aware) in UTC, to the second: ``2026-01-02T03:04:05+00:00``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def single_spaced(text: str) -> str:
    """``text`` with every run of whitespace one space, and none at either end."""
    return " ".join(text.split())


def unique(items: Iterable[str]) -> list[str]:
    """The non-empty ``items``, each once, in the order first seen."""
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out

"""The replica's own errors, each a one-line message a command can print as it is.

``ReplicaError``
 └── ``WorldError`` (also a ``ValueError``): the world cannot be built, because of a scale
     below 1 or a watchlist file (``titles.yaml``, ``searches.yaml``) that is missing or misshapen.

Failing to listen on an address is the command's concern (``replica.__main__.ListenError``).
"""

from __future__ import annotations

__all__ = ["ReplicaError", "WorldError"]


class ReplicaError(Exception):
    """Base of the replica's errors."""


class WorldError(ReplicaError, ValueError):
    """The replica's world cannot be built from the given scale or the watchlist files it reads."""

"""The effective configuration as ``(name, shown value)`` rows, every secret masked."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pipelines.config import redact_url

__all__ = ["MASK", "PREFIXES", "config_rows"]

MASK = "***"
PREFIXES = ("LUREWATCH_", "ELASTICSEARCH_", "KIBANA_", "REDIS_")


def _shown(name: str, value: Any, secrets: Collection[str], urls: Collection[str]) -> str:
    if name in secrets:
        return f"{MASK} (set)" if value else "(missing)"
    if name in urls and isinstance(value, str):
        return redact_url(value)
    return str(value)


def config_rows(
    values: Mapping[str, Any], secrets: Collection[str], urls: Collection[str]
) -> list[tuple[str, str]]:
    """The lurewatch settings of ``values`` sorted by name, secrets shown only as present/missing.

    ``secrets`` are names whose values are never shown; ``urls`` are service URLs whose
    ``user:password@`` part is masked with :func:`pipelines.config.redact_url`.
    """
    names = {name for name in values if name.startswith(PREFIXES)} | set(secrets)
    return [(name, _shown(name, values.get(name), secrets, urls)) for name in sorted(names)]

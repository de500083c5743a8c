"""The JSON Schema of an exported :class:`pipelines.items.Hit`, generated from the dataclass.

Every exported field is required and typed from its annotation; the values the project defines
(platforms, verdicts, score range, http(s) URLs) are constrained too. Spidermon's item validation
checks every hit of a nightly run against it (``crawler/monitors/``).
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields
from typing import Any

from pipelines.items import EXPORT_FIELDS, Hit

__all__ = ["PLATFORMS", "VERDICTS", "hit_schema"]

PLATFORMS = ("tumblr", "wordpress", "blogger")
VERDICTS = ("benign", "fake_stream", "unwatched_fake", "lure")
_URL = {"type": "string", "pattern": "^https?://"}
_SCALARS: dict[Any, str] = {str: "string", bool: "boolean", int: "integer", float: "number"}
#: constraints beyond the type, per field
_EXTRA: dict[str, dict[str, Any]] = {
    "url": _URL,
    "platform": {"enum": list(PLATFORMS)},
    "verdict": {"enum": list(VERDICTS)},
    "score": {"minimum": 0, "maximum": 100},
    "outbound_urls": {"items": _URL},
    "landing_urls": {"items": _URL},
    "lure_urls": {"items": _URL},
    "fetched_at": {"minLength": 1},
}


def _type_schema(annotation: Any) -> dict[str, Any]:
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        inner = [arg for arg in args if arg is not type(None)]
        schema = _type_schema(inner[0]) if len(inner) == 1 else {}
        kind = schema.get("type")
        if kind is not None and type(None) in args:
            schema["type"] = [kind, "null"]
        return schema
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0]) if args else {}}
    if annotation in _SCALARS:
        return {"type": _SCALARS[annotation]}
    return {}


def hit_schema() -> dict[str, Any]:
    """The schema (draft 7) of an exported hit: one property per ``EXPORT_FIELDS`` entry."""
    hints = typing.get_type_hints(Hit)
    known = {f.name for f in fields(Hit)}
    properties: dict[str, Any] = {}
    for name in EXPORT_FIELDS:
        if name not in known:
            raise KeyError(f"exported field {name!r} is not a Hit field")
        schema = _type_schema(hints[name])
        schema.update(_EXTRA.get(name, {}))
        properties[name] = schema
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "lurewatch hit",
        "type": "object",
        "properties": properties,
        "required": list(EXPORT_FIELDS),
    }

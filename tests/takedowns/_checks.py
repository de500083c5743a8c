"""Checks shared by the takedown loop tests: the XARF v4 schemas, the exported CSV rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import xarf
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

__all__ = ["csv_rows", "xarf_validator"]


def xarf_validator() -> Draft202012Validator:
    """The XARF v4 master schema as the xarf package ships it, with every schema it refers to."""
    root = Path(xarf.__file__).parent / "schemas"
    registry: Registry = Registry()
    for path in root.rglob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(schema["$id"], Resource.from_contents(schema))
    master = json.loads((root / "xarf-v4-master.json").read_text(encoding="utf-8"))
    return Draft202012Validator(
        master, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def csv_rows(out: Path) -> list[dict[str, str]]:
    """Every row of every channel's CSV under the export directory ``out``."""
    found = []
    for path in sorted(out.glob("*/*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            found += list(csv.DictReader(handle))
    return found

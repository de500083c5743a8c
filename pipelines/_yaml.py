"""YAML loading that remembers where each value came from, for error messages naming file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from pipelines.exceptions import WatchlistError

__all__ = ["LineDict", "LineList", "line_of", "load_yaml"]


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each element (1-based)."""

    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: str | Path) -> Any:
    """Parse a YAML file; any I/O or syntax problem becomes a :class:`WatchlistError` with file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchlistError(str(path), None, f"cannot read file: {exc}") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        raise WatchlistError(str(path), *_locate(exc, text)) from exc
    except yaml.YAMLError as exc:
        raise WatchlistError(str(path), None, f"invalid YAML: {exc}") from exc


def _locate(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """Line and message for a syntax error.

    When the parser only notices the problem at the end of the file (an unclosed ``[`` or quote), the
    useful line is where the unclosed construct began (the context mark), not the last line."""
    problem = exc.problem or str(exc)
    context = (exc.context or "a construct").removeprefix("while parsing ").removeprefix("while scanning ")
    at_end = exc.problem_mark is not None and exc.problem_mark.index >= len(text.rstrip())
    if exc.context_mark is not None and (exc.problem_mark is None or at_end):
        return exc.context_mark.line + 1, f"invalid YAML: {context} opened here is never closed ({problem})"
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1 if mark else None), f"invalid YAML: {problem}"


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The line of ``container[key]`` (or of the container itself) if the loader recorded it."""
    if key is None:
        return getattr(container, "line", None) or None
    if isinstance(container, LineDict):
        return container.key_lines.get(str(key), container.line) or None
    if isinstance(container, LineList) and isinstance(key, int) and key < len(container.item_lines):
        return container.item_lines[key]
    return getattr(container, "line", None) or None

"""YAML loading that remembers where each value came from, for error messages naming file and line.

Watchlists are data a user may get from anywhere, so loading is bounded: the file is read only up
to a size cap (``LUREWATCH_WATCHLIST_MAXSIZE``), anchors and aliases are refused (a "billion
laughs" file expands a few hundred bytes into gigabytes wherever the value is walked or shown),
nesting stops at :data:`MAX_DEPTH`, and a mapping key must be a plain value. Every problem is a
:class:`WatchlistError` with file and line; :func:`excerpt` keeps a value shown in an error short.
"""

from __future__ import annotations

import reprlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.resolver import Resolver

from pipelines._files import read_within
from pipelines.exceptions import WatchlistError

__all__ = [
    "EXCERPT_CHARS",
    "MAX_DEPTH",
    "WATCHLIST_MAXSIZE",
    "LineDict",
    "LineList",
    "excerpt",
    "line_of",
    "load_yaml",
    "parse_yaml",
    "read_yaml_text",
    "shorten",
]

#: Default of ``LUREWATCH_WATCHLIST_MAXSIZE``: bytes per watchlist file (the shipped ones are KBs).
WATCHLIST_MAXSIZE = 2 * 1024 * 1024
#: Collections nested deeper than this are refused (the watchlists need four levels).
MAX_DEPTH = 20
#: A value shown in an error message is cut to this many characters.
EXCERPT_CHARS = 80


class LineDict(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    """A sequence that knows its own line and the line of each element (1-based)."""

    line: int = 0
    item_lines: list[int]


class _ShortRepr(reprlib.Repr):
    """``reprlib`` bounds for the loader's containers too: it looks up ``repr_<type name>``."""

    def repr_LineDict(self, obj: LineDict, level: int) -> str:
        return self.repr_dict(obj, level)

    def repr_LineList(self, obj: LineList, level: int) -> str:
        return self.repr_list(obj, level)


_SHORT = _ShortRepr()
_SHORT.maxlevel = 2
_SHORT.maxstring = EXCERPT_CHARS
_SHORT.maxother = EXCERPT_CHARS
_SHORT.maxlong = EXCERPT_CHARS


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with ``…``."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """``repr(value)`` for an error message, never longer than ``limit`` characters (``…``).

    The work is bounded too: nested containers and long strings are abridged while the text is
    built, never expanded first and cut afterwards.
    """
    return shorten(_SHORT.repr(value), limit)


if TYPE_CHECKING:  # the stubs know the loaders PyYAML ships; ours behaves as SafeLoader
    _Base = yaml.SafeLoader
else:
    try:  # libyaml's parser (C, iterative) when PyYAML has it; the composing stays ours
        from yaml._yaml import CParser

        class _Base(Composer, CParser, SafeConstructor, Resolver):
            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                Composer.__init__(self)
                SafeConstructor.__init__(self)
                Resolver.__init__(self)

    except ImportError:  # pragma: no cover - PyYAML built without libyaml
        _Base = yaml.SafeLoader


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that a watchlist may not contain (an alias, deep nesting, a list as a key)."""


class _LineLoader(_Base):
    """A safe loader composing in Python: no anchors or aliases, bounded depth, plain keys."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            _refuse(f"alias *{shorten(str(event.anchor), 40)}: {_NO_ALIASES}", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            _refuse(f"anchor &{shorten(event.anchor, 40)}: {_NO_ALIASES}", event.start_mark)
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        if self._depth >= MAX_DEPTH:
            _refuse(f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:  # int("9" * 5000), a bad !!binary ...
            _refuse(f"unreadable value: {shorten(str(exc))}", node.start_mark)


_NO_ALIASES = "anchors and aliases are not allowed in watchlists"


def _refuse(problem: str, mark: Any) -> NoReturn:
    raise _Refused(None, None, problem, mark)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            _refuse("a key must be a plain value, not a list or mapping", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise ConstructorError(
                None, None, f"duplicate key {excerpt(key)}", key_node.start_mark
            )
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


def read_yaml_text(path: str | Path, max_bytes: int = WATCHLIST_MAXSIZE) -> str:
    """The text of a YAML file of at most ``max_bytes``; :class:`WatchlistError` when it cannot be
    read, is not a regular file, is larger, or is not UTF-8."""
    try:
        return read_within(path, max_bytes, "LUREWATCH_WATCHLIST_MAXSIZE").decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchlistError(str(path), None, f"cannot read file: {exc}") from exc


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse the text of the YAML file ``path``; a problem is a :class:`WatchlistError` with its
    line."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeConstructor, no aliases
    except _Refused as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise WatchlistError(str(path), line, exc.problem or "refused") from None
    except yaml.MarkedYAMLError as exc:
        raise WatchlistError(str(path), *_locate(exc, text)) from None
    except yaml.YAMLError as exc:
        raise WatchlistError(str(path), None, f"invalid YAML: {exc}") from None


def load_yaml(path: str | Path, *, max_bytes: int = WATCHLIST_MAXSIZE) -> Any:
    """Read (:func:`read_yaml_text`) and parse (:func:`parse_yaml`) a YAML file."""
    return parse_yaml(read_yaml_text(path, max_bytes), path)


def _locate(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """Line and message for a syntax error.

    When the parser only notices the problem at the end of the file (an unclosed ``[`` or quote),
    the useful line is where the unclosed construct began (the context mark), not the last line.
    """
    problem = exc.problem or str(exc)
    context = (
        (exc.context or "a construct")
        .removeprefix("while parsing ")
        .removeprefix("while scanning ")
    )
    at_end = exc.problem_mark is not None and exc.problem_mark.index >= len(text.rstrip())
    if exc.context_mark is not None and (exc.problem_mark is None or at_end):
        return (
            exc.context_mark.line + 1,
            f"invalid YAML: {context} opened here is never closed ({problem})",
        )
    mark = exc.problem_mark or exc.context_mark
    return (mark.line + 1 if mark else None), f"invalid YAML: {problem}"


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The line of ``container[key]`` (or of the container itself) if the loader recorded it."""
    if key is None:
        return getattr(container, "line", None) or None
    if isinstance(container, LineDict):
        return container.key_lines.get(str(key), container.line) or None
    if (
        isinstance(container, LineList)
        and isinstance(key, int)
        and key < len(container.item_lines)
    ):
        return container.item_lines[key]
    return getattr(container, "line", None) or None

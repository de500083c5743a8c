"""Reading settings into typed values, Scrapy-free: every bad value is a :class:`ConfigError`.

Components build one frozen config object from the settings (``EsConfig.from_settings``,
``RenderLimits.from_settings`` ...) with these readers. The settings are anything with Scrapy's
getters (:class:`SettingsLike`): Scrapy's ``BaseSettings`` in a crawl, where the project add-on has
installed every default (``crawler/defaults.py``), so a reader never needs a fallback of its own.

An error names the setting and the value it got (``LUREWATCH_ES_BATCH_SIZE: must be an integer >=
1, got 'abc'``); the readers are only used for values that are not secrets, and a URL that may hold
credentials is shown through :func:`redact_url`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from pipelines.exceptions import ConfigError

__all__ = [
    "ServiceUrl",
    "SettingsLike",
    "parse_service_url",
    "read_bool",
    "read_choice",
    "read_float",
    "read_int",
    "read_list",
    "read_positive",
    "read_str",
    "redact_url",
    "split_userinfo",
]

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HOST_PORT_RE = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*)(?::[0-9]*)?")


class SettingsLike(Protocol):
    """The part of Scrapy's ``BaseSettings`` that config objects read."""

    def get(self, name: str, default: Any = None) -> Any: ...

    def getbool(self, name: str, default: bool = False) -> bool: ...

    def getint(self, name: str, default: int = 0) -> int: ...

    def getfloat(self, name: str, default: float = 0.0) -> float: ...


def _bounds(kind: str, minimum: float | None, maximum: float | None) -> str:
    """``"an integer"``, ``"an integer >= 1"``, ``"an integer from 1 to 150"``."""
    if minimum is not None and maximum is not None:
        return f"{kind} from {minimum} to {maximum}"
    if minimum is not None:
        return f"{kind} >= {minimum}"
    if maximum is not None:
        return f"{kind} <= {maximum}"
    return kind


def _check_range(
    name: str, value: float, kind: str, minimum: float | None, maximum: float | None
) -> None:
    too_small = minimum is not None and value < minimum
    too_large = maximum is not None and value > maximum
    if too_small or too_large:
        raise ConfigError(f"{name}: must be {_bounds(kind, minimum, maximum)}, got {value!r}")


def read_str(settings: SettingsLike, name: str) -> str:
    """The setting as a string, ``""`` when unset or empty."""
    value = settings.get(name)
    return "" if value is None else str(value)


def read_bool(settings: SettingsLike, name: str) -> bool:
    """The setting as a boolean (``0``/``1``, ``true``/``false``, ``True``/``False``)."""
    try:
        return settings.getbool(name)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{name}: must be a boolean (0/1, true/false), got {settings.get(name)!r}"
        ) from None


def read_int(
    settings: SettingsLike, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """The setting as an integer within ``[minimum, maximum]`` (either bound optional)."""
    kind = "an integer"
    try:
        value = settings.getint(name)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{name}: must be {_bounds(kind, minimum, maximum)}, got {settings.get(name)!r}"
        ) from None
    _check_range(name, value, kind, minimum, maximum)
    return value


def read_float(
    settings: SettingsLike,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """The setting as a finite number within ``[minimum, maximum]`` (either bound optional)."""
    kind = "a number"
    try:
        value = settings.getfloat(name)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise ConfigError(
            f"{name}: must be {_bounds(kind, minimum, maximum)}, got {settings.get(name)!r}"
        )
    _check_range(name, value, kind, minimum, maximum)
    return value


def read_positive(settings: SettingsLike, name: str, *, maximum: float | None = None) -> float:
    """The setting as a finite number > 0 and <= ``maximum`` (a duration that must not be zero)."""
    value = read_float(settings, name, minimum=0, maximum=maximum)
    if value == 0:
        raise ConfigError(f"{name}: must be a number > 0, got {settings.get(name)!r}")
    return value


def read_list(settings: SettingsLike, name: str) -> list[str]:
    """The setting as a list of non-empty strings: a list, or one comma-separated string."""
    value = settings.get(name)
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, list | tuple):
        raise ConfigError(f"{name}: must be a list or a comma-separated string, got {value!r}")
    stripped = (str(part).strip() for part in parts)
    return [part for part in stripped if part]


def read_choice(settings: SettingsLike, name: str, choices: Collection[str]) -> str:
    """The setting as one of ``choices``."""
    value = read_str(settings, name)
    if value not in choices:
        raise ConfigError(f"{name}: must be one of {', '.join(sorted(choices))}, got {value!r}")
    return value


def split_userinfo(url: str) -> tuple[str, str | None, str]:
    """``(prefix, userinfo, rest)`` of a service URL (Elasticsearch, Kibana, Redis).

    ``prefix`` is ``scheme://`` (``""`` without one), ``userinfo`` everything up to the *last*
    ``@`` (``None`` without one) and ``rest`` the host and what follows. A password is often
    pasted unencoded, with ``/``, ``#``, ``?`` or ``@`` in it: where ``urlsplit`` would take part
    of it for a path, a fragment or the host, this keeps it whole, to be masked or moved out.
    """
    scheme = _SCHEME_RE.match(url)
    prefix = scheme.group(0) if scheme else ""
    userinfo, at, rest = url[len(prefix) :].rpartition("@")
    if not at:
        return prefix, None, rest
    return prefix, userinfo, rest


def redact_url(url: str) -> str:
    """``url`` with the credentials of any ``user:password@`` part masked (``user:***@host``).

    Robust to what ``urlsplit`` gets wrong: no scheme (``user:pw@host:9200``) and ``/``, ``#``,
    ``?`` or ``@`` in the password (:func:`split_userinfo`). Only a URL whose authority is a plain
    ``host[:port]`` and whose first ``@`` comes after its query starts keeps that ``@`` unmasked
    (``http://es:9200/_search?q=a@b``); in doubt, more is masked, never less.
    """
    prefix, userinfo, rest = split_userinfo(url)
    if userinfo is None or _plain_authority(url[len(prefix) :]):
        return url
    user, colon, _ = userinfo.partition(":")
    masked = f"{user}:***@" if colon else "***@"
    return f"{prefix}{masked}{rest}"


def _plain_authority(rest: str) -> bool:
    """No credentials: the authority is ``host[:port]`` and no ``@`` precedes the query."""
    parts = re.split(r"([/?#])", rest, maxsplit=1)
    authority = parts[0]
    before_query = re.split(r"[?#]", rest, maxsplit=1)[0]
    if len(parts) > 1 and parts[1] != "/":
        return False  # ``u:12#3@h``: a digit password cut at ``#``/``?`` is not a port
    return "@" not in before_query and bool(_HOST_PORT_RE.fullmatch(authority))


_UNSAFE_RE = re.compile(r"[\s\x00-\x1f\x7f]")  # whitespace and control characters


@dataclass(frozen=True)
class ServiceUrl:
    """A service URL taken apart: the URL the client gets, the one shown, the credentials."""

    url: str
    shown: str
    username: str
    password: str = field(repr=False)


def _shown_url(prefix: str, userinfo: str | None, rest: str) -> str:
    """The URL for messages: password (or lone token) masked, query and fragment cut."""
    host = re.split(r"[?#]", rest, maxsplit=1)[0]
    cut = "?…" if len(host) < len(rest) else ""
    if userinfo is None:
        return f"{prefix}{host}{cut}"
    user, colon, _ = userinfo.partition(":")
    return f"{prefix}{user}:***@{host}{cut}" if colon else f"{prefix}***@{host}{cut}"


def parse_service_url(raw: str, name: str) -> ServiceUrl:
    """Split the URL of setting ``name`` (:func:`split_userinfo`) and check it.

    :class:`ConfigError` naming the setting, with the URL masked (:func:`_shown_url`).
    """
    prefix, userinfo, rest = split_userinfo(raw)
    shown = _shown_url(prefix, userinfo, rest)

    def bad(problem: str) -> ConfigError:
        return ConfigError(f"{name}: {problem}, got {shown!r}")

    if _UNSAFE_RE.search(raw):
        raise bad("must not contain spaces or control characters")
    scheme = prefix[:-3].lower()
    if scheme not in ("http", "https"):
        raise bad("must be an http(s) URL")
    api_key_setting = name.removesuffix("_URL") + "_API_KEY"
    if "?" in rest or "#" in rest:
        raise bad(f"must have no query or fragment (an API key goes in {api_key_setting})")
    try:
        parts = urlsplit(f"{scheme}://{rest}")
    except ValueError:  # an unclosed [IPv6 bracket
        raise bad("is not a valid URL") from None
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        raise bad("has a bad port") from None
    if not parts.hostname:
        raise bad("must be an http(s) URL")
    user, _, password = (userinfo or "").partition(":")
    url = f"{scheme}://{rest}".rstrip("/")
    return ServiceUrl(url, shown.rstrip("/"), unquote(user), unquote(password))

"""``TakedownConfig``: the takedown feed's settings, read and validated in one place.

==================================  ========================================================
``LUREWATCH_REPORTER_NAME``         who signs the notices (required to export)
``LUREWATCH_REPORTER_EMAIL``        where abuse desks answer (required to export)
``LUREWATCH_REPORTER_ORG``          organisation in X-ARF ``reporter``/``sender`` (default: name)
``LUREWATCH_TAKEDOWN_MIN_SCORE``    detection score a hit needs to be exported (0-100)
``LUREWATCH_TAKEDOWN_OUT``          export directory (``--out``)
``LUREWATCH_TAKEDOWN_TEMPLATES``    directory of notice templates replacing the shipped ones
``LUREWATCH_RIGHTS_HOLDERS``        ``{watched title: rights holder}`` for copyright notices
``LUREWATCH_RDAP_TTL``              seconds an RDAP / security.txt answer is reused from disk
``LUREWATCH_RDAP_TIMEOUT``          seconds per RDAP, DNS-over-HTTPS or security.txt request
``LUREWATCH_RDAP_DOH_URL``          DNS-over-HTTPS JSON resolver (empty: the system's)
``LUREWATCH_RECHECK_OLDER_THAN``    seconds since report or last check before a re-check
``LUREWATCH_RECHECK_USER_AGENTS``   the two (or more) user agents a removal must agree under
``LUREWATCH_CAMPAIGN_THRESHOLD``    MinHash Jaccard from which two texts are one campaign
``LUREWATCH_DATA_DIR``              the RDAP cache lives in ``<dir>/rdap-cache/``
==================================  ========================================================

Durations on the command line (``--since 7d``, ``--older-than 6h``) go through
:func:`parse_duration`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from pipelines.config import SettingsLike, read_float, read_int, read_positive, read_str
from pipelines.evidence import evidence_root
from pipelines.exceptions import ConfigError

__all__ = ["Reporter", "TakedownConfig", "parse_duration"]

_EMAIL_RE = re.compile(r"^[^@\s]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_MAX_SECONDS = 10 * 365 * 86400.0
_MAX_NAME = 200  # X-ARF caps ``org`` at 200 characters


def parse_duration(text: str, what: str = "duration") -> timedelta:
    """``"90s"``, ``"15m"``, ``"6h"``, ``"7d"``, ``"2w"`` or plain seconds as a ``timedelta``."""
    match = _DURATION_RE.match(text or "")
    if not match:
        raise ConfigError(f"{what}: must look like 30m, 6h or 7d, got {text!r}")
    seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if seconds > _MAX_SECONDS:
        raise ConfigError(f"{what}: at most ten years, got {text!r}")
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class Reporter:
    """Who reports: named in every notice and in X-ARF ``reporter`` and ``sender``."""

    name: str
    email: str
    org: str

    @property
    def domain(self) -> str:
        """The domain of :attr:`email` (X-ARF wants one)."""
        return self.email.rpartition("@")[2].lower()

    def xarf_contact(self) -> dict[str, str]:
        """The X-ARF ``reporter``/``sender`` object."""
        return {"org": self.org[:_MAX_NAME], "contact": self.email, "domain": self.domain}

    def check(self) -> None:
        """Raise :class:`ConfigError` unless name and a valid e-mail address are set."""
        if not self.name.strip():
            raise ConfigError("LUREWATCH_REPORTER_NAME: must name who signs the notices, got ''")
        if not _EMAIL_RE.match(self.email):
            raise ConfigError(
                f"LUREWATCH_REPORTER_EMAIL: must be an e-mail address, got {self.email!r}"
            )


def _read_agents(settings: SettingsLike) -> tuple[str, ...]:
    """A list, a JSON list, or one string of agents separated by ``|`` (agents hold commas)."""
    value = settings.get("LUREWATCH_RECHECK_USER_AGENTS")
    if isinstance(value, str):
        value = json.loads(value) if value.lstrip().startswith("[") else value.split("|")
    agents = tuple(str(agent).strip() for agent in value or () if str(agent).strip())
    if len(set(agents)) < 2:
        raise ConfigError(
            "LUREWATCH_RECHECK_USER_AGENTS: needs two different user agents "
            f"(a removal is confirmed by both), got {value!r}"
        )
    return agents


def _read_holders(settings: SettingsLike) -> dict[str, str]:
    value: Any = settings.get("LUREWATCH_RIGHTS_HOLDERS") or {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict):
        raise ConfigError(
            "LUREWATCH_RIGHTS_HOLDERS: must map titles to rights holders (a dict or JSON object), "
            f"got {settings.get('LUREWATCH_RIGHTS_HOLDERS')!r}"
        )
    return {str(title).casefold(): str(holder) for title, holder in value.items()}


@dataclass(frozen=True)
class TakedownConfig:
    """What the takedown commands read from the settings; build with :meth:`from_settings`."""

    reporter: Reporter
    min_score: int
    out_dir: Path
    data_dir: Path
    rdap_ttl: float
    rdap_timeout: float
    doh_url: str
    older_than: timedelta
    user_agents: tuple[str, ...]
    campaign_threshold: float
    templates_dir: str = ""
    rights_holders: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> TakedownConfig:
        """Read and validate; the reporter is checked by the commands that need it."""
        name = read_str(settings, "LUREWATCH_REPORTER_NAME").strip()
        reporter = Reporter(
            name=name,
            email=read_str(settings, "LUREWATCH_REPORTER_EMAIL").strip(),
            org=read_str(settings, "LUREWATCH_REPORTER_ORG").strip() or name,
        )
        doh_url = read_str(settings, "LUREWATCH_RDAP_DOH_URL").strip()
        if doh_url and not doh_url.startswith(("https://", "http://")):
            raise ConfigError(f"LUREWATCH_RDAP_DOH_URL: must be an http(s) URL, got {doh_url!r}")
        older = read_float(
            settings, "LUREWATCH_RECHECK_OLDER_THAN", minimum=0, maximum=_MAX_SECONDS
        )
        return cls(
            reporter=reporter,
            min_score=read_int(settings, "LUREWATCH_TAKEDOWN_MIN_SCORE", minimum=0, maximum=100),
            out_dir=Path(read_str(settings, "LUREWATCH_TAKEDOWN_OUT") or "takedowns"),
            data_dir=Path(read_str(settings, "LUREWATCH_DATA_DIR") or "data"),
            rdap_ttl=read_float(settings, "LUREWATCH_RDAP_TTL", minimum=0, maximum=_MAX_SECONDS),
            rdap_timeout=read_positive(settings, "LUREWATCH_RDAP_TIMEOUT", maximum=300),
            doh_url=doh_url,
            older_than=timedelta(seconds=older),
            user_agents=_read_agents(settings),
            campaign_threshold=read_float(
                settings, "LUREWATCH_CAMPAIGN_THRESHOLD", minimum=0.1, maximum=1.0
            ),
            templates_dir=read_str(settings, "LUREWATCH_TAKEDOWN_TEMPLATES"),
            rights_holders=_read_holders(settings),
        )

    @property
    def rdap_cache(self) -> Path:
        """The directory of cached RDAP, DNS and security.txt answers."""
        return self.data_dir / "rdap-cache"

    @property
    def evidence_root(self) -> Path:
        """Where the crawl stored the evidence files the documents name."""
        return evidence_root(self.data_dir)

    def rights_holder(self, title: str | None) -> str:
        """The rights holder of ``title`` from ``LUREWATCH_RIGHTS_HOLDERS``; ``""`` if unknown."""
        return self.rights_holders.get((title or "").casefold(), "")

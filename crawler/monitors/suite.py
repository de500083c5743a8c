"""The Spidermon suite a nightly run passes at each spider's close.

One monitor per check of :data:`pipelines.ops.health.CHECKS`; a failed check fails its monitor
(Spidermon logs it), is left on the crawler (``lurewatch nightly`` exits naming it) and runs the
actions of ``LUREWATCH_MONITOR_ACTIONS`` (Spidermon's own: Slack, e-mail, Sentry, ...).
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from spidermon import Monitor, MonitorSuite, monitors

from crawler.monitors import FAILED_CHECKS
from pipelines.ops.health import CHECKS, HealthFailure, HealthThresholds

__all__ = ["NightlyMonitors"]

logger = logging.getLogger(__name__)


class _HealthMonitor(Monitor):  # type: ignore[misc] # spidermon is untyped
    """Runs one named check over the closing spider's stats."""

    check: ClassVar[str] = ""

    def run_check(self) -> None:
        crawler = self.data.crawler
        platform = self.data.spider.name
        limits = HealthThresholds.from_settings(crawler.settings)
        failure = CHECKS[self.check](platform, self.data.stats, limits)
        if failure is None:
            return
        _record(crawler, failure)
        self.fail(str(failure))


def _record(crawler: Any, failure: HealthFailure) -> None:
    failed = getattr(crawler, FAILED_CHECKS, None)
    if failed is None:
        failed = []
        setattr(crawler, FAILED_CHECKS, failed)
    failed.append(str(failure))
    assert crawler.stats is not None
    crawler.stats.set_value(f"lurewatch/monitors/failed/{failure.check}", failure.detail)


def _monitor(check: str) -> type[Monitor]:
    description = (CHECKS[check].__doc__ or check).strip().splitlines()[0]

    def test(self: _HealthMonitor) -> None:
        self.run_check()

    test.__doc__ = description
    cls = type(f"{check.title().replace('_', '')}Monitor", (_HealthMonitor,), {"check": check})
    cls.test_check = monitors.name(description)(test)  # type: ignore[attr-defined]
    return monitors.name(check)(cls)  # type: ignore[no-any-return]


#: One Spidermon monitor per health check.
MONITORS: dict[str, type[Monitor]] = {check: _monitor(check) for check in CHECKS}


class NightlyMonitors(MonitorSuite):  # type: ignore[misc] # spidermon is untyped
    """lurewatch's crawl health checks (thresholds: ``LUREWATCH_MONITOR_*``)."""

    monitors: ClassVar[list[Any]] = list(MONITORS.values())

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any) -> None:
        actions = list(crawler.settings.getlist("LUREWATCH_MONITOR_ACTIONS")) if crawler else []
        kwargs.setdefault("monitors_failed_actions", actions)
        super().__init__(*args, crawler=crawler, **kwargs)

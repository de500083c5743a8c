"""Crawl health and progress for ``lurewatch nightly``: Spidermon monitors and a progress line.

:func:`install` switches them on in a run's settings: Spidermon's extension with the
:class:`~crawler.monitors.suite.NightlyMonitors` suite at each spider's close (the checks are
:mod:`pipelines.ops.health`), Spidermon's item validation of every hit against
:func:`pipelines.ops.hit_schema.hit_schema`, :class:`~crawler.monitors.progress.Progress`, and
:class:`~crawler.monitors.night.NightStats` (a resumed run counts the whole night).
"""

from __future__ import annotations

import warnings

from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.settings import BaseSettings

from pipelines.ops.hit_schema import hit_schema

__all__ = ["FAILED_CHECKS", "install"]

#: The attribute of a crawler where the suite leaves its failed checks (``platform/check: ...``).
FAILED_CHECKS = "lurewatch_failed_checks"
#: Spidermon's item validation runs after detection (300), before indexing (800).
_VALIDATION_PRIORITY = 700


def install(settings: BaseSettings) -> None:
    """Monitors, hit validation and the progress line in ``settings`` (command priority)."""
    # Spidermon 1.27's runner logs through Spider.log(), deprecated by Scrapy: its own warning
    warnings.filterwarnings(
        "ignore",
        message=r"Spider\.log\(\) is deprecated",
        category=ScrapyDeprecationWarning,
        module=r"spidermon\.",
    )
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["spidermon.contrib.scrapy.extensions.Spidermon"] = 500
    extensions["crawler.monitors.progress.Progress"] = 510
    extensions["crawler.monitors.night.NightStats"] = 520
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines["spidermon.contrib.scrapy.pipelines.ItemValidationPipeline"] = _VALIDATION_PRIORITY
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    settings.set("SPIDERMON_ENABLED", True, priority="cmdline")
    settings.set(
        "SPIDERMON_SPIDER_CLOSE_MONITORS",
        ["crawler.monitors.suite.NightlyMonitors"],
        priority="cmdline",
    )
    settings.set("SPIDERMON_VALIDATION_SCHEMAS", [hit_schema()], priority="cmdline")

"""The exit statuses of every ``lurewatch`` command, in one place.

Scripts and the nightly job branch on them, so a value never changes meaning. A command sets
``self.exitcode`` to a member (Scrapy's ``ScrapyCommand.exitcode``); ``lurewatch`` exits with it.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

__all__ = ["DISABLED_REASON", "ExitCode", "disable"]

#: The stat a spider sets when a platform makes no request on purpose (:func:`disable`).
DISABLED_REASON = "lurewatch/disabled_reason"


class ExitCode(IntEnum):
    """What a ``lurewatch`` exit status means."""

    #: The command did all its work.
    OK = 0
    #: The command ran and failed, or found the problems it looks for: a page it could not judge,
    #: a broken watchlist reported by ``watchlists check``, hits left in the spool, a spider that
    #: did not finish, an index missing its alias, a port already taken by another server.
    FAILED = 1
    #: The command refused to start or to act: bad arguments (argparse's own status), an unknown
    #: command or spider, a broken watchlist, an index whose mapping conflicts with lurewatch's.
    USAGE = 2
    #: A setting or a credential is missing, invalid or refused: ``ELASTICSEARCH_URL`` or
    #: ``KIBANA_URL`` not set, a bad ``LUREWATCH_ES_INDEX``, an API key the cluster rejects.
    CONFIG = 3
    #: An output path (``-O``/``-o`` file, ``--stats-file``) cannot be written: refused before the
    #: first request, an existing file left as it was.
    OUTPUT = 4
    #: Nothing could be reached: the offline origin does not answer, or every request of a spider
    #: failed (``<spider>: 0 of N requests got a response``).
    UNREACHABLE = 5
    #: A platform (spider) made no request at all (its key missing, its API turned off ...): the
    #: reason is its ``lurewatch/disabled_reason`` stat (:func:`crawler.exitcodes.disable`).
    NO_REQUESTS = 6
    #: Another run holds the lock (``lurewatch nightly``): it names the holder's pid and start.
    LOCKED = 7
    #: The crawl was stopped before its end (SIGTERM, SIGINT: Scrapy's ``shutdown``); its output
    #: holds, whole, what it had scraped (``lurewatch nightly`` resumes such a run).
    INTERRUPTED = 8
    #: A crawl health check failed (``lurewatch nightly``): each failed check is named
    #: (``<platform>/<check>: ...``, the monitors of ``crawler/monitors/``).
    MONITOR = 9


def disable(spider: Any, reason: str) -> None:
    """Record why ``spider``'s platform makes no request (``"TUMBLR_API_KEY missing"``).

    ``lurewatch crawl`` then exits :attr:`ExitCode.NO_REQUESTS` naming the platform and this
    reason. Call it from the spider (``start``/``start_requests``) before yielding nothing.
    """
    spider.crawler.stats.set_value(DISABLED_REASON, reason)

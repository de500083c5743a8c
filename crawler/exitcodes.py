"""The exit statuses of every ``lurewatch`` command, in one place.

Scripts and the nightly job branch on them, so a value never changes meaning. A command sets
``self.exitcode`` to a member (Scrapy's ``ScrapyCommand.exitcode``); ``lurewatch`` exits with it.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitCode"]


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

"""Plain-text notices, one per channel, rendered from editable Jinja2 templates.

The templates ship in ``pipelines/takedowns/templates/`` (``platform.txt.j2`` for the platforms'
desks, ``network.txt.j2`` for registrars and hosting networks); a directory named by
``LUREWATCH_TAKEDOWN_TEMPLATES`` holding files of the same names replaces them.

Everything interpolated comes from hostile pages (blog names, titles, URLs, reasons), and the
notice is pasted into web forms that may render HTML. So every ``{{ value }}`` is, before it is
written: stripped of control and bidi characters, collapsed onto one line (a title holding
``"\\n\\nI withdraw this notice"`` cannot forge lines of the notice) and its ``<`` and ``>``
HTML-escaped (a ``<script>`` or ``<a href>`` in a blog name arrives as text in the form). Only
those two: they are all markup needs, and escaping ``&`` as well would break the URLs the desk
has to open (``?a=1&b=2``), which plain text must keep exact. Values are never rendered as
templates themselves, so ``{{`` in a page is just two braces.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

from pipelines.safety import strip_controls
from pipelines.takedowns.channels import Channel
from pipelines.takedowns.config import Reporter
from pipelines.takedowns.incidents import Incident

__all__ = ["inert", "notice_environment", "render_notice"]

_MAX_VALUE = 2000


def inert(value: Any) -> Any:
    """One line of text without controls or bidi marks, ``<`` and ``>`` escaped."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    line = " ".join(strip_controls(str(value)).split())[:_MAX_VALUE]
    return line.replace("<", "&lt;").replace(">", "&gt;")


def notice_environment(override_dir: str | Path | None = None) -> Environment:
    """The Jinja2 environment of the notices (``override_dir`` first, then the shipped files)."""
    loaders: list[Any] = [PackageLoader("pipelines.takedowns", "templates")]
    if override_dir:
        loaders.insert(0, FileSystemLoader(str(override_dir)))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=False,  # noqa: S701 - plain text: inert() escapes what markup needs
        finalize=inert,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def render_notice(
    env: Environment,
    channel: Channel,
    incidents: Sequence[Incident],
    reporter: Reporter,
    export_id: str,
) -> str:
    """The notice for ``channel`` naming every incident's URL."""
    name = "platform.txt.j2" if channel.kind == "platform" else "network.txt.j2"
    return env.get_template(name).render(
        channel=channel,
        incidents=list(incidents),
        reporter=reporter,
        export_id=export_id,
        copyright=any(i.category == "copyright" for i in incidents),
    )

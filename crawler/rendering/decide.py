"""Whether a page needs a browser: its static HTML builds content with script (first version)."""

from __future__ import annotations

import re

__all__ = ["needs_rendering"]

_SCRIPT_BUILDERS = re.compile(r"document\.write|atob\(|unescape\(|String\.fromCharCode|innerHTML\s*=|eval\(", re.I)


def needs_rendering(html: str) -> bool:
    """True when the page's visible content is (mostly) produced by script."""
    if not html:
        return False
    return bool(_SCRIPT_BUILDERS.search(html))

"""The two consoles: tables on stdout, everything else on stderr.

Rich decides about colour and width, so NO_COLOR, FORCE_COLOR, TERM=dumb and
COLUMNS work as users expect; elect never forces a terminal.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _state() -> dict:
    return {"quiet": False, "debug": False}


def settings() -> dict:
    return _state()


def out_console():
    from rich.console import Console

    return Console(highlight=False)


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def notice(message: str, style: str = "yellow") -> None:
    """A warning or summary line on stderr, silenced by -q."""
    if settings()["quiet"]:
        return
    from rich.markup import escape

    err_console().print(f"[{style}]{escape(message)}[/{style}]", soft_wrap=True)

"""The two consoles: tables on stdout, everything else on stderr.

Rich decides about colour and width, so NO_COLOR, FORCE_COLOR, TERM=dumb and
COLUMNS work as users expect; elect never forces a terminal.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _state() -> dict:
    return {"quiet": False, "debug": False, "output": None, "buffer": None}


def settings() -> dict:
    return _state()


def stdout_stream():
    """Where results go: stdout, or the ``-o FILE`` stream (committed when the run ends)."""
    import sys

    buf = settings()["buffer"]
    return sys.stdout if buf is None else buf


def use_output(path: str | None, inputs: list[str | None]) -> None:
    """Send this run's results to PATH (``-o``); refuse to write over an input.

    INPUTS (and every input registered later: ``--map``, ``--reference``, the files of
    a validated directory) are compared with PATH before any work and again on writing.
    """
    from .output import add_inputs, add_output
    from .output_stream import OutputFile

    settings()["output"] = None
    settings()["buffer"] = None
    add_inputs(inputs)
    if path is None or path == "-":
        return
    add_output(path, "--output")
    settings()["output"] = path
    settings()["buffer"] = OutputFile(path, "--output")


def commit_output() -> None:
    """Put the results in the ``-o`` file (only after a run that ended)."""
    state = settings()
    path, buf = state["output"], state["buffer"]
    state["output"] = state["buffer"] = None
    if path is not None and buf is not None:
        buf.commit()


def discard_output() -> None:
    buf = settings()["buffer"]
    settings()["output"] = settings()["buffer"] = None
    if buf is not None:
        buf.discard()


def out_console():
    import os

    from rich.console import Console

    buf = settings()["buffer"]
    if buf is not None:
        # A file gets plain text at a fixed width: no colour codes in a saved report.
        width = int(os.environ.get("COLUMNS", "100") or 100)
        return Console(file=buf, highlight=False, color_system=None, width=width, emoji=False)
    return Console(highlight=False, emoji=False)


def err_console():
    from rich.console import Console

    # emoji=False: ":skull:" in a name from a file stays text (cli/names.py).
    return Console(stderr=True, highlight=False, emoji=False)


def notice(message: str, style: str = "yellow") -> None:
    """A warning or summary line on stderr, silenced by -q."""
    if settings()["quiet"]:
        return
    from rich.markup import escape

    from .names import visible

    err_console().print(f"[{style}]{escape(visible(message))}[/{style}]", soft_wrap=True)

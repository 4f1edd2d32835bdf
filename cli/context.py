"""The state of one run of elect, created once by the app's callback and passed around.

In the way of httpie's ``Environment``: quiet, debug, where results go (stdout, or the
buffer of ``-o FILE`` written when the run ends), the files read and written (so no
output lands on an input), and the two consoles. Commands receive it from
:mod:`.command`; nothing in ``cli/`` keeps run state in a module global.

Rich decides about colour and width, so NO_COLOR, FORCE_COLOR, TERM=dumb and COLUMNS
work as users expect; elect never forces a terminal.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from .options import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

    from .output_stream import OutputFile


@dataclass
class Run:
    quiet: bool = False
    debug: bool = False
    # --max-bytes (or ELECT_MAX_BYTES), checked at start; None: the core's default.
    max_bytes: int | None = None
    # What the results are written as (the output group: --json, --format).
    output_format: OutputFormat = OutputFormat.table
    # ``-o FILE``: the target, and the stream the results go to (a temporary file beside
    # the target, renamed into place when the run ends: cli/output_stream.py).
    output_path: str | None = None
    buffer: OutputFile | None = None
    # Every file this run reads (``-o`` must not replace one) and writes.
    inputs: list[str] = field(default_factory=list)
    outputs: list[tuple[str, str]] = field(default_factory=list)

    # Where results go -------------------------------------------------------------------
    def stdout(self) -> TextIO:
        """stdout, or the buffer of ``-o FILE`` (written when the run ends)."""
        return sys.stdout if self.buffer is None else self.buffer

    def use_output(self, path: str | None, inputs: list[str | None]) -> None:
        """Send this run's results to PATH (``-o``); refuse to write over an input.

        INPUTS (and every input registered later: ``--map``, ``--reference``, the files
        of a validated directory) are compared with PATH before any work and again on
        writing.
        """
        from .output import add_inputs, add_output
        from .output_stream import OutputFile

        self.output_path = None
        self.buffer = None
        add_inputs(self, inputs)
        if path is None or path == "-":
            return
        add_output(self, path, "--output")
        self.output_path = path
        self.buffer = OutputFile(self, path, "--output")

    def commit_output(self) -> None:
        """Put the results in the ``-o`` file (only after a run that ended)."""
        path, buf = self.output_path, self.buffer
        self.output_path = self.buffer = None
        if path is not None and buf is not None:
            buf.commit()

    def discard_output(self) -> None:
        buf = self.buffer
        self.output_path = self.buffer = None
        if buf is not None:
            buf.discard()

    # Consoles ---------------------------------------------------------------------------
    def out_console(self) -> Console:
        import os

        from rich.console import Console

        if self.buffer is not None:
            # A file gets plain text at a fixed width: no colour codes in a saved report.
            width = int(os.environ.get("COLUMNS", "100") or 100)
            return Console(
                file=self.buffer, highlight=False, color_system=None, width=width, emoji=False
            )
        return Console(highlight=False, emoji=False)

    def err_console(self) -> Console:
        from rich.console import Console

        # emoji=False: ":skull:" in a name from a file stays text (cli/names.py).
        return Console(stderr=True, highlight=False, emoji=False)

    def notice(self, message: str, style: str = "yellow") -> None:
        """A warning or summary line on stderr, silenced by -q."""
        if self.quiet:
            return
        from rich.markup import escape

        from .names import visible

        self.err_console().print(f"[{style}]{escape(visible(message))}[/{style}]", soft_wrap=True)


def run_of(ctx) -> Run:
    """The run of a Typer context: the one the app's callback made, or a default one
    (a command invoked on its own, as some tests do)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Run):
        root.obj = Run()
    return root.obj

"""elect schema: the JSON Schema of elect's input document or of a command's output."""

from __future__ import annotations

from typing import Annotated

import typer

from .command import command
from .common import UsageError, write_json
from .context import Run


# Its --output names a kind of output (it predates -o); the document goes to stdout.
@command(output=False, source=False)
def schema(
    run: Run,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            help="Print the schema of a command's --json output instead: report, shares, "
            "turnout, diaspora, results, contests, vote_types, compare, reconcile, forensics, "
            "inspect, validate or checks. Example: elect schema --output report",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of elect's election document (the canonical JSON input).

    Examples: elect schema > election.schema.json · elect schema --output report
    """
    from elect.core.schema import OUTPUTS, schema_for

    name = output or "election"
    if output is not None and output not in OUTPUTS:
        raise UsageError(f"no output schema {output!r}", hint=f"use one of {', '.join(OUTPUTS)}")
    write_json(run, schema_for(name))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)

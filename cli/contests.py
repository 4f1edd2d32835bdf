"""elect contests: the contests a file holds."""

from __future__ import annotations

import typer

from .command import Inputs, command
from .context import Run
from .options import FileArg


@command(contest=True, decides=True)
def contests(run: Run, inputs: Inputs, file: FileArg = None) -> None:
    """List the contests in a file: units, options, total votes and the leading option.

    Example: elect contests 20241105__ga__general__precinct.csv --json
    """
    from .report import show_contests

    election = inputs.load(run, file)
    if inputs.contest is not None:
        # --contest narrows the list to the contests it matches (no match: exit 2).
        from dataclasses import replace

        from elect.core.report import match_contests, no_contest

        found = match_contests(
            [(c.id, c.name, c.office) for c in election.contests], inputs.contest
        )
        if not found:
            raise no_contest(inputs.contest, [c.name for c in election.contests], election.file)
        election = replace(election, contests=[election.contests[i] for i in found])
    show_contests(run, election)


def register(app: typer.Typer) -> None:
    app.command("contests")(contests)

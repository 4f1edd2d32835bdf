"""elect shares: each option's votes and share."""

from __future__ import annotations

import typer

from .command import Inputs, command
from .common import write_rows
from .context import Run
from .options import ByOpt, FileArg


@command(contest=True, shares=True, decides=True)
def shares(run: Run, inputs: Inputs, file: FileArg = None, by: ByOpt = None) -> None:
    """Votes and shares per option, the winner and the majority rule.

    Examples: elect shares · elect shares results.csv --base cast --json
    """
    rep = inputs.report(run, file)
    if by is not None:
        show_vote_types(run, rep, by)
        return
    doc = rep.section("shares")
    if write_rows(run, doc["shares"], doc):
        return
    from rich.console import Group

    from . import render

    run.out_console().print(Group(render.outcome_text(rep), render.shares_table(rep)))


def show_vote_types(run: Run, rep, by: str) -> None:
    """``--by vote-type``: each option's votes split by how they were cast."""
    from elect.core.vote_types import vote_type_split

    from .common import UsageError

    if by.replace("_", "-") != "vote-type":
        raise UsageError(f"cannot split by {by!r}", hint="use --by vote-type")
    split = vote_type_split(rep.contest)
    dicts = [r.to_dict() for r in split]
    flat = [
        {"option_id": d["option_id"], "name": d["name"], "votes": d["votes"], **d["by_type"]}
        for d in dicts
    ]
    doc = rep.envelope("vote_types", vote_types=list(rep.contest.components), options=dicts)
    if write_rows(run, flat, doc):
        return
    from . import render

    run.out_console().print(render.vote_type_table(rep.contest, split))


def register(app: typer.Typer) -> None:
    app.command("shares")(shares)

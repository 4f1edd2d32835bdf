"""elect turnout: where turnout was highest and lowest."""

from __future__ import annotations

import typer

from .command import Inputs, command
from .common import write_rows
from .context import Run
from .options import FileArg, TopOpt


@command(contest=True)
def turnout(run: Run, inputs: Inputs, file: FileArg = None, top: TopOpt = 3) -> None:
    """The regions with the highest and lowest turnout; units abroad are shown apart.

    Examples: elect turnout --top 5 · elect turnout stations.csv --json
    """
    rep = inputs.report(run, file, top=top)
    doc = rep.section("turnout")
    te = doc["turnout"]
    rows = [{"end": "highest", **r} for r in te["highest"]] + [
        {"end": "lowest", **r} for r in te["lowest"]
    ]
    if write_rows(run, rows, doc):
        return
    from . import render

    run.out_console().print(render.turnout_tables(rep, abroad=True))


def register(app: typer.Typer) -> None:
    app.command("turnout")(turnout)

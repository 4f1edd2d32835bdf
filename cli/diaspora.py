"""elect diaspora: how voters abroad voted."""

from __future__ import annotations

import typer

from .command import Inputs, command
from .common import write_rows
from .context import Run
from .options import FileArg


@command(contest=True, shares=True)
def diaspora(run: Run, inputs: Inputs, file: FileArg = None) -> None:
    """Stations, missions and countries abroad, their turnout, and each option abroad vs at home.

    Examples: elect diaspora · elect diaspora stations.csv --json
    """
    rep = inputs.report(run, file)
    doc = rep.section("diaspora")
    d = doc["diaspora"]
    rows = d["options"] or [{k: v for k, v in d.items() if k not in ("options", "units")}]
    if write_rows(run, rows, doc):
        return
    from . import render

    run.out_console().print(render.diaspora_table(rep))


def register(app: typer.Typer) -> None:
    app.command("diaspora")(diaspora)

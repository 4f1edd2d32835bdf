"""elect shares: each option's votes and share."""

from __future__ import annotations

import typer

from .common import report_for, resolve_format, write_rows
from .options import BaseOpt, ContestOpt, EncodingOpt, FileArg, FormatOpt, InputFormatOpt, JsonFlag


def shares(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    contest: ContestOpt = None,
    base: BaseOpt = "valid",
) -> None:
    """Votes and shares per option, the winner and the majority rule.

    Examples: elect shares · elect shares results.csv --base cast --json
    """
    from elect.core.report import SCHEMA_VERSION, contest_dict

    choice = resolve_format(fmt, json_flag, input_format)
    rep = report_for(
        file, input_format=choice.input_format, encoding=encoding, contest=contest, base=base
    )
    rows = [r.to_dict() for r in rep.shares]
    doc = {
        "schema_version": SCHEMA_VERSION,
        "kind": "shares",
        "election": rep.election.meta_dict(),
        "contest": contest_dict(rep.contest),
        "base": rep.base,
        "base_total": rep.base_total,
        "shares": rows,
        "outcome": rep.outcome.to_dict(),
    }
    if write_rows(choice.output, rows, doc):
        return
    from rich.console import Group

    from . import render
    from .console import out_console

    out_console().print(Group(render.outcome_text(rep), render.shares_table(rep)))


def register(app: typer.Typer) -> None:
    app.command("shares")(shares)

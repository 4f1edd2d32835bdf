"""elect report: the whole picture of one election."""

from __future__ import annotations

import typer

from .common import load_input, report_from, resolve_format, tell_notes, write_rows
from .options import (
    BaseOpt,
    ContestOpt,
    EncodingOpt,
    FileArg,
    FormatOpt,
    InputFormatOpt,
    JsonFlag,
    OutputFormat,
    TopOpt,
)


def report(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    contest: ContestOpt = None,
    top: TopOpt = 3,
    base: BaseOpt = "valid",
) -> None:
    """Who won and with what share, the majority rule, turnout extremes and the diaspora.

    With no FILE, reports the bundled 2022 Kazakhstan presidential election.
    A file with several contests and no --contest gets one line per contest.

    Examples: elect report · elect report results.csv --json · elect report oe.csv -c governor
    """
    choice = resolve_format(fmt, json_flag, input_format)
    election = load_input(file, input_format=choice.input_format, encoding=encoding)
    if contest is None and len(election.contests) > 1:
        show_contests(election, choice.output)
        return
    rep = report_from(election, contest=contest, base=base, top=top)
    rows = [r.to_dict() for r in rep.shares]
    if write_rows(choice.output, rows, rep.to_dict()):
        return
    from rich.console import Group
    from rich.text import Text

    from . import render
    from .console import out_console

    out_console().print(
        Group(
            render.header(rep),
            Text(""),
            render.outcome_text(rep),
            render.summary_table(rep),
            render.shares_table(rep),
            render.turnout_tables(rep),
            Text(""),
            render.diaspora_table(rep),
        )
    )


def show_contests(election, output: OutputFormat) -> None:
    from elect.core.report import contest_rows

    tell_notes(election.notes)
    rows = contest_rows(election)
    dicts = [r.to_dict() for r in rows]
    if output is OutputFormat.json:
        from .common import write_json

        write_json(dicts)
        return
    if write_rows(output, [_flat(d) for d in dicts], dicts):
        return
    from . import render
    from .console import notice, out_console

    out_console().print(render.contests_table(rows))
    notice(f"{len(rows)} contests; pick one with --contest NAME", "dim")


def _flat(d: dict) -> dict:
    return {k: v for k, v in d.items() if not isinstance(v, dict)}


def register(app: typer.Typer) -> None:
    app.command("report")(report)

"""elect shares: each option's votes and share."""

from __future__ import annotations

import typer

from .common import report_for, resolve_format, write_rows
from .console import use_output
from .options import (
    BaseOpt,
    ByOpt,
    ContestOpt,
    EncodingOpt,
    FileArg,
    FormatOpt,
    InputFormatOpt,
    JsonFlag,
    MapOpt,
    OutputOpt,
    PresetOpt,
    RuleOpt,
)


def shares(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    contest: ContestOpt = None,
    base: BaseOpt = None,
    by: ByOpt = None,
    map_file: MapOpt = None,
    preset: PresetOpt = None,
    rule: RuleOpt = None,
) -> None:
    """Votes and shares per option, the winner and the majority rule.

    Examples: elect shares · elect shares results.csv --base cast --json
    """

    use_output(output, [file, map_file])
    choice = resolve_format(fmt, json_flag, input_format)
    rep = report_for(
        file,
        input_format=choice.input_format,
        encoding=encoding,
        contest=contest,
        base=base,
        map_file=map_file,
        preset=preset,
        rule=rule,
    )
    if by is not None:
        show_vote_types(rep, by, choice.output)
        return
    doc = rep.section("shares")
    if write_rows(choice.output, doc["shares"], doc):
        return
    from rich.console import Group

    from . import render
    from .console import out_console

    out_console().print(Group(render.outcome_text(rep), render.shares_table(rep)))


def show_vote_types(rep, by: str, output) -> None:
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
    if write_rows(output, flat, doc):
        return
    from . import render
    from .console import out_console

    out_console().print(render.vote_type_table(rep.contest, split))


def register(app: typer.Typer) -> None:
    app.command("shares")(shares)

"""elect turnout: where turnout was highest and lowest."""

from __future__ import annotations

import typer

from .common import report_for, resolve_format, write_rows
from .console import use_output
from .options import (
    ContestOpt,
    EncodingOpt,
    FileArg,
    FormatOpt,
    InputFormatOpt,
    JsonFlag,
    MapOpt,
    OutputOpt,
    PresetOpt,
    TopOpt,
)


def turnout(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    contest: ContestOpt = None,
    top: TopOpt = 3,
    map_file: MapOpt = None,
    preset: PresetOpt = None,
) -> None:
    """The regions with the highest and lowest turnout; units abroad are shown apart.

    Examples: elect turnout --top 5 · elect turnout stations.csv --json
    """

    use_output(output, [file, map_file])
    choice = resolve_format(fmt, json_flag, input_format)
    rep = report_for(
        file,
        input_format=choice.input_format,
        encoding=encoding,
        contest=contest,
        top=top,
        map_file=map_file,
        preset=preset,
    )
    doc = rep.section("turnout")
    te = doc["turnout"]
    rows = [{"end": "highest", **r} for r in te["highest"]] + [
        {"end": "lowest", **r} for r in te["lowest"]
    ]
    if write_rows(choice.output, rows, doc):
        return
    from . import render
    from .console import out_console

    out_console().print(render.turnout_tables(rep, abroad=True))


def register(app: typer.Typer) -> None:
    app.command("turnout")(turnout)

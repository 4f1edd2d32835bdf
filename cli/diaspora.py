"""elect diaspora: how voters abroad voted."""

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
)


def diaspora(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    contest: ContestOpt = None,
    map_file: MapOpt = None,
    preset: PresetOpt = None,
) -> None:
    """Stations, missions and countries abroad, their turnout, and each option abroad vs at home.

    Examples: elect diaspora · elect diaspora stations.csv --json
    """

    use_output(output, [file, map_file])
    choice = resolve_format(fmt, json_flag, input_format)
    rep = report_for(
        file,
        input_format=choice.input_format,
        encoding=encoding,
        contest=contest,
        map_file=map_file,
        preset=preset,
    )
    doc = rep.section("diaspora")
    d = doc["diaspora"]
    rows = d["options"] or [{k: v for k, v in d.items() if k not in ("options", "units")}]
    if write_rows(choice.output, rows, doc):
        return
    from . import render
    from .console import out_console

    out_console().print(render.diaspora_table(rep))


def register(app: typer.Typer) -> None:
    app.command("diaspora")(diaspora)

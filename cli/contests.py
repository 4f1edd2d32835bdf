"""elect contests: the contests a file holds."""

from __future__ import annotations

import typer

from .common import load_input, resolve_format
from .console import use_output
from .options import (
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


def contests(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    map_file: MapOpt = None,
    preset: PresetOpt = None,
    rule: RuleOpt = None,
) -> None:
    """List the contests in a file: units, options, total votes and the leading option.

    Example: elect contests 20241105__ga__general__precinct.csv --json
    """
    from .report import show_contests

    use_output(output, [file])
    choice = resolve_format(fmt, json_flag, input_format)
    election = load_input(
        file,
        input_format=choice.input_format,
        encoding=encoding,
        map_file=map_file,
        preset=preset,
        rule=rule,
    )
    show_contests(election, choice.output)


def register(app: typer.Typer) -> None:
    app.command("contests")(contests)

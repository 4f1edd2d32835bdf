"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"  # elect results only (a workbook, needs elect[excel])


# What a command writes unless it says otherwise (cli/command.py).
TEXT_FORMATS = ("table", "json", "ndjson", "csv", "markdown")


INPUT_LAYOUTS = ("auto", "json", "jsonl", "wide", "long", "nist-xml", "nist-json", "clarity")

FileArg = Annotated[
    str | None,
    typer.Argument(
        help="Result file: CSV (wide or long), elect's JSON, NIST SP 1500-100 (XML or JSON) or "
        "Clarity detail.xml, optionally .gz/.bz2/.xz/.zip; "
        "- reads stdin. Default: the bundled 2022 Kazakhstan presidential election.",
        show_default=False,
    ),
]
JsonFlag = Annotated[
    bool,
    typer.Option(
        "--json", help="Shortcut for --format json.", show_default=False, rich_help_panel="Output"
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the result to FILE instead of stdout, atomically (a temporary file "
        "renamed into place); never over an input file. Example: -o report.json",
        show_default=False,
        rich_help_panel="Output",
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="Output: table, json, ndjson, csv or markdown (env ELECT_FORMAT). "
        "Also accepts an input layout to force it: wide or long.",
        envvar="ELECT_FORMAT",
        show_default=False,
        rich_help_panel="Output",
    ),
]
InputFormatOpt = Annotated[
    str,
    typer.Option(
        "--input-format",
        "-I",
        help="Force the input layout: auto, json, jsonl, wide, long, nist-xml, nist-json "
        "or clarity. Example: -I long",
        rich_help_panel="Input",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of the input (detected by default). Example: --encoding cp1251",
        show_default=False,
        rich_help_panel="Input",
    ),
]
ContestOpt = Annotated[
    str | None,
    typer.Option(
        "--contest",
        "-c",
        help="Pick one contest of a file that holds several (office or district; a unique "
        "prefix is enough). Example: --contest governor",
        show_default=False,
        rich_help_panel="Contest",
    ),
]
TopOpt = Annotated[
    int,
    typer.Option(
        "--top", "-n", min=1, help="How many regions to show at each end. Example: --top 5"
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        help="Split each option's votes: vote-type (election day, absentee, mail…). "
        "Example: --by vote-type",
        show_default=False,
    ),
]
BaseOpt = Annotated[
    str | None,
    typer.Option(
        "--base",
        help="Denominator of the shares: valid (valid votes, incl. 'against all'; the "
        "default), cast, registered, or counted (valid + invalid; the ru-cec preset's "
        "default). Example: --base cast",
        show_default=False,
        rich_help_panel="Contest",
    ),
]
MapOpt = Annotated[
    str | None,
    typer.Option(
        "--map",
        help="TOML file saying which column is what (identifiers, counts, options, rows to "
        "drop, abroad); elect inspect FILE suggests one. Example: --map cec.toml",
        show_default=False,
        rich_help_panel="Input",
    ),
]
PresetOpt = Annotated[
    str | None,
    typer.Option(
        "--preset",
        help="A mapping shipped with elect: ru-cec (Russian CEC station protocol), "
        "ru-cec-duma, openelections (long), openelections-wide, medsl. A file carrying one's "
        "header signature gets it without asking; none turns that off. Example: --preset ru-cec",
        show_default=False,
        rich_help_panel="Input",
    ),
]
RuleOpt = Annotated[
    str | None,
    typer.Option(
        "--rule",
        help="How the contest is decided, overriding the file, preset or mapping: "
        "plurality, absolute (more than 50%, else a runoff of the top two), or "
        "threshold=P[,runoff=K]. Without it, and with no rule in the file, the leader is "
        "named and no winner announced. Example: --rule plurality",
        show_default=False,
        rich_help_panel="Contest",
    ),
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        help="The sheet of a spreadsheet to read (.xlsx, .xls, .ods; needs elect[excel]): a "
        "name or a number from 1; default the first sheet with a table. Example: --sheet 2",
        show_default=False,
        rich_help_panel="Input",
    ),
]
ChoroplethOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--choropleth",
        help="Also draw a map of the units as PNG or SVG (needs elect[plots] and --geo). "
        "Example: --choropleth turnout.png --colour-by turnout",
        show_default=False,
    ),
]
GeoOpt = Annotated[
    str | None,
    typer.Option(
        "--geo",
        help="GeoJSON boundaries (Polygon/MultiPolygon features) for --choropleth. "
        "Example: --geo regions.geojson",
        show_default=False,
    ),
]
GeoKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--geo-key",
        help="The feature property that names the unit (default: the property matching "
        "most unit names or ids, names compared as elect compares them). Example: --geo-key NAME_1",
        show_default=False,
    ),
]
ColourByOpt = Annotated[
    str,
    typer.Option(
        "--colour-by",
        "--color-by",
        help="What the map shows: winner (a colour per leader, shaded by the lead share; "
        "turnout when the file has no votes by unit), turnout, or share:OPTION. "
        "Example: --colour-by share:tokayev",
    ),
]
GreyscaleOpt = Annotated[
    bool,
    typer.Option(
        "--greyscale",
        "--grayscale",
        help="Draw the map in grey levels with a hatch per leader (prints in black and white).",
    ),
]

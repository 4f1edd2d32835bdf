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


INPUT_LAYOUTS = ("auto", "json", "wide", "long")

FileArg = Annotated[
    str | None,
    typer.Argument(
        help="Result file: CSV (wide or long) or elect's JSON, optionally .gz/.bz2/.xz/.zip; "
        "- reads stdin. Default: the bundled 2022 Kazakhstan presidential election.",
        show_default=False,
    ),
]
JsonFlag = Annotated[
    bool, typer.Option("--json", help="Shortcut for --format json.", show_default=False)
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
    ),
]
InputFormatOpt = Annotated[
    str,
    typer.Option(
        "--input-format",
        "-I",
        help="Force the input layout: auto, json, wide or long. Example: -I long",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of the input (detected by default). Example: --encoding cp1251",
        show_default=False,
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
    ),
]
TopOpt = Annotated[
    int,
    typer.Option(
        "--top", "-n", min=1, help="How many regions to show at each end. Example: --top 5"
    ),
]
BaseOpt = Annotated[
    str,
    typer.Option(
        "--base",
        help="Denominator of the shares: valid (valid votes, incl. 'against all'), cast or "
        "registered. Example: --base cast",
    ),
]

"""elect results: the result of every region, district or station, as a table, data or a map."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .command import Inputs, command
from .common import UsageError, tell_notes
from .context import Run
from .options import (
    TEXT_FORMATS,
    ChoroplethOpt,
    ColourByOpt,
    FileArg,
    GeoKeyOpt,
    GeoOpt,
    GreyscaleOpt,
    OutputFormat,
)

# The terminal shows this many rows at each end of a long list (unless --all or --top).
PREVIEW = 15

LevelOpt = Annotated[
    str,
    typer.Option(
        "--by",
        help="The level to list: region, district or station (what the file has). "
        "Example: --by district",
    ),
]
SortOpt = Annotated[
    str | None,
    typer.Option(
        "--sort",
        help="Order by turnout, margin, margin_votes, leader_share, share:OPTION, "
        "votes:OPTION, registered, ballots_cast, valid or name (numbers highest first). "
        "Example: --sort share:tokayev",
        show_default=False,
    ),
]
ReverseOpt = Annotated[
    bool, typer.Option("--reverse", help="Reverse the order of --sort (lowest first).")
]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        "-w",
        help="Keep the units for which FIELD OP VALUE holds; repeat to combine (all must hold). "
        "Fields as in --sort, plus leader, region, abroad; ops > >= < <= = != ~ (contains). "
        'Example: --where "turnout>90" --where "leader=putin"',
        show_default=False,
    ),
]
RowsOpt = Annotated[
    int | None,
    typer.Option(
        "--top",
        "-n",
        min=1,
        help="Keep only the first N units after sorting and filtering. Example: --sort margin --top 10",
        show_default=False,
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help=f"Draw every row in the terminal (a long list shows the first and last {PREVIEW}).",
    ),
]


@command(contest=True, shares=True, formats=(*TEXT_FORMATS, "xlsx"))
def results(
    run: Run,
    inputs: Inputs,
    file: FileArg = None,
    by: LevelOpt = "region",
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    where: WhereOpt = None,
    top: RowsOpt = None,
    show_all: AllOpt = False,
    choropleth: ChoroplethOpt = None,
    geo: GeoOpt = None,
    geo_key: GeoKeyOpt = None,
    colour_by: ColourByOpt = "winner",
    greyscale: GreyscaleOpt = False,
) -> None:
    """Every region, district or station: votes, shares, leader, margin and turnout.

    One row per unit at the --by level, with votes and shares per option, the leader, the
    runner-up and the margin, registered, ballots cast, turnout and whether it is abroad.
    Long lists stream in the machine formats; the terminal shows the first and last rows.
    -f xlsx (or -o FILE.xlsx) writes a workbook (needs elect[excel]).

    Examples: elect results · elect results stations.csv --by district --sort margin ·
    elect results 2018.csv.zip --preset ru-cec --by station --where "turnout>95" -f csv
    """
    xlsx = run.output_format is OutputFormat.xlsx
    if xlsx and not run.output_path:
        raise UsageError("-f xlsx writes a workbook", hint="name it: -o results.xlsx")
    election = inputs.load(run, file)
    from elect.core.report import select_contest
    from elect.core.results import unit_results
    from elect.core.results_query import filter_results, sort_results, top_rows

    chosen = select_contest(election, inputs.contest)
    tell_notes(run, election.notes)
    res = unit_results(chosen, by, base=inputs.base)
    res = top_rows(sort_results(filter_results(res, where or []), sort, reverse=reverse), top)
    for target in choropleth or []:
        from .maps import draw_map

        draw_map(
            run,
            res,
            election,
            target,
            geo=geo,
            geo_key=geo_key,
            colour_by=colour_by,
            greyscale=greyscale,
            bundled=file is None,
        )
    if xlsx:
        from .workbook import write_results_workbook

        write_results_workbook(res, election, Path(str(run.output_path)), inputs=run.inputs)
        return
    if _write_machine(run, res, election):
        return
    from .results_render import results_view

    console = run.out_console()
    console.print(
        results_view(res, election, show_all=show_all or top is not None, console=console)
    )


def _write_machine(run: Run, res, election) -> bool:
    """JSON, NDJSON, CSV or markdown, written row by row as they are made."""
    from .common import _csv_safe, _md_cell
    from .names import json_text

    def dumps(doc, **kw) -> str:  # names keep their text; controls escaped (one rule)
        return json_text(json.dumps(doc, ensure_ascii=False, **kw))

    out = run.stdout()
    output = run.output_format
    if output is OutputFormat.json:
        from elect.core.report import contest_dict
        from elect.core.schema import SCHEMA_VERSION

        head = {
            "schema_version": SCHEMA_VERSION,
            "kind": "results",
            "election": election.meta_dict(),
            "contest": contest_dict(res.contest),
            **res.header(),
        }
        text = dumps(head, indent=2)
        out.write(text[:-2] + ',\n  "rows": [')
        for i, row in enumerate(res.rows()):
            out.write(("," if i else "") + "\n    " + dumps(row))
        out.write("\n  ]\n}\n" if len(res) else "]\n}\n")
    elif output is OutputFormat.ndjson:
        for row in res.rows():
            out.write(dumps(row) + "\n")
    elif output is OutputFormat.csv:
        import csv

        cols = res.flat_columns()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([_csv_safe(c) for c in cols])
        for row in res.flat_rows():
            writer.writerow([_csv_safe(row[c]) for c in cols])
    elif output is OutputFormat.markdown:
        cols = res.flat_columns()
        out.write("| " + " | ".join(map(_md_cell, cols)) + " |\n")
        out.write("|" + "|".join("---" for _ in cols) + "|\n")
        for row in res.flat_rows():
            cells = ["" if row[c] is None else _md_cell(row[c]) for c in cols]
            out.write("| " + " | ".join(cells) + " |\n")
    else:
        return False
    out.flush()
    return True


def register(app: typer.Typer) -> None:
    app.command("results")(results)

"""elect report: the whole picture of one election."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .command import Inputs, command
from .common import report_from, tell_notes, write_rows
from .context import Run
from .options import (
    ByOpt,
    ChoroplethOpt,
    ColourByOpt,
    FileArg,
    GeoKeyOpt,
    GeoOpt,
    GreyscaleOpt,
    TopOpt,
)


@command(contest=True, shares=True, decides=True)
def report(
    run: Run,
    inputs: Inputs,
    file: FileArg = None,
    top: TopOpt = 3,
    by: ByOpt = None,
    watch_file: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Election night: re-render whenever FILE changes, with what moved since "
            "the last version; Ctrl-C ends. Example: elect report results.csv --watch",
        ),
    ] = False,
    interval: Annotated[
        float, typer.Option(help="Seconds between checks of the file with --watch.", min=0.05)
    ] = 1.0,
    export: Annotated[
        str | None,
        typer.Option(
            help="Also write the report as it looks in the terminal to an .html, .svg or "
            ".txt file. Example: --export report.svg",
            show_default=False,
        ),
    ] = None,
    plot: Annotated[
        list[str] | None,
        typer.Option(
            help="Also draw a chart as an image (.png, .svg or .pdf; needs elect[plots]); "
            "--chart says which. Example: --plot shares.png",
            show_default=False,
        ),
    ] = None,
    chart: Annotated[
        list[str] | None,
        typer.Option(
            help="The chart each --plot draws, in order: shares (the default for one "
            "--plot) or turnout. Example: --plot t.png --chart turnout",
            show_default=False,
        ),
    ] = None,
    choropleth: ChoroplethOpt = None,
    geo: GeoOpt = None,
    geo_key: GeoKeyOpt = None,
    colour_by: ColourByOpt = "winner",
    greyscale: GreyscaleOpt = False,
) -> None:
    """Who won and with what share, the majority rule, turnout extremes and the diaspora.

    With no FILE, reports the bundled 2022 Kazakhstan presidential election.
    A file with several contests and no --contest gets one line per contest.

    Examples: elect report · elect report results.csv --json · elect report oe.csv -c governor
    · elect report 2018.csv.zip --preset ru-cec
    """
    plots = _plan_plots(run, plot or [], chart or [])
    if export:
        _check_export(run, export)
    if watch_file:
        _watch(run, inputs, file, top=top, interval=interval)
    election = inputs.load(run, file)
    if inputs.contest is None and len(election.contests) > 1:
        show_contests(run, election)
        return
    rep = report_from(run, election, contest=inputs.contest, base=inputs.base, top=top)
    if by is not None:
        from .shares import show_vote_types

        show_vote_types(run, rep, by)
        return
    for target, kind in plots:
        _plot(run, rep, target, kind)
    if choropleth:
        _maps(run, rep, choropleth, geo, geo_key, colour_by, greyscale, file is None)
    if export:
        _export(run, rep, export)
    rows = [r.to_dict() for r in rep.shares]
    if write_rows(run, rows, rep.to_dict()):
        return
    from . import render

    run.out_console().print(render.full_report(rep))


CHARTS = ("shares", "turnout")


def _plan_plots(run: Run, targets: list[str], kinds: list[str]) -> list[tuple[str, str]]:
    """Pair each --plot file with its --chart kind; check the names before any work."""
    from .common import UsageError
    from .output import add_output
    from .plots import check_image_name

    for kind in kinds:
        if kind not in CHARTS:
            raise UsageError(f"--chart {kind!r}: unknown chart", hint="use shares or turnout")
    if not kinds:
        if len(targets) > 1:
            raise UsageError(
                "several --plot files: say which chart each draws",
                hint="add one --chart per --plot, e.g. --plot a.png --chart shares "
                "--plot b.png --chart turnout",
            )
        kinds = ["shares"] * len(targets)
    if len(kinds) != len(targets):
        raise UsageError(
            f"{len(targets)} --plot file(s) but {len(kinds)} --chart kind(s)",
            hint="give one --chart per --plot, in the same order",
        )
    for target in targets:
        check_image_name(target)
        add_output(run, target, "--plot")
    return list(zip(targets, kinds, strict=True))


def _plot(run: Run, rep, target: str, kind: str) -> None:
    from . import plots

    if kind == "turnout":
        plots.turnout_png(run, rep, target)
    else:
        plots.shares_png(run, rep, target)


EXPORT_SUFFIXES = (".html", ".htm", ".svg", ".txt")


def _check_export(run: Run, target: str) -> None:
    from pathlib import Path

    from .common import UsageError
    from .output import add_output

    if Path(target).suffix.lower() not in EXPORT_SUFFIXES:
        raise UsageError(
            f"--export {target!r}: unknown kind", hint="use a .html, .svg or .txt file name"
        )
    add_output(run, target, "--export")


def _maps(run: Run, rep, targets, geo, geo_key, colour_by, greyscale, bundled) -> None:
    """The regional view as choropleth maps (see elect results --choropleth)."""
    from elect.core.results import unit_results

    from .maps import draw_map

    regions = unit_results(rep.contest, "region", base=rep.base)
    for target in targets:
        draw_map(run, regions, rep.election, target, geo=geo, geo_key=geo_key,
                 colour_by=colour_by, greyscale=greyscale, bundled=bundled)  # fmt: skip


def _export(run: Run, rep, target: str) -> None:
    """The report as it looks in the terminal, as HTML or SVG (Rich's export).

    Names from the file are built for export: control characters dropped, markup literal.
    """
    from pathlib import Path

    from rich.console import Console

    from . import render
    from .names import dropped, for_export
    from .output import write_bytes

    suffix = Path(target).suffix.lower()
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=100, file=sink, color_system="truecolor", emoji=False)
        with for_export():
            console.print(render.full_report(rep))
    if suffix == ".svg":
        data = console.export_svg(title=dropped(rep.election.name))
    elif suffix == ".txt":
        data = console.export_text()
    else:
        data = console.export_html(inline_styles=True)
    write_bytes(run, target, data.encode("utf-8"), "--export")


def _watch(run: Run, inputs: Inputs, path, *, top, interval):
    from .common import UsageError
    from .render import full_report
    from .watch import watch

    if path in (None, "-"):
        raise UsageError("--watch needs a file", hint="elect report --watch results.csv")

    def build(p):
        # Every version is read whole: a contest picked with --contest is chosen after.
        election = inputs.load(run, p, contest=False)
        return report_from(run, election, contest=inputs.contest, base=inputs.base, top=top)

    code = watch(run, path, build=build, render=full_report, interval=interval)
    raise typer.Exit(code)


def show_contests(run: Run, election) -> None:
    from elect.core.report import contest_rows, contests_document

    tell_notes(run, election.notes)
    rows = contest_rows(election)
    doc = contests_document(election, rows)
    if write_rows(run, [_flat(d) for d in doc["contests"]], doc):
        return
    from . import render

    run.out_console().print(render.contests_table(rows))
    if len(rows) == 1:  # nothing to pick: the report shows it
        run.notice("1 contest", "dim")
    else:
        run.notice(f"{len(rows)} contests; pick one with --contest NAME", "dim")


def _flat(d: dict) -> dict:
    return {k: v for k, v in d.items() if not isinstance(v, dict)}


def register(app: typer.Typer) -> None:
    app.command("report")(report)

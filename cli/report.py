"""elect report: the whole picture of one election."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .common import load_input, report_from, resolve_format, tell_notes, write_rows
from .console import use_output
from .options import (
    BaseOpt,
    ByOpt,
    ChoroplethOpt,
    ColourByOpt,
    ContestOpt,
    EncodingOpt,
    FileArg,
    FormatOpt,
    GeoKeyOpt,
    GeoOpt,
    GreyscaleOpt,
    InputFormatOpt,
    JsonFlag,
    MapOpt,
    OutputFormat,
    OutputOpt,
    PresetOpt,
    RuleOpt,
    TopOpt,
)


def report(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    contest: ContestOpt = None,
    top: TopOpt = 3,
    base: BaseOpt = None,
    by: ByOpt = None,
    map_file: MapOpt = None,
    preset: PresetOpt = None,
    rule: RuleOpt = None,
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
            help="Also draw a chart as PNG: shares*.png or turnout*.png (needs elect[plots]). "
            "Example: --plot shares.png --plot turnout.png",
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
    use_output(output, [file])
    choice = resolve_format(fmt, json_flag, input_format)
    if watch_file:
        _watch(
            file,
            input_format=choice.input_format,
            encoding=encoding,
            map_file=map_file,
            preset=preset,
            rule=rule,
            contest=contest,
            base=base,
            top=top,
            interval=interval,
        )
    election = load_input(
        file,
        input_format=choice.input_format,
        encoding=encoding,
        map_file=map_file,
        preset=preset,
        rule=rule,
    )
    if contest is None and len(election.contests) > 1:
        show_contests(election, choice.output)
        return
    rep = report_from(election, contest=contest, base=base, top=top)
    if by is not None:
        from .shares import show_vote_types

        show_vote_types(rep, by, choice.output)
        return
    for target in plot or []:
        _plot(rep, target)
    if choropleth:
        _maps(rep, choropleth, geo, geo_key, colour_by, greyscale, file is None)
    if export:
        _export(rep, export)
    rows = [r.to_dict() for r in rep.shares]
    if write_rows(choice.output, rows, rep.to_dict()):
        return
    from . import render
    from .console import out_console

    out_console().print(render.full_report(rep))


def _plot(rep, target: str) -> None:
    from pathlib import Path

    from . import plots
    from .common import UsageError

    name = Path(target).name.lower()
    if name.startswith("shares") or name.startswith("share"):
        plots.shares_png(rep, target)
    elif name.startswith("turnout"):
        plots.turnout_png(rep, target)
    else:
        raise UsageError(
            f"--plot {target!r}: which chart?",
            hint="name the file shares*.png or turnout*.png (e.g. --plot shares.png)",
        )


def _maps(rep, targets, geo, geo_key, colour_by, greyscale, bundled) -> None:
    """The regional view as choropleth maps (see elect results --choropleth)."""
    from elect.core.results import unit_results

    from .maps import draw_map

    regions = unit_results(rep.contest, "region", base=rep.base)
    for target in targets:
        draw_map(regions, rep.election, target, geo=geo, geo_key=geo_key,
                 colour_by=colour_by, greyscale=greyscale, bundled=bundled)  # fmt: skip


def _export(rep, target: str) -> None:
    """The report as it looks in the terminal, as HTML or SVG (Rich's export)."""
    from pathlib import Path

    from rich.console import Console

    from . import render
    from .common import UsageError
    from .output import atomic_write_bytes, check_not_input

    suffix = Path(target).suffix.lower()
    if suffix not in (".html", ".htm", ".svg", ".txt"):
        raise UsageError(
            f"--export {target!r}: unknown kind", hint="use a .html, .svg or .txt file name"
        )
    check_not_input(Path(target), [rep.election.file])
    console = Console(record=True, width=100, file=open(os.devnull, "w"), color_system="truecolor")
    console.print(render.full_report(rep))
    if suffix == ".svg":
        data = console.export_svg(title=rep.election.name)
    elif suffix == ".txt":
        data = console.export_text()
    else:
        data = console.export_html(inline_styles=True)
    atomic_write_bytes(Path(target), data.encode("utf-8"))


def _watch(path, *, input_format, encoding, map_file, preset, rule, contest, base, top, interval):
    from .common import UsageError
    from .render import full_report
    from .watch import watch

    if path in (None, "-"):
        raise UsageError("--watch needs a file", hint="elect report --watch results.csv")

    def build(p):
        election = load_input(
            p,
            input_format=input_format,
            encoding=encoding,
            map_file=map_file,
            preset=preset,
            rule=rule,
        )
        return report_from(election, contest=contest, base=base, top=top)

    code = watch(path, build=build, render=full_report, interval=interval)
    raise typer.Exit(code)


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

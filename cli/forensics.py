"""elect forensics: integrity statistics on station-level results."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import UsageError, load_input, resolve_format, tell_notes, write_rows
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

SHADES = " ░▒▓█"


def forensics(
    file: FileArg = None,
    json_flag: JsonFlag = False,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    input_format: InputFormatOpt = "auto",
    encoding: EncodingOpt = None,
    contest: ContestOpt = None,
    map_file: MapOpt = None,
    preset: PresetOpt = None,
    leader: Annotated[
        str | None,
        typer.Option(
            help="The option to test (default: the one with most votes). Example: --leader Putin",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Also compute the statistics per region and rank them: --by region",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of the Monte-Carlo simulation. Example: --seed 7")
    ] = 42,
    replicates: Annotated[
        int, typer.Option(min=10, help="Monte-Carlo replicates. Example: --replicates 5000")
    ] = 1000,
    bin_width: Annotated[
        float,
        typer.Option(
            help="Bin width in percentage points (histograms, Shpilkin). Example: --bin-width 0.5"
        ),
    ] = 1.0,
    turnout_definition: Annotated[
        str,
        typer.Option(help="Shpilkin turnout: issued (ballots issued) or cast (valid + invalid)."),
    ] = "issued",
    clean_zone: Annotated[
        str,
        typer.Option(
            help="Shpilkin clean zone: peak (up to the turnout mode) or fixed (--clean-cutoff)."
        ),
    ] = "peak",
    clean_cutoff: Annotated[
        float | None,
        typer.Option(
            help="Turnout (pp) bounding a fixed clean zone. Example: --clean-cutoff 60",
            show_default=False,
        ),
    ] = None,
    plot: Annotated[
        str | None,
        typer.Option(
            help="Write the turnout × leader-share fingerprint as a PNG (needs elect[plots]). "
            "Example: --plot fingerprint.png",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Integrity statistics on station-level data: distributions, the turnout × share
    fingerprint, integer percentages, the Shpilkin estimate and digit tests.

    Each is a signal worth a closer look, not proof of fraud.

    Example: elect forensics 2018.csv.zip --preset ru-cec --by region
    """
    from elect.core.integrity import ForensicsParams, forensics_report
    from elect.core.report import select_contest

    if by is not None and by != "region":
        raise UsageError(f"cannot split by {by!r}", hint="use --by region")
    use_output(output, [file, map_file])
    choice = resolve_format(fmt, json_flag, input_format)
    if plot is not None:
        from .output import add_output
        from .plots import check_image_name

        check_image_name(plot)
        add_output(plot, "--plot")
    election = load_input(
        file, input_format=choice.input_format, encoding=encoding, map_file=map_file, preset=preset
    )
    tell_notes(election.notes)
    chosen = select_contest(election, contest)
    params = ForensicsParams(
        leader=leader,
        seed=seed,
        replicates=replicates,
        bin_width=bin_width,
        turnout_definition=turnout_definition,
        clean_zone=clean_zone,
        clean_cutoff=clean_cutoff,
        by_region=by == "region",
    )
    rep = forensics_report(election, chosen, params)
    if plot:
        from .plots import fingerprint_png

        fingerprint_png(rep, plot)
    doc = rep.to_dict()
    if write_rows(choice.output, summary_rows(doc), doc):
        return
    from .console import out_console

    out_console().print(render(rep, doc))


def summary_rows(doc: dict) -> list[dict]:
    ip, sh, dg = doc["integer_percentages"], doc["shpilkin"], doc["digits"]
    return (
        [
            {
                "statistic": f"integer_percent_{k}",
                "observed": ip[k]["observed"],
                "expected": ip[k]["expected_mean"],
                "excess": ip[k]["excess"],
                "z": ip[k]["z"],
                "p_value": ip[k]["p_value_mc"],
            }
            for k in ("turnout", "leader", "either")
        ]
        + [
            {
                "statistic": "shpilkin_anomalous_votes",
                "observed": sh["anomalous_votes"],
                "expected": None,
                "excess": sh["share_of_leader_votes"],
                "z": None,
                "p_value": None,
            },
        ]
        + [
            {
                "statistic": name,
                "observed": dg[name]["chi2"] if "chi2" in dg[name] else dg[name]["share"],
                "expected": dg[name].get("df") or dg[name].get("expected_share"),
                "excess": None,
                "z": dg[name].get("z"),
                "p_value": dg[name]["p_value"],
            }
            for name in ("second_digit", "last_digit", "zero_five")
        ]
    )


def _histogram(title: str, hist: dict, step: int = 5):
    """A terminal histogram, aggregated to ``step``-point bins."""
    from rich.table import Table
    from rich.text import Text

    counts, edges = hist["counts"], hist["edges"]
    width = hist["bin_width"]
    per = max(1, int(round(step / width)))
    groups = [(edges[i], sum(counts[i : i + per])) for i in range(0, len(counts), per)]
    top = max((c for _, c in groups), default=0) or 1
    t = Table(title=title, title_justify="left", box=None, show_header=False, pad_edge=False)
    t.add_column(justify="right", no_wrap=True)
    t.add_column(no_wrap=True)
    for lo, c in groups:
        centre = lo + width / 2  # bins are centred on whole percents
        t.add_row(f"{centre:5.0f}%", Text("█" * int(round(40 * c / top)), style="cyan"))
    return t


def _heatmap(fp: dict, rows: int = 20, cols: int = 50):
    """The fingerprint as shaded characters: turnout across, leader share up."""
    import numpy as np
    from rich.text import Text

    counts = np.asarray(fp["counts"], dtype=float)
    nt, ns = counts.shape
    ti = np.minimum((np.arange(nt) * cols) // nt, cols - 1)
    si = np.minimum((np.arange(ns) * rows) // ns, rows - 1)
    grid = np.zeros((rows, cols))
    np.add.at(grid, (si[None, :].repeat(nt, 0), ti[:, None].repeat(ns, 1)), counts)
    scaled = np.log1p(grid) / (np.log1p(grid.max()) or 1)
    text = Text(
        "Fingerprint: leader share (up, 0-100%) by turnout (across, 0-100%), log scale\n",
        style="bold",
    )
    for r in range(rows - 1, -1, -1):
        line = "".join(SHADES[min(4, int(np.ceil(v * 4)))] for v in scaled[r])
        text.append(f"{(r + 1) * 100 // rows:4d}% |{line}|\n")
    return text


def _x100(value):
    return None if value is None else 100 * value


def _f(value, spec: str) -> str:
    """A statistic, or a dash where degenerate data leaves none (a z with no spread)."""
    if value is None:
        return "—"
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return str(value)


def render(rep, doc):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .names import cell, shown

    ip, sh, dg = doc["integer_percentages"], doc["shpilkin"], doc["digits"]
    head = Text(
        f"{shown(rep.election.name)} · {shown(rep.contest.name)} · "
        f"leader: {shown(rep.leader_name)} · "
        f"{rep.stations:,} stations ({rep.abroad_excluded:,} abroad left out)",
        style="bold",
    )
    caveat = Text(
        "Each statistic below is a signal worth a closer look, not proof of fraud.", style="italic"
    )
    t = Table(
        title="Integer percentages (Kobak, Shpilkin & Pshenichnikov 2016)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for col in ("Stations on a whole percent", "Observed", "Expected", "Excess", "z"):
        t.add_column(col, justify="right" if col != "Stations on a whole percent" else "left")
    for k, label in (("turnout", "turnout"), ("leader", "leader share"), ("either", "either")):
        c = ip[k]
        t.add_row(
            label,
            _f(c["observed"], ","),
            f"{_f(c['expected_mean'], ',.1f')} ± {_f(c['expected_sd'], '.1f')}",
            _f(c["excess"], "+,.1f"),
            _f(c["z"], ".1f"),
        )
    t.caption = (
        f"{ip['n_replicates']:,} replicates, seed {ip['seed']}, tolerance ±{ip['tolerance_pp']} pp, "
        f"stations with ≥{ip['min_registered']} voters. Measures: a surplus of round "
        "percentages, as when figures are written in rather than counted."
    )
    s = Table(
        title="Shpilkin estimate", title_justify="left", box=box.SIMPLE_HEAD, show_header=False
    )
    s.add_column()
    s.add_column(justify="right")
    s.add_row(
        "Leader's votes beyond the clean-zone prediction", f"{_f(sh['anomalous_votes'], ',.0f')}"
    )
    s.add_row(
        "… as a share of the leader's votes", f"{_f(_x100(sh['share_of_leader_votes']), '.1f')}%"
    )
    s.add_row(
        "Leader share: official → clean zone",
        f"{_f(_x100(sh['official_leader_share']), '.2f')}% → {_f(_x100(sh['clean_leader_share']), '.2f')}%",
    )
    s.add_row(
        "Variant",
        f"turnout={sh['turnout_definition']}, bins {sh['bin_width_pp']} pp, "
        f"clean zone {sh['clean_zone']} ≤ {_f(sh['clean_cutoff_pp'], '.1f')}%",
    )
    d = Table(
        title="Digit tests on the leader's station counts",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for col in ("Test", "Statistic", "df", "p-value", "Counts"):
        d.add_column(col, justify="left" if col == "Test" else "right")
    d.add_row(
        "Second digit (Mebane 2BL)",
        f"χ² {_f(dg['second_digit']['chi2'], '.1f')}",
        str(dg["second_digit"]["df"]),
        f"{_f(dg['second_digit']['p_value'], '.3g')}",
        f"{_f(dg['second_digit']['n_counts'], ',')}",
    )
    d.add_row(
        "Last digit uniform (Beber & Scacco)",
        f"χ² {_f(dg['last_digit']['chi2'], '.1f')}",
        str(dg["last_digit"]["df"]),
        f"{_f(dg['last_digit']['p_value'], '.3g')}",
        f"{_f(dg['last_digit']['n_counts'], ',')}",
    )
    zf = dg["zero_five"]
    d.add_row(
        "Ending in 0 or 5 (expect 20%)",
        f"{_f(_x100(zf['share']), '.1f')}%, z {_f(zf['z'], '.1f')}",
        "",
        f"{_f(zf['p_value'], '.3g')}",
        f"{_f(zf['n_counts'], ',')}",
    )
    d.caption = "With tens of thousands of counts, tiny deviations become 'significant'."
    parts = [
        head,
        caveat,
        Text(""),
        _histogram(
            "Turnout across stations (weighted by registered voters)",
            doc["distributions"]["turnout"],
        ),
        Text(""),
        _histogram(
            "Leader share across stations (weighted by ballots)",
            doc["distributions"]["leader_share"],
        ),
        Text(""),
        _heatmap(doc["distributions"]["fingerprint"]),
        t,
        s,
        d,
    ]
    for block in doc["by_region"]:
        r = Table(
            title=f"By region: {block['statistic']} (ranked by {block['ranked_by']})",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        r.add_column("Region", overflow="fold")
        r.add_column("Stations", justify="right")
        r.add_column("Value", justify="right")
        for row in block["rows"][:15]:
            v = row["value"]
            r.add_row(
                cell(row["region"]), f"{row['n_stations']:,}", "—" if v is None else f"{v:,.3f}"
            )
        parts.append(r)
    return Group(*parts)


def register(app: typer.Typer) -> None:
    app.command("forensics")(forensics)

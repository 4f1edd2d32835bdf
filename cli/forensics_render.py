"""The terminal view of elect forensics: histograms, the fingerprint heat map, tables."""

from __future__ import annotations

SHADES = " ░▒▓█"


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


def _signed(x) -> str:
    return "—" if x is None else f"{x:,.0f}"


def shpilkin_table(sh: dict):
    """The Shpilkin estimate with its variant, uncertainty and every warning."""
    from rich import box
    from rich.table import Table

    v = sh["variant"]
    s = Table(
        title=f"Shpilkin estimate · variant {v['name']}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_header=False,
    )
    s.add_column()
    s.add_column(overflow="fold")
    figure = _signed(sh["anomalous_votes"])
    if "bootstrap_sd" in sh:
        sd = sh["bootstrap_sd"]
        figure += f" ± {sd:,.0f} (bootstrap SD)" if sd is not None else ""
    if sh.get("unstable"):
        figure += f" — estimate unstable: {sh['unstable']}"
    s.add_row("Leader's votes beyond the clean-zone prediction", figure)
    share = sh["share_of_leader_votes"]
    s.add_row("… as a share of the leader's votes", "—" if share is None else f"{100 * share:.1f}%")
    if "bootstrap_ci95" in sh:
        lo, hi = sh["bootstrap_ci95"]
        s.add_row(
            f"95% bootstrap interval ({sh['n_bootstrap']} replicates, clean bin fixed)",
            f"{_signed(lo)} to {_signed(hi)}",
        )
        sens = " / ".join(f"{k}%: {_signed(x)}" for k, x in sh["sensitivity"].items())
        s.add_row("With the clean bin one bin lower / higher", sens)
        lo_pp, hi_pp = sh["clean_bin_pp"]
        how = " (set by hand)" if sh["clean_bin_set_by_hand"] else ""
        s.add_row(
            "Clean bin",
            f"turnout {lo_pp:.0f}-{hi_pp:.0f}%{how}, {sh['clean_stations']:,} stations, "
            f"leader share there {100 * (sh['clean_leader_share'] or 0):.2f}%",
        )
        s.add_row(
            "Variant",
            f"turnout = {v['turnout']} / registered; bins {v['bins']}; clean zone "
            f"{v['clean_zone']}, share {v['clean_share']}, summed over {v['summed_bins']} "
            f"bins; stations with > {v['min_registered']} registered"
            + ("" if v["keeps_abroad"] else ", abroad left out"),
        )
        s.add_row("Stations used", f"{sh['n_stations']:,} ({sh['n_filtered']:,} filtered)")
    else:
        s.add_row(
            "Leader share: official → clean zone",
            f"{100 * sh['official_leader_share']:.2f}% → {100 * sh['clean_leader_share']:.2f}%",
        )
        s.add_row(
            "Variant",
            f"turnout={sh['turnout_definition']}, bins {sh['bin_width_pp']} pp, "
            f"clean zone {sh['clean_zone']} ≤ {sh['clean_cutoff_pp']:.1f}%",
        )
    for w in sh.get("warnings") or []:
        s.add_row("Warning", w)
    return s


def klimek_table(k: dict):
    from rich import box
    from rich.table import Table

    t = Table(
        title="Klimek et al. (2012) fraud-model fit on the fingerprint",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_header=False,
    )
    t.add_column()
    t.add_column(overflow="fold")
    for key, label in (
        ("incremental", "f_i, stations with incremental fraud"),
        ("extreme", "f_e, stations with extreme fraud"),
    ):
        sd = k[f"sd_{key}"]
        lo, hi = k[f"ci95_{key}"]
        unc = "" if sd is None else f" ± {sd:.3f} (95% {lo:.3f}-{hi:.3f})"
        t.add_row(label, f"{k[f'f_{key}']:.3f}{unc}")
    t.add_row(
        "Fair turnout / share (mode, SD)",
        f"{100 * k['fair_turnout']:.1f}% ({100 * k['fair_turnout_sd']:.1f}) / "
        f"{100 * k['fair_share']:.1f}% ({100 * k['fair_share_sd']:.1f})",
    )
    t.add_row(
        "Fit",
        f"theta {k['theta']}, alpha {k['alpha']:g}, distance {k['distance']:,.0f} "
        f"(no-fraud model: {k['distance_fair']:,.0f}); {k['n_replicates']} half-sample refits",
    )
    if k["at_grid_edge"]:
        t.add_row(
            "Warning",
            "the best fit lies on the edge of the parameter grid: not a well-defined optimum",
        )
    t.caption = "Identified only as far as fair turnout and share are two Gaussians."
    return t


def render(rep, doc):
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from .layout import Fitted
    from .names import cell, shown

    ip, sh, dg = doc["integer_percentages"], doc["shpilkin"], doc["digits"]

    head = Text(
        f"{shown(rep.election.name)} · {shown(rep.contest.name)} · "
        f"leader: {shown(rep.leader_name)} · "
        f"{rep.stations:,} stations ({rep.abroad_excluded:,} abroad left out)",
        style="bold",
    )
    ex = doc.get("excluded")
    if ex:
        head.append(
            f"\nLeft out by {ex['expression']!r} ({rep.params.exclude_source}): "
            f"{ex['n_stations']:,} stations, {ex['registered']:,.0f} registered voters, "
            f"{ex['cast']:,.0f} ballots cast",
            style="",
        )
    caveat = Text(
        "Each statistic below is a signal worth a closer look, not proof of fraud.", style="italic"
    )
    t = Table(
        title="Integer percentages (Kobak, Shpilkin & Pshenichnikov 2016)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    t.add_column("Stations on a whole percent")
    for col in ("Observed", "Expected", "Excess", "z"):  # figures never wrap (cli/layout.py)
        t.add_column(col, justify="right", no_wrap=True)
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
    s = shpilkin_table(sh)
    d = Table(
        title="Digit tests on the leader's station counts",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    d.add_column("Test")
    for col in ("Statistic", "df", "p-value", "Counts"):
        d.add_column(col, justify="right", no_wrap=True)
    d.add_row(
        "Second digit (Mebane 2BL)",
        f"χ² {dg['second_digit']['chi2']:.1f}",
        str(dg["second_digit"]["df"]),
        f"{dg['second_digit']['p_value']:.3g}",
        f"{dg['second_digit']['n_counts']:,}",
    )
    d.add_row(
        "Last digit uniform (Beber & Scacco)",
        f"χ² {dg['last_digit']['chi2']:.1f}",
        str(dg["last_digit"]["df"]),
        f"{dg['last_digit']['p_value']:.3g}",
        f"{dg['last_digit']['n_counts']:,}",
    )
    zf = dg["zero_five"]
    d.add_row(
        "Ending in 0 or 5 (expect 20%)",
        f"{100 * zf['share']:.1f}%, z {zf['z']:.1f}",
        "",
        f"{zf['p_value']:.3g}",
        f"{zf['n_counts']:,}",
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
        Fitted(t),
        s,
        klimek_table(doc["klimek"]),
        Fitted(d),
    ]
    for block in doc["by_region"]:
        r = Table(
            title=f"By region: {block['statistic']} (ranked by {block['ranked_by']})",
            title_justify="left",
            box=box.SIMPLE_HEAD,
        )
        r.add_column("Region")
        r.add_column("Stations", justify="right", no_wrap=True)
        r.add_column("Value", justify="right", no_wrap=True)
        shp = "anomalous_votes" in (block["rows"][0]["result"] if block["rows"] else {})
        if shp:
            r.add_column("Anomalous votes", justify="right", no_wrap=True)
            r.add_column("Note")
        for row in block["rows"][:15]:
            v = row["value"]
            cells = [
                cell(row["region"]),
                f"{row['n_stations']:,}",
                "—" if v is None else f"{v:,.3f}",
            ]
            if shp:
                res = row["result"]
                cells.append(_signed(res["anomalous_votes"]))
                cells.append("estimate unstable: " + res["unstable"] if res.get("unstable") else "")
            r.add_row(*cells)
        parts.append(Fitted(r))
    return Group(*parts)


def _f(value, spec: str) -> str:
    """A statistic, or a dash where degenerate data leaves none (a z with no spread)."""
    if value is None:
        return "—"
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return str(value)

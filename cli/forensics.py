"""elect forensics: integrity statistics on station-level results."""

from __future__ import annotations

from typing import Annotated

import typer

from .command import Inputs, command
from .common import UsageError, tell_notes, write_rows
from .context import Run
from .options import FileArg


@command(contest=True)
def forensics(
    run: Run,
    inputs: Inputs,
    file: FileArg = None,
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
            help="Bin width in percentage points (histograms; the Shpilkin estimate of "
            "--variant classic). Example: --bin-width 0.5"
        ),
    ] = 1.0,
    turnout_definition: Annotated[
        str,
        typer.Option(
            help="Shpilkin turnout for --variant classic: issued (ballots issued) or cast "
            "(valid + invalid). Example: --turnout-definition cast"
        ),
    ] = "issued",
    clean_zone: Annotated[
        str,
        typer.Option(
            help="Shpilkin clean zone for --variant classic: peak (up to the turnout mode) or "
            "fixed (--clean-cutoff). Example: --clean-zone fixed"
        ),
    ] = "peak",
    clean_cutoff: Annotated[
        float | None,
        typer.Option(
            help="Turnout (pp) bounding a fixed clean zone (--variant classic). "
            "Example: --clean-cutoff 60",
            show_default=False,
        ),
    ] = None,
    variant: Annotated[
        str,
        typer.Option(
            help="Shpilkin variant: cedar (CEDAR's notebook), shpilkin (aimed at Shpilkin's "
            "published figures) or classic (elect 0.1; --turnout-definition, --clean-zone and "
            "--clean-cutoff apply to it only). Example: --variant shpilkin",
        ),
    ] = "cedar",
    clean_bin: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=99,
            help="Set the clean turnout bin by hand (p: turnout in (p, p+1]%), as CEDAR does "
            "for 2020 and 2024. Example: --clean-bin 40",
            show_default=False,
        ),
    ] = None,
    exclude: Annotated[
        str | None,
        typer.Option(
            help="Leave out stations matching an expression (fields registered, issued, "
            "cast, valid, invalid, leader, others, turnout, share; and/or); 'none' overrides "
            "a preset's rule. Example: --exclude 'registered>10000'",
            show_default=False,
        ),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            min=0,
            help="Bootstrap replicates for the Shpilkin uncertainty. Example: --bootstrap 500",
        ),
    ] = 200,
    klimek_replicates: Annotated[
        int,
        typer.Option(
            min=0,
            help="Half-sample refits for the uncertainty of the Klimek et al. fit. "
            "Example: --klimek-replicates 40",
        ),
    ] = 10,
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
    if variant not in ("cedar", "shpilkin", "classic"):
        raise UsageError(f"unknown variant {variant!r}", hint="use cedar, shpilkin or classic")
    classic_only = [
        name
        for name, given in (
            ("--turnout-definition", turnout_definition != "issued"),
            ("--clean-zone", clean_zone != "peak"),
            ("--clean-cutoff", clean_cutoff is not None),
        )
        if given
    ]
    if classic_only and variant != "classic":
        raise UsageError(
            f"{classic_only[0]} applies to --variant classic only",
            hint=f"add --variant classic, or drop {classic_only[0]} (variant {variant} states "
            "its own parameters)",
        )
    if clean_bin is not None and variant == "classic":
        raise UsageError(
            "--clean-bin applies to --variant cedar or shpilkin",
            hint="for classic, use --clean-zone fixed --clean-cutoff PP",
        )
    if exclude is not None and exclude.strip().lower() != "none":
        from elect.core.forensics.exclude import ExcludeError, parse

        try:
            parse(exclude)
        except ExcludeError as exc:
            raise UsageError(
                str(exc), hint="e.g. --exclude 'registered>10000 or turnout>=99.5'"
            ) from exc
    if plot is not None:
        from .output import add_output
        from .plots import check_image_name

        check_image_name(plot)
        add_output(run, plot, "--plot")
    election = inputs.load(run, file)
    tell_notes(run, election.notes)
    chosen = select_contest(election, inputs.contest)
    exclude_source = "--exclude"
    if exclude is None:
        from elect.core.io import mapping_for
        from elect.core.io.mapping import mapping_source

        mapping = mapping_for(inputs.map_file, inputs.preset)
        if mapping is not None and (rule := mapping.rules.get("forensics_exclude")):
            exclude, exclude_source = str(rule), mapping_source(mapping)
    elif exclude.strip().lower() == "none":
        exclude = None
    params = ForensicsParams(
        leader=leader,
        seed=seed,
        replicates=replicates,
        bin_width=bin_width,
        turnout_definition=turnout_definition,
        clean_zone=clean_zone,
        clean_cutoff=clean_cutoff,
        by_region=by == "region",
        variant=variant,
        clean_bin=clean_bin,
        exclude=exclude,
        exclude_source=exclude_source if exclude else "",
        bootstrap=bootstrap,
        klimek_replicates=klimek_replicates,
    )
    rep = forensics_report(election, chosen, params)
    if plot:
        from .plots import fingerprint_png

        fingerprint_png(run, rep, plot)
    doc = rep.to_dict()
    if write_rows(run, summary_rows(doc), doc):
        return
    from .forensics_render import render

    run.out_console().print(render(rep, doc))


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
                "statistic": f"klimek_{k}",
                "observed": doc["klimek"][f"f_{k}"],
                "expected": None,
                "excess": None,
                "z": None,
                "p_value": None,
            }
            for k in ("incremental", "extreme")
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


def register(app: typer.Typer) -> None:
    app.command("forensics")(forensics)

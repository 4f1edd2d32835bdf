"""Named variants of the Shpilkin estimate, each with every parameter stated.

The estimate bins stations by turnout, takes the leader's share among the
votes in a low-turnout "clean" zone as what the leader would have got
everywhere, and counts the leader's votes beyond that as anomalous.
Published figures differ because the variants differ in every step, so each
variant below names its turnout definition, binning, clean-zone rule, how the
clean share is taken, which bins are summed and which stations are used.

``cedar`` follows CEDAR's public notebook (github.com/Cedar-Russia/
electoral_statistics, "Electoral statistics.ipynb"): cell 4 (turnout = cast /
registered, cast = valid + invalid; 2020: ballots in the boxes), cell 7
(stations with more than 100 registered), cells 10-11 (1-pp bins
``(p/100, (p+1)/100]``), cells 12-16 (a two-Gaussian fit to the 5-bin running
mean of the others' votes; the clean bin is the largest smoothed value within
one fitted SD of the lower mode), cell 15 (the clean share is the
leader/others ratio of that single bin), cell 23 (sum over all 100 bins; 2020
and 2024 with the clean bin set by hand to 40 and 60) and cell 19 (regions: a
clean bin on a whole ten is moved one bin up, bin 9 one bin down).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .lmfit import FitError, bimodal, bimodal_jacobian, levenberg_marquardt
from .result import CAVEAT, ResultMixin, drop_nan, ratio

NBINS = 100
EDGES = np.linspace(0.0, 1.0, NBINS + 1)  # CEDAR cell 10: percents
FEW_STATIONS = 20  # a clean bin with fewer stations is "made by a handful of units"
TOP_UNITS, TOP_SHARE = 5, 0.5  # ... or its 5 largest stations hold half its votes
BIG_STATION = 10.0  # "large": more than 10 x the median registered of the stations used
BIG_SHARE = 0.25  # ... warn when such stations cast a quarter of the clean bin's ballots
MAX_LOW_SD = 0.15  # a lower mode wider than 15 pp is no clean peak
HIGH_CLEAN = 80  # a clean bin at 80% turnout or above is no low-turnout peak


@dataclass(frozen=True)
class Variant(ResultMixin):
    name: str
    turnout: str  # "cast" (valid + invalid) or "issued", over registered
    bin_width_pp: float
    bins: str
    clean_zone: str  # "cedar-fit" or "others-mode"
    clean_share: str  # "per-bin" (the clean bin alone) or "pooled" (every bin up to it)
    summed_bins: str  # "all" or "right-of-clean"
    min_registered: int  # stations with registered > this are kept
    keeps_abroad: bool  # stations abroad stay in (CEDAR keeps every row of the file)
    description: str


VARIANTS: dict[str, Variant] = {
    "cedar": Variant(
        name="cedar",
        turnout="cast",
        bin_width_pp=1.0,
        bins="(p, p+1] pp, p = 0..99; turnout 0 or above 100% in no bin",
        clean_zone="cedar-fit",
        clean_share="per-bin",
        summed_bins="all",
        min_registered=100,
        keeps_abroad=True,
        description="CEDAR's notebook: turnout = cast / registered; one clean bin, the "
        "largest 5-bin running mean of the others' votes within one fitted SD of the lower "
        "mode of a two-Gaussian fit; clean share = leader / others in that bin; "
        "leader - others x share summed over all bins; stations with > 100 registered",
    ),
    "shpilkin": Variant(
        name="shpilkin",
        turnout="issued",
        bin_width_pp=1.0,
        bins="(p, p+1] pp, p = 0..99; turnout 0 or above 100% in no bin",
        clean_zone="others-mode",
        clean_share="per-bin",
        summed_bins="right-of-clean",
        min_registered=100,
        keeps_abroad=True,
        description="after Shpilkin's published descriptions: turnout = issued / registered "
        "(the official definition); clean bin = the mode of the others' votes; clean share = "
        "leader / others in that bin; leader - others x share "
        "summed over the bins right of it; stations with > 100 registered, abroad kept",
    ),
}


@dataclass(frozen=True)
class VariantResult(ResultMixin):
    variant: Variant
    anomalous_votes: float
    share_of_leader_votes: float
    bootstrap_sd: float
    bootstrap_ci95: tuple[float, float]
    n_bootstrap: int
    sensitivity: dict[str, float]  # clean bin moved one bin down / up
    clean_bin_pp: tuple[float, float]
    clean_cutoff_pp: float  # upper edge of the clean bin (as in the classic result)
    clean_bin_set_by_hand: bool
    clean_share_ratio: float  # leader / others in the clean zone
    clean_leader_share: float  # leader / cast there
    clean_stations: int
    leader_votes: float
    cast: float
    n_stations: int
    n_filtered: int  # registered <= min_registered
    n_dropped_nan: int
    fit: dict[str, Any]
    unstable: str  # "" when stable, else the reason
    warnings: tuple[str, ...]
    measures: str
    caveat: str


def smooth(y: np.ndarray, box_pts: int = 5) -> np.ndarray:
    """CEDAR cell 16: running mean, the last two bins left as they are."""
    ys = np.convolve(y, np.ones(box_pts) / box_pts, mode="same")
    ys[-2:] = y[-2:]
    return ys


def turnout_bins(voters: np.ndarray, registered: np.ndarray) -> np.ndarray:
    """Bin p holds EDGES[p] < turnout <= EDGES[p+1]; -1 or 100 for no bin (CEDAR cell 11)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = voters / registered
    return np.searchsorted(EDGES, t, side="left") - 1


def cedar_clean_bin(n_other: np.ndarray) -> tuple[int, dict[str, Any]]:
    """CEDAR cells 14 and 23: the clean bin from a two-Gaussian fit, or the fallback."""
    x = EDGES[1:]
    y = smooth(n_other)
    mu1 = np.argmax(y) / 100
    max1 = max(y)
    try:
        p0 = np.array(
            [mu1, 0.1, max1, mu1 + (1 - mu1) / 2, 0.01, y[int(mu1 * 100 + (1 - mu1) / 2 * 100)]]
        )
        p = levenberg_marquardt(bimodal, bimodal_jacobian, x[:-3], y[:-3], p0)
        lo = 0 if p[0] < p[3] else 3
        a, b = int((p[lo] - p[lo + 1]) * 100), int((p[lo] + p[lo + 1]) * 100)
        peak = a + int(np.argmax(y[a:b]))
        if not 0 <= peak < NBINS:  # CEDAR's code would stop here with an IndexError
            raise ValueError(f"fitted peak {peak} outside the turnout bins")
        return peak, {"converged": True, "params": [float(v) for v in p], "lower": lo // 3}
    except (FitError, ValueError, IndexError) as exc:
        peak = int(np.argmax(n_other[:-3]))
        return peak, {"converged": False, "params": [], "lower": -1, "error": str(exc)}


def handful_warning(reg: np.ndarray, in_clean: np.ndarray, votes: np.ndarray, label: str) -> str:
    """A warning when the clean bin is made by a handful of units, else ""."""
    n_clean = int(in_clean.sum())
    if n_clean < FEW_STATIONS:
        return f"the clean bin ({label} turnout) holds only {n_clean} stations"
    votes_c = np.sort(votes[in_clean])[::-1]
    total = float(votes_c.sum())
    if total and votes_c[:TOP_UNITS].sum() > TOP_SHARE * total:
        return (
            f"the {TOP_UNITS} largest stations of the clean bin ({label}) cast "
            f"{100 * votes_c[:TOP_UNITS].sum() / total:.0f}% of its ballots"
        )
    big = in_clean & (reg > BIG_STATION * np.median(reg))
    big_votes = float(votes[big].sum())
    if total and big_votes > BIG_SHARE * total:
        return (
            f"{int(big.sum())} stations with over {BIG_STATION:.0f}x the median electorate "
            f"cast {100 * big_votes / total:.0f}% of the clean bin's ballots ({label}): the "
            "peak is made by a handful of units"
        )
    return ""


def _unstable(fit: dict[str, Any], clean: int, n_other: np.ndarray) -> str:
    if clean >= HIGH_CLEAN:
        return f"the clean bin lies at {clean}-{clean + 1}% turnout: no low-turnout clean peak"
    if fit.get("converged") is False:
        return (
            f"the two-Gaussian fit failed ({fit.get('error', '')}); no low-turnout mode "
            "to take as clean"
        )
    p = fit.get("params") or []
    if p:
        amps, sds = (p[2], p[5]), (abs(p[1]), abs(p[4]))
        lo = fit["lower"]
        if min(amps) <= 0 or min(sds) < 0.01:
            return "the fit finds one turnout mode, not two: no separate clean peak"
        if sds[lo] > MAX_LOW_SD:
            return (
                f"the lower turnout mode is {100 * sds[lo]:.0f} pp wide: no clean low-turnout peak"
            )
    if n_other[clean] <= 0:
        return "no votes for the other options in the clean bin"
    return ""


def shpilkin_variant(
    registered: np.ndarray,
    issued: np.ndarray,
    valid: np.ndarray,
    invalid: np.ndarray,
    leader: np.ndarray,
    *,
    variant: str = "cedar",
    clean_bin: int | None = None,
    regional: bool = False,
    n_bootstrap: int = 200,
    seed: int = 42,
) -> VariantResult:
    """The anomalous-vote estimate of one named variant (see ``VARIANTS``).

    ``clean_bin`` (0-99: turnout ``(clean_bin, clean_bin + 1]`` %) overrides the
    clean-zone rule, as CEDAR's notebook does by hand for 2020 and 2024.
    ``regional`` applies CEDAR's regional rule (cell 19). The bootstrap
    resamples stations (Poisson weights) with the clean bin held fixed, so it
    measures sampling noise only; ``sensitivity`` shows the clean-bin choice.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose from {', '.join(VARIANTS)}")
    if clean_bin is not None and not 0 <= clean_bin < NBINS:
        raise ValueError("clean bin must be 0-99 (turnout percent, bin (p, p+1])")
    v = VARIANTS[variant]
    (reg, iss, val, inv, lead), dropped = drop_nan(registered, issued, valid, invalid, leader)
    keep = reg > v.min_registered
    reg, iss, cast, lead = reg[keep], iss[keep], (val + inv)[keep], lead[keep]
    voters = cast if v.turnout == "cast" else iss
    b = turnout_bins(voters, reg)
    inbin = (b >= 0) & (b < NBINS)
    bi, lead_i, oth_i = b[inbin], lead[inbin], (cast - lead)[inbin]
    n_lead = np.bincount(bi, weights=lead_i, minlength=NBINS)
    n_oth = np.bincount(bi, weights=oth_i, minlength=NBINS)

    fit: dict[str, Any] = {}
    if v.clean_zone == "cedar-fit":
        auto, fit = cedar_clean_bin(n_oth)
        if regional:
            if auto % 10 == 0:
                auto += 1
            elif auto == 9:
                auto -= 1
    else:
        auto = int(np.argmax(n_oth))
    clean = auto if clean_bin is None else int(clean_bin)

    def estimate(nl: np.ndarray, no: np.ndarray, c: int) -> float:
        if v.clean_share == "per-bin":
            coeff = nl[c] / no[c] if no[c] else np.nan
        else:
            coeff = nl[: c + 1].sum() / no[: c + 1].sum() if no[: c + 1].sum() else np.nan
        if v.summed_bins == "all":
            return float(nl.sum() - (no * coeff).sum())
        return float(nl[c + 1 :].sum() - (no[c + 1 :] * coeff).sum())

    est = estimate(n_lead, n_oth, clean)
    rng = np.random.default_rng(seed)
    boots = np.empty(n_bootstrap)
    for r in range(n_bootstrap):
        w = rng.poisson(1.0, bi.size)
        nl = np.bincount(bi, weights=w * lead_i, minlength=NBINS)
        no = np.bincount(bi, weights=w * oth_i, minlength=NBINS)
        boots[r] = estimate(nl, no, clean)
    ok = boots[np.isfinite(boots)]
    sd = float(ok.std(ddof=1)) if ok.size > 1 else float("nan")
    ci = (
        (float(np.percentile(ok, 2.5)), float(np.percentile(ok, 97.5)))
        if ok.size > 1
        else (float("nan"), float("nan"))
    )
    sens = {f"{c}": estimate(n_lead, n_oth, c) for c in (clean - 1, clean + 1) if 0 <= c < NBINS}

    zone = (bi == clean) if v.clean_share == "per-bin" else (bi <= clean)
    lz, oz = float(lead_i[zone].sum()), float(oth_i[zone].sum())
    unstable = _unstable(fit, auto, n_oth)
    if clean_bin is not None and unstable:
        unstable += f"; the clean bin was set by hand to {clean}-{clean + 1}%"
    elif n_oth[clean] <= 0:
        unstable = "no votes for the other options in the clean bin"
    warnings: list[str] = []
    in_clean = bi == clean
    handful = handful_warning(reg[inbin], in_clean, (lead_i + oth_i), f"{clean}-{clean + 1}%")
    if handful:
        warnings.append(handful)
    if clean_bin is not None:
        warnings.append(f"clean bin set by hand to {clean}-{clean + 1}% turnout")
    total_lead, total_cast = float(lead.sum()), float(cast.sum())
    return VariantResult(
        variant=v,
        anomalous_votes=est,
        share_of_leader_votes=ratio(est, total_lead),
        bootstrap_sd=sd,
        bootstrap_ci95=ci,
        n_bootstrap=int(n_bootstrap),
        sensitivity=sens,
        clean_bin_pp=(float(clean), float(clean + 1)),
        clean_cutoff_pp=float(clean + 1),
        clean_bin_set_by_hand=clean_bin is not None,
        clean_share_ratio=ratio(lz, oz),
        clean_leader_share=ratio(lz, lz + oz),
        clean_stations=int(zone.sum()),
        leader_votes=total_lead,
        cast=total_cast,
        n_stations=int(reg.size),
        n_filtered=int((~keep).sum()),
        n_dropped_nan=dropped,
        fit=fit,
        unstable=unstable,
        warnings=tuple(warnings),
        measures=(
            f"Leader's votes beyond {v.clean_share} clean share x others' votes, summed over "
            f"{v.summed_bins} bins; variant {v.name!r}: {v.description}. Uncertainty: "
            f"Poisson bootstrap of stations ({n_bootstrap} replicates, seed {seed}), clean "
            "bin held fixed; the clean-bin choice moves the figure more (see sensitivity)."
        ),
        caveat=CAVEAT + " It assumes the leader's share among voters does not rise with "
        "turnout in an honest count; where it genuinely does, the excess is counted as "
        "anomaly.",
    )

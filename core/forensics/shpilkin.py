"""Shpilkin-style estimate of anomalous votes for the leader.

Stations are grouped into turnout bins. Bins at or below a "clean" turnout
(the peak of the turnout distribution, or a fixed cutoff) are taken as
free of stuffing; the leader's share there, ``s_clean``, is assumed to hold at
higher turnout too. Two extrapolations are offered:

* ``extrapolate="others"`` (classic, Shpilkin): votes for everyone else
  (cast - leader) are taken as genuine, so the leader's genuine votes in a bin
  are ``others * s_clean / (1 - s_clean)``; the anomaly is the leader's votes
  above that.
* ``extrapolate="cast"``: the leader's expected votes are ``cast * s_clean``
  (treats added ballots as if they were spread like genuine ones; gives
  ``(1 - s_clean)`` times the classic figure).

Within the clean zone both give zero by construction, so the estimate is the
signed sum of (leader - expected) over bins above the clean turnout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .result import CAVEAT, ResultMixin, drop_nan, ratio, safe_div
from .shpilkin_variants import HIGH_CLEAN, handful_warning


@dataclass(frozen=True)
class ShpilkinResult(ResultMixin):
    anomalous_votes: float
    share_of_leader_votes: float
    leader_votes: float
    cast: float
    registered: float
    official_leader_share: float
    official_turnout: float
    clean_leader_share: float
    clean_turnout: float
    clean_cutoff_pp: float
    peak_max_pp: float
    corrected_leader_share: float
    corrected_turnout: float
    turnout_definition: str
    bin_width_pp: float
    clean_zone: str
    peak_weights: str
    extrapolate: str
    n_stations: int
    n_dropped_nan: int
    n_excluded: int
    n_clean_stations: int
    unstable: str
    warnings: tuple[str, ...]
    measures: str
    caveat: str


def shpilkin_estimate(
    registered: np.ndarray,
    issued: np.ndarray,
    valid: np.ndarray,
    invalid: np.ndarray,
    leader: np.ndarray,
    *,
    turnout_definition: Literal["issued", "cast"] = "issued",
    bin_width: float = 1.0,
    clean_zone: Literal["peak", "fixed"] = "peak",
    clean_cutoff: float | None = None,
    peak_weights: Literal["others", "registered", "cast", "stations"] = "others",
    peak_max: float = 100.0,
    extrapolate: Literal["others", "cast"] = "others",
) -> ShpilkinResult:
    """Estimate the leader's votes beyond what the low-turnout 'clean' zone predicts.

    ``bin_width`` and ``clean_cutoff`` are in percentage points. With
    ``clean_zone="peak"`` the clean zone is every bin up to and including the
    mode of the turnout distribution weighted by ``peak_weights`` (default: the
    votes for everyone but the leader, whose turnout distribution is the
    least affected by stuffing). With ``clean_zone="fixed"`` it is every station
    with turnout <= ``clean_cutoff``. ``peak_max`` (pp) limits the peak search
    to lower turnout, e.g. to step over a spike of remote-voting pseudo-stations
    near 100%.
    """
    if turnout_definition not in ("issued", "cast"):
        raise ValueError("turnout_definition must be 'issued' or 'cast'")
    if extrapolate not in ("others", "cast"):
        raise ValueError("extrapolate must be 'others' or 'cast'")
    if clean_zone not in ("peak", "fixed"):
        raise ValueError("clean_zone must be 'peak' or 'fixed'")
    if clean_zone == "fixed" and clean_cutoff is None:
        raise ValueError("clean_zone='fixed' needs clean_cutoff (pp)")
    if not (0 < bin_width <= 50):
        raise ValueError("bin_width must be in (0, 50] pp")

    (reg, iss, val, inv, lead), dropped = drop_nan(registered, issued, valid, invalid, leader)
    cast = val + inv
    keep = (reg > 0) & (cast > 0)
    reg, iss, cast, lead = reg[keep], iss[keep], cast[keep], lead[keep]
    voters = iss if turnout_definition == "issued" else cast
    turnout = 100.0 * np.minimum(safe_div(voters, reg), 1.0)
    others = cast - lead

    nbins = int(np.ceil(100.0 / bin_width)) + 1
    b = np.minimum((turnout / bin_width).astype(np.int64), nbins - 1)
    w_table = {
        "others": others,
        "registered": reg,
        "cast": cast,
        "stations": np.ones_like(reg),
    }
    if peak_weights not in w_table:
        raise ValueError(f"peak_weights must be one of {sorted(w_table)}")

    if clean_zone == "peak":
        hist = np.bincount(b, weights=w_table[peak_weights], minlength=nbins).astype("float64")
        hist[np.arange(nbins) * bin_width >= peak_max] = -np.inf
        peak_bin = int(np.argmax(hist)) if hist.size else 0
        cutoff = (peak_bin + 1) * bin_width  # upper edge of the peak bin
        clean = b <= peak_bin
    else:
        assert clean_cutoff is not None  # refused on entry: "fixed" needs a cutoff
        cutoff = float(clean_cutoff)
        clean = turnout <= cutoff

    lead_c, cast_c = float(lead[clean].sum()), float(cast[clean].sum())
    s_clean = ratio(lead_c, cast_c)
    clean_turnout = ratio(float(voters[clean].sum()), float(reg[clean].sum()))

    dirty = ~clean
    if extrapolate == "others":
        expected = others[dirty] * safe_div(s_clean, 1.0 - s_clean)
    else:
        expected = cast[dirty] * s_clean
    anomalous = float(np.nansum(lead[dirty] - expected)) if dirty.any() else 0.0

    unstable, warnings = "", []
    if clean_zone == "peak":
        if peak_bin * bin_width >= HIGH_CLEAN:
            unstable = (
                f"the turnout peak of the others' votes lies at {peak_bin * bin_width:.0f}%: "
                "no low-turnout clean peak"
            )
        lo = f"{peak_bin * bin_width:g}-{(peak_bin + 1) * bin_width:g}%"
        w = handful_warning(reg, b == peak_bin, cast, lo)
        if w:
            warnings.append(w)
    elif not clean.any():
        unstable = f"no station at or below the clean cutoff {cutoff:g}%"

    total_lead, total_cast = float(lead.sum()), float(cast.sum())
    total_reg, total_vot = float(reg.sum()), float(voters.sum())
    return ShpilkinResult(
        anomalous_votes=anomalous,
        share_of_leader_votes=ratio(anomalous, total_lead),
        leader_votes=total_lead,
        cast=total_cast,
        registered=total_reg,
        official_leader_share=ratio(total_lead, total_cast),
        official_turnout=ratio(total_vot, total_reg),
        clean_leader_share=s_clean,
        clean_turnout=clean_turnout,
        clean_cutoff_pp=float(cutoff),
        peak_max_pp=float(peak_max),
        corrected_leader_share=ratio(total_lead - anomalous, total_cast - anomalous),
        corrected_turnout=ratio(total_vot - anomalous, total_reg),
        turnout_definition=turnout_definition,
        bin_width_pp=float(bin_width),
        clean_zone=clean_zone,
        peak_weights=peak_weights if clean_zone == "peak" else "",
        extrapolate=extrapolate,
        n_stations=int(reg.size),
        n_dropped_nan=dropped,
        n_excluded=int((~keep).sum()),
        n_clean_stations=int(clean.sum()),
        unstable=unstable,
        warnings=tuple(warnings),
        measures=(
            "Leader's votes in stations above the clean turnout "
            f"({cutoff:.1f}%) beyond what the clean-zone leader share "
            f"({100 * s_clean:.2f}%) predicts ({extrapolate!r} extrapolation). "
            "The corrected figures remove these votes from cast/issued, i.e. "
            "treat them as added ballots."
        ),
        caveat=CAVEAT + " It assumes turnout and leader support are unrelated in an honest "
        "count; genuine correlation (e.g. rural or ethnic-republic areas that "
        "both turn out more and back the incumbent) is counted as anomaly, so "
        "the figure depends strongly on the chosen clean zone.",
    )

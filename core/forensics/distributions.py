"""Turnout and leader-share distributions, and the 2-D "fingerprint".

Turnout = issued / registered; leader share = leader / cast with
cast = valid + invalid (Kobak, Shpilkin & Pshenichnikov 2016). The 2-D
turnout x leader-share histogram is the "election fingerprint" of Klimek,
Yegorov, Hanel & Thurner (PNAS 2012).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .result import CAVEAT, ResultMixin, drop_nan, safe_div

Weights = Literal["stations", "registered", "issued", "cast", "leader"]

_WEIGHT_TEXT = {
    "stations": "number of polling stations",
    "registered": "registered voters",
    "issued": "ballots issued",
    "cast": "ballots cast (valid + invalid)",
    "leader": "votes for the leader",
}


def percent_edges(bin_width: float) -> np.ndarray:
    """Bin edges in percent, centred on multiples of ``bin_width`` from 0 to 100.

    Centred bins (as in Kobak et al.) keep an integer value such as 70% in the
    middle of its bin, so integer peaks show up instead of being split.
    """
    if not (0 < bin_width <= 50):
        raise ValueError("bin_width must be in (0, 50] percentage points")
    n = round(100.0 / bin_width)
    if abs(n * bin_width - 100.0) > 1e-9:
        raise ValueError("bin_width must divide 100")
    return (np.arange(n + 2) - 0.5) * bin_width


@dataclass(frozen=True, eq=False)
class HistogramResult(ResultMixin):
    statistic: str
    weights: str
    bin_width: float
    edges: np.ndarray
    counts: np.ndarray
    n_stations: int
    n_dropped_nan: int
    n_excluded: int
    n_out_of_range: int
    measures: str
    caveat: str


@dataclass(frozen=True, eq=False)
class FingerprintResult(ResultMixin):
    weights: str
    bin_width: float
    turnout_edges: np.ndarray
    share_edges: np.ndarray
    counts: np.ndarray  # shape (turnout bins, share bins)
    n_stations: int
    n_dropped_nan: int
    n_excluded: int
    n_out_of_range: int
    measures: str
    caveat: str


def _weights(
    kind: str,
    registered: np.ndarray,
    issued: np.ndarray,
    cast: np.ndarray,
    leader: np.ndarray,
) -> np.ndarray:
    table = {
        "stations": np.ones_like(registered),
        "registered": registered,
        "issued": issued,
        "cast": cast,
        "leader": leader,
    }
    if kind not in table:
        raise ValueError(f"weights must be one of {sorted(table)}")
    return table[kind]


def turnout_histogram(
    registered: np.ndarray,
    issued: np.ndarray,
    *,
    bin_width: float = 1.0,
    weights: Weights = "registered",
) -> HistogramResult:
    """Weighted histogram of station turnout (issued / registered), in percent.

    Stations with 0 registered voters are excluded; turnout above 100% is
    counted in ``n_out_of_range``.
    """
    (reg, iss), dropped = drop_nan(registered, issued)
    keep = reg > 0
    reg, iss = reg[keep], iss[keep]
    return _percent_histogram(
        "turnout",
        100.0 * safe_div(iss, reg),
        _weights(weights, reg, iss, iss, iss),
        weights=weights,
        bin_width=bin_width,
        dropped=dropped,
        excluded=int((~keep).sum()),
        measures=(
            "Distribution of station turnout (issued/registered, %) weighted by "
            f"{_WEIGHT_TEXT[weights]}, bins centred on multiples of {bin_width} pp. "
            "Shows whether turnout is one smooth hump or has a long high-turnout "
            "tail and spikes at round values."
        ),
        caveat=CAVEAT + " Heterogeneous regions or closed stations (hospitals, military units) "
        "also make tails and secondary peaks.",
    )


def leader_share_histogram(
    valid: np.ndarray,
    invalid: np.ndarray,
    leader: np.ndarray,
    *,
    bin_width: float = 1.0,
    weights: Literal["stations", "cast", "leader"] = "cast",
) -> HistogramResult:
    """Weighted histogram of the leader's share of cast ballots, in percent."""
    (val, inv, lead), dropped = drop_nan(valid, invalid, leader)
    cast = val + inv
    keep = cast > 0
    cast, lead = cast[keep], lead[keep]
    return _percent_histogram(
        "leader_share",
        100.0 * safe_div(lead, cast),
        _weights(weights, cast, cast, cast, lead),
        weights=weights,
        bin_width=bin_width,
        dropped=dropped,
        excluded=int((~keep).sum()),
        measures=(
            "Distribution of the leader's share of cast ballots (leader/(valid+"
            f"invalid), %) weighted by {_WEIGHT_TEXT[weights]}, bins centred on "
            f"multiples of {bin_width} pp."
        ),
        caveat=CAVEAT,
    )


def _percent_histogram(
    statistic: str,
    values: np.ndarray,
    w: np.ndarray,
    *,
    weights: str,
    bin_width: float,
    dropped: int,
    excluded: int,
    measures: str,
    caveat: str,
) -> HistogramResult:
    """Weighted histogram of percentages on bins centred on multiples of ``bin_width``."""
    edges = percent_edges(bin_width)
    in_range = (values >= edges[0]) & (values <= edges[-1])
    counts, _ = np.histogram(values[in_range], bins=edges, weights=w[in_range])
    return HistogramResult(
        statistic=statistic,
        weights=weights,
        bin_width=float(bin_width),
        edges=edges,
        counts=counts,
        n_stations=int(values.size),
        n_dropped_nan=dropped,
        n_excluded=excluded,
        n_out_of_range=int((~in_range).sum()),
        measures=measures,
        caveat=caveat,
    )


def fingerprint(
    registered: np.ndarray,
    issued: np.ndarray,
    valid: np.ndarray,
    invalid: np.ndarray,
    leader: np.ndarray,
    *,
    bin_width: float = 1.0,
    weights: Weights = "stations",
) -> FingerprintResult:
    """2-D histogram of turnout x leader share (Klimek et al. 2012 fingerprint).

    ``counts[i, j]`` is the weight of stations with turnout in bin ``i`` and
    leader share in bin ``j``. Stations with 0 registered or 0 cast are excluded.
    """
    (reg, iss, val, inv, lead), dropped = drop_nan(registered, issued, valid, invalid, leader)
    cast = val + inv
    keep = (reg > 0) & (cast > 0)
    reg, iss, cast, lead = reg[keep], iss[keep], cast[keep], lead[keep]
    t = 100.0 * safe_div(iss, reg)
    s = 100.0 * safe_div(lead, cast)
    w = _weights(weights, reg, iss, cast, lead)
    edges = percent_edges(bin_width)
    lo, hi = edges[0], edges[-1]
    in_range = (t >= lo) & (t <= hi) & (s >= lo) & (s <= hi)
    counts, _, _ = np.histogram2d(
        t[in_range], s[in_range], bins=[edges, edges], weights=w[in_range]
    )
    return FingerprintResult(
        weights=weights,
        bin_width=float(bin_width),
        turnout_edges=edges,
        share_edges=edges,
        counts=counts,
        n_stations=int(reg.size),
        n_dropped_nan=dropped,
        n_excluded=int((~keep).sum()),
        n_out_of_range=int((~in_range).sum()),
        measures=(
            "Joint distribution of turnout and leader share across stations "
            f"(weighted by {_WEIGHT_TEXT[weights]}). A clean election tends to "
            "show one compact blob; a smear towards (100%, 100%) is the pattern "
            "Klimek et al. associate with ballot stuffing and reported results."
        ),
        caveat=CAVEAT + " Genuine mobilisation and regional heterogeneity also stretch the blob.",
    )

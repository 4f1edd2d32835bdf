"""Plausibility checks (warnings): possible figures that deserve a second look."""

from __future__ import annotations

from ..numbers import pct
from .context import Units, fmt
from .findings import Collector

HIGH_TURNOUT = 0.95
INVALID_SHARE = 0.03


def check_plausibility(u: Units, col: Collector) -> None:
    import numpy as np

    reg, cast, inv = u.reg, u.cast, u.inv
    with np.errstate(invalid="ignore", divide="ignore"):
        full = (reg > 0) & (cast == reg)
        high = (reg > 0) & (cast < reg) & (cast > HIGH_TURNOUT * reg)
        bad_invalid = (cast > 0) & (inv > INVALID_SHARE * cast)
    col.add_many(
        "turnout-100",
        np.flatnonzero(full),
        lambda i: {**u.where(i), "ballots_cast": fmt(cast[i]), "registered": fmt(reg[i])},
    )
    col.add_many(
        "turnout-above-95",
        np.flatnonzero(high),
        lambda i: {
            **u.where(i),
            "ballots_cast": fmt(cast[i]),
            "registered": fmt(reg[i]),
            "turnout": float(pct(cast[i], reg[i])),
        },
    )
    col.add_many(
        "invalid-above-3pct",
        np.flatnonzero(bad_invalid),
        lambda i: {
            **u.where(i),
            "invalid": fmt(inv[i]),
            "ballots_cast": fmt(cast[i]),
            "share": float(pct(inv[i], cast[i])),
        },
    )
    zero = (cast == 0) | (np.isnan(cast) & u.complete & (u.vsum == 0))
    col.add_many("zero-ballots", np.flatnonzero(zero), lambda i: {**u.where(i)})
    if u.V.shape[1] >= 2:
        station = (u.level == "station") & u.complete & (u.vsum > 0)
        top = np.argmax(np.nan_to_num(u.V), axis=1)
        one = station & (u.V.max(axis=1, initial=0, where=~np.isnan(u.V)) == u.vsum)
        col.add_many(
            "one-option-all-votes",
            np.flatnonzero(one),
            lambda i: {
                **u.where(i),
                "votes": fmt(u.vsum[i]),
                "option": u.name_of(u.option_ids[int(top[i])]),
            },
        )
    _averaged(u, col)


def _averaged(u: Units, col: Collector) -> None:
    """A national turnout that is the plain mean of regional turnouts, not cast / registered."""
    import numpy as np

    rt = u.rt
    regions = u.level == "region"
    nations = np.flatnonzero((u.level == "nation") & ~np.isnan(rt))
    if regions.sum() < 2 or not len(nations):
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        from_counts = u.cast / u.reg * 100
    region_t = np.where(np.isnan(from_counts), rt, from_counts)[regions]
    if np.isnan(region_t).any():
        return
    average = float(region_t.mean())
    for i in nations:
        reg, cast = u.reg[i], u.cast[i]
        if np.isnan(reg) or np.isnan(cast):
            reg, cast = np.nansum(u.reg[regions]), np.nansum(u.cast[regions])
            if np.isnan(u.reg[regions]).any() or np.isnan(u.cast[regions]).any():
                continue
        if reg <= 0:
            continue
        weighted = cast / reg * 100
        reported = float(rt[i])
        tol = 0.005 + 1e-9
        if abs(reported - average) <= tol and abs(reported - weighted) > tol:
            col.add(
                "turnout-averaged",
                **u.where(int(i)),
                reported=reported,
                average=round(average, 2),
                weighted=float(pct(cast, reg)),
                regions=int(regions.sum()),
            )

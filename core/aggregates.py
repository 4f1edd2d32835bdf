"""Aggregate units hidden among the units they sum.

A "Total" row is caught by its name when the file is read. This catches the rest:
a unit whose votes for every option equal the sum of the other units of its region
(a county total typed in as one more precinct). Left in, it doubles every sum.
"""

from __future__ import annotations

from .model import Contest, Note


def drop_sum_units(contest: Contest, file: str | None) -> list[Note]:
    """Remove units that equal the sum of their siblings; return a warning for each."""
    import numpy as np
    import pandas as pd

    units, votes = contest.unit_frame, contest.votes
    if len(units) < 3 or votes.empty:
        return []
    leaves = (units["level"] != "nation").to_numpy()
    region = units["region"]
    if not isinstance(region.dtype, pd.CategoricalDtype):
        region = region.astype(str).astype("category")
    # Group by region code (a missing region is a group of its own, as "nan" was);
    # every unit that is not a leaf shares one more group.
    codes = region.cat.codes.to_numpy().astype(np.intp)
    k = len(region.cat.categories)
    key = np.where(leaves, np.where(codes < 0, k, codes), k + 1)

    def filled(column):  # a column at a time: a million rows of every option is large
        return np.nan_to_num(votes[column].to_numpy(dtype="float64", na_value=np.nan))

    counts = np.bincount(key, minlength=k + 2)[key]
    total = np.zeros(len(units))
    for column in votes.columns:
        total += filled(column)
    # 2 * own == region sum  ⇔  own == sum of the others. Needs 3+ units to mean anything.
    is_sum = leaves & (counts >= 3) & (total > 0)
    for column in votes.columns:
        if not is_sum.any():
            break
        own = filled(column)
        sums = np.bincount(key, weights=own, minlength=k + 2)[key]
        is_sum &= 2 * own == sums
    if not is_sum.any():
        return []
    named = contest.units  # only now are the names needed
    region_text = named["region"].astype(str).to_numpy()
    notes = []
    for pos in np.flatnonzero(is_sum):
        line = named["line"].iloc[pos]
        notes.append(
            Note(
                "aggregate-row",
                f"unit {named['name'].iloc[pos]!r} equals the sum of the other units of "
                f"{region_text[pos]!r}: left out of every sum",
                file=file,
                line=None if line != line else int(line),
                severity="warning",
            )
        )
    keep = ~is_sum
    contest.units = named[keep].reset_index(drop=True)
    contest.votes = votes[keep].reset_index(drop=True)
    contest.components = {k: v[keep].reset_index(drop=True) for k, v in contest.components.items()}
    return notes

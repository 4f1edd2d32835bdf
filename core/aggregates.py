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

    units, votes = contest.units, contest.votes
    if len(units) < 3 or votes.empty:
        return []
    leaves = (units["level"] != "nation").to_numpy()
    region = units["region"].astype(str).to_numpy()
    values = votes.to_numpy(dtype="float64", na_value=np.nan)
    filled = np.nan_to_num(values)
    key = np.where(leaves, region, "\x00")
    import pandas as pd

    sums = pd.DataFrame(filled).groupby(key).transform("sum").to_numpy()
    counts = pd.Series(key).map(pd.Series(key).value_counts()).to_numpy()
    total = filled.sum(axis=1)
    # 2 * own == region sum  ⇔  own == sum of the others. Needs 3+ units to mean anything.
    is_sum = leaves & (counts >= 3) & (total > 0) & np.all(2 * filled == sums, axis=1)
    if not is_sum.any():
        return []
    notes = []
    for pos in np.flatnonzero(is_sum):
        line = units["line"].iloc[pos]
        notes.append(
            Note(
                "aggregate-row",
                f"unit {units['name'].iloc[pos]!r} equals the sum of the other units of "
                f"{region[pos]!r}: left out of every sum",
                file=file,
                line=None if line != line else int(line),
                severity="warning",
            )
        )
    keep = ~is_sum
    contest.units = units[keep].reset_index(drop=True)
    contest.votes = votes[keep].reset_index(drop=True)
    contest.components = {k: v[keep].reset_index(drop=True) for k, v in contest.components.items()}
    return notes

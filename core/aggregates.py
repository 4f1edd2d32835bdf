"""Aggregate units hidden among the units they sum.

A "Total" row is caught by its name when the file is read. This catches the rest:
a unit whose votes for every option equal the sum of the other units of its region
(a county total typed in as one more precinct). Left in, it doubles every sum.
"""

from __future__ import annotations

from .model import Contest, Note

# Below these a unit equal to its siblings' sum is more likely a small real unit (two
# 1-vote wards and a 2-vote one) than a total typed in among them.
MIN_AGGREGATE_VOTES = 10
MIN_AGGREGATE_OPTIONS = 2


def drop_sum_units(contest: Contest, file: str | None) -> list[Note]:
    """Remove units that equal the sum of the other units of their parent (or of the
    whole file); return one warning that counts them.

    A unit counts as such a total only when it has votes for at least two options,
    at least ``MIN_AGGREGATE_VOTES`` votes, and at least two other units of its group
    have votes: tiny wards whose counts happen to add up stay units.
    """
    import numpy as np
    import pandas as pd

    units, votes = contest.unit_frame, contest.votes
    if len(units) < 3 or votes.empty:
        return []
    leaves = (units["level"] != "nation").to_numpy()
    parent = units["parent"] if "parent" in units else units["region"]
    if not isinstance(parent.dtype, pd.CategoricalDtype):
        parent = parent.astype(str).astype("category")
    codes = parent.cat.codes.to_numpy().astype(np.intp)
    k = len(parent.cat.categories)
    blank = np.asarray(parent.cat.categories == "")
    no_parent = (codes < 0) | (blank[np.maximum(codes, 0)] if k else True)
    by_parent = np.where(no_parent, k, codes)  # top-level units: one group of their own
    whole = np.zeros(len(units), dtype=np.intp)

    def filled(column):  # a column at a time: a million rows of every option is large
        return np.nan_to_num(votes[column].to_numpy(dtype="float64", na_value=np.nan))

    total = np.zeros(len(units))
    options = np.zeros(len(units), dtype=np.int64)
    for column in votes.columns:
        v = filled(column)
        total += v
        options += v > 0
    candidate = leaves & (total >= MIN_AGGREGATE_VOTES) & (options >= MIN_AGGREGATE_OPTIONS)
    if not candidate.any():
        return []
    is_sum = np.zeros(len(units), dtype=bool)
    for key in (by_parent, whole):
        key = np.where(leaves, key, key.max() + 1)
        nonzero = np.bincount(key, weights=(total > 0), minlength=key.max() + 1)[key]
        hit = candidate & (nonzero >= 3)
        for column in votes.columns:
            if not hit.any():
                break
            own = filled(column)
            sums = np.bincount(key, weights=own, minlength=key.max() + 1)[key]
            hit &= 2 * own == sums  # own == the sum of the others
        is_sum |= hit
    is_sum |= _equal_to_another_group(votes, filled, by_parent, leaves, candidate & ~is_sum)
    if not is_sum.any():
        return []
    named = contest.units  # only now are the names needed
    first = int(np.flatnonzero(is_sum)[0])
    line = named["line"].iloc[first]
    note = Note(
        "aggregate-row",
        f"{int(is_sum.sum())} unit(s) equal to the sum of the other units of their parent or "
        f"file (first: {named['name'].iloc[first]!r}) left out of every sum",
        file=file,
        line=None if line != line else int(line),
        severity="warning",
    )
    contest.keep_units(~is_sum)
    return [note]


def _equal_to_another_group(votes, filled, groups, leaves, candidate):
    """Units whose votes, option by option, equal the sum of a whole other group of
    units (a county's summary typed in among another county's towns)."""
    import numpy as np

    if not candidate.any():
        return np.zeros(len(leaves), dtype=bool)
    k = int(groups.max()) + 1
    matrix = np.column_stack([filled(c) for c in votes.columns])
    sums = np.zeros((k, matrix.shape[1]))
    np.add.at(sums, groups[leaves], matrix[leaves])
    members = np.bincount(groups[leaves], weights=(matrix[leaves].sum(axis=1) > 0), minlength=k)
    wanted = {tuple(row): g for g, row in enumerate(sums) if members[g] >= 2}
    out = np.zeros(len(leaves), dtype=bool)
    # One number per row first (a fixed random projection: equal rows give equal numbers),
    # so the exact comparison below runs on the few rows that might match, not a million.
    weights = np.random.default_rng(0).random(matrix.shape[1])
    group_keys = np.array([sums[g] @ weights for g in wanted.values()])
    maybe = candidate & np.isin(matrix @ weights, group_keys)
    for pos in np.flatnonzero(maybe):
        g = wanted.get(tuple(matrix[pos]))
        out[pos] = g is not None and g != groups[pos]
    return out

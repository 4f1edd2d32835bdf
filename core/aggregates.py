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
    whole file); return one warning that counts them (see :func:`sum_units`)."""
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

    def filled(j):  # a column at a time: a million rows of every option is large
        return np.nan_to_num(votes.iloc[:, j].to_numpy(dtype="float64", na_value=np.nan))

    whole = np.zeros(len(units), dtype=np.intp)
    is_sum = sum_units(filled, votes.shape[1], by_parent, whole, leaves)
    if not is_sum.any():
        return []
    named = contest.units  # only now are the names needed
    first = int(np.flatnonzero(is_sum)[0])
    line = named["line"].iloc[first]
    note = sum_units_note(int(is_sum.sum()), named["name"].iloc[first], line, file)
    contest.keep_units(~is_sum)
    return [note]


def absent_note(absent: int, file: str | None) -> Note:
    """The (unit, option) pairs with no row, counted: no votes there."""
    return Note(
        "absent-options",
        f"{absent} (unit, option) pair(s) have no row: no votes there (not on that unit's ballot)",
        file=file,
    )


def sum_units_note(count: int, first_name, line, file: str | None, contests: int = 1) -> Note:
    where = f" in {contests} contests" if contests > 1 else ""
    return Note(
        "aggregate-row",
        f"{count} unit(s){where} equal to the sum of the other units of their parent or "
        f"file (first: {first_name!r}) left out of every sum",
        file=file,
        line=None if line != line else int(line),
        severity="warning",
    )


def sum_units(filled, columns: int, by_parent, whole, leaves):
    """Which units equal the sum of the other units of their parent group or of their
    ``whole`` group (the file, or its contest), or the sum of another parent group of
    the same whole. ``filled(j)`` gives option column ``j`` (no votes as 0).

    A unit counts as such a total only when it has votes for at least two options,
    at least ``MIN_AGGREGATE_VOTES`` votes, and at least two other units of its group
    have votes: tiny wards whose counts happen to add up stay units. Groups never
    straddle two ``whole`` groups, so every contest of a file is decided in one call.
    """
    import numpy as np

    n = len(leaves)
    total = np.zeros(n)
    options = np.zeros(n, dtype=np.int64)
    for j in range(columns):
        v = filled(j)
        total += v
        options += v > 0
    candidate = leaves & (total >= MIN_AGGREGATE_VOTES) & (options >= MIN_AGGREGATE_OPTIONS)
    is_sum = np.zeros(n, dtype=bool)
    if not candidate.any():
        return is_sum
    for key in (by_parent, whole):
        key = np.where(leaves, key, key.max() + 1)
        nonzero = np.bincount(key, weights=(total > 0), minlength=key.max() + 1)[key]
        hit = candidate & (nonzero >= 3)
        for j in range(columns):
            if not hit.any():
                break
            own = filled(j)
            sums = np.bincount(key, weights=own, minlength=key.max() + 1)[key]
            hit &= 2 * own == sums  # own == the sum of the others
        is_sum |= hit
    is_sum |= _equal_to_another_group(
        filled, columns, by_parent, whole, leaves, candidate & ~is_sum, total
    )
    return is_sum


def _equal_to_another_group(filled, columns: int, groups, whole, leaves, candidate, total):
    """Units whose votes, option by option, equal the sum of a whole other group of
    units of the same ``whole`` (a county's summary typed in among another county's
    towns)."""
    import numpy as np
    import pandas as pd

    out = np.zeros(len(leaves), dtype=bool)
    if not candidate.any():
        return out
    k = int(groups.max()) + 1
    whole_of = np.zeros(k, dtype=np.int64)
    whole_of[groups] = whole
    in_group = groups[leaves]
    members = np.bincount(in_group, weights=(total[leaves] > 0), minlength=k)
    eligible = np.flatnonzero(members >= 2)
    # Equal votes mean an equal total: only units whose total is some group's are
    # compared, option by option, and those are few.
    group_total = np.bincount(in_group, weights=total[leaves], minlength=k)
    totals = pd.Series(total, copy=False)  # a hash lookup, not a sort of every unit
    maybe = np.flatnonzero(candidate & totals.isin(group_total[eligible]).to_numpy())
    if not len(maybe):
        return out
    sums = np.zeros((k, columns))
    rows = np.zeros((len(maybe), columns))
    for j in range(columns):
        col = filled(j)
        sums[:, j] = np.bincount(in_group, weights=col[leaves], minlength=k)
        rows[:, j] = col[maybe]
    wanted = {(whole_of[g], tuple(sums[g])): g for g in eligible}
    for pos, row in zip(maybe, rows, strict=True):
        g = wanted.get((whole[pos], tuple(row)))
        out[pos] = g is not None and g != groups[pos]
    return out

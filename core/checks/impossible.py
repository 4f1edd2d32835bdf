"""Impossible figures in a loaded contest, as warnings for report (issue 12, item 9).

The rules are validate's own check functions (one rule for each check): the
arithmetic and plausibility checks run on the contest, and the findings of the
impossible kinds become notes. report prints them on stderr and in the JSON
``notes``; validate lists the same findings as errors.
"""

from __future__ import annotations

from ..model import Contest, Election, Note

# Figures no real count can give: more ballots than voters, fewer ballots than votes.
IMPOSSIBLE = ("turnout-over-100", "ballots-dont-add-up")


def impossible_figures(election: Election, contest: Contest) -> list[Note]:
    """One warning per kind of impossible figure, counting the units it concerns."""
    from .arithmetic import check_arithmetic
    from .context import Units
    from .findings import Collector
    from .plausibility import check_plausibility

    if not _may_hold_one(contest):
        return []  # decided up front on whole columns: the labels of a million units wait
    col = Collector(election.file or "-", select=IMPOSSIBLE, max_examples=1)
    multi = len(election.contests) > 1
    units = Units.of_contest(election, contest, election.contests.index(contest), multi)
    check_arithmetic(units, col, {})
    check_plausibility(units, col)
    notes = []
    for code in IMPOSSIBLE:
        count = col.counts.get(code, 0)
        if not count:
            continue
        first = next(f for f in col.findings if f.code == code)
        text = first.message.split(": ", 1)[-1] if first.message else code
        more = f" (and {count - 1} more like it; elect validate lists them)" if count > 1 else ""
        notes.append(
            Note(code, f"impossible figure: {text}{more}", file=election.file, severity="warning")
        )
    return notes


def _may_hold_one(contest: Contest) -> bool:
    """Whether any unit could fail a check above: more ballots than registered voters, or
    votes + invalid not equal to the ballots cast (a superset of what the checks flag)."""
    import numpy as np

    units = contest.unit_frame
    reg = units["registered"].to_numpy(dtype="float64")
    cast = units["ballots_cast"].to_numpy(dtype="float64")
    if bool(np.any(cast > reg)):  # NaN compares False
        return True
    given = ~np.isnan(cast)
    counted = np.nan_to_num(units["invalid"].to_numpy(dtype="float64"))
    for column in contest.votes.columns:  # a column at a time: no matrix of a million rows
        v = contest.votes[column].to_numpy(dtype="float64", na_value=np.nan)
        given &= ~np.isnan(v)
        counted += np.nan_to_num(v)
    return bool(np.any(given & (counted != cast)))

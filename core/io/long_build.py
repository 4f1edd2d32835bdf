"""Contests from the counted rows of a long file.

Every contest is summarised in one grouped pass over the rows (:mod:`.long_cells`):
its options, the units it leaves out and its totals by option, which is all that
``elect contests`` and a multi-contest ``report`` show. A contest's frames are built
from the same cells only when something reads them, in time proportional to its own
rows; with ``--contest`` only the picked contest's rows are grouped at all.
"""

from __future__ import annotations

from ..model import COUNT_FIELDS, Contest, ContestFrames, Note, UnitTable, units_frame
from .long_cells import ContestCells, contest_label, pick_contests
from .long_rows import UNIT_WIDE, LongRows


def build_contests(rows: LongRows, notes: list[Note], only: str | None = None) -> list[Contest]:
    """Every contest of the rows, its frames built when first read; with ``only`` (a
    --contest name that picks exactly one), that one alone."""
    import numpy as np
    import pandas as pd

    df = rows.df
    # Sorted by key text (a categorical would sort by its categories' order).
    codes, keys = pd.factorize(np.asarray(df["contest"], dtype=object), sort=True)
    if only is not None:
        picked = pick_contests(keys, only, rows.file)
        if len(picked) == 1:  # otherwise every contest, and the selection says why
            keep = codes == picked[0]
            df, keys = df[keep].reset_index(drop=True), keys[picked]
            codes = np.zeros(len(df), dtype=np.int64)
    cells = ContestCells(rows, df, codes, keys, notes)
    summaries = cells.summaries()
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(np.asarray(codes)[order], np.arange(len(keys) + 1))
    contests = []
    for i, key in enumerate(keys):
        office, cdistrict = key.split("\x1f")
        cid, _, shown_office = contest_label(key)
        contest = Contest(
            id=cid,
            office=shown_office,
            district=cdistrict or None,
            options=cells.options[i],
            build=_Builder(cells, i, key, order[bounds[i] : bounds[i + 1]]),
            summary=summaries[i],
        )
        contests.append(contest)
    return contests


class _Builder:
    """Builds contest ``i``'s frames from the cells, once, when first read."""

    def __init__(self, cells: ContestCells, i: int, key: str, row_index) -> None:
        self.cells, self.i, self.key, self.row_index = cells, i, key, row_index

    def __call__(self, contest: Contest) -> ContestFrames:
        import numpy as np
        import pandas as pd

        cells, i, rows = self.cells, self.i, self.cells.rows
        lo, hi = cells.unit_start[i], cells.unit_start[i + 1]
        units = lo + np.flatnonzero(cells.kept[lo:hi])
        local = np.full(hi - lo, -1, dtype=np.int64)
        local[units - lo] = np.arange(len(units))
        options = contest.options
        own = (cells.cell_unit >= lo) & (cells.cell_unit < hi)
        own &= cells.kept[cells.cell_unit]
        at = np.flatnonzero(own)
        r, c = local[cells.cell_unit[at] - lo], cells.cell_pos[at]

        def matrix(values, absent: float):
            out = np.full((len(units), len(options)), absent)
            out[r, c] = values[at]
            frame = pd.DataFrame(out, columns=[o.id for o in options], copy=False)
            frame.columns.name = "option_id"
            return frame

        # An option with no row in a unit: not on its ballot, no votes there.
        votes = matrix(cells.cell_votes, 0.0)
        components = {
            name[2:]: matrix(cells.cell_sums(name), np.nan)
            for name in cells.df.columns
            if name.startswith("c:")
        }
        unit_id, parent, level, district = cells.unit_ids(units)
        cols = {
            "unit_id": unit_id,
            "name": cells.unit_names(units),
            "level": np.full(len(units), level, dtype=object),
            "region": cells.parts[0][units].astype(str),
            "district": district,
            "parent": parent if level != "region" else None,
            "line": cells.unit_line[units],
        }
        df = cells.df
        rows_of = cells.row_unit[self.row_index]
        for attr in ("abroad", "country", "mission"):
            if attr not in df.columns:
                continue
            values = df[attr].to_numpy()[self.row_index]
            if attr == "abroad":
                cols[attr] = np.bincount(rows_of - lo, values.astype(bool), hi - lo)[units - lo] > 0
            else:
                cols[attr] = values[_first_of(rows_of - lo, hi - lo)][units - lo]
        cols.update(self._counts(rows, units))
        return ContestFrames(UnitTable(units_frame(cols)), votes, components)

    def _counts(self, rows: LongRows, units) -> dict:
        """Unit totals (Registered Voters, Ballots Cast rows): the contest's own rows win
        over unit-wide ones."""
        import pandas as pd

        totals = rows.totals
        if not len(totals):
            return {}
        totals = totals[totals["contest"].isin([self.key, UNIT_WIDE])]
        keys = list(rows.unit_cols)
        parts = [p[units] for p in self.cells.parts]
        index = pd.MultiIndex.from_arrays(parts, names=keys) if len(keys) > 1 else parts[0]
        out = {}
        for fld in COUNT_FIELDS:
            t = totals[totals["field"] == fld]
            if t.empty:
                continue
            t = t.assign(own=(t["contest"] == self.key)).sort_values("own")
            by_unit = t.groupby([*keys, "own"], observed=True)["votes"].sum(min_count=1)
            by_unit = by_unit.reset_index().drop_duplicates(keys, keep="last")
            by_unit = by_unit.set_index(keys)["votes"]
            out[fld] = by_unit.reindex(index).to_numpy()
        return out


def _first_of(codes, n: int):
    """The position of each code's first row (codes 0..n-1)."""
    import numpy as np

    first = np.full(n, 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the last write wins: the first row
    return first

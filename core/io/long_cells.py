"""Every contest of a long file in one grouped pass: cells, exclusions and summaries.

The counted rows (:class:`~elect.core.io.long_rows.LongRows`) are grouped once by
(contest, unit, option). From those cells come, for every contest at once: its
options, its units in the order a pivot of its rows gives them, the units left out
(no number in any row; equal to the sum of the other units of their parent or
contest), the absent (unit, option) pairs, and the totals by option that
``elect contests`` shows. A contest's frames are built from the same cells when they
are first read (:mod:`.long_build`), so a summary line and the contest's report
cannot disagree.
"""

from __future__ import annotations

from ..aggregates import absent_note, sum_units, sum_units_note
from ..model import Note, Option
from .headers import normalise_header, slug
from .interpret import UNIT_RANKS
from .long_rows import LongRows
from .options import option_kind
from .row_codes import group_codes


def contest_label(key: str) -> tuple[str, str, str]:
    """The (id, name, office) a contest key gives its Contest, without building it."""
    office, cdistrict = key.split("\x1f")
    cid = slug(f"{office} {cdistrict}".strip()) if office else "main"
    shown = office or "Main contest"
    return cid, f"{shown} ({cdistrict})" if cdistrict else shown, shown


def pick_contests(keys, only: str, file: str) -> list[int]:
    """The positions in ``keys`` (contest keys, sorted) that a --contest name picks:
    one, or several for the report to list; none is an error naming the contests."""
    from ..report import match_contests, no_contest

    labels = [contest_label(k) for k in keys]
    picked = match_contests(labels, only, [k.split("\x1f")[1] for k in keys])
    if not picked:
        raise no_contest(only, [lbl[1] for lbl in labels], file)
    return picked


class ContestCells:
    """The cells of every contest in ``df`` (rows of ``rows.df``; ``codes`` numbers
    their contest in ``keys``), with the units each contest leaves out."""

    def __init__(self, rows: LongRows, df, codes, keys, notes: list[Note]) -> None:
        import numpy as np

        self.rows, self.df, self.keys = rows, df, list(keys)
        self.cc = cc = np.asarray(codes, dtype=np.int64)
        nc = len(self.keys)
        self._options(df, cc, nc)
        self._units(df, cc, nc)
        self._cells(df)
        self._left_out(notes)

    # -- options ------------------------------------------------------------------
    def _options(self, df, cc, nc: int) -> None:
        """Options of each contest in the order its rows first name them."""
        import numpy as np

        pair = group_codes([cc, df["option"]])  # (contest, option) in order of first sight
        first = _first_rows(pair)
        pos, by_contest, starts = _rank_within(cc[first], nc)
        self.row_pos = pos[pair]
        self.n_options = np.diff(starts)
        names = df["option"].to_numpy(dtype=object)
        party = df["party"].to_numpy(dtype=object)
        given = np.flatnonzero(party != "")
        party_of = dict(zip(pair[given][::-1], party[given][::-1], strict=True))  # first wins
        self.options: list[list[Option]] = []
        kinds: dict[str, str] = {}
        for c in range(nc):
            options, ids = [], set()
            for p in by_contest[starts[c] : starts[c + 1]]:
                name = names[first[p]]
                oid = base = slug(name)
                k = 2
                while oid in ids:  # two spellings, one slug: never merged silently
                    oid, k = f"{base}_{k}", k + 1
                ids.add(oid)
                if name not in kinds:
                    kinds[name] = option_kind(name)
                options.append(
                    Option(id=oid, name=name, party=party_of.get(p) or None, kind=kinds[name])
                )
            self.options.append(options)

    # -- units --------------------------------------------------------------------
    def _units(self, df, cc, nc: int) -> None:
        """Units numbered contest by contest, each contest's in pivot order: by each key
        column's values in the order the contest's rows first name them."""
        import numpy as np

        rows = self.rows
        cols = [df[c].to_numpy(dtype=object) for c in rows.unit_cols]
        unit = group_codes([cc, *cols])
        first = _first_rows(unit)
        ranks = []
        for col in cols:
            level = group_codes([cc, col])
            rank, _, _ = _rank_within(cc[_first_rows(level)], nc)
            ranks.append(rank[level[first]])
        ucc = cc[first]
        order = np.lexsort((*reversed(ranks), ucc))
        renumber = np.empty(len(order), dtype=np.int64)
        renumber[order] = np.arange(len(order))
        self.row_unit = renumber[unit]
        self.unit_first = first[order]  # the first row of each unit
        self.unit_cc = ucc[order]
        self.unit_start = np.searchsorted(self.unit_cc, np.arange(nc + 1))
        self.parts = [col[self.unit_first] for col in cols]  # key values of each unit
        line = df["line"].to_numpy()
        first_line = np.full(len(order), np.iinfo(np.int64).max)
        np.minimum.at(first_line, self.row_unit, line)
        self.unit_line = first_line

    def unit_ids(self, units):
        """unit_id, parent and level of some units, as the contest's unit frame has them."""
        import numpy as np

        rows = self.rows
        parts = [p[units].astype(str) for p in self.parts]
        n = len(rows.unit_cols)
        unit_id = parts[0]
        for p in parts[1:]:
            unit_id = _join(unit_id, p)
        if n == 1:
            return unit_id, np.full(len(units), "", dtype=object), "region", None
        rank = UNIT_RANKS.get(normalise_header(rows.headers[-1]), 5)
        level = "station" if rank >= 4 else "district"
        if n >= 3:
            district = parts[0]
            for p in parts[1:-1]:
                district = _join(district, p)
        elif level == "district":
            district = unit_id  # a district unit is its own district; its parent its region
        else:
            district = None
        parent = district if level == "station" and district is not None else parts[0]
        return unit_id, parent, level, district

    # -- cells --------------------------------------------------------------------
    def _cells(self, df) -> None:
        """One cell per (unit, option) given by a row: the sum of its votes (NaN when
        no row holds a number)."""
        import pandas as pd

        width = int(self.n_options.max()) if len(self.n_options) else 1
        self.row_cell, cell_key = pd.factorize(self.row_unit * width + self.row_pos)
        self.cell_unit, self.cell_pos = cell_key // width, cell_key % width
        self.cell_votes = _sums(self.row_cell, df["votes"].to_numpy(dtype="float64"), len(cell_key))

    def cell_sums(self, column: str):
        return _sums(self.row_cell, self.df[column].to_numpy(dtype="float64"), len(self.cell_unit))

    # -- units left out -----------------------------------------------------------
    def _left_out(self, notes: list[Note]) -> None:
        import numpy as np

        rows, nc = self.rows, len(self.keys)
        nu = len(self.unit_cc)
        numbered = np.bincount(self.cell_unit, ~np.isnan(self.cell_votes), nu) > 0
        empty = ~numbered  # rows for the unit, no number in any
        for c in np.unique(self.unit_cc[empty]):
            units = np.flatnonzero(empty & (self.unit_cc == c))
            first_key = tuple(str(p[units[0]]) for p in self.parts)
            rows.note(
                "empty-rows",
                f"{len(units)} unit(s) whose rows hold no number left out (first: "
                f"{' / '.join(first_key)!r})",
            )
        kept = ~empty
        kept_cell = kept[self.cell_unit]
        per_contest = np.bincount(self.unit_cc[kept], minlength=nc)
        cells = np.bincount(self.unit_cc[self.cell_unit[kept_cell]], minlength=nc)
        absent = int((per_contest * self.n_options - cells).sum())
        is_sum = self._sum_units(kept, per_contest)
        if is_sum.any():
            sums = np.bincount(self.unit_cc[is_sum], minlength=nc)
            first = int(np.flatnonzero(is_sum)[0])
            notes.append(
                sum_units_note(
                    int(is_sum.sum()),
                    self.unit_names(np.array([first]))[0],
                    self.unit_line[first],
                    rows.file,
                    contests=int((sums > 0).sum()),
                )
            )
        if absent:
            notes.append(absent_note(absent, rows.file))
        self.kept = kept & ~is_sum

    def _sum_units(self, kept, per_contest):
        """The sum rule of :func:`elect.core.aggregates.sum_units`, every contest at once."""
        import numpy as np
        import pandas as pd

        units = np.flatnonzero(kept)
        out = np.zeros(len(kept), dtype=bool)
        if not len(units):
            return out
        local = np.full(len(kept), -1, dtype=np.int64)
        local[units] = np.arange(len(units))
        take = kept[self.cell_unit]
        cell_local = local[self.cell_unit[take]]
        cell_pos = self.cell_pos[take]
        cell_votes = np.nan_to_num(self.cell_votes[take])

        def filled(j):
            col = np.zeros(len(units))
            at = cell_pos == j
            col[cell_local[at]] = cell_votes[at]
            return col

        whole = self.unit_cc[units]
        _, parent, _, _ = self.unit_ids(units)
        blank = parent == ""
        rank = pd.factorize(parent, sort=True)[0]
        rank = np.where(blank, rank.max() + 1, rank)  # top-level units: a group of their own
        by_parent = pd.factorize(whole * (rank.max() + 1) + rank, sort=True)[0]
        leaves = np.ones(len(units), dtype=bool)
        columns = int(self.n_options.max())
        found = sum_units(filled, columns, by_parent, whole, leaves)
        found &= per_contest[whole] >= 3  # as in drop_sum_units: three units at least
        out[units[found]] = True
        return out

    def unit_names(self, units):
        """The names of some units: the leaf key's value, or its parent's, said so."""
        import numpy as np

        leaf = self.parts[-1][units].astype(str)
        if len(self.parts) > 1:  # a row with a parent but no leaf: the parent's own votes
            parent = self.parts[-2][units].astype(str)
            header = self.rows.headers[-1]
            blank = leaf == ""
            leaf = np.where(blank, "(" + parent.astype(object) + ": no " + header + ")", leaf)
        return leaf.astype(object)

    # -- summaries ----------------------------------------------------------------
    def summaries(self):
        """Per contest: (leaf units, {option id: total or None}), from the kept cells."""
        import numpy as np

        nc = len(self.keys)
        kept = self.kept
        leaf = kept & self._leaves()
        n_leaves = np.bincount(self.unit_cc[leaf], minlength=nc)
        take = leaf[self.cell_unit]
        cc = self.unit_cc[self.cell_unit[take]]
        pos = self.cell_pos[take]
        votes = self.cell_votes[take]
        width = int(self.n_options.max())
        slot = cc * width + pos
        totals = np.bincount(slot, np.nan_to_num(votes), nc * width)
        blank = np.bincount(slot, np.isnan(votes), nc * width) > 0
        out = []
        for c in range(nc):
            figures = {}
            for j, opt in enumerate(self.options[c]):
                s = c * width + j
                figures[opt.id] = None if n_leaves[c] == 0 or blank[s] else int(totals[s])
            out.append((int(n_leaves[c]), figures))
        return out

    def _leaves(self):
        """Units no other kept unit of their contest names as its parent (tally.leaf_mask)."""
        import numpy as np

        units = np.arange(len(self.unit_cc))
        if len(self.rows.unit_cols) == 1:
            return np.ones(len(units), dtype=bool)
        unit_id, parent, _, _ = self.unit_ids(units)
        named = self.kept & (parent != "")
        codes = group_codes(
            [
                np.concatenate([self.unit_cc, self.unit_cc[named]]),
                np.concatenate([unit_id.astype(object), parent[named].astype(object)]),
            ]
        )
        return ~np.isin(codes[: len(units)], codes[len(units) :])


def _join(a, b):
    import numpy as np

    return np.char.add(np.char.add(a.astype(str), "/"), b.astype(str)).astype(object)


def _first_rows(codes):
    """The first row of each code (codes numbered in order of first sight)."""
    import numpy as np

    first = np.full(int(codes.max()) + 1 if len(codes) else 0, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return first


def _sums(codes, values, m: int):
    """Sums by code; NaN where no value was given (min_count=1)."""
    import numpy as np

    missing = np.isnan(values)
    total = np.bincount(codes, np.where(missing, 0.0, values), m)
    present = np.bincount(codes, ~missing, m) > 0
    return np.where(present, total, np.nan)


def _rank_within(contest_of, nc: int):
    """For groups listed in order of first sight with their contest codes: each group's
    rank within its contest, the groups ordered by contest (stable), and where each
    contest's groups start in that order."""
    import numpy as np

    order = np.argsort(contest_of, kind="stable")
    starts = np.searchsorted(contest_of[order], np.arange(nc + 1))
    rank = np.empty(len(contest_of), dtype=np.int64)
    rank[order] = np.arange(len(contest_of)) - starts[contest_of[order]]
    return rank, order, starts

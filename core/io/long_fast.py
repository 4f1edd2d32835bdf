"""Long station files read in chunks: the fast path of the long loader.

A long file of a million stations has seven million rows. Read whole, as text, it
takes gigabytes; here it is read a million rows at a time with the dtypes fixed up
front (names as categoricals, votes as float64, station numbers as integers), each
chunk is summed per (unit, option) on integer codes, and the sums are pivoted once
at the end.

The long loader decides up front whether a file can take this path (``applies``):
a plain station layout, with no office, party, vote modes or columns of unknown
meaning. What the path finds unusual in the rows (text in a count, a "Total" option
or unit, a blank row, an option repeated for a unit) sends the file to the general
path, which reads the same interpretation and explains it; the answers are the same
(tests/test_scale.py and tests/test_loaders.py hold the two paths to each other).
"""

from __future__ import annotations

import contextlib
from typing import Any

from ..aggregates import absent_note, drop_sum_units
from ..model import COUNT_FIELDS, Contest, Election, Note
from .chunked_io import ReadAhead, byte_range, halves
from .long_fast_arrays import (
    _KEY_SHIFT,
    Labels,
    NotFast,
    _factorize,
    _merge,
    _sums,
    _units_of,
)
from .options import TOTAL_OPTION, total_row_field
from .source import InputSource
from .table import Table
from .wide_columns import name_from


def applies(plan) -> dict | None:
    """The columns by role when a long file fits the chunked path, else None."""
    if plan.office or plan.contest_parts or plan.party or plan.modes or plan.mode:
        return None
    if plan.counts or plan.unknown or plan.votes is None or not 1 <= len(plan.unit) <= 3:
        return None
    if plan.repeated != "error":
        return None
    col_of = {"option": plan.option, "votes": plan.votes, **plan.attrs}
    col_of.update(zip(unit_roles(plan), plan.unit, strict=True))
    return col_of


def unit_roles(plan) -> list[str]:
    """region / district / station for the unit-key columns, outermost first."""
    from .headers import normalise_header
    from .interpret import UNIT_RANKS

    n = len(plan.unit)
    if n == 1:
        return ["region"]
    if n == 2:
        leaf = UNIT_RANKS.get(normalise_header(plan.unit[1]), 3)
        return ["region", "station" if leaf >= 4 else "district"]
    return ["region", "district", "station"]


CHUNK_ROWS = 1 << 20
HALVES_FROM = 32 << 20  # bytes: a file this large is parsed in two halves


def load_chunked(src: InputSource, encoding: str | None, col_of: dict) -> Election:
    """Station labels as numbers and names as categoricals first (fast); as text where
    that could merge or change labels."""
    numbers, names_text = True, False
    while True:
        try:
            return _ChunkedLong(
                src, encoding, col_of, station_numbers=numbers, names_as_text=names_text
            ).run()
        except _NotNumbers:
            numbers = False
        except _NamesAsText:
            names_text = True


class _NotNumbers(Exception):
    """The station column holds text, or two labels that read as one number (01 and 1)
    may have merged: read it as text."""


class _NamesAsText(Exception):
    """pandas read the names of a chunk as numbers ("01" as 1): read them as text."""


class _ChunkedLong:
    def __init__(
        self, src, encoding, col_of, *, station_numbers: bool, names_as_text: bool = False
    ) -> None:
        self.src, self.encoding, self.col_of = src, encoding, col_of
        self.numbers = station_numbers and "station" in col_of
        self.names_as_text = names_as_text
        self.repeated: list[int] = []  # lines of (unit, option) pairs given on another row
        self.regions, self.districts, self.pairs = Labels(), Labels(), Labels()
        self.options, self.stations = Labels(), Labels()
        self.places = {r: Labels() for r in ("country", "mission") if r in col_of}
        self.parts: list[dict] = []
        self.option_order: list[int] = []
        self.blank: list[tuple] = []  # (unit keys, option codes) of rows with a blank count
        self.absent = 0  # (unit, option) pairs with no row

    def run(self) -> Election:
        import pandas as pd

        from .table import read_header

        headers, enc, delimiter, notes = read_header(self.src, self.encoding)
        col_of = self.col_of
        roles = [
            r
            for r in ("region", "district", "station", "abroad", "country", "mission", "option")
            if r in col_of
        ]
        name_type = object if self.names_as_text else "category"
        dtypes = {col_of[r]: name_type for r in roles}
        if "station" in col_of:
            dtypes[col_of["station"]] = "int64" if self.numbers else object
        dtypes[col_of["votes"]] = "float64"
        usecols = list(dtypes)
        options: dict[str, Any] = dict(
            sep=delimiter,
            encoding=enc,
            usecols=usecols,
            dtype=dtypes,
            keep_default_na=False,
            na_values={c: [""] for c in usecols},
            skip_blank_lines=False,
            engine="c",
            chunksize=CHUNK_ROWS,
        )
        offset = 0
        with contextlib.ExitStack() as stack:
            pieces = halves(self.src, enc, HALVES_FROM)
            if pieces is None:
                stream = stack.enter_context(self.src.open_binary())
                readers = [pd.read_csv(stream, **options)]
            else:  # two parsers, one a core, each on half of the file
                readers = []
                for i, (start, end) in enumerate(pieces):
                    stream = stack.enter_context(byte_range(self.src.path, start, end))
                    header: dict[str, Any] = (
                        {"header": 0} if i == 0 else {"header": None, "names": headers}
                    )
                    readers.append(pd.read_csv(stream, **options, **header))
            ahead = [stack.enter_context(ReadAhead(r)) for r in readers]
            try:
                for source in ahead:
                    for chunk in source:
                        self._chunk(chunk, offset)
                        offset += len(chunk)
            except ValueError as exc:
                if self.numbers and _station_failed(exc):
                    raise _NotNumbers from exc
                raise NotFast from exc
            except pd.errors.ParserError as exc:  # pragma: no cover - ValueError above
                raise NotFast from exc
        self.delimiter, self.enc, self.rows = delimiter, enc, offset
        return self._election(list(self.src.notes) + notes)

    # -- one chunk --------------------------------------------------------------
    def _chunk(self, chunk, offset: int) -> None:
        import numpy as np

        from .counts import check_counts

        col_of, n = self.col_of, len(chunk)
        first_line = offset + Table.LINE_OFFSET
        lines = range(first_line, first_line + n)  # indexed only to name a bad row
        votes = chunk[col_of["votes"]].to_numpy()
        check_counts(votes, file=self.src.name, column=col_of["votes"], first_line=offset + 2)
        option = self._codes(chunk[col_of["option"]], self.options)
        if (option < 0).any():
            raise NotFast  # a blank row or a blank option: the general path names it
        region = self._codes(chunk[col_of["region"]], self.regions)
        district = (
            self._codes(chunk[col_of["district"]], self.districts)
            if "district" in col_of
            else np.zeros(n, dtype=np.int64)
        )
        if (region < 0).any() or (district < 0).any():
            raise NotFast
        if "district" not in col_of and not self.districts.labels:
            self.districts.codes_of([""])
        pairs = self._pairs(region, district)
        station = self._station(chunk, n)
        if (station < 0).any() or (station >= 1 << _KEY_SHIFT).any():
            if self.numbers:
                raise _NotNumbers
            raise NotFast
        key = (pairs << _KEY_SHIFT) | station
        kinds = self._option_kinds()
        fields = kinds[option]  # -1 option, 0.. count field
        is_opt = fields < 0
        units, ukeys = _units_of(key)
        m = len(ukeys)
        part: dict = {"key": ukeys}
        ou, oo = units[is_opt], option[is_opt]
        seen = np.flatnonzero(np.bincount(oo, minlength=len(kinds)))
        new = [int(c) for c in seen if c not in self.option_order]
        if new:  # options in the order the file first names them
            first_row = {c: int(np.argmax(oo == c)) for c in new}
            self.option_order += sorted(new, key=first_row.__getitem__)
        column = np.full(len(kinds), -1, dtype=np.int64)
        column[self.option_order] = np.arange(len(self.option_order))
        cell = ou * len(self.option_order) + column[oo]
        opt_votes = votes[is_opt]
        part["votes"] = _sums(cell, opt_votes, m, len(self.option_order))
        blank = np.isnan(opt_votes)
        if blank.any():
            # A blank cell is no number; an absent pair is a zero (see _contest). Few
            # files have any: their pairs are kept aside, not a matrix of every pair.
            where = np.flatnonzero(blank)
            self.blank.append((ukeys[ou[where]], oo[where]))
        given = np.bincount(cell, minlength=m * len(self.option_order))
        if (given > 1).any():  # an option of a unit on a second row
            again = np.flatnonzero(given[cell] > 1)
            _, first = np.unique(cell[again], return_index=True)
            seconds = np.setdiff1d(again, again[first])
            self.repeated.append(int(np.flatnonzero(is_opt)[seconds.min()]) + first_line)
        part["rows"] = np.bincount(ou, minlength=m).astype(np.int32)
        first = np.full(m, -1, dtype=np.int64)
        first[ou[::-1]] = np.flatnonzero(is_opt)[::-1]  # the last write wins: the first row
        part["line"] = np.where(first >= 0, first + first_line, np.iinfo(np.int64).max)
        if not is_opt.all():
            totals = ~is_opt
            k = len(COUNT_FIELDS)
            part["counts"] = _sums(units[totals] * k + fields[totals], votes[totals], m, k)
        if "abroad" in col_of:
            from .wide_columns import abroad_column

            name = col_of["abroad"]
            flag = abroad_column(chunk[name], self.src.name, name, lines)
            part["abroad"] = np.bincount(ou, flag[is_opt], m) > 0
        for role, labels in self.places.items():
            codes = self._codes(chunk[col_of[role]], labels, blank="")
            part[role] = codes[np.maximum(first, 0)]
        self.parts.append(part)

    def _pairs(self, region, district):
        """Codes of (region, district) pairs: a table of the few pairs, not a hash a row."""
        import numpy as np

        width = len(self.districts.labels)
        combo = region * width + district
        present = np.flatnonzero(np.bincount(combo))
        self.pairs.codes_of([(int(c) // width, int(c) % width) for c in present])
        table = np.full(len(self.regions.labels) * width, -1, dtype=np.int64)
        for c, (r, d) in enumerate(self.pairs.labels):
            table[r * width + d] = c
        return table[combo]

    def _codes(self, series, labels: Labels, blank: str | None = None):
        """Global codes of a column's stripped labels (-1 where blank)."""
        import numpy as np
        import pandas as pd

        if isinstance(series.dtype, pd.CategoricalDtype):
            cats = series.cat.categories
            if not all(isinstance(c, str) for c in cats):
                raise _NamesAsText  # inferred as numbers: "01" became 1
            codes = series.cat.codes.to_numpy()
        else:
            codes, cats = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
        stripped = [str(c).strip() for c in cats]
        table = np.append(
            labels.codes_of(stripped), -1 if blank is None else labels.codes_of([blank])
        )
        return table[np.where(codes < 0, len(cats), codes)]

    def _station(self, chunk, n: int):
        import numpy as np
        import pandas as pd

        if "station" not in self.col_of:
            if not self.stations.labels:
                self.stations.codes_of([""])
            return np.zeros(n, dtype=np.int64)
        col = chunk[self.col_of["station"]]
        if self.numbers:
            return col.to_numpy()
        text = col.fillna("").astype(str).str.strip()
        codes, uniques = pd.factorize(text.to_numpy(dtype=object))
        return self.stations.codes_of(list(uniques))[codes]

    def _option_kinds(self):
        """Per option code: -1 for a ballot option, else the index of its count field."""
        import numpy as np

        out = []
        for label in self.options.labels:
            if TOTAL_OPTION.match(label):
                raise NotFast  # "Total Votes" rows: the general path keeps them apart
            fld = total_row_field(label)
            out.append(-1 if fld is None else COUNT_FIELDS.index(fld))
        return np.array(out, dtype=np.int64)

    # -- the whole file ---------------------------------------------------------
    def _election(self, notes: list[Note]) -> Election:
        contest = self._contest()
        if self.repeated:
            if self.numbers:
                raise _NotNumbers  # perhaps "01" and "1", two stations read as one number
            raise NotFast  # the general path says which rows repeat, and refuses them
        election = Election(
            name=name_from(self.src.name), notes=notes, file=self.src.name, input_format="long-csv"
        )
        notes.extend(drop_sum_units(contest, self.src.name))
        if self.absent:
            notes.append(absent_note(self.absent, self.src.name))
        election.contests.append(contest)
        return election

    def _combined(self) -> dict:
        """The chunks' sums as one row per unit (a unit may straddle chunks)."""
        import numpy as np

        k = len(self.option_order)
        parts = self.parts
        for p in parts:  # options first seen in a later chunk widen the earlier ones
            pad = k - p["votes"].shape[1]
            if pad:
                p["votes"] = np.pad(p["votes"], ((0, 0), (0, pad)), constant_values=np.nan)
        out: dict = {}
        for name in set().union(*(p.keys() for p in parts)):
            like = next(p[name] for p in parts if name in p)
            arrays = [
                p[name] if name in p else np.full((len(p["key"]), *like.shape[1:]), np.nan)
                for p in parts  # a chunk with no such rows
            ]
            out[name] = arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
            for p in parts:
                p.pop(name, None)
        if len(parts) > 1:
            codes, uniq = _factorize(out["key"])
            if len(uniq) < len(codes):
                # The few units split between chunks: each one's sum goes where it was
                # first seen, and its other entries count no rows (dropped later).
                twice = np.flatnonzero(np.bincount(codes)[codes] > 1)
                merged = _merge({n: v[twice] for n, v in out.items()})
                sub, _ = _factorize(out["key"][twice])
                given = np.zeros((int(sub.max()) + 1, out["votes"].shape[1]), dtype=np.int64)
                np.add.at(given, sub, ~np.isnan(out["votes"][twice]))
                # Per unit: some option given twice (a count, so numpy types it an array).
                repeated = (np.count_nonzero(given > 1, axis=1) > 0)[sub]
                if repeated.any():  # an option of a unit given in two chunks
                    self.repeated.append(int(out["line"][twice][repeated].max()))
                first = np.full(len(merged["key"]), -1, dtype=np.int64)
                first[sub[::-1]] = twice[::-1]
                out["rows"][twice] = 0
                for n, v in merged.items():
                    out[n][first] = v
        return out

    def _contest(self) -> Contest:
        from .long_fast_contest import contest_of

        return contest_of(self)


def _station_failed(exc: Exception) -> bool:
    return "int" in str(exc).lower() or "integer" in str(exc).lower()

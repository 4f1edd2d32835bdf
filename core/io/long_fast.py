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

from ..aggregates import absent_note, drop_sum_units
from ..errors import FormatError
from ..model import COUNT_FIELDS, Contest, Election, Note, Option
from .headers import is_aggregate_name, slug
from .options import TOTAL_OPTION, option_kind, total_row_field
from .source import InputSource
from .table import Table
from .wide import StationLabels, _deferred_ids, _name_from


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
_KEY_SHIFT = 32  # unit key = (region, district) pair code << 32 | station code


class NotFast(Exception):
    """The file needs the general loader."""


class _Labels:
    """Distinct labels in order of first sight."""

    def __init__(self) -> None:
        self.code: dict = {}
        self.labels: list = []

    def codes_of(self, values):
        import numpy as np

        out = np.empty(len(values), dtype=np.int64)
        code, labels = self.code, self.labels
        for i, v in enumerate(values):
            c = code.get(v)
            if c is None:
                c = code[v] = len(labels)
                labels.append(v)
            out[i] = c
        return out


def _fast_layout(col_of: dict, openelections: bool, vote_types: list) -> bool:
    return (
        not openelections
        and not vote_types
        and all(r in col_of for r in ("region", "option", "votes"))
        and not any(r in col_of for r in ("office", "contest_district", "party"))
    )


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
        self.regions, self.districts, self.pairs = _Labels(), _Labels(), _Labels()
        self.options, self.stations = _Labels(), _Labels()
        self.places = {r: _Labels() for r in ("country", "mission") if r in col_of}
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
        options = dict(
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
            halves = _halves(self.src, enc)
            if halves is None:
                stream = stack.enter_context(self.src.open_binary())
                readers = [pd.read_csv(stream, **options)]
            else:  # two parsers, one a core, each on half of the file
                readers = []
                for i, (start, end) in enumerate(halves):
                    stream = stack.enter_context(_byte_range(self.src.path, start, end))
                    header = {"header": 0} if i == 0 else {"header": None, "names": headers}
                    readers.append(pd.read_csv(stream, **options, **header))
            ahead = [stack.enter_context(_ReadAhead(r)) for r in readers]
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
            where = {c: int(np.argmax(oo == c)) for c in new}
            self.option_order += sorted(new, key=where.__getitem__)
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
            from .wide import _abroad_column

            name = col_of["abroad"]
            flag = _abroad_column(chunk[name], self.src.name, name, lines)
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

    def _codes(self, series, labels: _Labels, blank: str | None = None):
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
            name=_name_from(self.src.name), notes=notes, file=self.src.name, input_format="long-csv"
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
                repeated = (given > 1).any(axis=1)[sub]
                if repeated.any():  # an option of a unit given in two chunks
                    self.repeated.append(int(out["line"][twice][repeated].max()))
                first = np.full(len(merged["key"]), -1, dtype=np.int64)
                first[sub[::-1]] = twice[::-1]
                out["rows"][twice] = 0
                for n, v in merged.items():
                    out[n][first] = v
        return out

    def _contest(self) -> Contest:
        import numpy as np
        import pandas as pd

        if not self.parts:
            raise FormatError("no option rows", file=self.src.name, hint="the file holds no votes")
        data = self._combined()
        has = data["rows"] > 0  # units with no option rows are not units
        if not has.any():
            raise FormatError("no option rows", file=self.src.name, hint="the file holds no votes")
        rows = None if has.all() else np.flatnonzero(has)
        key = data["key"] if rows is None else data["key"][rows]
        pair = key >> _KEY_SHIFT
        station = key & ((1 << _KEY_SHIFT) - 1)
        pairs = np.array(self.pairs.labels, dtype=np.int64).reshape(-1, 2)
        region, district = pairs[pair, 0], pairs[pair, 1]
        line = data["line"] if rows is None else data["line"][rows]
        order = _unit_order(line, region, district, station)
        take = order if rows is None else rows[order]  # one copy of each array, not two
        for n in data:  # one array at a time: the old one goes as the new one comes
            data[n] = data[n][take]
        region, district, station, pair = (
            region[order],
            district[order],
            station[order],
            pair[order],
        )
        line = data["line"]
        n = len(line)
        rlabels = np.array(self.regions.labels, dtype=object)
        dlabels = np.array(self.districts.labels, dtype=object)
        has_district = bool((dlabels[_used(district, len(dlabels))] != "").any())
        if self.numbers:
            has_station = True
            labels = StationLabels(
                self.src, self.enc, self.delimiter, self.col_of["station"], self.rows
            )
        else:
            slabels = np.array(self.stations.labels, dtype=object)
            has_station = bool((slabels[_used(station, len(slabels))] != "").any())
            labels = _LineLabels(line, slabels[station])
        level = "station" if has_station else "district" if has_district else "region"
        named = [*rlabels[_used(region, len(rlabels))], *dlabels[_used(district, len(dlabels))]]
        if not self.numbers:
            named += list(slabels[_used(station, len(slabels))])
        if any(is_aggregate_name(str(v)) for v in named):
            raise NotFast  # a "Total" unit: the general path leaves it out and says so
        pair_ids = np.array(
            [f"{rlabels[r]}/{dlabels[d]}" for r, d in self.pairs.labels], dtype=object
        )
        region_cat = _sorted_categorical(region, rlabels)
        district_cat = (
            _sorted_categorical(pair, pair_ids) if has_district else _blank_categorical(n)
        )
        if level == "region":
            parent_cat = _blank_categorical(n)
        elif level == "district":
            parent_cat = region_cat  # a district's parent is its region, never itself
        else:
            parent_cat = district_cat if has_district else region_cat
        units: dict = {}
        deferred: dict = {}
        if has_station:
            deferred = _deferred_ids(labels)
        else:
            ids = pair_ids[pair] if has_district else rlabels[region]
            names = dlabels[district] if has_district else rlabels[region]
            units["unit_id"] = pd.array(ids, dtype="string")
            units["name"] = pd.array(names, dtype="string")
        units["level"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[level])
        units["parent"] = parent_cat
        units["region"] = region_cat
        units["district"] = district_cat
        units["abroad"] = data["abroad"] if "abroad" in data else np.zeros(n, dtype=bool)
        for role in ("mission", "country"):
            if role in data:
                names = np.array(self.places[role].labels, dtype=object)
                units[role] = _sorted_categorical(data[role], names)
            else:
                units[role] = _blank_categorical(n)
        units["code"] = _blank_categorical(n)
        for i, fld in enumerate(COUNT_FIELDS):
            units[fld] = data["counts"][:, i] if "counts" in data else np.full(n, np.nan)
        units["stations"] = np.full(n, np.nan)
        units["countries"] = np.full(n, np.nan)
        units["reported_turnout"] = pd.Series(np.full(n, None, dtype=object), dtype=object)
        units["line"] = line.astype("float64")
        frame = pd.DataFrame(units, copy=False)
        options = []
        for c in self.option_order:
            name = self.options.labels[c]
            options.append(Option(id=slug(name), name=name, party=None, kind=option_kind(name)))
        if len({o.id for o in options}) < len(options):
            raise NotFast  # two names, one id: the general path adds them up
        values = data["votes"]
        blank = np.isnan(values)
        values[blank] = 0.0  # an option with no row in a unit: not on its ballot
        self.absent = int(blank.sum())
        if self.blank:  # rows with a blank count and no number for the pair on any row
            keys = np.concatenate([k for k, _ in self.blank])
            codes = np.concatenate([c for _, c in self.blank])
            at = pd.Index(data["key"]).get_indexer(keys)
            col = np.full(len(self.options.labels), -1, dtype=np.int64)
            col[self.option_order] = np.arange(len(self.option_order))
            ok = at >= 0
            row, c = at[ok], col[codes[ok]]
            given = np.unique(row * len(options) + c)
            row, c = given // len(options), given % len(options)
            nothing = blank[row, c]
            values[row[nothing], c[nothing]] = np.nan
            self.absent -= int(nothing.sum())
            if np.isnan(values[np.unique(row[nothing])]).all(axis=1).any():
                raise NotFast  # a unit whose rows hold no number: the general path says so
        votes = pd.DataFrame({o.id: values[:, i] for i, o in enumerate(options)}, copy=False)
        votes.columns.name = "option_id"
        contest = Contest(
            id="main",
            office="Main contest",
            district=None,
            options=options,
            units=frame,
            votes=votes,
        )
        contest.deferred = deferred
        names = (*rlabels[_used(region, len(rlabels))], *dlabels[_used(district, len(dlabels))])
        slash = any("/" in str(v) for v in names)
        # Station ids hold their parent's and a "/": no station is another's parent.
        if level == "region" or (level == "station" and not slash):
            leaves = np.ones(n, dtype=bool)
            leaves.flags.writeable = False
            contest.leaves = leaves
        return contest


def _station_failed(exc: Exception) -> bool:
    return "int" in str(exc).lower() or "integer" in str(exc).lower()


_END = object()


class _ReadAhead:
    """A reader's chunks, parsed in a thread while the caller sums the one before.

    pandas' C parser and numpy release the GIL for most of their work, so on two
    cores the summing (or a second parser) runs beside the parsing. Errors reach
    the caller in order; leaving the ``with`` block stops the thread.
    """

    def __init__(self, reader) -> None:
        import queue
        import threading

        self.ready: queue.Queue = queue.Queue(maxsize=1)
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self._work, args=(reader,), name="elect-read-ahead", daemon=True
        )
        self.thread.start()

    def _hand(self, item) -> bool:
        import queue

        while not self.stop.is_set():
            try:
                self.ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _work(self, reader) -> None:
        try:
            for chunk in reader:
                if not self._hand(chunk):
                    return
            self._hand(_END)
        except BaseException as exc:  # noqa: BLE001 - handed to the summing thread
            self._hand(exc)

    def __iter__(self):
        while True:
            item = self.ready.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def _halves(src: InputSource, enc: str):
    """Two byte ranges split at a line end, when a file can be parsed in two pieces:
    a plain file on disk, large, in an encoding whose newline is one byte, with no
    quoted field (which could hold a line end)."""
    import mmap

    if src.path is None or src.compression or src.data is not None:
        return None
    if enc.lower().replace("_", "-") not in ("utf-8", "utf-8-sig", "ascii", "cp1251", "latin-1"):
        return None
    size = src.path.stat().st_size
    if size < HALVES_FROM:
        return None
    with open(src.path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        if m.find(b'"') >= 0:
            return None
        mid = m.find(b"\n", size // 2)
        if mid < 0 or mid + 1 >= size:
            return None
    return [(0, mid + 1), (mid + 1, size)]


HALVES_FROM = 32 << 20


def _byte_range(path, start: int, end: int):
    """A buffered binary stream of bytes ``start`` to ``end`` of a file."""
    import io

    class Range(io.RawIOBase):
        def __init__(self) -> None:
            self.f = open(path, "rb")  # noqa: SIM115 - closed with the stream
            self.f.seek(start)
            self.left = end - start

        def readable(self) -> bool:
            return True

        def readinto(self, b) -> int:
            n = min(len(b), self.left)
            if n <= 0:
                return 0
            got = self.f.readinto(memoryview(b)[:n])
            self.left -= got
            return got

        def close(self) -> None:
            self.f.close()
            super().close()

    return io.BufferedReader(Range(), 1 << 20)


class _LineLabels:
    """Station labels already read, found by the line of the unit's first row."""

    def __init__(self, lines, labels) -> None:
        import numpy as np

        order = np.argsort(lines)
        self.lines, self.labels = lines[order], labels[order]

    def take(self, lines):
        import numpy as np

        return self.labels[np.searchsorted(self.lines, np.asarray(lines, dtype=np.int64))]


def _factorize(key):
    import pandas as pd

    codes, uniques = pd.factorize(key)
    return codes, uniques


def _units_of(key):
    """Codes of the units in a chunk: runs of equal keys (a unit's rows are usually
    together), or a hash of the keys when they are scattered."""
    import numpy as np

    n = len(key)
    if n == 0:
        return key, key
    change = np.empty(n, dtype=bool)
    change[0] = True
    np.not_equal(key[1:], key[:-1], out=change[1:])
    runs = int(np.count_nonzero(change))
    if runs <= n // 2:
        return np.cumsum(change) - 1, key[change]
    return _factorize(key)


def _sums(codes, values, m: int, k: int):
    """Sums by code into an (m, k) matrix; NaN where no value was given (min_count=1)."""
    import numpy as np

    missing = np.isnan(values)
    total = np.bincount(codes, np.where(missing, 0.0, values), m * k)
    present = np.bincount(codes[~missing], minlength=m * k) if missing.any() else None
    if present is None:
        present = np.bincount(codes, minlength=m * k)
    return np.where(present > 0, total, np.nan).reshape(m, k)


def _merge(out: dict) -> dict:
    """Entries of one unit from several chunks, added up (the first row's names kept)."""
    import numpy as np

    codes, uniq = _factorize(out["key"])
    n = len(uniq)
    merged: dict = {"key": uniq}
    by_line = np.argsort(out["line"], kind="stable")
    first = np.empty(n, dtype=np.int64)
    first[codes[by_line][::-1]] = by_line[::-1]
    for name, v in out.items():
        if name == "key":
            continue
        if name in ("line", "country", "mission"):
            merged[name] = v[first]
        elif name == "abroad":
            merged[name] = np.bincount(codes, v, n) > 0
        elif name == "rows":
            merged[name] = np.bincount(codes, v, n).astype(v.dtype)
        else:
            cols = v if v.ndim == 2 else v[:, None]
            summed = np.stack(
                [_sums(codes, cols[:, j], n, 1)[:, 0] for j in range(cols.shape[1])], axis=1
            )
            merged[name] = summed if v.ndim == 2 else summed[:, 0]
    return merged


def _unit_order(line, region, district, station):
    """Units ordered as the general path's pivot orders them: by region, district and
    station, each in the order the file first names it."""
    import numpy as np
    import pandas as pd

    by_line = None

    def rank(codes):
        nonlocal by_line
        size = int(codes.max()) + 1 if len(codes) else 1
        if size <= 4 * len(codes) + 1024:  # dense codes: first line of each by a scatter
            first = np.full(size, np.iinfo(np.int64).max)
            np.minimum.at(first, codes, line)
            rank_of = np.empty(size, dtype=np.int64)
            rank_of[np.argsort(first, kind="stable")] = np.arange(size)
            return rank_of[codes], size
        if by_line is None:
            by_line = np.argsort(line, kind="stable")
        r = np.empty(len(codes), dtype=np.int64)
        r[by_line] = pd.factorize(codes[by_line])[0]
        return r, int(r.max()) + 1

    (rr, nr), (dr, nd), (sr, ns) = rank(region), rank(district), rank(station)
    if nr * nd * ns < 2**62:
        return np.argsort((rr * nd + dr) * ns + sr, kind="stable")
    return np.lexsort((sr, dr, rr))


def _sorted_categorical(codes, labels):
    """A categorical of ``labels[codes]`` with sorted categories, as units_frame makes."""
    import numpy as np
    import pandas as pd

    used = _used(codes, len(labels))
    names = np.asarray(labels, dtype=object)[used]
    order = np.argsort(names.astype(str), kind="stable")
    rank = np.empty(len(labels), dtype=np.int64)
    rank[used[order]] = np.arange(len(used))
    return pd.Categorical.from_codes(rank[codes], categories=pd.Index(names[order], dtype=object))


def _used(codes, size: int):
    """The distinct codes (below ``size``), sorted: a count, not a sort of a million."""
    import numpy as np

    return np.flatnonzero(np.bincount(codes, minlength=size))


def _blank_categorical(n: int):
    import numpy as np
    import pandas as pd

    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[""])

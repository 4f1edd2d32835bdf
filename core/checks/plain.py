"""Plain station tables checked in one read: the common case of a batch, without a model.

The reader's one-read path (:mod:`elect.core.io.plain_table`) gives a plain wide
table's columns, typed, or says why the file is not one. Such a table gives the
structural pass and the loader nothing to report but its total rows ("Total",
"Итого", reported and left out of the units as the loader leaves them out) and a
few notes (encoding, delimiter, line ends), so the arithmetic and plausibility
checks run straight on its columns (:class:`~elect.core.checks.context.Units`).

Two things the full pass reports with their lines are decided here on the reader's
columns, after the read: a blank, untrimmed or (region, district) "/" name outside
a total row, and a unit key that repeats. A table with either goes to the full
pass, which names them. The two passes agree on every file this path takes;
``tests/test_validate_plain.py`` checks that on generated, mutated and fuzzed files.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..io.headers import UNIT_KEY_ROLES
from ..io.plain_table import PlainTable, read_plain
from ..io.source import InputSource
from .findings import Collector
from .structure import AGGREGATE_ROW_REASON
from .text import TextColumn, combine

if TYPE_CHECKING:  # numpy loads with the first file checked, not at start-up
    import numpy as np

# From this many rows, region and district names are factorised (pandas) rather than
# tested and hashed row by row; below it, importing pandas costs more than it saves.
FACTORISE_ROWS = 20_000
# Whitespace after a separator: a value that str.strip() would change. Searched in the
# joined names and in their reverse, since a pattern that starts with a literal is
# searched much faster than one that starts with a class.
_UNTRIMMED = re.compile(r"\x00\s")


def validate_plain(
    src: InputSource, *, select=None, ignore=(), max_examples: int = 10
) -> tuple[Collector, int] | None:
    """The findings and data-row count of a plain table, or None when it is not one."""
    table = read_plain(src)
    if table.problem is not None:
        return None
    col = Collector(src.name, select=select, ignore=ignore, max_examples=max_examples)
    return _Plain(table, col).run()


class _Plain:
    def __init__(self, table: PlainTable, col: Collector) -> None:
        import numpy as np

        self.table, self.col = table, col
        layout = table.layout
        assert layout is not None
        self.header, self.ids, self.counts = layout.header, layout.ids, layout.counts
        self.options, self.option_ids = layout.options, layout.option_ids
        # Filled in place, a chunk at a time: no list of chunks to concatenate.
        self.counts_at = {i: np.empty(table.rows) for i in self.counts.values()}
        self.V = np.empty((table.rows, len(self.options)))
        self.text: dict[int, list] = {i: [] for i in self.ids.values()}
        self.keys: list = []
        self.aggregate: list = []  # positions of "Total" rows, left out like the loader does
        self.zeros: dict = {}
        self.n = 0

    def run(self) -> tuple[Collector, int] | None:
        import numpy as np

        for note in self.table.notes:
            self.col.add("encoding-normalised", reason=note.message)
        if self.table.crlf_in_head:
            self.col.add("line-ends-normalised")
        if self.table.delimiter_note is not None:
            self.col.add("delimiter-normalised", reason=self.table.delimiter_note)
        for chunk in self.table.chunks():
            if not self._chunk(chunk):
                return None
            self.n += chunk.size
        if self.table.problem is not None:
            return None
        keys = np.sort(np.concatenate(self.keys)) if self.keys else np.zeros(0, np.uint64)
        if (keys[1:] == keys[:-1]).any():
            return None  # a repeated unit (or a hash collision): the full pass names it
        del self.keys
        if not self._check():
            return None
        return self.col, self.n

    def _chunk(self, chunk) -> bool:
        """Keeps a chunk's counts, names and unit keys; False for a name the full pass
        reports (blank, untrimmed, or a "/" in a region or district)."""
        import numpy as np

        start, size, end = chunk.start, chunk.size, chunk.start + chunk.size
        for i, target in self.counts_at.items():
            target[start:end] = chunk.numbers[i]
        for j, i in enumerate(self.options):
            self.V[start:end, j] = chunk.numbers[i]
        cells = {}
        hashes = []
        names = []  # per identifier column: its names, and what they may hold
        for role in UNIT_KEY_ROLES:
            at = self.ids.get(role)  # the role's column, if the file has one
            if at is None:
                continue
            values, joined = chunk.names[at], chunk.joined[at]
            if role == "station" or size < FACTORISE_ROWS:
                names.append((values, None, joined, role != "station"))
                cells[at] = TextColumn(np.arange(size, dtype=np.int64), values)
                self.text[at].append(_JoinedNames(joined, values))
            else:  # regions and districts repeat: test and hash each distinct name once
                import pandas as pd

                codes, uniques = pd.factorize(values)
                names.append((uniques, codes, None, True))
                cells[at] = TextColumn(codes.astype(np.int64), np.asarray(uniques, dtype=object))
                self.text[at].append(_CodedNames(codes.astype(np.int32), cells[at].cats))
            hashes.append(cells[at].hashes())
        self.keys.append(combine(hashes))
        aggregate = _aggregate_rows(names, size)
        if aggregate is None:
            return False
        self.aggregate.append(np.flatnonzero(aggregate) + start)
        from .structure_values import collect_zeros

        keep = np.ones(size, dtype=bool)
        collect_zeros(self.zeros, self.ids, cells, keep, lambda p: start + p + 2)
        return True

    # -- checks -----------------------------------------------------------------------
    def _check(self) -> bool:
        import numpy as np

        from .arithmetic import check_arithmetic
        from .context import Units
        from .plausibility import check_plausibility
        from .structure_values import option_spellings, report_leading_zeros

        totals = np.concatenate(self.aggregate)
        # The units are the other rows, as the loader leaves totals out.
        rows = np.delete(np.arange(self.n), totals) if len(totals) else None
        n = self.n if rows is None else len(rows)
        if n == 0:
            return False  # no rows but totals: the full pass says what the loader makes of it
        option_spellings({"": {self.header[i].strip() for i in self.options}}, self.col)
        report_leading_zeros(self.zeros, self.header, self.col)
        label = self._labeller()
        self.col.add_many(
            "aggregate-row",
            totals,
            lambda p: {
                "line": int(p) + 2,
                "unit": "/".join(s for s in map(str.strip, label(int(p), True)) if s),
                "reason": AGGREGATE_ROW_REASON,
            },
        )

        def kept(a):
            return a if rows is None else a[rows]

        def column(role: str):
            i = self.counts.get(role)
            return kept(self.counts_at[i]) if i is not None else np.full(n, np.nan)

        level = (
            "station"
            if "station" in self.ids
            else "district"
            if "district" in self.ids
            else "region"
        )
        units = Units(
            label=label if rows is None else lambda i: label(int(rows[i])),
            level=np.full(n, level),
            lines=(np.arange(self.n) if rows is None else rows).astype(np.float64) + 2,
            reg=column("registered"),
            cast=column("ballots_cast"),
            inv=column("invalid"),
            option_ids=self.option_ids,
            option_names={
                o: self.header[i].strip()
                for o, i in zip(self.option_ids, self.options, strict=True)
            },
            V=kept(self.V),
            leaves=np.ones(n, dtype=bool),
        )
        check_arithmetic(units, self.col, {})
        check_plausibility(units, self.col)
        return True

    def _labeller(self):
        """Unit ids as the loader writes them (region/district/station), made on demand."""
        import numpy as np

        parts = [self.text[self.ids[r]] for r in UNIT_KEY_ROLES if r in self.ids]
        bounds = np.cumsum([0, *(len(c) for c in parts[0])])

        def label(i: int, parts_only: bool = False):
            k = int(np.searchsorted(bounds, i, side="right")) - 1
            p = i - int(bounds[k])
            values = [cols[k].at(p) for cols in parts]
            return values if parts_only else "/".join(values)

        return label


class _CodedNames:
    """A chunk's names with few distinct values (regions, districts)."""

    def __init__(self, codes, cats) -> None:
        self.codes, self.cats = codes, cats

    def __len__(self) -> int:
        return len(self.codes)

    def at(self, p: int) -> str:
        return str(self.cats[self.codes[p]])


class _JoinedNames:
    """A chunk's station labels kept as one string and offsets: a fifth of a million str."""

    def __init__(self, joined: str, values) -> None:
        self.joined, self.size = joined, len(values)
        # Where each label starts and how long it is, worked out on the first look-up.
        self.offsets: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return self.size

    def at(self, p: int) -> str:
        if self.offsets is None:  # only when a finding names a unit
            import numpy as np

            text = self.joined
            if text.isascii():
                chars = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
            else:  # one element per character, as str indexes them
                chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
            nul = np.flatnonzero(chars == 0)  # the file has no NUL: these are the separators
            self.offsets = nul[:-1] + 1, np.diff(nul) - 1
        starts, lens = self.offsets
        s = int(starts[p])
        return self.joined[s : s + int(lens[p])]


def _aggregate_rows(names, size: int):
    """The rows that are totals ("Total", "Итого") by any identifier; None unless every
    other row's names are non-blank, trimmed and (regions, districts) free of "/".

    ``names`` holds per column (values, codes, joined, no_slash): the distinct values
    and each row's code into them, or the row values themselves (codes None). Most
    files hold no total and no odd name, which one search of the joined names shows.
    """
    import numpy as np

    from ..io.headers import AGGREGATE_NAME, may_name_a_total

    aggregate = np.zeros(size, dtype=bool)
    odd = []
    for values, codes, joined, no_slash in names:
        if joined is None:
            joined = "\x00" + "\x00".join(values) + "\x00"
        if may_name_a_total(joined):
            hit = np.fromiter(map(bool, map(AGGREGATE_NAME.match, values)), bool, len(values))
            aggregate |= hit if codes is None else hit[codes]
        if _odd(joined, no_slash):
            odd.append((values, codes, no_slash))
    for values, codes, no_slash in odd:  # allowed only in the total rows
        others = np.asarray(values, dtype=object)
        others = others[~aggregate] if codes is None else others[np.unique(codes[~aggregate])]
        if _odd("\x00" + "\x00".join(others) + "\x00", no_slash):
            return None
    return aggregate


def _odd(joined: str, no_slash: bool) -> bool:
    """Whether the NUL-joined names hold a blank, an untrimmed name or (if asked) a '/'."""
    return bool(
        "\x00\x00" in joined
        or _UNTRIMMED.search(joined)
        or _UNTRIMMED.search(joined[::-1])
        or (no_slash and "/" in joined)
    )

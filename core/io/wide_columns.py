"""Columns of a table, read for the wide and long loaders: counts mapped back to their
file lines, true/false and percentage columns, station labels read again only when
needed, names stripped once per distinct value, and the election's name from its file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from ..errors import FormatError
from ..model import Note
from .counts import count_column
from .headers import is_aggregate_name, parse_bool
from .source import InputSource, check_unchanged, file_changed, file_stamp
from .table import Table

if TYPE_CHECKING:
    from decimal import Decimal


class LabelsByLine(Protocol):
    """Station labels found by file line: read again (StationLabels) or already read."""

    def take(self, lines) -> Any: ...


class StationLabels:
    """The station column as text, read again from the file only when first needed."""

    def __init__(
        self,
        src: InputSource,
        encoding: str,
        delimiter: str,
        header: str,
        rows: int,
        options: dict | None = None,
    ):
        self.src, self.header, self.options = src, header, options or {}
        self.encoding, self.delimiter, self.rows = encoding, delimiter, rows
        self.stamp = file_stamp(src)
        self._last: tuple | None = None

    def take(self, lines):
        """The labels of the rows on these file lines (stripped, blank = '')."""
        import numpy as np

        lines = np.asarray(lines, dtype=np.int64)
        if self._last is not None and np.array_equal(self._last[0], lines):
            return self._last[1]
        values = self._read(lines - Table.LINE_OFFSET)
        self._last = (lines, values)
        return values

    def _read(self, positions):
        """Only the wanted cells are kept, a chunk at a time (a long file has 7 rows a unit)."""
        import numpy as np
        import pandas as pd

        check_unchanged(self.src, self.stamp)
        order = np.argsort(positions, kind="stable")
        wanted = positions[order]
        out = np.empty(len(positions), dtype=object)
        seen = 0
        with self.src.open_binary() as stream:
            chunks = pd.read_csv(
                stream,
                sep=self.delimiter,
                encoding=self.encoding,
                usecols=[self.header],
                dtype={self.header: object},
                na_filter=False,  # a blank label is ''
                skip_blank_lines=False,
                engine="c",
                chunksize=1 << 20,
                **self.options,
            )
            for chunk in chunks:
                col = chunk[self.header].to_numpy()
                lo, hi = np.searchsorted(wanted, [seen, seen + len(col)])
                out[order[lo:hi]] = col[wanted[lo:hi] - seen]
                seen += len(col)
        if seen != self.rows:
            raise file_changed(self.src)
        values, _ = station_label_text(pd.Series(out, dtype=object))
        return values


def matching_rows(series, test) -> object:
    """``test`` applied to each distinct value only; True/False per row."""
    import numpy as np

    if str(series.dtype) != "category":
        series = series.astype("category")
    cats = series.cat.categories.tolist()  # a list: a pandas Index is slow item by item
    hit = np.fromiter((bool(test(str(c).strip())) for c in cats), dtype=bool, count=len(cats))
    hit = np.append(hit, False)  # code -1 (blank) lands here
    codes = series.cat.codes.to_numpy()
    return hit[np.where(codes >= 0, codes, len(cats))]


def station_label_text(series):
    """Station labels as an object array, stripped, blank = ''."""
    import numpy as np

    values = series.fillna("").to_numpy(dtype=object)
    text = values.astype("U")
    stripped = np.strings.strip(text)
    if (stripped != text).any():
        values = stripped.astype(object)
    return values, stripped


def station_aggregate(text):
    """Aggregate labels among stations; only the labels that are not plain numbers are read."""
    import numpy as np

    from .headers import may_name_a_total

    out = np.zeros(len(text), dtype=bool)
    candidates = np.flatnonzero(~np.strings.isdigit(text) & (np.strings.str_len(text) > 0))
    if not len(candidates):
        return out
    labels = text[candidates].tolist()
    # Most files name no total at all: one search of the joined labels says so.
    if may_name_a_total("\x00".join(labels)):
        out[candidates] = [is_aggregate_name(v) for v in labels]
    return out


def stripped_codes(series):
    """A categorical column as (codes, categories) with names stripped, blank = ''."""
    import numpy as np
    import pandas as pd

    if str(series.dtype) != "category":
        series = series.astype("category")
    cats = pd.Index(series.cat.categories.astype(str)).str.strip()
    cats = pd.Index([*cats.tolist(), ""])
    codes = series.cat.codes.to_numpy()
    if (codes < 0).any():
        codes = np.where(codes < 0, len(cats) - 1, codes)
    new_codes, uniques = pd.factorize(cats)
    # The few categories are renumbered; a million rows keep a small integer type.
    small = np.int16 if len(uniques) < 2**15 else np.int32 if len(uniques) < 2**31 else np.int64
    return new_codes.astype(small)[codes], pd.Index(uniques, dtype=object)


def first_appearance(key, size: int):
    """The distinct values of a small-integer key (below ``size``) in order of first row.

    Read a slice at a time until every value present is seen, so the hash table
    stays the size of a slice, not of a million rows.
    """
    import numpy as np
    import pandas as pd

    wanted = int(np.count_nonzero(np.bincount(key, minlength=size)))
    seen = np.zeros(size, dtype=bool)
    order = []
    step = 1 << 16
    for start in range(0, len(key), step):
        for v in pd.unique(key[start : start + step]):
            if not seen[v]:
                seen[v] = True
                order.append(v)
        if len(order) == wanted:
            break
    return np.array(order, dtype=key.dtype)


def categorical_from(codes, cats):
    import pandas as pd

    return pd.Categorical.from_codes(codes, categories=cats)


def deferred_ids(labels: LabelsByLine) -> dict:
    """Builders of the station ids (parent/label) and names, run on first use."""

    def unit_id(units):
        import numpy as np
        import pandas as pd

        parent = units["parent"]
        parents = np.asarray(parent.cat.categories, dtype=object).take(parent.cat.codes)
        station = labels.take(units["line"].to_numpy())
        ids = np.array([f"{p}/{s}" for p, s in zip(parents, station, strict=True)], object)
        return pd.array(ids, dtype="string")

    def name(units):
        import pandas as pd

        return pd.array(labels.take(units["line"].to_numpy()), dtype="string")

    return {"unit_id": unit_id, "name": name}


def summed_count(frame, headers: list[str], file: str, notes: list[Note], n: int):
    """One count per row; several columns are added up (NaN only where all are blank)."""
    import numpy as np

    if not headers:
        return np.full(n, np.nan)
    arrays = [line_aware(frame, h, file, notes) for h in headers]
    if len(arrays) == 1:
        return arrays[0]
    stacked = np.vstack(arrays)
    total = np.nansum(stacked, axis=0)
    total[np.isnan(stacked).all(axis=0)] = np.nan
    return total


def line_aware(frame, header: str, file: str, notes: list[Note]):
    """count_column, with positions mapped back to file lines after rows were dropped."""
    from ..errors import CountError

    try:
        return count_column(frame, header, file=file, notes=notes)
    except CountError as exc:
        if exc.line is not None:
            pos = exc.line - Table.LINE_OFFSET
            exc.line = int(frame.index[pos]) + Table.LINE_OFFSET
        raise


def same_count(frame, main: str, alias: str, file: str, notes: list[Note]) -> None:
    """A second column of a count (``electors`` beside ``registered``) must agree."""
    import numpy as np

    a = count_column(frame, main, file=file, notes=notes)
    b = count_column(frame, alias, file=file, notes=notes)
    differ = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    if differ.any():
        pos = int(np.flatnonzero(differ)[0])
        raise FormatError(
            f"columns {main!r} and {alias!r} both read as the same count and disagree "
            f"({a[pos]:.0f} against {b[pos]:.0f})",
            file=file,
            line=int(frame.index[pos]) + Table.LINE_OFFSET,
            column=alias,
            hint=f"a mapping names the one to use, e.g. registered = {alias!r} under [columns]",
        )
    notes.append(
        Note("alias-column", f"column {alias!r} repeats {main!r} (the same values)", file=file)
    )


def abroad_column(col, file: str, column: str, lines):
    """A true/false column; decided once per distinct value."""
    import numpy as np

    series = col if str(col.dtype) == "category" else col.astype("category")
    cats = list(series.cat.categories.astype(str))
    verdict = {v: parse_bool(v) for v in cats}
    codes = series.cat.codes.to_numpy()
    for i, v in enumerate(cats):
        if verdict[v] is None:
            pos = int(np.flatnonzero(codes == i)[0])
            raise FormatError(
                f"abroad must be true/false/yes/no/1/0, not {v!r}",
                file=file,
                line=int(lines[pos]),
                column=column,
                hint="mark stations abroad with true or yes, others with false or no",
            )
    hit = np.array([bool(verdict[v]) for v in cats] + [False], dtype=bool)
    return hit[np.where(codes >= 0, codes, len(cats))]


def percent_column(col):
    from ..numbers import parse_number

    out: list[Decimal | None] = []
    for v in col:
        if v is None or (isinstance(v, float) and v != v):
            out.append(None)
        else:
            value, _ = parse_number(str(v))
            out.append(value)
    return out


def name_from(filename: str) -> str:
    from pathlib import Path

    stem = Path(filename).name
    for suffix in (".gz", ".bz2", ".xz", ".zip", ".csv", ".tsv", ".txt", ".jsonl", ".json"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem or "election"

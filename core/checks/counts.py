"""Count and percentage cells, checked a column at a time (vectorised)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..numbers import parse_number
from .findings import Collector

MAX_EXACT = 2**53


@dataclass
class NumberNotes:
    """How numbers were normalised, per (column, kind): count, first line, example."""

    seen: dict[tuple[str, str], list] = field(default_factory=dict)

    def add(self, column: str, how: str, count: int, line: int, text: str, value) -> None:
        entry = self.seen.get((column, how))
        if entry is None:
            self.seen[(column, how)] = [count, line, text, value]
        else:
            entry[0] += count

    def emit(self, col: Collector) -> None:
        for (column, how), (count, line, text, value) in self.seen.items():
            col.add(
                "number-normalised",
                line=line,
                field=column,
                count=count,
                cells=count,
                text=text,
                value=str(value),
                how=how,
            )


def parse_cells(series, *, field_name: str, notes: NumberNotes, line_of: Callable, col, unit_of):
    """A text/numeric Series → float64 array (NaN where blank or not a number).

    Reports non-numeric cells (capped examples) and each normalisation applied.
    """
    import numpy as np
    import pandas as pd

    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype="float64", na_value=np.nan)
    st = series.astype("string").str.strip()
    blank = (st.isna() | (st == "")).to_numpy()
    fast = pd.to_numeric(st.where(~blank), errors="coerce")
    out = fast.to_numpy(dtype="float64", na_value=np.nan)
    bad = np.isnan(out) & ~blank
    if not bad.any():
        return out
    bad_pos = np.flatnonzero(bad)
    texts = st.to_numpy(dtype=object, na_value="")[bad_pos]
    parsed = {t: parse_number(t) for t in pd.unique(texts)}
    values = np.array(
        [np.nan if (d := parsed[t][0]) is None else float(d) for t in texts], dtype="float64"
    )
    out[bad_pos] = values
    nonnum = bad_pos[np.isnan(values)]
    col.add_many(
        "non-numeric-count",
        nonnum,
        lambda p: {
            "line": line_of(p),
            "unit": unit_of(p),
            "field": field_name,
            "value": str(st.iloc[p]),
        },
    )
    how_of = np.array([parsed[t][1] or "" for t in texts], dtype=object)
    for how in pd.unique(how_of):
        if not how:
            continue
        idx = np.flatnonzero((how_of == how) & ~np.isnan(values))
        if len(idx):
            first = int(idx[0])
            text = texts[first]
            notes.add(
                field_name, how, len(idx), line_of(int(bad_pos[first])), text, parsed[text][0]
            )
    return out


def check_counts(arr, *, field_name: str, line_of: Callable, col: Collector, unit_of) -> None:
    """Counts must be finite, whole, non-negative and exact in float64."""
    import numpy as np

    finite = np.isfinite(arr)
    big = (~finite & ~np.isnan(arr)) | (finite & (np.abs(arr) > MAX_EXACT))
    neg = finite & (arr < 0) & ~big
    frac = finite & (np.floor(arr) != arr) & ~big & ~neg

    def make(p: int) -> dict:
        return {
            "line": line_of(p),
            "unit": unit_of(p),
            "field": field_name,
            "value": f"{arr[p]:g}",
        }

    col.add_many("count-too-large", np.flatnonzero(big), make)
    col.add_many("negative-count", np.flatnonzero(neg), make)
    col.add_many("fractional-count", np.flatnonzero(frac), make)

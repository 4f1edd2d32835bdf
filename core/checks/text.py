"""A chunk's text column as codes into its distinct stripped values.

Regions and districts have a handful of distinct values in 100,000 rows, so every
string test (strip, aggregate name, digits, hashing) runs once per distinct
value and reaches the rows through the codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import is_
from typing import Any

from ..io.headers import AGGREGATE_NAME, may_name_a_total

_MIX = 0x9E3779B97F4A7C15  # odd constant: combining column hashes keeps column order


@dataclass
class TextColumn:
    codes: Any  # int64 array, one code per row
    cats: Any  # object array of distinct stripped strings; blank cells are ""

    @classmethod
    def of(cls, series, distinct: bool = True) -> TextColumn:
        """As ``series.astype("string").str.strip().fillna("")``, computed per distinct value.

        ``distinct=False`` is for columns with about one value a row (stations), where
        finding the distinct values costs more than it saves; ``cats`` then repeats.
        """
        import numpy as np
        import pandas as pd

        if not distinct and series.dtype != object and pd.api.types.is_string_dtype(series.dtype):
            values = series.to_numpy(dtype=object)
            values[series.isna().to_numpy()] = ""
            cats = np.fromiter(map(str.strip, values), dtype=object, count=len(values))
            return cls(np.arange(len(cats), dtype=np.int64), cats)
        codes, uniques = pd.factorize(series.to_numpy(), use_na_sentinel=True)
        if uniques.dtype != object:  # numbers: the same text as astype("string") gives
            uniques = pd.Series(uniques).astype("string").to_numpy(dtype=object)
        try:
            stripped = list(map(str.strip, uniques))
        except TypeError:  # a value that is not text (not from the C parser)
            stripped = [str(u).strip() for u in uniques]
        codes = codes.astype(np.int64, copy=False)
        if all(map(is_, stripped, uniques)):
            # Nothing to strip (str.strip returns the very object then): no values merge.
            codes[codes < 0] = len(uniques)
            return cls(codes, np.array([*stripped, ""], dtype=object))
        merged, cats = pd.factorize(np.array([*stripped, ""], dtype=object))
        codes = merged[np.where(codes < 0, len(uniques), codes)]
        return cls(codes.astype(np.int64, copy=False), np.asarray(cats, dtype=object))

    def values(self):
        return self.cats[self.codes]

    def hashes(self):
        """A 64-bit hash per row, equal for equal text (within this process)."""
        import numpy as np

        h = np.fromiter(map(hash, self.cats), dtype=np.int64, count=len(self.cats))
        return h.view(np.uint64)[self.codes]

    def per_row(self, test) -> Any:
        """``test`` (str -> bool) of each row's text, run once per distinct value."""
        import numpy as np

        hit = np.fromiter((bool(test(c)) for c in self.cats), dtype=bool, count=len(self.cats))
        return hit[self.codes]

    def aggregates(self):
        """Rows whose text is an aggregate name ("Total", "Итого"...)."""
        import numpy as np

        if not may_name_a_total("\x00".join(self.cats)):
            return np.zeros(len(self.codes), dtype=bool)
        return self.per_row(AGGREGATE_NAME.match)


def combine(hashes: list) -> Any:
    """One hash per row from per-column hashes (order matters)."""
    import numpy as np

    out = np.zeros(len(hashes[0]), dtype=np.uint64) if hashes else np.zeros(0, np.uint64)
    mix = np.uint64(_MIX)
    for h in hashes:
        out = (out ^ h) * mix + np.uint64(1)
    return out


def number_hashes(arr) -> Any:
    import numpy as np
    import pandas as pd

    return pd.util.hash_array(np.asarray(arr, dtype="float64"))

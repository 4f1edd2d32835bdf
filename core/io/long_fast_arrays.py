"""Arrays of the chunked long path: labels in order of first sight, sums by code,
units split between chunks merged, and the units ordered as the general path orders
them.
"""

from __future__ import annotations

_KEY_SHIFT = 32  # unit key = (region, district) pair code << 32 | station code


class NotFast(Exception):
    """The file needs the general loader."""


class Labels:
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

    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([""]))

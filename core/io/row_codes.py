"""Whole-column work on the rows of a long file: codes of value combinations, and
functions of a column worked out once per distinct value, never once per row."""

from __future__ import annotations


def per_label(values, fn, dtype=object):
    """``fn`` of each value, worked out once per distinct value (a file has few)."""
    import numpy as np
    import pandas as pd

    codes, uniq = _codes(values, use_na_sentinel=False)
    table = np.empty(len(uniq), dtype=dtype)
    table[:] = [fn(u) for u in uniq]
    return pd.Series(table[codes], index=getattr(values, "index", None))


def relabel(values, fn):
    """A categorical of ``fn`` of each value, worked out once per distinct value."""

    codes, uniq = _codes(values, use_na_sentinel=False)
    return labelled(codes, [fn(u) for u in uniq], getattr(values, "index", None))


def labelled(codes, labels, index=None):
    """A categorical Series whose row ``i`` reads ``labels[codes[i]]``; labels may repeat
    (two spellings stripped to one), and are made distinct categories here. Later
    groupings read its codes, not its strings."""
    import numpy as np
    import pandas as pd

    remap, categories = pd.factorize(np.array(labels, dtype=object))
    return pd.Series(
        pd.Categorical.from_codes(remap[codes], pd.Index(categories, dtype=object)),
        index=index,
    )


def _codes(values, use_na_sentinel: bool = True):
    """factorize's (codes, uniques), taken from a categorical's codes where it is one
    (no string hashed); its unused categories are left out."""
    import numpy as np
    import pandas as pd

    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = pd.Categorical(values)  # no copy of a Series' categorical
        codes, used = pd.factorize(cat.codes)
        categories = cat.categories.to_numpy(dtype=object)
        uniq = np.array([None if c < 0 else categories[c] for c in used], dtype=object)
        if -1 in used and use_na_sentinel:  # pragma: no cover - text columns hold no NaN
            return pd.factorize(np.asarray(values, dtype=object))
        return codes, uniq
    arr = np.asarray(values)
    return pd.factorize(
        arr if arr.dtype.kind in "iub" else arr.astype(object), use_na_sentinel=use_na_sentinel
    )


def per_combination(columns, fn):
    """``fn`` of each row's values in ``columns``, worked out once per distinct
    combination: one string a combination, not one a row."""
    import numpy as np
    import pandas as pd

    codes = group_codes(columns)
    first = np.full(int(codes.max()) + 1 if len(codes) else 0, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    arrays = [
        np.asarray(c.iloc[first] if isinstance(c, pd.Series) else np.asarray(c)[first], object)
        for c in columns
    ]
    results = [fn(*(a[i] for a in arrays)) for i in range(len(first))]
    return labelled(codes, results, getattr(columns[0], "index", None))


def group_codes(columns):
    """Dense codes (0..groups-1) of the rows' combined values in ``columns``: the
    columns factorised one by one and their codes combined as integers."""
    import numpy as np
    import pandas as pd

    out = None
    for col in columns:
        codes, uniq = _codes(col)
        if out is None:
            out, size = codes.astype(np.int64), len(uniq)
            continue
        if size * max(len(uniq), 1) >= 2**62:  # pragma: no cover - re-densify first
            out, size = pd.factorize(out)[0].astype(np.int64), int(out.max()) + 1
        out = out * max(len(uniq), 1) + codes
        size *= max(len(uniq), 1)
    if out is None or not len(out):
        return np.zeros(0 if out is None else len(out), dtype=np.int64)
    return pd.factorize(out)[0].astype(np.int64)


def _label(df, cols, pos: int) -> str:
    return " / ".join(str(df[c].iloc[pos]) for c in cols if str(df[c].iloc[pos])) or "(blank)"


def dropped_rows(mapping, plan, header_of, text_of):
    """(what, mask) for each of a long mapping's [rows] drop entries: a column (a field
    name or a header) or ``unit`` (the unit key's columns joined by "/") matching."""
    for d in mapping.drops:
        if d.column == "unit":
            header = "/".join(plan.unit)
            values = per_combination([text_of(h) for h in plan.unit], lambda *v: "/".join(v))
        else:
            header = header_of(d.column)
            values = text_of(header)
        yield (
            f"{header!r} matches {d.matcher.describe()}",
            per_label(values, d.matcher.matches, bool).to_numpy(),
        )

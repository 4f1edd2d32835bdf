"""Turning a column of text into whole, non-negative counts, or a clear error.

The fast path lets pandas' C parser read numbers; when a column holds text it
falls back here, normalises what publishers write (``11,953,465``, ``11 953 465``)
with a note, and otherwise names the first bad row.
"""

from __future__ import annotations

from ..errors import CountError
from ..model import Note
from ..numbers import parse_number

FIRST_DATA_LINE = 2  # a table's data row 0 is on line 2 (line 1 holds the header)


def parse_count_column(
    values,
    *,
    file: str,
    column: str,
    first_line: int,
    notes: list[Note],
    delimiter: str = ",",
):
    """Return a float64 numpy array of counts (NaN where blank) from a str/object Series.

    In a file not delimited by commas (``;``, tab), a comma may be a decimal mark and
    a dot may group thousands: ``2.000`` is two thousand when every dotted value of
    the column reads that way, and an error naming the column otherwise. It is never
    read as the decimal 2.
    """
    import numpy as np
    import pandas as pd

    s = pd.Series(values, dtype="string")
    stripped = s.str.strip()
    blank = stripped.isna() | (stripped == "")
    if delimiter != ",":
        stripped = _dotted_thousands(
            stripped, file=file, column=column, first_line=first_line, notes=notes
        )
    fast = pd.to_numeric(stripped.where(~blank, None), errors="coerce")
    bad = fast.isna() & ~blank
    out = fast.to_numpy(dtype="float64", na_value=np.nan)
    if bad.any():
        seen_notes: set[str] = set()
        for pos in np.flatnonzero(bad.to_numpy()):
            text = stripped.iloc[pos]
            value, note = parse_number(text)
            if value is None:
                raise CountError(
                    f"not a number: {text!r}",
                    file=file,
                    line=first_line + int(pos),
                    column=column,
                    hint="counts must be whole numbers; fix the cell or map the column "
                    "to something else",
                )
            out[pos] = float(value)
            if note and note not in seen_notes:
                seen_notes.add(note)
                notes.append(
                    Note(
                        "number-normalised",
                        f"read {text!r} as {value} ({note})",
                        file=file,
                        line=first_line + int(pos),
                        column=column,
                    )
                )
    check_counts(out, file=file, column=column, first_line=first_line)
    return out


def check_counts(arr, *, file: str, column: str, first_line: int) -> None:
    """Counts must be whole and non-negative; name the first row that is not."""
    import numpy as np

    # Nearly always every count is fine: one pass says so; the rest finds the first
    # row that is not, and why.
    if ((arr >= 0) & (arr < 2**53) & (np.floor(arr) == arr) | np.isnan(arr)).all():
        return
    finite = np.isfinite(arr)
    nan = np.isnan(arr)
    inf = ~finite & ~nan
    if inf.any():
        pos = int(np.flatnonzero(inf)[0])
        raise CountError(
            "not a finite number",
            file=file,
            line=first_line + pos,
            column=column,
            hint="counts must be whole numbers",
        )
    neg = finite & (arr < 0)
    if neg.any():
        pos = int(np.flatnonzero(neg)[0])
        raise CountError(
            f"negative count {arr[pos]:g}",
            file=file,
            line=first_line + pos,
            column=column,
            hint="counts cannot be below zero; check the sign",
        )
    frac = finite & (np.floor(arr) != arr)
    if frac.any():
        pos = int(np.flatnonzero(frac)[0])
        raise CountError(
            f"fractional count {arr[pos]:g}",
            file=file,
            line=first_line + pos,
            column=column,
            hint="counts must be whole numbers; a percentage column needs a name "
            "such as turnout_pct",
        )
    # 2**53 + 1 reads as 2**53 in a float: a count this large was not read exactly.
    big = finite & (arr >= 2**53)
    if big.any():
        pos = int(np.flatnonzero(big)[0])
        raise CountError(
            "count too large to be exact",
            file=file,
            line=first_line + pos,
            column=column,
            hint="no electorate has more than 2**53 voters; check the cell",
        )


def _dotted_thousands(stripped, *, file: str, column: str, first_line: int, notes: list[Note]):
    """``1.563`` → ``1563`` when every dotted value of the column groups thousands."""
    import numpy as np

    dotted = stripped.str.fullmatch(r"\d+(\.\d+)+").fillna(False).to_numpy(dtype=bool)
    if not dotted.any():
        return stripped
    grouped = stripped.str.fullmatch(r"\d{1,3}(\.\d{3})+").fillna(False).to_numpy(dtype=bool)
    odd = dotted & ~grouped
    if odd.any():
        pos = int(np.flatnonzero(odd)[0])
        raise CountError(
            f"{stripped.iloc[pos]!r} is not a count: in this file a dot groups thousands "
            "(as in other rows of the column), and this value does not read that way",
            file=file,
            line=first_line + pos,
            column=column,
            hint="write the counts without separators, or fix the cell",
        )
    pos = int(np.flatnonzero(dotted)[0])
    text = stripped.iloc[pos]
    notes.append(
        Note(
            "number-normalised",
            f"read {text!r} as {text.replace('.', '')} (dots group thousands in this column; "
            f"{int(dotted.sum())} value(s))",
            file=file,
            line=first_line + pos,
            column=column,
        )
    )
    return stripped.where(~dotted, stripped.str.replace(".", "", regex=False))


def count_column(frame, column: str, *, file: str, notes: list[Note]):
    """The column as a float64 array of whole non-negative counts, or a CountError."""
    import numpy as np
    import pandas as pd

    col = frame[column]
    if col.dtype == np.float64:
        arr = col.to_numpy()  # as read: no copy of a million counts
        check_counts(arr, file=file, column=column, first_line=FIRST_DATA_LINE)
        return arr
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        arr = col.to_numpy(dtype="float64", na_value=np.nan)
        check_counts(arr, file=file, column=column, first_line=FIRST_DATA_LINE)
        return arr
    return parse_count_column(
        col.astype("string"),
        file=file,
        column=column,
        first_line=FIRST_DATA_LINE,
        notes=notes,
        delimiter=frame.attrs.get("delimiter", ","),
    )


def looks_numeric(frame, column: str, share: float = 0.9) -> bool:
    """Numeric by dtype, or mostly number-like text (so one typo is an error, not a rename):
    at least ``share`` of the first 200 non-blank cells read as numbers."""
    import pandas as pd

    col = frame[column]
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return True
    sample = col.dropna().astype(str).head(200)
    if sample.empty:
        return False
    parsed = sum(1 for v in sample if parse_number(v)[0] is not None)
    return parsed / len(sample) >= share

"""The rows of a table read by :func:`.table.read_table`: their widths, the blank ones,
and a last row cut off mid-write.

pandas fills a short row with blanks and, when not every column is parsed, takes a
long one without a word: these checks say which row is wrong, from the raw bytes where
they can (:func:`~elect.core.checks.widths.byte_widths`) and with the ``csv`` module
otherwise.
"""

from __future__ import annotations

import csv
import io

from ..errors import FormatError
from ..model import Note
from .source import InputSource

MAX_COLUMNS = 10_000  # a table wider than this is not a result file
LINE_OFFSET = 2  # data row 0 is on line 2 (line 1 holds the header)


def blank_note(blank, src: InputSource, notes: list[Note]) -> None:
    if blank.any():
        first = int(blank.nonzero()[0][0])
        notes.append(
            Note(
                "blank-rows",
                f"{int(blank.sum())} blank row(s) skipped",
                file=src.name,
                line=first + LINE_OFFSET,
                severity="warning",
            )
        )


def narrow_widths(src: InputSource, enc: str, delimiter: str, headers: list[str]):
    """The rows' widths from the bytes when they show every row whole (of the header's
    width, or blank) and the file ends with a line end; None where the parse of every
    column must decide (quotes, odd rows, a cut-off last line)."""
    from ..checks.widths import byte_widths

    if not ends_with_newline(src):
        return None
    with src.open_binary() as raw:
        # Undecodable bytes: the parse that follows raises on them, as a full one would.
        widths = byte_widths(raw, enc, delimiter, MAX_COLUMNS, decodes=False)
    if widths is None or widths.header != headers:
        return None
    empty = set(widths.empty)
    if any(row not in empty for row, _, _ in widths.odd):
        return None
    return widths


def blank_rows(frame):
    """Rows with every cell empty, column by column (no frame-sized mask of booleans)."""
    import numpy as np

    blank = np.ones(len(frame), dtype=bool)
    for name in frame.columns:
        col = frame[name]
        if col.dtype == np.float64:
            blank &= np.isnan(col.to_numpy())
        elif str(col.dtype) == "category":
            blank &= col.cat.codes.to_numpy() < 0
        else:
            blank &= col.isna().to_numpy()
        if not blank.any():
            break
    return blank


def ends_with_newline(src: InputSource) -> bool:
    """Whether the raw bytes end with a line end (compressed files are taken as whole)."""
    if src.compression:
        return True
    if src.data is not None:
        return src.data.endswith((b"\n", b"\r"))
    assert src.path is not None
    with open(src.path, "rb") as f:
        f.seek(0, 2)
        if f.tell() == 0:
            return True
        f.seek(-1, 2)
        return f.read(1) in (b"\n", b"\r")


def short_rows(src: InputSource, enc: str, delimiter: str, width: int) -> None:
    """A row with fewer fields than the header is an error: pandas would fill the missing
    cells with blanks, and a count that is not there would read as not given."""
    from ..checks.widths import byte_widths

    with src.open_binary() as raw:
        widths = byte_widths(raw, enc, delimiter, 1 << 20)
    if widths is not None:
        short = [(row + 2, w) for row, w, blank in widths.odd if not blank and w < width]
    else:  # quotes or bare carriage returns: the csv module decides
        short = []
        with src.open_binary() as raw:
            text = io.TextIOWrapper(raw, encoding=enc, errors="replace", newline="")
            reader = csv.reader(text, delimiter=delimiter)
            try:
                next(reader, None)
                for row in reader:
                    if row and any(c.strip() for c in row) and len(row) < width:
                        short.append((reader.line_num, len(row)))
                        break
            except csv.Error:
                pass  # a field past the csv module's limit: pandas read it, widths unknown
    if short:
        line, w = short[0]
        raise FormatError(
            f"row has {w} fields, the header has {width}",
            file=src.name,
            line=line,
            hint="a row is cut short or a delimiter is missing; every row needs as many "
            "fields as the header (empty ones as ,,)",
        )


def wrong_width(src: InputSource, encoding: str, delimiter: str, width: int) -> FormatError:
    """Find the first row with more fields than the header (only on the error path)."""
    with src.open_binary() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        for number, row in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            if len(row) > width:
                return FormatError(
                    f"row has {len(row)} fields, the header has {width}",
                    file=src.name,
                    line=number,
                    hint="quote fields that contain the delimiter, or remove the extra cells",
                )
    return FormatError(
        "some rows have more fields than the header",
        file=src.name,
        hint="quote fields that contain the delimiter",
    )

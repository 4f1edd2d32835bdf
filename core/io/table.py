"""Reading a delimited text file into a frame, with its header checked.

Shared by the wide and long loaders: delimiter sniffing, header checks (blank,
duplicate), the C parser with identifier columns kept as text, blank rows
dropped with a note, and numeric columns turned into exact counts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import DecodeError, FormatError
from ..model import Note
from .source import InputSource, detect_encoding
from .table_rows import (
    LINE_OFFSET as FIRST_DATA_LINE,
)
from .table_rows import (
    blank_note,
    blank_rows,
    ends_with_newline,
    narrow_widths,
    short_rows,
    wrong_width,
)

if TYPE_CHECKING:  # pandas and numpy load with the first file read, not at start-up
    import numpy as np
    import pandas as pd

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass
class Table:
    frame: pd.DataFrame  # all columns as read
    headers: list[str]
    encoding: str
    delimiter: str
    notes: list[Note]
    blank: np.ndarray | None = None  # bool per row: every cell empty

    LINE_OFFSET = FIRST_DATA_LINE  # data row 0 is on line 2 (line 1 holds the header)


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_header(src: InputSource, encoding: str | None) -> tuple[list[str], str, str, list[Note]]:
    head = src.read_head()
    enc, note = detect_encoding(head, src.name, encoding)
    notes = [note] if note else []
    try:
        text = (
            head.decode(enc, errors="strict") if len(head) < (1 << 16) else _decode_cut(head, enc)
        )
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"undecodable bytes for {enc}",
            file=src.name,
            line=head[: exc.start].count(b"\n") + 1,
            hint="name the right encoding (cp1251, utf-16…)",
            fix=("encoding", "cp1251"),
        ) from exc
    text = text.lstrip("\ufeff")
    # Only CR/LF end a CSV line: str.splitlines would also split on \v, \f and \x1c.
    first_line = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0] if text.strip() else ""
    if not first_line.strip():
        raise FormatError(
            "empty file, or the first line is blank",
            file=src.name,
            line=1,
            hint="the first line must hold the column headers",
        )
    if first_line.lstrip().startswith("#"):
        raise FormatError(
            f"line 1 is a comment ({first_line.strip()[:40]!r}), not the column headers",
            file=src.name,
            line=1,
            hint="elect reads the headers from the first line: remove the comment lines "
            "(and any extra header rows) above them",
        )
    delimiter = sniff_delimiter(first_line)
    if delimiter != ",":
        name = DELIMITER_NAMES[delimiter]
        notes.append(Note("delimiter", f"{name}-delimited", file=src.name))
    whole_line = len(first_line) < len(text) or len(head) < (1 << 16)
    if '"' in first_line or not whole_line:
        # A quoted header may hold a line end, and a long one runs past the sniffed head:
        # read the first record as the csv module reads it.
        headers = _first_record(src, enc, delimiter)
    else:
        headers = next(csv.reader([first_line], delimiter=delimiter))
    check_headers(headers, src.name)
    return headers, enc, delimiter, notes


def _first_record(src: InputSource, enc: str, delimiter: str) -> list[str]:
    with src.open_binary() as raw:
        stream = io.TextIOWrapper(raw, encoding=enc, errors="replace", newline="")
        try:
            record = next(csv.reader(stream, delimiter=delimiter), [])
        except csv.Error as exc:
            raise FormatError(
                f"malformed header row: {exc}",
                file=src.name,
                line=1,
                hint="close the quotes of the header, or re-export the file",
            ) from exc
    if record:
        record[0] = record[0].lstrip("\ufeff")
    return record


def _decode_cut(head: bytes, enc: str) -> str:
    import codecs

    return codecs.getincrementaldecoder(enc)().decode(head, final=False)


def check_headers(headers: list[str], file: str) -> None:
    seen: dict[str, int] = {}
    for i, h in enumerate(headers, start=1):
        key = h.strip().lower()
        if not key:
            raise FormatError(
                f"blank header in column {i}",
                file=file,
                line=1,
                hint="give every column a name, or delete the empty column",
            )
        if key in seen:
            raise FormatError(
                f"duplicate header {h.strip()!r} (columns {seen[key]} and {i})",
                file=file,
                line=1,
                column=h.strip(),
                hint="rename one of the columns",
            )
        seen[key] = i


def read_table(
    src: InputSource,
    *,
    encoding: str | None,
    text_columns: list[str],
    usecols: list[str] | None = None,
    dtypes: dict | None = None,
    options: dict | None = None,
    restore: list[str] | None = None,
    counts: list[str] | None = None,
    needed: list[str] | None = None,
) -> Table:
    """Read the whole file; ``text_columns`` stay strings, the rest are parsed by pandas.

    ``restore``: the ``category`` columns whose values are read (and so must stay
    text, see _restore_text_categories); None for every one. The others are read only
    to check each row's width and blankness. ``counts``: columns read by
    :func:`count_column` only, which takes whatever type pandas gives a piece of the
    file, so they need no dtype up front for the file to be tokenised in pieces.

    ``dtypes`` chooses more (``category``, ``float64``) up front; a cell that does not
    fit a float64 column raises ValueError, so the caller can re-read it as text.

    ``needed``: the columns the caller reads, the others being there only for the width
    and blank-row checks. Where the raw bytes answer those checks (see
    :func:`~elect.core.checks.widths.byte_widths`: no quotes, every row of the header's
    width or wholly empty, a line end at the end), only ``needed`` is parsed, which is
    decided before the parse; otherwise every column is, and the checks below say what
    is wrong with the rows.
    """
    import numpy as np
    import pandas as pd

    headers, enc, delimiter, notes = read_header(src, encoding)
    # Only worth a byte pass when some column would go unparsed.
    skipped = needed is not None and bool(set(headers) - set(needed))
    narrow = narrow_widths(src, enc, delimiter, headers) if skipped else None
    if narrow is not None:
        assert needed is not None
        usecols = [h for h in headers if h in set(needed)]
    wanted = usecols or headers
    given = dtypes  # as the caller chose them, for a full read after a narrow one
    dtypes = {**{c: str for c in text_columns if c in wanted}, **(dtypes or {})}
    dtypes = {c: t for c, t in dtypes.items() if c in wanted}
    if delimiter != ",":
        # Where commas may be decimal marks, a dot may group thousands ("2.000"): the
        # C parser would read 2.0. Counts are read as text and decided per column.
        dtypes = {c: (str if dtypes.get(c, "float64") == "float64" else dtypes[c]) for c in wanted}
    import warnings

    stream = src.open_binary()
    try:
        with warnings.catch_warnings():
            # A count column in pieces of mixed types: count_column reads any of them.
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            frame = pd.read_csv(
                stream,
                **_parse_options(delimiter, enc, wanted),
                dtype=dtypes,
                usecols=usecols,  # None keeps the width check below effective
                # Chunked tokenising halves the peak memory; it may only mix the types
                # of a column whose dtype is not given up front.
                low_memory=all(c in dtypes or c in (counts or ()) for c in wanted),
                **(options or {}),
            )
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"undecodable bytes for {enc} past the start of the file",
            file=src.name,
            hint="name the right encoding, or re-save the file as UTF-8",
            fix=("encoding", "cp1251"),
        ) from exc
    except pd.errors.ParserError as exc:
        raise FormatError(
            f"malformed CSV: {_parser_message(exc)}",
            file=src.name,
            line=_parser_line(exc),
            hint="every row needs as many fields as the header; quote fields that "
            "contain the delimiter",
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise FormatError("no data", file=src.name, hint="the file is empty") from exc
    finally:
        stream.close()
    if narrow is not None:
        if len(frame) != narrow.rows:  # pragma: no cover - the bytes and the parser disagree
            return read_table(
                src,
                encoding=encoding,
                text_columns=text_columns,
                dtypes=given,
                options=options,
                restore=restore,
                counts=counts,
            )
        _restore_text_categories(frame, src, enc, delimiter, options, restore)
        frame.attrs["delimiter"] = delimiter
        blank = np.zeros(len(frame), dtype=bool)
        blank[narrow.empty] = True
        blank_note(blank, src, notes)
        return Table(frame, list(headers), enc, delimiter, notes, blank)
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas turns the surplus leading fields of over-long rows into an index.
        raise wrong_width(src, encoding or enc, delimiter, len(headers))
    last = headers[-1]
    # A short row leaves its last cell empty: where the last column has no gap, no row is.
    if last not in frame.columns or frame[last].isna().any():
        short_rows(src, enc, delimiter, len(headers))
    if len(frame) and frame.iloc[-1].isna().iloc[-1] and not ends_with_newline(src):
        # A short last line with no line end is a file cut off mid-write or mid-download.
        raise FormatError(
            "the last row is incomplete (the file ends mid-row)",
            file=src.name,
            line=len(frame) + 1,
            hint="the file may still be being written or was truncated; read it again",
        )
    _restore_text_categories(frame, src, enc, delimiter, options, restore)
    frame.attrs["delimiter"] = delimiter
    blank = blank_rows(frame)
    blank_note(blank, src, notes)
    return Table(frame, list(headers), enc, delimiter, notes, blank)


def read_chunks(
    src: InputSource,
    enc: str,
    delimiter: str,
    width: int,
    *,
    dtypes: dict[int, Any],
    chunk_rows: int,
    blanks: str = "missing",
    skip_long_rows: bool = False,
):
    """The data rows in chunks of ``chunk_rows``, columns named c0, c1, …: the parse of
    :func:`read_table`, streamed, for the passes that must not hold a whole frame.

    ``dtypes`` types columns by position (the rest as the parser infers them). Blank
    cells are missing, or with ``blanks="text"`` the empty string. ``skip_long_rows``
    leaves out rows with more fields than the header (the caller has counted them);
    otherwise the parser raises at the first.
    """
    import pandas as pd

    names = [f"c{i}" for i in range(width)]
    options = _parse_options(delimiter, enc, names)
    if blanks == "text":
        options["na_filter"] = False
    stream = src.open_binary()
    try:
        yield from pd.read_csv(
            stream,
            **options,
            header=0,
            names=names,
            dtype={f"c{i}": t for i, t in dtypes.items()},
            on_bad_lines="skip" if skip_long_rows else "error",
            chunksize=chunk_rows,
        )
    finally:
        stream.close()


def _parse_options(delimiter: str, enc: str, columns) -> dict:
    """How elect reads a table with pandas: blank lines kept, only "" is missing."""
    return dict(
        sep=delimiter,
        encoding=enc,
        skip_blank_lines=False,
        keep_default_na=False,
        # Per column, the C parser tests blanks without a Python set lookup per cell.
        na_values={c: [""] for c in columns},
        engine="c",
    )


def _restore_text_categories(
    frame, src: InputSource, enc: str, delimiter: str, options, restore=None
) -> None:
    """Names read as ``category`` stay text: "001" must not become the number 1.

    pandas infers a categorical's categories, so a column of names that all look like
    numbers (district codes, say) comes back as numbers, their leading zeros gone.
    Only such columns are read again, as text.
    """
    import pandas as pd

    numeric = [
        c
        for c in (frame.columns if restore is None else restore)
        if isinstance(frame[c].dtype, pd.CategoricalDtype)
        and pd.api.types.infer_dtype(frame[c].cat.categories, skipna=True)
        not in ("string", "empty")
    ]
    if not numeric:
        return
    stream = src.open_binary()
    try:
        # The same parse as the first read, so the rows line up.
        text = pd.read_csv(
            stream,
            **_parse_options(delimiter, enc, numeric),
            dtype={c: str for c in numeric},
            usecols=numeric,
            **(options or {}),
        )
    finally:
        stream.close()
    for c in numeric:
        frame[c] = text[c].astype("category")


def _parser_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    return text


def _parser_line(exc: Exception) -> int | None:
    import re

    m = re.search(r"line (\d+)", str(exc))
    return int(m.group(1)) if m else None

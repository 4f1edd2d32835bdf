"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) as an input source: one sheet becomes CSV text.

A commission workbook is turned into the delimited text the ordinary CSV reader
reads, so a spreadsheet goes through the same loader (layout detection, mappings,
checks) as a CSV file and nothing is parsed twice. Before that:

- the sheet is chosen (``--sheet NAME`` or ``--sheet N``, 1-based; by default the
  first sheet with a table in it, and a note when there were others);
- title rows above the header are skipped (the header is the first row that is
  about as wide as the table below it and holds text, with numbers under it);
- a header split over two rows (a merged group label above sub-labels) is joined;
- merged cells are filled: across within the header, downwards in the data
  (a region name merged over its district rows);
- blank rows, blank columns and footnotes under the table are dropped.

Numbers stored as text (``"1 234"``, ``"12,5"``) are written as the text they are, for
the CSV reader's number parsing to read and report; numbers stored as numbers are
written without a spurious ``.0``.

Reading uses python-calamine (the ``excel`` extra): a Rust reader about ten times
faster than openpyxl on a workbook of polling stations, and it reads .xls and .ods
as well as .xlsx.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time, timedelta

from ..errors import FormatError, SelectionError
from ..model import Note
from .source import InputSource

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE files)
EXTRA_HINT = "pip install 'elect[excel]'"


class MissingExtraError(FormatError):
    """A spreadsheet was given but the reader (python-calamine) is not installed."""


def spreadsheet_kind(src: InputSource) -> str | None:
    """``xlsx``, ``ods`` or ``xls`` when the raw bytes are a workbook, else None."""
    with src._open_raw() as raw:
        head = raw.read(8)
        if head.startswith(OLE2_MAGIC):
            return "xls"
        if not head.startswith(b"PK\x03\x04"):
            return None
        raw.seek(0)
        try:
            names = set(zipfile.ZipFile(raw).namelist())
        except (zipfile.BadZipFile, OSError):
            return None
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    return None


def sheet_as_csv_source(src: InputSource, kind: str, sheet: str | None = None) -> InputSource:
    """The chosen sheet of the workbook in SRC as CSV text, under the workbook's name."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:
        raise MissingExtraError(
            f"reading {kind} workbooks needs python-calamine, which is not installed",
            file=src.name,
            hint=EXTRA_HINT,
        ) from exc
    with src._open_raw() as raw:
        data = raw.read()
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types
        raise FormatError(
            f"cannot read the {kind} workbook: {exc}",
            file=src.name,
            hint="open it in a spreadsheet program and save it again as .xlsx or CSV",
        ) from exc
    names = list(book.sheet_names)
    index = _pick_sheet(book, names, sheet, src.name)
    ws = book.get_sheet_by_index(index)
    rows = [list(r) for r in ws.to_python(skip_empty_area=False)]
    merged = _merged_ranges(ws)
    table, notes = _table(rows, merged, f"{src.name} [{names[index]}]")
    if not table:
        raise FormatError(
            f"sheet {names[index]!r} holds no table",
            file=src.name,
            hint=f"sheets: {', '.join(names)}; pick one",
            fix=("sheet", "NAME"),
        )
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    out = InputSource.from_bytes(buf.getvalue().encode("utf-8"), name=src.name, limit=src.limit)
    out.notes = list(src.notes)
    others = [n for i, n in enumerate(names) if i != index]
    what = f"sheet {names[index]!r}"
    if sheet is None and others:
        what += f" (the workbook also has {', '.join(repr(n) for n in others)})"
    fix = ("sheet", "NAME") if sheet is None and others else None
    out.notes.append(Note("spreadsheet", f"read {kind} {what}", file=src.name, fix=fix))
    out.notes.extend(notes)
    return out


def _pick_sheet(book, names: list[str], sheet: str | None, file: str) -> int:
    if sheet is None:
        for i in range(len(names)):
            rows = book.get_sheet_by_index(i).to_python()
            if sum(1 for r in rows if sum(1 for c in r if c not in ("", None)) >= 2) >= 2:
                return i
        return 0
    wanted = sheet.strip()
    if wanted.isdigit():
        n = int(wanted)
        if 1 <= n <= len(names):
            return n - 1
        raise SelectionError(
            f"sheet {n}: the workbook has {len(names)} sheet(s)",
            file=file,
            hint=f"sheets (1-based): {', '.join(f'{i + 1}={s}' for i, s in enumerate(names))}",
        )
    folded = [n.casefold() for n in names]
    if wanted.casefold() in folded:
        return folded.index(wanted.casefold())
    raise SelectionError(
        f"no sheet named {sheet!r}",
        file=file,
        hint=f"sheets: {', '.join(names)}; or give a number from 1",
        fix=("sheet", "2"),
    )


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """Merged areas as (first row, first col, last row, last col), 0-based, inclusive."""
    try:
        ranges = ws.merged_cell_ranges or []
    except Exception:  # noqa: BLE001 - not offered for every format
        return []
    out = []
    for start, end in ranges:
        out.append((int(start[0]), int(start[1]), int(end[0]), int(end[1])))
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _is_number(text: str) -> bool:
    from ..numbers import parse_number

    return parse_number(text)[0] is not None


def _table(rows: list[list], merged, where: str) -> tuple[list[list[str]], list[Note]]:
    """The header and data rows of the sheet as text, and what was done to get them."""
    cells = [[_cell(v) for v in r] for r in rows]
    notes: list[Note] = []
    if not cells:
        return [], notes
    width = max(len(r) for r in cells)
    cells = [r + [""] * (width - len(r)) for r in cells]
    header = _header_row(cells)
    if header is None:
        return [], notes
    # Merged cells: across in the header rows, downwards below them.
    head_rows = 1
    for r0, c0, r1, c1 in merged:
        if r0 >= len(cells) or c0 >= width or r1 < header:
            continue
        value = cells[r0][c0]
        for r in range(max(r0, header), min(r1, len(cells) - 1) + 1):
            across = range(c0, min(c1, width - 1) + 1) if r == header else (c0,)
            for c in across:
                cells[r][c] = cells[r][c] or value
    # A second header row: text under a merged group label (no numbers in it).
    nxt = header + 1
    if nxt < len(cells) and _is_subheader(cells[header], cells[nxt]):
        joined = []
        for top, sub in zip(cells[header], cells[nxt], strict=True):
            joined.append(f"{top} {sub}".strip() if top != sub else top)
        cells[header] = joined
        head_rows = 2
    if header:
        notes.append(
            Note(
                "spreadsheet-title-rows",
                f"{header} title row(s) above the header skipped",
                file=where,
                line=header + 1,
            )
        )
    if head_rows == 2:
        notes.append(Note("spreadsheet-header", "header spread over two rows, joined", file=where))
    body = [r for r in cells[header + head_rows :] if any(r)]
    # Footnotes under the table: rows with a single filled cell of text at the end.
    dropped = 0
    while (
        body and sum(1 for c in body[-1] if c) < 2 and not any(_is_number(c) for c in body[-1] if c)
    ):
        body.pop()
        dropped += 1
    if dropped:
        notes.append(
            Note(
                "spreadsheet-footnotes",
                f"{dropped} note row(s) under the table dropped",
                file=where,
            )
        )
    table = [cells[header], *body]
    keep = [c for c in range(width) if any(row[c] for row in table)]
    return [[row[c] for c in keep] for row in table], notes


def _header_row(cells: list[list[str]]) -> int | None:
    """The first row as wide as the table below it, mostly text, with a number under it."""
    filled = [sum(1 for c in r if c) for r in cells]
    for i, row in enumerate(cells[:50]):
        if filled[i] < 2:
            continue
        below = [f for f in filled[i + 1 : i + 21] if f]
        widest = max(below) if below else filled[i]
        if filled[i] < max(2, 0.5 * widest):
            continue
        texts = sum(1 for c in row if c and not _is_number(c))
        if texts < 0.6 * filled[i]:
            continue
        rest = cells[i + 1 : i + 4]
        if not rest or any(any(_is_number(c) for c in r) for r in rest):
            return i
    return None


def _is_subheader(top: list[str], sub: list[str]) -> bool:
    """SUB is a second header line: text only, and TOP has gaps or repeats above it."""
    filled = [c for c in sub if c]
    if len(filled) < 2 or any(_is_number(c) for c in filled):
        return False
    repeated = sum(1 for a, b in zip(top, top[1:], strict=False) if a and a == b)
    gaps = sum(1 for a, b in zip(top, sub, strict=True) if b and not a)
    return repeated > 0 or gaps > 0

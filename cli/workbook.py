"""``elect results -o results.xlsx``: per-unit results as a workbook (the ``excel`` extra).

Three sheets: *Results* (one row per unit: counts as whole numbers, percentages as
numbers shown with two decimals, frozen header and name column, a filter on the
header), *Options* (id, name, party, kind, total votes) and *About* (what the file
is, where it came from, and how it was sorted and filtered). XlsxWriter streams the
rows (``constant_memory``), so 100,000 stations never sit in memory as cells; the
file is written beside the target and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from elect.core.errors import ElectError

from .output import OutputError, check_not_input


class MissingExcelError(ElectError):
    """XlsxWriter is not installed."""


PCT_PREFIXES = ("share:",)
PCT_COLUMNS = {"turnout_pct", "leader_share_pct", "margin_pp"}


def write_results_workbook(res, election, path: Path, *, inputs) -> None:
    try:
        import xlsxwriter
    except ImportError as exc:
        raise MissingExcelError(
            "writing .xlsx needs XlsxWriter, which is not installed",
            hint="pip install 'elect[excel]'",
        ) from exc
    check_not_input(str(path), inputs)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(
            f"cannot write: {exc.strerror or exc}", file=str(path), hint="check the directory"
        ) from exc
    os.close(fd)
    try:
        book = xlsxwriter.Workbook(tmp, {"constant_memory": True, "strings_to_formulas": False})
        _results_sheet(book, res)
        _options_sheet(book, res)
        _about_sheet(book, res, election)
        book.close()
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _results_sheet(book, res) -> None:
    ws = book.add_worksheet("Results")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    pct = book.add_format({"num_format": "0.00"})
    count = book.add_format({"num_format": "#,##0"})
    names = {o.id: o.name for o in res.options}
    columns: list[str] | None = None
    r = 0
    for row in res.flat_rows():
        if columns is None:
            columns = list(row)
            for c, col in enumerate(columns):
                ws.write_string(0, c, _heading(col, names), bold)
                ws.set_column(c, c, 28 if col in ("name", "region", "leader_name") else 12)
            ws.freeze_panes(1, 2)
            r = 1
        for c, col in enumerate(columns):
            v = row[col]
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float)):
                is_pct = col in PCT_COLUMNS or col.startswith(PCT_PREFIXES)
                ws.write_number(r, c, v, pct if is_pct else count)
            else:
                ws.write_string(r, c, str(v))
        r += 1
    if columns:
        ws.autofilter(0, 0, max(r - 1, 0), len(columns) - 1)


def _heading(col: str, names: dict[str, str]) -> str:
    if col.startswith("votes:"):
        return f"{names.get(col[6:], col[6:])} votes"
    if col.startswith("share:"):
        return f"{names.get(col[6:], col[6:])} %"
    return col


def _options_sheet(book, res) -> None:
    ws = book.add_worksheet("Options")
    bold = book.add_format({"bold": True, "bottom": 1})
    for c, head in enumerate(("id", "name", "party", "kind", "votes")):
        ws.write_string(0, c, head, bold)
    ws.freeze_panes(1, 0)
    for r, o in enumerate(res.options, start=1):
        ws.write_string(r, 0, o.id)
        ws.write_string(r, 1, o.name)
        if o.party:
            ws.write_string(r, 2, o.party)
        ws.write_string(r, 3, o.kind)
        total = res.frame[f"votes:{o.id}"].sum(min_count=1)
        if total == total:
            ws.write_number(r, 4, int(total))
    ws.set_column(0, 2, 30)


def _about_sheet(book, res, election) -> None:
    ws = book.add_worksheet("About")
    bold = book.add_format({"bold": True})
    facts = [
        ("Election", election.name),
        ("Date", election.date),
        ("Status", election.status),
        ("Contest", res.contest.name),
        ("Level", res.level),
        ("Units", res.units),
        ("Rows", len(res)),
        ("Share base", res.base),
        ("Sorted by", res.sort),
        ("Filters", " and ".join(res.filters) or None),
        ("Input file", election.file),
        ("Sources", "; ".join(s.id for s in election.sources) or None),
        ("Made by", "elect results"),
    ]
    for r, (k, v) in enumerate(facts):
        ws.write_string(r, 0, k, bold)
        if isinstance(v, int):
            ws.write_number(r, 1, v)
        elif v is not None:
            ws.write_string(r, 1, str(v))
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 60)

"""The first pass of the structural checks: each row's width and physical line.

From the raw bytes where they answer (:func:`.widths.byte_widths`), else with the
``csv`` module; the header's blanks and duplicates, and rows of another width or
blank, are reported here. :class:`RowPass` is the part of the table scan
(:mod:`.structure`) that runs before any cell is read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from ..io.source import InputSource
from ..io.table_rows import MAX_COLUMNS
from .findings import Collector


@dataclass
class Scan:
    """What the structural pass learnt, for the model checks that follow."""

    layout: str | None = None  # wide | long | json
    rows: int | None = None
    fatal: bool = False  # the loader cannot read it: skip the model checks
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Rows that span several lines (quoted line breaks): (row, extra lines). The loaders
    # number rows as if each took one line; this maps their numbers to physical lines.
    jumps: list[tuple[int, int]] = field(default_factory=list)
    first_line: int = 2

    def physical_line(self, loader_line: int) -> int:
        k = loader_line - 2
        extra = sum(n for row, n in self.jumps if row < k)
        return k + self.first_line + extra


class RowPass:
    """Pass 1 of a table scan; the scan (:class:`.structure._TableScan`) goes on from
    :meth:`_after_widths` to the roles and the cells."""

    src: InputSource
    col: Collector
    enc: str
    delimiter: str
    scan: Scan
    header: list[str]
    width: int
    first_line: int
    n_rows: int
    truncated_at: int | None
    _odd: list[tuple[int, int, bool]]
    _jumps: list[tuple[int, int]]
    _wide_rows: list[int]
    _blank_csv_rows: set[int]

    def _after_widths(self) -> Scan:
        raise NotImplementedError

    # -- pass 1: widths and lines -------------------------------------------------
    def run(self) -> Scan:
        from .widths import byte_widths

        with self.src.open_binary() as raw:
            fast = byte_widths(raw, self.enc, self.delimiter, MAX_COLUMNS)
        if fast is None:
            return self._run_csv()
        if not self._header_ok(fast.header):
            return Scan(fatal=True)
        self.first_line = 2
        self.n_rows, self._odd, self._jumps = fast.rows, fast.odd, []
        return self._after_widths()

    def _run_csv(self) -> Scan:
        with self._text() as stream:
            reader = csv.reader(stream, delimiter=self.delimiter)
            try:
                header = next(reader, [])
            except (csv.Error, UnicodeDecodeError) as exc:
                self.col.add("malformed-file", line=1, reason=f"header row: {exc}")
                return Scan(fatal=True)
            if not self._header_ok(header):
                return Scan(fatal=True)
            self.first_line = reader.line_num + 1
            self.truncated_at = self._widths(reader)
        return self._after_widths()

    def _header_ok(self, header: list[str]) -> bool:
        if len(header) > MAX_COLUMNS:
            self.col.add("unknown-format", reason=f"{len(header):,} columns: not a result file")
            return False
        if len(header) < 2:
            self.col.add(
                "unknown-format",
                reason="neither JSON nor a delimited table with several columns",
            )
            return False
        self.header = header
        self.width = len(header)
        self._check_header()
        return True

    def _text(self):
        return io.TextIOWrapper(self.src.open_binary(), encoding=self.enc, newline="")

    def _check_header(self) -> None:
        seen: dict[str, int] = {}
        for i, h in enumerate(self.header, start=1):
            key = h.strip().lower()
            if not key:
                self.col.add("blank-header", line=1, column_number=i)
                self.scan.fatal = True
                continue
            if key in seen:
                self.col.add(
                    "duplicate-header",
                    line=1,
                    field=h.strip(),
                    first_column=seen[key],
                    column_number=i,
                )
                self.scan.fatal = True
            else:
                seen[key] = i

    def _widths(self, reader) -> int | None:
        """Record rows of another width and rows that span several lines; None if read to the end."""
        odd: list[tuple[int, int, bool]] = []
        jumps: list[tuple[int, int]] = []
        width = self.width
        last = reader.line_num
        k = -1
        try:
            for k, row in enumerate(reader):  # noqa: B007 - k is the row count afterwards
                n = len(row)
                if n != width:
                    odd.append((k, n, not any(c.strip() for c in row)))
                line = reader.line_num
                if line - last != 1:
                    jumps.append((k, line - last - 1))
                last = line
        except (csv.Error, UnicodeDecodeError) as exc:
            code = "undecodable-file" if isinstance(exc, UnicodeDecodeError) else "malformed-file"
            reason = (
                f"not {self.enc} past the start of the file"
                if isinstance(exc, UnicodeDecodeError)
                else str(exc)
            )
            self.col.add(code, line=reader.line_num + 1, reason=reason)
            self.scan.fatal = True
            self.n_rows = k + 1
            self._odd, self._jumps = odd, jumps
            return k + 1
        self.n_rows = k + 1
        self._odd, self._jumps = odd, jumps
        return None

    def line_of_row(self, k):
        """Physical line on which csv row ``k`` (0 = first data row) starts."""
        import numpy as np

        if not self._jumps:
            return k + self.first_line
        rows = np.array([j[0] for j in self._jumps])
        extra = np.cumsum([j[1] for j in self._jumps])
        i = np.searchsorted(rows, k, side="left")  # rows before k that spanned extra lines
        return k + self.first_line + np.where(i > 0, extra[np.maximum(i - 1, 0)], 0)

    def _report_widths(self) -> None:
        blank_rows = [k for k, n, blank in self._odd if blank]
        wrong = [(k, n) for k, n, blank in self._odd if not blank]
        self._wide_rows = [k for k, n, _ in self._odd if n > self.width]
        self._blank_csv_rows = set(blank_rows)
        self.col.add_many("blank-row", blank_rows, lambda i: {"line": int(self.line_of_row(i))})
        if wrong:
            widths = dict(wrong)
            self.col.add_many(
                "wrong-width",
                [k for k, _ in wrong],
                lambda i: {
                    "line": int(self.line_of_row(i)),
                    "width": widths[i],
                    "expected": self.width,
                },
            )

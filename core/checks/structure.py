"""Structural checks on the raw table: every problem in one pass, in bounded memory.

The loaders stop at the first problem; validation must name them all. So the
table is read twice in a streaming way, never whole: once with the ``csv``
module for each row's width and physical line (rows of the wrong width, blank
lines, quoted line breaks), then with pandas' C parser in chunks for the cells
(counts, identifiers, duplicates), each chunk checked with vectorised code.
"""

from __future__ import annotations

import csv
import re
from typing import Any

from ..errors import DecodeError
from ..io.counts import looks_numeric
from ..io.headers import ID_ROLES, UNIT_KEY_ROLES
from ..io.source import SNIFF_BYTES, InputSource, detect_encoding
from ..io.table import DELIMITER_NAMES, read_chunks, sniff_delimiter
from ..model import COUNT_FIELDS
from .counts import NumberNotes, check_counts, parse_cells
from .findings import Collector
from .structure_rows import RowPass, Scan
from .structure_values import (
    collect_zeros,
    first_same,
    option_spellings,
    report_leading_zeros,
)
from .text import TextColumn, combine, number_hashes

CHUNK_ROWS = 100_000
AGGREGATE_ROW_REASON = "an aggregate (total) row among the units; elect leaves it out of every sum"


def scan_file(src: InputSource, col: Collector, encoding: str | None = None, mapping=None) -> Scan:
    """The structural pass; ``mapping`` (--map/--preset) names the columns of a wide file."""
    head = src.read_head(SNIFF_BYTES)
    try:
        enc, note = detect_encoding(head, src.name, encoding)
    except DecodeError as exc:
        col.add("undecodable-file", line=exc.line or 1, reason=exc.message)
        return Scan(fatal=True)
    if note is not None:
        col.add("encoding-normalised", reason=note.message)
    import codecs

    text = codecs.getincrementaldecoder(enc)(errors="replace").decode(head, final=False)
    text = text.lstrip("\ufeff")
    if not text.strip():
        col.add("unknown-format", reason="empty file")
        return Scan(fatal=True)
    if text.lstrip()[0] in "{[":
        from ..io.jsonl import is_jsonl_header

        if is_jsonl_header(text.lstrip().split("\n", 1)[0]):
            # JSON Lines is read by its loader line by line; its errors name the line.
            return Scan(layout="jsonl")
        from .structure_json import scan_json

        return scan_json(src, col, enc)
    first_line = re.split(r"\r\n|\n|\r", text, maxsplit=1)[0]
    if not first_line.strip():
        col.add("unknown-format", reason="the first line is blank; it must hold the headers")
        return Scan(fatal=True)
    if "\r\n" in text:
        col.add("line-ends-normalised")
    delimiter = sniff_delimiter(first_line)
    if delimiter != ",":
        name = DELIMITER_NAMES[delimiter]
        col.add("delimiter-normalised", reason=f"{name}-delimited")
    return _TableScan(src, col, enc, delimiter, mapping).run()


class _TableScan(RowPass):
    def __init__(
        self, src: InputSource, col: Collector, enc: str, delimiter: str, mapping=None
    ) -> None:
        self.src, self.col, self.enc, self.delimiter = src, col, enc, delimiter
        self.mapping = mapping
        self.scan = Scan()
        self.numbers = NumberNotes()
        # Filled by pass 1: rows of another width (row, fields, blank) and rows that span
        # several lines (row, extra lines); the row where a fatal error stopped the pass.
        self._odd: list[tuple[int, int, bool]] = []
        self._jumps: list[tuple[int, int]] = []
        self.truncated_at: int | None = None

    def _after_widths(self) -> Scan:
        self.scan.rows = self.n_rows
        self.scan.jumps = list(self._jumps)
        self.scan.first_line = self.first_line
        self._report_widths()
        self._roles()
        self._cells()
        return self.scan

    # -- roles -------------------------------------------------------------------
    def _roles(self) -> None:
        """Each column's role, from the loader's own interpretation of this header.

        The structural pass checks rows (widths, numbers, blank rows, spellings); what a
        row means (its unit, repeats, aggregates in a long file) is the loader's to say,
        and validate reports the loader's findings for it, so the two never disagree.
        """
        from ..errors import ElectError, MissingColumnError
        from ..io import interpret

        self.role: dict[int, str] = {}
        self.count_cols: list[int] = []
        self.pct_cols: list[int] = []
        self.text_cols: list[int] = []
        self.id_cols: dict[str, int] = {}
        self.key_cols: list[int] = []
        self.unit_cols: list[int] = []
        self.vote_types: list[int] = []
        self.option_cols: list[int] = []  # wide: decided on the first chunk
        self._mapped_options: list[int] | None = None
        try:
            interp = interpret(self.src, self.enc, mapping=self.mapping)
        except ElectError as exc:
            self.scan.fatal = True
            self.layout = self.scan.layout = "wide"
            required = isinstance(exc, MissingColumnError) or "needs" in exc.message
            if not required and "no column names the unit" not in exc.message:
                return  # a header fault, which the header check has named
            field = exc.column if exc.column and exc.column not in self.header else "region"
            if "option" in exc.message or "votes" in exc.message or "unit" in exc.message:
                self.layout = self.scan.layout = "long"
                field = "option" if "option" in exc.message else "votes"
                field = "region" if "unit" in exc.message else field
            layout = "the mapping's" if self.mapping is not None else self.layout
            self.col.add("missing-column", line=1, field=field, layout=layout)
            self.scan.fatal = True
            return
        self.layout = self.scan.layout = interp.layout
        at = {h: i for i, h in reversed(list(enumerate(self.header)))}
        if interp.layout == "long":
            self._long_roles(interp.plan, at)
        else:
            self._wide_roles(interp, at)
        self.id_cols = {r: i for i, r in self.role.items() if r in ID_ROLES}
        self.unit_cols = [self.id_cols[r] for r in UNIT_KEY_ROLES if r in self.id_cols]

    def _dropped(self, chunk):
        """Rows a long mapping's [rows] drop names: the loader never reads their cells."""
        import numpy as np

        plan = getattr(self, "_plan", None)
        if plan is None or self.mapping is None or not self.mapping.drops:
            return np.zeros(len(chunk), dtype=bool)
        from ..io.row_codes import dropped_rows

        at = {h: i for i, h in reversed(list(enumerate(self.header)))}

        def text_of(h):
            return chunk[f"c{at[h]}"].fillna("").astype(str).str.strip()

        def header_of(name):
            spec = self.mapping.fields.get(name)
            found = spec.select(self.header) if spec is not None else []
            return found[0] if found else name

        out = np.zeros(len(chunk), dtype=bool)
        for _, hit in dropped_rows(self.mapping, plan, header_of, text_of):
            out |= hit
        return out

    def _long_roles(self, plan, at: dict[str, int]) -> None:
        from ..io.long_fast import unit_roles

        self._plan = plan
        names = unit_roles(plan) if len(plan.unit) <= 3 else ["region", "district", "station"]
        units = plan.unit if len(plan.unit) <= 3 else [plan.unit[0], *plan.unit[-2:]]
        for r, h in zip(names, units, strict=True):
            self.role[at[h]] = r
        for r, h in (("office", plan.office), ("option", plan.option), ("party", plan.party)):
            if h:
                self.role[at[h]] = r
        for h in plan.contest_parts:
            self.role.setdefault(at[h], "contest_district")
        if plan.votes:
            self.role[at[plan.votes]] = "votes"
        self.vote_types = [at[h] for h in plan.modes]
        self.count_cols = [at[h] for h in (plan.votes, *plan.modes, *plan.counts.values()) if h]
        text = [*plan.unit, *plan.contest_parts, plan.option, plan.office, plan.party, plan.mode]
        self.text_cols = [at[h] for h in dict.fromkeys(text) if h]
        # Unit keys, repeats and aggregates of a long file are the loader's findings.
        self.key_cols = []

    def _wide_roles(self, interp, at: dict[str, int]) -> None:
        resolved = interp.resolved
        for key, hs in resolved.columns.items():
            for h in hs:
                self.role[at[h]] = key
        self.count_cols = [i for i, r in self.role.items() if r in COUNT_FIELDS]
        self.pct_cols = [i for i, r in self.role.items() if r == "reported_turnout"]
        text_roles = (*ID_ROLES, "abroad", "office")
        self.text_cols = [i for i, r in self.role.items() if r in text_roles]
        self.key_cols = [i for i, r in self.role.items() if r in (*UNIT_KEY_ROLES, "office")]
        if interp.auto:  # options are the number columns among those left: first chunk
            self._candidates = [at[h] for h in resolved.options]
        else:
            self._mapped_options = [at[h] for h in resolved.options]

    # -- pass 2: cells --------------------------------------------------------------
    def _cells(self) -> None:
        import numpy as np
        import pandas as pd

        wide = np.array(sorted(self._wide_rows), dtype=np.int64)
        self._wide_shift = wide - np.arange(len(wide))
        row_hashes, key_hashes, positions = [], [], []
        self.option_names: dict[str, set[str]] = {}
        self.zeros: dict[int, dict] = {}
        start = 0
        chunks = read_chunks(
            self.src,
            self.enc,
            self.delimiter,
            self.width,
            dtypes={i: str for i in self.text_cols},
            chunk_rows=CHUNK_ROWS,
            skip_long_rows=True,
        )
        try:
            for chunk in chunks:
                if self.truncated_at is not None and start >= self.truncated_at:
                    break
                csv_rows = self._csv_rows(np.arange(start, start + len(chunk)))
                h, kh, pos = self._chunk(chunk, csv_rows)
                row_hashes.append(h)
                key_hashes.append(kh)
                positions.append(pos)
                start += len(chunk)
        except (pd.errors.ParserError, UnicodeDecodeError, csv.Error):
            # The width pass already named where the parser has to stop.
            self.scan.fatal = True
        finally:
            chunks.close()  # the file, when the pass stops before its end
        self.numbers.emit(self.col)
        if positions and self.layout == "wide":  # long: the loader's repeated rows
            self._duplicates(
                np.concatenate(row_hashes),
                np.concatenate(key_hashes) if self.key_cols else None,
                np.concatenate(positions),
            )
        self._option_spellings()
        self._leading_zeros()

    def _csv_rows(self, p):
        """pandas row positions → csv row numbers (pandas skips over-wide rows)."""
        import numpy as np

        if not len(self._wide_shift):
            return p
        return p + np.searchsorted(self._wide_shift, p, side="right")

    def _chunk(self, chunk, csv_rows):
        import numpy as np

        if self._mapped_options is not None and not hasattr(self, "_decided"):
            self._decided = True
            self.option_cols = self._mapped_options
        if not self.option_cols and self.layout == "wide" and not hasattr(self, "_decided"):
            self._decided = True
            self.option_cols = [
                i
                for i in getattr(self, "_candidates", [])
                # Looser than the loader's 90%: a column of counts with a few typos is
                # still a column of counts, and its typos are findings.
                if looks_numeric(chunk, f"c{i}", share=0.5)
            ]
        dropped = self._dropped(chunk)  # the mapping's [rows] drop: not results
        if dropped.any():
            chunk, csv_rows = chunk[~dropped].reset_index(drop=True), csv_rows[~dropped]
        blank = chunk.isna().all(axis=1).to_numpy().copy()
        known = np.isin(csv_rows, list(self._blank_csv_rows))
        self.col.add_many(
            "blank-row",
            np.flatnonzero(blank & ~known),
            lambda p: {"line": int(self.line_of_row(csv_rows[p]))},
        )
        blank |= known

        def line_of(p: int) -> int:
            return int(self.line_of_row(int(csv_rows[p])))

        def unit_of(p: int) -> str:
            parts = [chunk.iat[p, i] for i in self.unit_cols]
            return "/".join(str(x).strip() for x in parts if isinstance(x, str) and x.strip())

        cells: dict[int, Any] = {}  # column -> TextColumn, or the parsed counts
        for i in self.text_cols:
            cells[i] = TextColumn.of(
                chunk[f"c{i}"], distinct=self.role.get(i) not in ("station", "code")
            )
        for i in [*self.count_cols, *self.option_cols]:
            name = self.header[i].strip()
            arr = parse_cells(
                chunk[f"c{i}"],
                field_name=name,
                notes=self.numbers,
                line_of=line_of,
                col=self.col,
                unit_of=unit_of,
            )
            check_counts(arr, field_name=name, line_of=line_of, col=self.col, unit_of=unit_of)
            cells[i] = arr
        for i in self.pct_cols:
            parse_cells(
                chunk[f"c{i}"],
                field_name=self.header[i].strip(),
                notes=self.numbers,
                line_of=line_of,
                col=self.col,
                unit_of=unit_of,
            )
        for i in range(self.width):
            if i not in cells:
                cells[i] = TextColumn.of(chunk[f"c{i}"])
        keep = ~blank
        self._aggregates(cells, keep, line_of, unit_of)
        self._collect_names(cells, keep)
        self._collect_zeros(cells, keep, line_of)
        kept = np.flatnonzero(keep)
        hashes = {
            i: c.hashes()[kept] if isinstance(c, TextColumn) else number_hashes(c[kept])
            for i, c in cells.items()
        }
        h = combine([hashes[i] for i in range(self.width)])
        kh = combine([hashes[i] for i in self.key_cols])
        return h, kh, csv_rows[kept]

    def _aggregates(self, cells, keep, line_of, unit_of) -> None:
        import numpy as np

        if not self.unit_cols or self.layout == "long":  # long: the loader's notes say it
            return
        agg = np.zeros(len(keep), dtype=bool)
        for i in self.unit_cols:
            agg |= cells[i].aggregates()
        agg &= keep
        if not agg.any():
            return
        pos = np.flatnonzero(agg)
        if self.layout == "long":  # one finding per aggregate unit, not per option row
            labels = [unit_of(int(p)) for p in pos[:1000]]
            firsts, seen = [], set()
            for p, lab in zip(pos, labels, strict=False):
                if lab not in seen:
                    seen.add(lab)
                    firsts.append(p)
            pos = np.array(firsts)
        self.col.add_many(
            "aggregate-row",
            pos,
            lambda p: {
                "line": line_of(p),
                "unit": unit_of(p),
                "reason": AGGREGATE_ROW_REASON,
            },
        )

    def _collect_names(self, cells, keep) -> None:
        import numpy as np

        if self.layout == "wide":
            return
        opt = next((i for i, r in self.role.items() if r == "option"), None)
        if opt is None:
            return
        contest = [i for i, r in self.role.items() if r in ("office", "contest_district")]
        cols = [cells[i] for i in (*contest, opt)]
        codes = np.unique(np.stack([c.codes[keep] for c in cols], axis=1), axis=0)
        for row in codes:
            names = [str(c.cats[k]) for c, k in zip(cols, row, strict=True)]
            self.option_names.setdefault(" / ".join(names[:-1]), set()).add(names[-1])

    def _collect_zeros(self, cells, keep, line_of) -> None:
        collect_zeros(self.zeros, self.id_cols, cells, keep, line_of)

    def _leading_zeros(self) -> None:
        report_leading_zeros(self.zeros, self.header, self.col)

    def _option_spellings(self) -> None:
        if self.layout == "wide":
            groups = {"": {self.header[i].strip() for i in self.option_cols}}
        else:
            groups = self.option_names
        option_spellings(groups, self.col)

    def _duplicates(self, row_h, key_h, pos) -> None:
        import numpy as np

        first_of = first_same(row_h)
        dup_row = first_of != np.arange(len(row_h))
        dup_unit = np.zeros(len(row_h), dtype=bool)
        kfirst_of = None
        if key_h is not None:
            kfirst_of = first_same(key_h)
            dup_unit = (kfirst_of != np.arange(len(key_h))) & ~dup_row
        if not (dup_row.any() or dup_unit.any()):
            return
        rows_dup = np.flatnonzero(dup_row)
        units_dup = np.flatnonzero(dup_unit)
        labels = self._labels_at(
            set(pos[rows_dup[: self.col.room("duplicate-row")]].tolist())
            | set(pos[units_dup[: self.col.room("duplicate-unit")]].tolist())
        )
        self.col.add_many(
            "duplicate-row",
            rows_dup,
            lambda j: {
                "line": int(self.line_of_row(int(pos[j]))),
                "unit": labels.get(int(pos[j])),
                "first_line": int(self.line_of_row(int(pos[first_of[j]]))),
            },
        )
        if kfirst_of is not None:
            self.col.add_many(
                "duplicate-unit",
                units_dup,
                lambda j: {
                    "line": int(self.line_of_row(int(pos[j]))),
                    "unit": labels.get(int(pos[j])),
                    "first_line": int(self.line_of_row(int(pos[kfirst_of[j]]))),
                },
            )

    def _labels_at(self, rows: set[int]) -> dict[int, str]:
        """Unit labels of a few csv rows, by reading up to the last of them again."""
        if not rows:
            return {}
        last = max(rows)
        key = [i for i in self.key_cols]
        out: dict[int, str] = {}
        with self._text() as stream:
            reader = csv.reader(stream, delimiter=self.delimiter)
            next(reader, None)
            for k, row in enumerate(reader):
                if k in rows:
                    out[k] = "/".join(
                        row[i].strip() for i in key if i < len(row) and row[i].strip()
                    )
                if k >= last:
                    break
        return out

"""What elect would take from a file: ``elect inspect FILE``.

Detected layout, encoding, delimiter, compression, the role of each column (from
its name, or from a mapping), the row count, and a mapping TOML to start from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .io import InputSource, detect_format
from .io.mapping import Mapping
from .io.mapping_toml import long_mapping_toml, mapping_toml
from .io.source import detect_encoding
from .io.table import read_header
from .schema import SCHEMA_VERSION


@dataclass
class ColumnRole:
    header: str
    role: str  # a field (region, registered…), "option", "unit", "ignored"…
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"header": self.header, "role": self.role, "reason": self.reason}


@dataclass
class Inspection:
    file: str
    format: str
    encoding: str
    delimiter: str | None
    compression: str | None
    rows: int | None
    columns: list[ColumnRole] = field(default_factory=list)
    mapping: str | None = None
    problem: str | None = None
    interpretation: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "inspect",
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "compression": self.compression,
            "rows": self.rows,
            "columns": [c.to_dict() for c in self.columns],
            "suggested_mapping": self.mapping,
            "problem": self.problem,
            "interpretation": self.interpretation,
            "notes": self.notes,
        }


def _count_rows(src: InputSource) -> int:
    """Data rows (lines after the header), counted in 1 MB blocks of the decompressed stream."""
    lines = 0
    last = b"\n"
    with src.open_binary() as f:
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n") - 1


def inspect_file(
    src: InputSource,
    *,
    encoding: str | None = None,
    mapping: Mapping | None = None,
    input_format: str = "auto",
    sheet: str | None = None,
) -> Inspection:
    """Look at the header and count the rows; nothing is tallied.

    ``input_format`` forces the layout as it does for every reader; ``sheet`` picks the
    sheet of a workbook (default its first table).
    """
    from .errors import ElectError
    from .io import table_source

    src, _ = table_source(src, sheet)  # a spreadsheet: one table, as CSV text
    if mapping is not None:
        fmt = "wide"
    elif input_format != "auto":
        fmt = input_format
    else:
        fmt = detect_format(src, encoding)
    head = src.read_head()
    enc, _ = detect_encoding(head, src.name, encoding)
    result = Inspection(src.name, fmt, enc, None, src.compression, None)
    if fmt in ("json", "nist-xml", "nist-json", "clarity"):  # documents: no columns to map
        return result
    if fmt == "jsonl":
        # The header line names the columns; each further line is one station.
        result.rows = _count_rows(src)
        return result
    headers, enc, delimiter, _ = read_header(src, encoding)
    result.encoding, result.delimiter = enc, delimiter
    result.rows = _count_rows(src)
    from .io import interpret, load

    layout = input_format if input_format in ("wide", "long") else "auto"
    try:
        interp = interpret(src, encoding, mapping=mapping, layout=layout)
    except ElectError as exc:
        result.problem = exc.one_line()
        result.columns = [ColumnRole(h, "?") for h in headers]
        return result
    # The rows finish the interpretation (repeats, aggregates, columns decided by them):
    # read the file as report would, and show what it decided and left out.
    try:
        election = load(src, format=mapping or layout, encoding=encoding)
        interp = election.interpretation or interp
        result.notes = [n.message for n in election.notes if n.code != "interpretation"]
    except ElectError as exc:
        result.problem = exc.one_line()
    result.format = interp.layout
    by_header = {r.column: r for r in interp.roles}
    result.columns = [
        ColumnRole(h, by_header[h].role, by_header[h].reason)
        if h in by_header
        else ColumnRole(h, "ignored")
        for h in headers
    ]
    result.interpretation = interp.to_dict()
    if interp.layout == "long":
        result.mapping = long_mapping_toml(interp)
    else:
        result.mapping = mapping_toml(interp.resolved)
    return result

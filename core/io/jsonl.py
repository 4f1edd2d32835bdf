"""JSON Lines: a header line, then one station a line (``elect-stations``).

Line 1 is an object: ``{"format": "elect-stations", "format_version": 1,
"election": {...}, "contest": {"id", "office", "rules"}, "options": [{"id", "name",
"kind", "party"}], "columns": ["region", "district", "station", "abroad",
"registered", "ballots_cast", "invalid", <option ids>...]}``. Every later line is an
array of values in the order of ``columns`` (``["Region 01", "D22", 1, false, 2467,
...]``), or an object keyed by them. Columns mean what they mean in a wide CSV.

Arrays of plain values are one CSV row in brackets, so such a file is read by the
same C parser as a wide CSV: the brackets are cut in bulk and the rest goes through
the wide loader. Lines that need JSON proper (escapes, ``null``, objects) are
decoded line by line, exactly, at the speed of Python.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from ..errors import FormatError
from ..model import OPTION_KINDS, Election, Option
from .json_keys import check_keys, decoded_keys
from .source import InputSource, detect_encoding

FORMAT_NAME = "elect-stations"
FORMAT_VERSION = 1
_TEXT = {"type": ["string", "null"]}
HEADER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "columns"],
    "properties": {
        "election": {
            "type": "object",
            "properties": {"name": _TEXT, "country": _TEXT, "date": _TEXT, "kind": _TEXT},
        },
        "contest": {
            "type": "object",
            "properties": {
                "id": {"type": ["string", "integer"]},
                "office": _TEXT,
                "rules": {
                    "type": "object",
                    "properties": {
                        "majority": {"enum": ["absolute", "plurality"]},
                        "threshold_pct": {"type": "number"},
                        "runoff_size": {"type": "integer", "minimum": 2},
                    },
                },
            },
        },
        "options": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}, "name": _TEXT, "party": _TEXT},
            },
        },
        "columns": {"type": "array", "items": {"type": "string"}},
    },
}


def is_jsonl_header(first_line: str) -> bool:
    """Whether a file's first line is an ``elect-stations`` header."""
    if FORMAT_NAME not in first_line:
        return False  # not worth decoding (a one-line JSON document of 200 MB)
    try:
        doc = json.loads(first_line)
    except (ValueError, RecursionError):
        return False
    return isinstance(doc, dict) and doc.get("format") == FORMAT_NAME


def load_jsonl(src: InputSource, *, encoding: str | None = None) -> Election:
    from .wide import load_wide

    raw = src.read_all()
    enc, note = detect_encoding(raw[: 1 << 16], src.name, encoding)
    nl = raw.find(b"\n")
    header = _header(raw if nl < 0 else raw[:nl], enc, src.name)
    columns = header["columns"]
    csv_head = ",".join(json.dumps(c, ensure_ascii=False) for c in columns).encode(enc)
    start, end = (len(raw), len(raw)) if nl < 0 else (nl + 1, _content_end(raw))
    _check_big_integers(raw, start, end, src.name)
    if (
        _plain_arrays(raw, start, end)
        and b"[" not in csv_head
        and b"]" not in csv_head
        and _widths_ok(raw, start, end, len(columns))
    ):
        # The brackets are the only bytes that are not CSV: cut them all in one pass.
        joined = b"".join((csv_head, b"\n", memoryview(raw)[start:end], b"\n"))
        del raw
        data = joined.translate(None, b"[]")
        del joined
    else:
        table = _decoded_csv(raw[start:], enc, src.name, columns)
        del raw
        data = csv_head + b"\n" + table
    inner = InputSource.from_bytes(data, name=src.name, limit=src.limit)
    # json.dumps writes ", " between values: the space before a quoted field is not data.
    election = load_wide(inner, encoding=enc, csv_options={"skipinitialspace": True})
    _apply_header(election, header, src.name)
    election.notes[:0] = list(src.notes) + ([note] if note else [])
    election.input_format = "jsonl"
    return election


def _content_end(raw: bytes) -> int:
    end = len(raw)
    while end and raw[end - 1 : end] in (b"\n", b"\r", b" "):
        end -= 1
    return end


MAX_EXACT = 2**53
_BIG_INT = re.compile(rb"[\[,]\s*(-?\d{16,})\s*(?=[,\]])")


def _check_big_integers(raw: bytes, start: int, end: int, file: str) -> None:
    """A bare integer above 2**53 would be rounded by the float conversion that follows:
    refuse it here, from its digits, before any conversion."""
    for m in _BIG_INT.finditer(raw, start, end):
        digits = m.group(1).lstrip(b"-")
        if len(digits) > 16 or int(digits) > MAX_EXACT:  # 2**53 has 16 digits
            raise FormatError(
                f"number too large to be exact: {m.group(1)[:30].decode()}",
                file=file,
                line=raw.count(b"\n", 0, m.start(1)) + 1,
                hint="a count above 2**53 cannot be summed exactly; write an identifier "
                "as a string",
            )


def _widths_ok(raw: bytes, start: int, end: int, width: int) -> bool:
    """Every line has exactly width-1 commas (else the exact path finds the short or
    long row, or a comma inside a quoted name, line by line)."""
    import numpy as np

    body = np.frombuffer(memoryview(raw)[start:end], dtype=np.uint8)
    newlines = np.flatnonzero(body == 10)
    commas = np.flatnonzero(body == 44)
    per_line = np.bincount(np.searchsorted(newlines, commas), minlength=len(newlines) + 1)
    return bool((per_line == width - 1).all())


def _plain_arrays(raw: bytes, start: int, end: int) -> bool:
    """Every line one array of plain values: no escapes, nulls, carriage returns, and no
    brackets but the two of each line (counted, never copied: the file may be large)."""
    if end <= start or raw[start : start + 1] != b"[" or raw[end - 1 : end] != b"]":
        return False
    for token in (b"\\", b"null", b"\r"):
        if raw.find(token, start, end) >= 0:
            return False
    lines = raw.count(b"\n", start, end) + 1
    return (
        raw.count(b"[", start, end) == lines
        and raw.count(b"]", start, end) == lines
        and raw.count(b"]\n[", start, end) == lines - 1
    )


def _header(line: bytes, enc: str, file: str) -> dict[str, Any]:
    def bad(message: str) -> FormatError:
        return FormatError(
            message,
            file=file,
            line=1,
            hint='line 1 must be {"format": "elect-stations", "columns": [...], "options": [...]}',
        )

    try:
        text = line.decode(enc).lstrip("\ufeff")
        doc = json.loads(text, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad(f"the header line is not JSON: {exc}") from exc
    except RecursionError as exc:
        raise bad("the header line is nested too deeply") from exc
    check_keys(text, decoded_keys(doc), file)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise bad(f"the header line does not say format {FORMAT_NAME!r}")
    version = doc.get("format_version", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:
        raise bad(f"format_version {version!r} is not one elect knows ({FORMAT_VERSION})")
    from ..shape import ShapeError, check_shape

    try:
        check_shape(doc, HEADER_SCHEMA)
    except ShapeError as exc:
        raise FormatError(
            exc.message, file=file, line=1, column=exc.path, hint="see README 'JSON Lines'"
        ) from None
    columns = doc.get("columns")
    if not isinstance(columns, list) or not all(isinstance(c, str) and c for c in columns):
        raise bad("'columns' must be a list of column names")
    options = doc.get("options") or []
    if not isinstance(options, list) or not all(isinstance(o, dict) and "id" in o for o in options):
        raise bad("'options' must be a list of objects with an 'id'")
    for o in options:
        if o.get("kind", "candidate") not in OPTION_KINDS:
            raise bad(f"unknown option kind {o.get('kind')!r}")
        if o["id"] not in columns:
            raise bad(f"option {o['id']!r} has no column")
    return doc


def _decoded_csv(body: bytes, enc: str, file: str, columns: list[str]) -> bytes:
    """Line by line through the JSON decoder, written back as CSV (exact, slower)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    width = len(columns)
    for number, line in enumerate(body.decode(enc).split("\n"), start=2):
        if not line.strip():
            writer.writerow([])
            continue
        try:
            # Numbers keep their text, so counts are judged as the CSV path judges them.
            row = json.loads(line, parse_float=str, parse_int=str)
        except RecursionError as exc:
            raise FormatError(
                "nested too deeply", file=file, line=number, hint="one flat array a line"
            ) from exc
        except ValueError as exc:
            raise FormatError(
                f"invalid JSON: {exc}",
                file=file,
                line=number,
                hint="one JSON array or object a line",
            ) from exc
        if isinstance(row, dict):
            check_keys(line, len(row), file, number)
            unknown = set(row) - set(columns)
            if unknown:
                raise FormatError(
                    f"unknown key {sorted(unknown)[0]!r}",
                    file=file,
                    line=number,
                    hint="every key must be one of the header's columns",
                )
            row = [row.get(c) for c in columns]
        if not isinstance(row, list) or len(row) != width:
            raise FormatError(
                f"a row must be an array of {width} values (the header's columns)",
                file=file,
                line=number,
                hint="one station a line, values in the order of 'columns'",
            )
        for v in row:
            if isinstance(v, (dict, list)):
                raise FormatError(
                    "a value is an array or object",
                    file=file,
                    line=number,
                    hint="every value of a station line is a string, number, boolean or null",
                )
        writer.writerow(["" if v is None else _cell(v) for v in row])
    return out.getvalue().encode(enc)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _apply_header(election: Election, header: dict[str, Any], file: str) -> None:
    """Names, kinds and parties of the options, and the election's own description."""
    from decimal import Decimal

    meta = header.get("election") or {}
    if isinstance(meta, dict):
        election.name = str(meta.get("name") or election.name)
        election.country = meta.get("country")
        election.date = meta.get("date")
        election.kind = meta.get("kind")
        if meta.get("status") in ("preliminary", "final"):
            election.status = meta["status"]
    from .headers import slug

    # The wide loader names each option column by its slug; ids are written that way.
    declared = {slug(o["id"]): o for o in header.get("options") or []}
    contest_doc = header.get("contest") or {}
    rules_doc = contest_doc.get("rules") or {}
    for contest in election.contests:
        contest.options = [
            Option(
                o.id,
                str(declared[o.id].get("name") or o.id),
                declared[o.id].get("party"),
                declared[o.id].get("kind", "candidate"),
            )
            if o.id in declared
            else o
            for o in contest.options
        ]
        if len(election.contests) == 1:
            contest.id = str(contest_doc.get("id") or contest.id)
            contest.office = str(contest_doc.get("office") or contest.office)
        if rules_doc:
            from dataclasses import replace

            contest.rules = replace(
                contest.rules,
                majority=rules_doc.get("majority", contest.rules.majority),
                threshold_pct=Decimal(str(rules_doc.get("threshold_pct", 50))),
                runoff_size=int(rules_doc.get("runoff_size", contest.rules.runoff_size)),
                source="file" if "majority" in rules_doc else contest.rules.source,
            )

"""Row widths from the raw bytes, without the ``csv`` module, where that gives the same answer.

With no quote character in the file, one line is one row and a row's width is
one more than its delimiter count, so numpy can count a block of lines at once.
Anything that could make the ``csv`` module read the file differently (a quote,
a bare carriage return, a field longer than its limit, bytes the encoding
rejects, an encoding where the delimiter byte can sit inside a character) gives
None, and the caller reads the file with the ``csv`` module instead.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field

BLOCK = 1 << 20
# Encodings in which "\n", '"', "\r" and the delimiters are single bytes that never
# occur inside another character.
_SAFE = ("utf-8", "utf-8-sig", "ascii", "cp125", "iso8859-", "koi8-", "mac-cyrillic", "latin")


@dataclass
class Widths:
    header: list[str]
    rows: int
    odd: list[tuple[int, int, bool]]  # (row, width, blank) of rows of another width
    # Rows whose every cell is empty (delimiters alone, or nothing): the blank rows
    # a reader that parses only some of the columns cannot tell from short ones.
    empty: list[int] = field(default_factory=list)


def byte_widths(
    stream, enc: str, delimiter: str, max_columns: int, *, decodes: bool = True
) -> Widths | None:
    """Widths of every row of ``stream`` (binary), or None where the csv module must decide.

    ``decodes=False``: bytes the encoding rejects are left to the caller's parser, which
    raises on them itself (the table reader), instead of giving None."""
    import numpy as np

    name = codecs.lookup(enc).name
    if not name.startswith(_SAFE):
        return None
    decoder = codecs.getincrementaldecoder(enc)()
    delim = ord(delimiter)
    limit = csv.field_size_limit()
    header: list[str] | None = None
    odd: list[tuple[int, int, bool]] = []
    empty: list[int] = []
    rows = 0
    carry = b""
    while True:
        block = stream.read(BLOCK)
        buf = carry + block if carry else block
        if not block:
            if not buf:
                break
            part, carry = buf, b""  # a last line with no line end is a row too
        else:
            cut = buf.rfind(b"\n") + 1
            if cut == 0 and len(buf) <= limit:
                carry = buf
                continue
            part, carry = (buf[:cut], buf[cut:]) if cut else (buf, b"")
        if b'"' in part or (b"\r" in part and part.count(b"\r") != part.count(b"\r\n")):
            return None
        try:
            if decodes:
                decoder.decode(part)
        except UnicodeDecodeError:
            return None
        a = np.frombuffer(part, dtype=np.uint8)
        ends = np.flatnonzero(a == 10)
        if not len(ends) or ends[-1] != len(a) - 1:
            ends = np.append(ends, len(a))
        starts = np.concatenate(([0], ends[:-1] + 1))
        if int((ends - starts).max()) > limit:
            return None
        if header is None:
            header = _parse(part[: ends[0] + 1], enc, delimiter)
            if not 2 <= len(header) <= max_columns:
                return Widths(header, 0, [])  # not a result table: the header says enough
            starts, ends = starts[1:], ends[1:]
        # Delimiters a line: one sum per line (each segment runs to the next line's start).
        width = np.add.reduceat(a == delim, starts, dtype=np.int64) + 1 if len(starts) else starts
        bad = np.flatnonzero(width != len(header))
        length = ends - starts  # bytes of the line, its "\n" left out
        cr = np.zeros(len(ends), dtype=bool)
        has = length > 0
        cr[has] = a[ends[has] - 1] == 13
        blank = length - cr == width - 1
        empty.extend((rows + np.flatnonzero(blank)).tolist())
        for i in bad.tolist():
            row = _parse(part[starts[i] : ends[i] + 1], enc, delimiter)
            if len(row) != len(header):
                odd.append((rows + i, len(row), not any(c.strip() for c in row)))
        rows += len(starts)
        if not block:
            break
    if header is None:
        return None
    return Widths(header, rows, odd, empty)


def _parse(line: bytes, enc: str, delimiter: str) -> list[str]:
    text = codecs.decode(line, enc)
    return next(csv.reader([text], delimiter=delimiter), [])

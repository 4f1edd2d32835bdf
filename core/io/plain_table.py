"""The reader's one-read path for plain wide tables: bytes to typed columns, once.

A plain table is an uncompressed wide CSV in UTF-8 (a byte-order mark allowed) or
Windows-1251, delimited by ``,``, ``;``, tab or ``|``, with no NUL and no carriage
return but before a line feed; its headers are identifiers (region, district,
station), the unit counts and ballot options, nothing else, as the one
interpretation (:func:`~elect.core.io.interpret_wide.wide_interpretation`) reads
them; fields may be wrapped in quotes; every count is a whole number from 0 to
2**53 written the shortest way ("5", never "05", " 5", "+5", "5.0" or "5e0").

:func:`read_plain` decides up front, from the bytes and the header, whether a file
can be read this way; :meth:`PlainTable.chunks` then reads its cells in one pass
(small files split with str methods, large ones by the same pandas C parser
configuration as every other read, :func:`~elect.core.io.table.read_chunks`). A
cell not written the plain way is a row-level problem: the reading stops and
:attr:`PlainTable.problem` says why, so the caller reads the file the general way,
which names the problem. What this path returns is exactly what the general reader
reads from the same file (``tests/test_plain_table.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import Any

from ..errors import DecodeError, ElectError
from ..model import COUNT_FIELDS, Note
from .headers import UNIT_KEY_ROLES, VOTE_TYPE_COLUMNS, normalise_header, slug
from .source import SNIFF_BYTES, InputSource, detect_encoding
from .table import DELIMITER_NAMES, read_chunks, sniff_delimiter
from .table_rows import MAX_COLUMNS

# Read whole below this size (one split); larger files go through the parser in chunks.
WHOLE_BYTES = 8 << 20
CHUNK_ROWS = 200_000
BLOCK = 1 << 20
MAX_COUNT = 2**53  # counts from here on are not exact in float64
# Characters that the parsers accept around or inside a number.
_SPECIAL = " \t\v\f+-.eE"
_POW10 = [10**k for k in range(1, 19)]


@dataclass(frozen=True)
class PlainLayout:
    """What each column of a plain table is, from the one interpretation of its header."""

    delimiter: str
    header: list[str]
    ids: dict[str, int]  # unit-key role -> column
    counts: dict[str, int]  # count field -> column
    options: list[int]
    option_ids: list[str]


@dataclass
class PlainChunk:
    start: int  # data row of the chunk's first row (0 = the row below the header)
    size: int
    numbers: dict[int, Any]  # column -> int64 counts, each in [0, 2**53)
    names: dict[int, Any]  # column -> object array of the identifiers, as written
    joined: dict[int, str]  # column -> its names joined by NUL, with a NUL at each end


class PlainTable:
    """A file the one-read path may take (``problem`` is None), or why it may not."""

    def __init__(self, src: InputSource) -> None:
        """Decides up front, from the bytes and the header."""
        self.src = src
        self.problem: str | None = "compressed" if src.compression else None
        self.notes: list[Note] = []  # the encoding, as the general reader notes it
        self.crlf_in_head = False  # Windows line ends in the sniffed head
        self.layout: PlainLayout | None = None
        self.delimiter_note: str | None = None  # as the general reader notes it
        self.rows = 0
        if self.problem is None:
            self._problem_in_bytes() or self._problem_in_header()

    def _problem_in_bytes(self) -> str | None:
        """Counts every byte value, and keeps the bytes of a file up to WHOLE_BYTES."""
        import numpy as np

        size = crlf = 0
        hist = np.zeros(256, dtype=np.int64)
        last = first = b""
        whole: list[bytes] = []
        with self.src.open_binary() as f:
            while block := f.read(BLOCK):
                if not size:
                    first = block
                hist += np.bincount(np.frombuffer(block, dtype=np.uint8), minlength=256)
                crlf += block.count(b"\r\n") + (last.endswith(b"\r") and block.startswith(b"\n"))
                size += len(block)
                last = block
                if size <= WHOLE_BYTES:
                    whole.append(block)
        self.data = b"".join(whole) if size <= WHOLE_BYTES else None
        end = first.find(b"\n")
        problem = None
        if first.startswith((b"\xff\xfe", b"\xfe\xff")):
            problem = "UTF-16"
        elif hist[0]:
            problem = "NUL"
        elif crlf != hist[ord("\r")]:
            problem = "a CR that does not end a line"
        elif end < 0:
            problem = "one line"
        else:
            problem = self._encoding(first)
        if problem is None:
            self.header_line = first[self.bom : end].decode(self.enc, errors="replace")
            if "\ufffd" in self.header_line:
                problem = f"a header that is not {self.enc}"
        self.problem = problem
        if problem is not None:
            return problem
        self.header_line = self.header_line.removesuffix("\r")
        self.crlf = bool(crlf)
        self.hist, self.size, self.newlines = hist, size, int(hist[ord("\n")])
        # The header line (with its mark and CR), the line ends, the data lines' CRs.
        header_cr = int(first[end - 1 : end] == b"\r")
        self.accounted = end + self.newlines + crlf - header_cr
        self.special = np.array([self.header_line.count(c) for c in _SPECIAL], dtype=np.int64)
        self.quotes = self.header_line.count('"')  # then those in names; the rest wrap fields
        # Only characters the file holds are counted in the names.
        self.in_file = hist[np.frombuffer(_SPECIAL.encode(), dtype=np.uint8)].tolist()
        self.ends_line = last.endswith(b"\n")
        self.rows = self.newlines + (0 if self.ends_line else 1) - 1
        return None

    def _encoding(self, first: bytes) -> str | None:
        """The encoding as the general reader detects it, and its note."""
        head = first[:SNIFF_BYTES]
        try:
            enc, note = detect_encoding(head, self.src.name)
        except DecodeError:  # detection's own verdict on the head: not text
            return "not text"
        if enc not in ("utf-8", "utf-8-sig", "cp1251"):
            return f"read as {enc}"
        self.bom = 3 if first.startswith(b"\xef\xbb\xbf") else 0
        self.enc = "cp1251" if enc == "cp1251" else "utf-8"  # the mark is skipped apart
        self.notes = [note] if note is not None else []
        self.crlf_in_head = b"\r\n" in head
        return None

    def _problem_in_header(self) -> str | None:
        layout = plain_layout(self.header_line)
        if isinstance(layout, str):
            self.problem = layout
        elif self.rows <= 0:
            self.problem = "no data rows"
        else:
            self.layout, d = layout, layout.delimiter
            self.delimiter_note = None if d == "," else f"{DELIMITER_NAMES[d]}-delimited"
        return self.problem

    # -- the cells ----------------------------------------------------------------------
    def chunks(self) -> Iterator[PlainChunk]:
        """The data rows, typed; stops with ``problem`` set at a cell not written plainly.

        Also accounts for every byte: after the last chunk the file must hold exactly
        its values (each count in its shortest form), delimiters, quotes around fields
        and line ends, and none of the characters other ways of writing a number need.
        """
        layout = self.layout
        assert self.problem is None and layout is not None
        n = 0
        last_cell = None
        source = self._small(layout, self.data) if self.data is not None else self._parsed(layout)
        for numbers, names in source:
            size = len(next(iter(numbers.values()))) if numbers else 0
            if n + size > self.rows:
                self.problem = "more rows than lines"
                return
            chunk = self._typed(numbers, names, n, size)
            if chunk is None:
                return
            yield chunk
            n += size
            last = len(layout.header) - 1
            last_cell = names[last][-1] if last in names and size else None
        if self.problem is not None:
            return
        if n != self.rows:
            self.problem = "a skipped line"
        elif not self.ends_line and last_cell == "":
            # A blank last cell and no line end: the general reader takes the file for
            # one cut off mid-row, and says so.
            self.problem = "ends mid-row"
        elif not self._all_accounted(n, layout):
            self.problem = "a value not written the plain way"

    def _small(self, layout: PlainLayout, data: bytes) -> Iterator[tuple[dict, dict]]:
        """A small file split with str methods: no parser to import or to call per file.

        A field may be wrapped in quotes ("Almaty", as many exports write names); a
        quote anywhere else (a quoted delimiter or line break, an escaped quote) is a
        problem, as is a row of another width.
        """
        import numpy as np

        text = data[self.bom :].decode(self.enc, errors="replace")
        if "\ufffd" in text:  # the mark is never in a plain file: it replaced bad bytes
            self.problem = f"not {self.enc} past the start"
            return
        if self.crlf:  # every CR ends a line (_problem_in_bytes)
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        body = lines[1:]
        width, delim = len(layout.header), layout.delimiter
        if set(map(str.count, body, repeat(delim))) != {width - 1}:
            self.problem = "row width"
            return
        cells = delim.join(body).split(delim)  # row after row; column i is every width-th
        quoted = self.hist[ord('"')] > self.quotes
        numbers, names = {}, {}
        for i in [*layout.counts.values(), *layout.options, *layout.ids.values()]:
            column = cells[i::width]
            if quoted:
                unquoted = _unquoted(column)
                if unquoted is None:
                    self.problem = "a quote inside a field"
                    return
                column = unquoted
            if i in layout.ids.values():
                names[i] = np.array(column, dtype=object)
            else:
                numbers[i] = _whole_numbers(column)
                if numbers[i] is None:
                    self.problem = "a count that is not a whole number"
                    return
        yield numbers, names

    def _parsed(self, layout: PlainLayout) -> Iterator[tuple[dict, dict]]:
        """A large file in chunks by the C parser, counts typed as int64."""
        import numpy as np
        import pandas as pd

        numbers = [*layout.counts.values(), *layout.options]
        # dtype objects, not names: pandas looks a name up in every registered dtype.
        dtypes: dict[int, Any] = {i: np.dtype(object) for i in layout.ids.values()}
        dtypes |= {i: np.dtype(np.int64) for i in numbers}
        chunks = read_chunks(
            self.src,
            self.enc,
            layout.delimiter,
            len(layout.header),
            dtypes=dtypes,
            chunk_rows=CHUNK_ROWS,
            blanks="text",
        )
        while True:
            # The parser's answer to a cell that is not an int64 (or not text) is an
            # exception: here it is the row-level problem, and the reading ends.
            try:
                chunk = next(chunks, None)
            except (pd.errors.ParserError, ValueError, OverflowError, UnicodeDecodeError):
                self.problem = "a cell the parser does not read as a count"
                chunks.close()
                return
            if chunk is None:
                return
            yield (
                {i: chunk[f"c{i}"].to_numpy() for i in numbers},
                {i: chunk[f"c{i}"].to_numpy(dtype=object) for i in layout.ids.values()},
            )

    def _typed(self, numbers: dict, names: dict, start: int, size: int) -> PlainChunk | None:
        """The chunk, its bytes accounted; None (and a problem) for a count out of range."""
        import numpy as np

        for arr in numbers.values():
            if arr.dtype != np.int64 or (size and (arr.min() < 0 or arr.max() >= MAX_COUNT)):
                self.problem = "a count out of range"
                return None
            # Digits of each count written the shortest way (0 has one).
            self.accounted += int(np.searchsorted(_POW10, arr, side="right").sum()) + size
        joined = {}
        for i, values in names.items():
            text = joined[i] = "\x00" + "\x00".join(values) + "\x00"
            nbytes = len(text) if text.isascii() else len(text.encode(self.enc))
            self.accounted += nbytes - size - 1
            self.special += [
                text.count(c) if k else 0 for c, k in zip(_SPECIAL, self.in_file, strict=True)
            ]
            if self.hist[ord('"')]:
                self.quotes += text.count('"')
        return PlainChunk(start, size, numbers, names, joined)

    def _all_accounted(self, n: int, layout: PlainLayout) -> bool:
        """Every byte of the file is in a value read, written the plain way.

        The parsers read " 5", "+5", "05", "5.0" and "5e0" as the integer 5, and pandas
        drops the extra fields of a row when every row has them, where the general
        reader gives a note or a finding. Quotes not in the header or in a name wrap
        fields (a quoted "05" still shows as a byte too many).
        """
        import numpy as np

        self.accounted += n * (len(layout.header) - 1)  # the delimiters
        self.accounted += int(self.hist[ord('"')]) - self.quotes  # quotes around fields
        found = self.hist[np.frombuffer(_SPECIAL.encode(), dtype=np.uint8)]
        other = np.array([c != layout.delimiter for c in _SPECIAL])  # a tab may delimit
        return self.accounted == self.size and np.array_equal(found[other], self.special[other])


def read_plain(src: InputSource) -> PlainTable:
    """The file as a plain table, or (``problem`` set) why it cannot be read as one."""
    return PlainTable(src)


def _unquoted(cells: list[str]) -> list[str] | None:
    """Fields with the quotes around them taken off; None for a quote anywhere else."""
    joined = "\x00".join(cells)  # the file has no NUL
    if '"' not in joined:
        return cells
    if joined[0] == '"' and joined[-1] == '"':  # perhaps every field quoted: split once
        out = joined[1:-1].split('"\x00"')
        # Rejoined with '"\x00"' and wrapped, the pieces are the fields again exactly.
        if len(out) == len(cells) and '"' not in "".join(out):
            return out
    out = []
    for c in cells:
        if '"' in c:
            if len(c) < 2 or c[0] != '"' or c[-1] != '"' or '"' in c[1:-1]:
                return None
            c = c[1:-1]
        out.append(c)
    return out


def _whole_numbers(cells: list[str]):
    """A column of counts as int64, or None where a cell is not a whole number.

    numpy stops at the first cell that is not a number (so fewer values come back),
    reads a number too long for int64 as the largest int64 (out of range), and
    accepts signs, spaces, points and exponents, which the byte accounting finds.
    """
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "could not be read to its end"
        try:
            values = np.fromstring(",".join(cells), dtype=np.int64, sep=",")
        except (DeprecationWarning, ValueError):  # numpy's word for "not a number"
            return None
    return values if len(values) == len(cells) else None


@lru_cache(maxsize=64)
def plain_layout(line: str) -> PlainLayout | str:
    """What each column of a header line is (cached: a batch repeats one header), or
    why a file with this header is not a plain table."""
    from .interpret import is_long_header
    from .interpret_wide import wide_interpretation

    if not line.strip() or line.lstrip()[0] in "{[":
        return "not a delimited table"
    delim = sniff_delimiter(line)
    header = line.split(delim)
    if '"' in line:
        unquoted = _unquoted(header)
        if unquoted is None:
            return "a quote inside a header"
        header = unquoted
    if not 2 <= len(header) <= MAX_COLUMNS or is_long_header(header):
        return "header"
    keys = [h.strip().lower() for h in header]
    if "" in keys or len(set(keys)) != len(keys):
        return "blank or duplicate header"
    if any(normalise_header(h) in VOTE_TYPE_COLUMNS for h in header):
        return "vote types"
    try:
        interp = wide_interpretation(header, None, "")
    except ElectError:  # the interpretation refuses it: the general reader says why
        return "no interpretation"
    resolved = interp.resolved
    abroad = interp.mapping.abroad_column if interp.mapping is not None else None
    if resolved.ignored or abroad:
        return "columns that are neither identifiers, counts nor options"
    ids: dict[str, int] = {}
    counts: dict[str, int] = {}
    for role, hs in resolved.columns.items():
        if role in UNIT_KEY_ROLES:
            ids[role] = header.index(hs[0])
        elif role in COUNT_FIELDS:
            counts[role] = header.index(hs[0])
        else:
            return f"column role {role}"
    options = [header.index(h) for h in resolved.options]
    if "region" not in ids or not options:
        return "no region or no options"
    option_ids = [slug(header[i]) for i in options]
    if len(set(option_ids)) != len(option_ids):
        return "two options with one id"
    return PlainLayout(delim, header, ids, counts, options, option_ids)

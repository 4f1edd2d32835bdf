"""Plain station tables in one read: the common case of a batch, checked without a model.

A plain table is an uncompressed wide CSV in UTF-8 (a byte-order mark allowed) or
Windows-1251, delimited by ``,``, ``;``, tab or ``|``, with no blank line and no
carriage return but before a line feed; its headers are identifiers (region,
district, station), the unit counts and ballot options, nothing else; fields may
be wrapped in quotes; every count is a whole number from 0 to 2**53, and every
identifier a trimmed, non-blank name (regions and districts with no "/"), except in
rows that are totals ("Total", "Итого"), which are reported and left out of the
units as the loader leaves them out. Such a file gives the structural pass and the
loader nothing to report but those rows and a few notes (encoding, delimiter, line
ends), so here it is parsed once, without building a model, and the arithmetic and
plausibility checks run on its columns (:class:`~elect.core.checks.context.Units`).

At the first sign of anything else (a cell that is not a whole number, a skipped
line, a duplicate unit, a blank name in a row that is not a total) :func:`validate_plain`
returns None and the full pass runs, which names every problem. The two agree on
every file this path accepts; ``tests/test_validate_plain.py`` checks that on
generated, mutated and fuzzed files.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import repeat
from typing import Any

from ..io.headers import VOTE_TYPE_COLUMNS, normalise_header, slug
from ..io.source import InputSource
from ..io.table import DELIMITER_NAMES
from ..model import COUNT_FIELDS
from .counts import MAX_EXACT
from .findings import Collector
from .structure import AGGREGATE_ROW_REASON, MAX_COLUMNS, UNIT_KEY_ROLES
from .text import TextColumn, combine

# Read whole below this size (one parser call); larger files go in chunks.
WHOLE_BYTES = 8 << 20
CHUNK_ROWS = 200_000
# From this many rows, region and district names are factorised (pandas) rather than
# tested and hashed row by row; below it, importing pandas costs more than it saves.
FACTORISE_ROWS = 20_000
BLOCK = 1 << 20
# Characters that pandas' integer parser accepts around or inside a number.
_SPECIAL = " \t\v\f+-.eE"
_POW10 = [10**k for k in range(1, 19)]
# Whitespace after a separator: a value that str.strip() would change. Searched in the
# joined names and in their reverse, since a pattern that starts with a literal is
# searched much faster than one that starts with a class.
_UNTRIMMED = re.compile(r"\x00\s")


class NotPlain(Exception):
    """Raised inside this module when the file needs the full pass."""


def validate_plain(
    src: InputSource, *, select=None, ignore=(), max_examples: int = 10
) -> tuple[Collector, int] | None:
    """The findings and data-row count of a plain table, or None when it is not one."""
    try:
        return _Plain(
            src, Collector(src.name, select=select, ignore=ignore, max_examples=max_examples)
        ).run()
    except (NotPlain, ValueError, OverflowError, UnicodeDecodeError, OSError, EOFError):
        return None


class _Plain:
    def __init__(self, src: InputSource, col: Collector) -> None:
        self.src, self.col = src, col

    def run(self) -> tuple[Collector, int] | None:
        header, rows, size = self._bytes()
        self._header(header)
        if rows == 0:
            raise NotPlain("no data rows")
        self._read(rows)
        if self.n != rows:  # pandas skipped a line (a blank one)
            raise NotPlain("row count")
        self._accounted()
        self._check()
        return self.col, self.n

    # -- bytes ------------------------------------------------------------------------
    def _bytes(self) -> tuple[str, int, int]:
        """The header, the number of data rows and the size; NotPlain for a NUL, a CR
        that does not end a line, or a UTF-16 byte-order mark.

        A UTF-8 byte-order mark and Windows line ends (as spreadsheet exports write
        them) are read, and reported as the full pass reports them. Also counts every
        byte value, for the accounting in :meth:`_accounted`.
        """
        import numpy as np

        src = self.src
        size = 0
        hist = np.zeros(256, dtype=np.int64)
        last = b""
        first = b""
        whole: list[bytes] = []  # the blocks of a file up to WHOLE_BYTES
        crlf = 0
        self.data: bytes | None = None
        with src.open_binary() as f:
            if src.compression:
                raise NotPlain("compressed")
            while True:
                block = f.read(BLOCK)
                if not block:
                    break
                if not size:
                    if block.startswith((b"\xff\xfe", b"\xfe\xff")):
                        raise NotPlain("UTF-16")
                    first = block
                hist += np.bincount(np.frombuffer(block, dtype=np.uint8), minlength=256)
                if hist[0]:
                    raise NotPlain("NUL")
                crlf += block.count(b"\r\n") + (last.endswith(b"\r") and block.startswith(b"\n"))
                size += len(block)
                last = block
                if size <= WHOLE_BYTES:
                    whole.append(block)
        if crlf != hist[ord("\r")]:
            raise NotPlain("a CR that does not end a line")
        self.bom = 3 if first.startswith(b"\xef\xbb\xbf") else 0
        self.crlf = bool(crlf)
        if size <= WHOLE_BYTES:
            self.data = b"".join(whole)
        end = first.find(b"\n")
        if end < 0:
            raise NotPlain("one line")
        self._as_the_full_pass_says(first)
        header = first[self.bom : end].decode(self.enc).removesuffix("\r")
        self.hist, self.size, self.newlines = hist, size, int(hist[ord("\n")])
        # The header line (with its mark and CR), the line ends, the data lines' CRs.
        header_cr = int(first[end - 1 : end] == b"\r")
        self.accounted = end + self.newlines + crlf - header_cr
        self.special = np.array([header.count(c) for c in _SPECIAL], dtype=np.int64)
        # Quotes: the header's, those inside names, and the rest wrap whole fields.
        self.quotes = header.count('"')
        # Only characters the file holds are counted in the names.
        self.in_file = hist[np.frombuffer(_SPECIAL.encode(), dtype=np.uint8)].tolist()
        self.in_file_quotes = bool(hist[ord('"')])
        self.ends_line = last.endswith(b"\n")
        lines = self.newlines + (0 if self.ends_line else 1)
        return header, lines - 1, size

    def _as_the_full_pass_says(self, first: bytes) -> None:
        """The encoding, and the notes the structural pass gives a file with a mark,
        another encoding (Windows-1251) or Windows line ends."""
        from ..errors import DecodeError
        from ..io.source import detect_encoding
        from .structure import SNIFF

        head = first[:SNIFF]
        try:
            enc, note = detect_encoding(head, self.src.name)
        except DecodeError as exc:
            raise NotPlain("not text") from exc
        if enc not in ("utf-8", "utf-8-sig", "cp1251"):
            raise NotPlain(f"read as {enc}")
        self.enc = "cp1251" if enc == "cp1251" else "utf-8"  # the mark is skipped apart
        if note is not None:
            self.col.add("encoding-normalised", reason=note.message)
        if b"\r\n" in head:
            self.col.add("line-ends-normalised")

    def _header(self, line: str) -> None:
        layout = _layout(line)
        if isinstance(layout, str):
            raise NotPlain(layout)
        self.delim, self.header, self.ids, self.counts, self.options, self.option_ids = layout
        if self.delim != ",":
            name = DELIMITER_NAMES[self.delim]
            self.col.add("delimiter-normalised", reason=f"{name}-delimited")

    # -- cells ------------------------------------------------------------------------
    def _read(self, rows: int) -> None:
        import numpy as np

        # Filled in place, a chunk at a time: no list of chunks to concatenate.
        self.counts_at = {i: np.empty(rows) for i in self.counts.values()}
        self.V = np.empty((rows, len(self.options)))
        self.rows = rows
        self.text: dict[int, list] = {i: [] for i in self.ids.values()}
        self.keys: list = []
        self.aggregate: list = []  # positions of "Total" rows, left out like the loader does
        self.zeros: dict = {}
        self.n = 0
        for columns, size in self._small() if self.data is not None else self._chunks():
            self._chunk(columns, size, self.n)
            self.n += size
        last = len(self.header) - 1
        if not self.ends_line and last in self.text and self.text[last][-1].at(-1) == "":
            # A blank last cell and no line end: the loader takes the file for one cut
            # off mid-row, and says so.
            raise NotPlain("ends mid-row")
        keys = np.sort(np.concatenate(self.keys)) if self.keys else np.zeros(0, np.uint64)
        if (keys[1:] == keys[:-1]).any():
            raise NotPlain("duplicate unit (or a hash collision)")
        del self.keys

    def _small(self):
        """A small file split with str methods: no pandas to import or to call per file.

        Each count must be written as digits with no leading zero; anything else is
        left to the full pass, so the split needs no rules of its own. A field may be
        wrapped in quotes ("Almaty", as many exports write names); a quote anywhere
        else (a quoted comma or line break, an escaped quote) goes to the full pass.
        """
        import numpy as np

        text = self.data[self.bom :].decode(self.enc)
        if self.crlf:  # every CR ends a line (_bytes)
            text = text.replace("\r\n", "\n")
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()
        body = lines[1:]
        width = len(self.header)
        delim = self.delim
        if set(map(str.count, body, repeat(delim))) != {width - 1}:
            raise NotPlain("row width")
        cells = delim.join(body).split(delim)  # row after row; column i is every width-th
        quoted = self.hist[ord('"')] > self.quotes
        columns: dict[int, Any] = {}
        for i in [*self.counts.values(), *self.options]:
            column = cells[i::width]
            columns[i] = _whole_numbers(_unquoted(column) if quoted else column)
        for i in self.ids.values():
            column = cells[i::width]
            columns[i] = np.array(_unquoted(column) if quoted else column, dtype=object)
        yield columns, len(body)

    def _chunks(self):
        """A large file in chunks, by pandas' C parser (counts typed as int64)."""
        import numpy as np
        import pandas as pd

        numbers = [*self.counts.values(), *self.options]
        # dtype objects, not names: pandas looks a name up in every registered dtype.
        dtypes: dict[str, Any] = {f"c{i}": np.dtype(object) for i in self.ids.values()}
        dtypes |= {f"c{i}": np.dtype(np.int64) for i in numbers}
        stream = self.src.open_binary()
        try:
            reader = pd.read_csv(
                stream,
                header=0,
                names=[f"c{i}" for i in range(len(self.header))],
                dtype=dtypes,
                na_filter=False,
                engine="c",
                sep=self.delim,
                encoding=self.enc,
                chunksize=CHUNK_ROWS,
            )
            for chunk in reader:
                columns = {i: chunk[f"c{i}"].to_numpy() for i in numbers}
                columns |= {i: chunk[f"c{i}"].to_numpy(dtype=object) for i in self.ids.values()}
                yield columns, len(chunk)
        except pd.errors.ParserError as exc:
            raise NotPlain("parser") from exc
        finally:
            stream.close()

    def _chunk(self, columns: dict[int, Any], size: int, start: int) -> None:
        import numpy as np

        end = start + size
        if end > self.rows:
            raise NotPlain("more rows than lines")
        targets = [self.counts_at[i] for i in self.counts.values()]
        targets += [self.V[:, j] for j in range(len(self.options))]
        for i, target in zip([*self.counts.values(), *self.options], targets, strict=True):
            arr = columns[i]
            if arr.dtype != np.int64 or (size and (arr.min() < 0 or arr.max() >= MAX_EXACT)):
                raise NotPlain("counts")
            target[start:end] = arr
            # Digits of each count written the shortest way (0 has one).
            self.accounted += int(np.searchsorted(_POW10, arr, side="right").sum()) + size
        cells = {}
        hashes = []
        names = []  # per identifier column: its names, and what they may hold
        for role in UNIT_KEY_ROLES:
            i = self.ids.get(role)
            if i is None:
                continue
            values = columns[i]
            if role == "station" or size < FACTORISE_ROWS:
                joined = "\x00" + "\x00".join(values) + "\x00"
                names.append((values, None, joined, role != "station"))
                cells[i] = TextColumn(np.arange(size, dtype=np.int64), values)
                self.text[i].append(_JoinedNames(joined, values))
            else:  # regions and districts repeat: test and hash each distinct name once
                import pandas as pd

                codes, uniques = pd.factorize(values)
                names.append((uniques, codes, None, True))
                joined = "\x00" + "\x00".join(values) + "\x00"
                cells[i] = TextColumn(codes.astype(np.int64), np.asarray(uniques, dtype=object))
                self.text[i].append(_CodedNames(codes.astype(np.int32), cells[i].cats))
            nbytes = len(joined) if joined.isascii() else len(joined.encode(self.enc))
            self.accounted += nbytes - size - 1
            self.special += [
                joined.count(c) if n else 0 for c, n in zip(_SPECIAL, self.in_file, strict=True)
            ]
            if self.in_file_quotes:
                self.quotes += joined.count('"')
            hashes.append(cells[i].hashes())
        self.keys.append(combine(hashes))
        self.aggregate.append(np.flatnonzero(_aggregate_rows(names, size)) + start)
        from .structure import collect_zeros

        keep = np.ones(size, dtype=bool)
        collect_zeros(self.zeros, self.ids, cells, keep, lambda p: start + p + 2)

    def _accounted(self) -> None:
        """Every byte of the file is in a parsed value written the plain way.

        pandas reads " 5", "+5", "05", "5.0" and "5e0" as the integer 5, and drops
        the extra fields of a row when every row has them, where the full pass reports
        a note or a finding. So the file must hold exactly the bytes of its values (each
        count in its shortest form), its delimiters and line ends, and none of the
        characters those other forms need outside the names. Quotes not in the header
        or in a name wrap fields (a quoted "05" still shows as a byte too many).
        """
        import numpy as np

        self.accounted += self.n * (len(self.header) - 1)
        self.accounted += int(self.hist[ord('"')]) - self.quotes  # quotes around fields
        found = self.hist[np.frombuffer(_SPECIAL.encode(), dtype=np.uint8)]
        other = np.array([c != self.delim for c in _SPECIAL])  # a tab may be the delimiter
        if self.accounted != self.size or not np.array_equal(found[other], self.special[other]):
            raise NotPlain("a value not written the plain way")

    # -- checks -----------------------------------------------------------------------
    def _check(self) -> None:
        import numpy as np

        from .arithmetic import check_arithmetic
        from .context import Units
        from .plausibility import check_plausibility
        from .structure import option_spellings, report_leading_zeros

        option_spellings({"": {self.header[i].strip() for i in self.options}}, self.col)
        report_leading_zeros(self.zeros, self.header, self.col)
        label = self._labeller()
        totals = np.concatenate(self.aggregate)
        self.col.add_many(
            "aggregate-row",
            totals,
            lambda p: {
                "line": int(p) + 2,
                "unit": "/".join(s for s in map(str.strip, label(int(p), True)) if s),
                "reason": AGGREGATE_ROW_REASON,
            },
        )
        # The units are the other rows, as the loader leaves totals out.
        rows = np.delete(np.arange(self.n), totals) if len(totals) else None
        n = self.n if rows is None else len(rows)
        if n == 0:
            raise NotPlain("no rows but totals")

        def kept(a):
            return a if rows is None else a[rows]

        def column(role: str):
            i = self.counts.get(role)
            return kept(self.counts_at[i]) if i is not None else np.full(n, np.nan)

        level = (
            "station"
            if "station" in self.ids
            else "district"
            if "district" in self.ids
            else "region"
        )
        units = Units(
            label=label if rows is None else lambda i: label(int(rows[i])),
            level=np.full(n, level),
            lines=(np.arange(self.n) if rows is None else rows).astype(np.float64) + 2,
            reg=column("registered"),
            cast=column("ballots_cast"),
            inv=column("invalid"),
            option_ids=self.option_ids,
            option_names={
                o: self.header[i].strip()
                for o, i in zip(self.option_ids, self.options, strict=True)
            },
            V=kept(self.V),
            leaves=np.ones(n, dtype=bool),
        )
        check_arithmetic(units, self.col, {})
        check_plausibility(units, self.col)

    def _labeller(self):
        """Unit ids as the loader writes them (region/district/station), made on demand."""
        import numpy as np

        parts = [self.text[self.ids[r]] for r in UNIT_KEY_ROLES if r in self.ids]
        bounds = np.cumsum([0, *(len(c) for c in parts[0])])

        def label(i: int, parts_only: bool = False):
            k = int(np.searchsorted(bounds, i, side="right")) - 1
            p = i - int(bounds[k])
            values = [cols[k].at(p) for cols in parts]
            return values if parts_only else "/".join(values)

        return label


def _unquoted(cells: list[str]) -> list[str]:
    """Fields with the quotes around them taken off; NotPlain for a quote anywhere else."""
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
                raise NotPlain("a quote inside a field")
            c = c[1:-1]
        out.append(c)
    return out


def _whole_numbers(cells: list[str]):
    """A column of counts as int64, or NotPlain.

    numpy stops at the first cell that is not a number (so fewer values come back),
    reads a number too long for int64 as the largest int64 (too large a count), and
    accepts signs, spaces, points and exponents, which the byte accounting of
    :meth:`_Plain._accounted` finds in the file outside the names.
    """
    import warnings

    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "could not be read to its end"
        try:
            values = np.fromstring(",".join(cells), dtype=np.int64, sep=",")
        except (DeprecationWarning, ValueError) as exc:
            raise NotPlain("a count numpy did not read") from exc
    if len(values) != len(cells):
        raise NotPlain("a count numpy did not read")
    return values


@lru_cache(maxsize=64)
def _layout(line: str):
    """What each column of a header line is (cached: a batch repeats one header).

    Returns (delimiter, header, ids, counts, options, option ids), or why the file is
    not plain.
    """
    from ..io.interpret import is_long_header
    from ..io.table import sniff_delimiter

    if not line.strip() or line.lstrip()[0] in "{[":
        return "not a delimited table"
    delim = sniff_delimiter(line)
    header = line.split(delim)
    if '"' in line:
        try:
            header = _unquoted(header)
        except NotPlain:
            return "a quote inside a header"
    if not 2 <= len(header) <= MAX_COLUMNS or is_long_header(header):
        return "header"
    keys = [h.strip().lower() for h in header]
    if "" in keys or len(set(keys)) != len(keys):
        return "blank or duplicate header"
    if any(normalise_header(h) in VOTE_TYPE_COLUMNS for h in header):
        return "vote types"
    # The roles are the loader's own interpretation: one reading of every header.
    from ..errors import ElectError
    from ..io.interpret_wide import wide_interpretation

    try:
        interp = wide_interpretation(header, None, "")
    except ElectError:
        return "no interpretation"
    resolved = interp.resolved
    if resolved.ignored or interp.mapping.abroad_column:
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
    return delim, header, ids, counts, options, option_ids


class _CodedNames:
    """A chunk's names with few distinct values (regions, districts)."""

    def __init__(self, codes, cats) -> None:
        self.codes, self.cats = codes, cats

    def __len__(self) -> int:
        return len(self.codes)

    def at(self, p: int) -> str:
        return str(self.cats[self.codes[p]])


class _JoinedNames:
    """A chunk's station labels kept as one string and offsets: a fifth of a million str."""

    def __init__(self, joined: str, values) -> None:
        self.joined, self.size = joined, len(values)
        self.starts = self.lens = None

    def __len__(self) -> int:
        return self.size

    def at(self, p: int) -> str:
        if self.starts is None:  # only when a finding names a unit
            import numpy as np

            text = self.joined
            if text.isascii():
                chars = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
            else:  # one element per character, as str indexes them
                chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
            nul = np.flatnonzero(chars == 0)  # the file has no NUL: these are the separators
            self.starts, self.lens = nul[:-1] + 1, np.diff(nul) - 1
        s = int(self.starts[p])
        return self.joined[s : s + int(self.lens[p])]


def _aggregate_rows(names, size: int):
    """The rows that are totals ("Total", "Итого") by any identifier; NotPlain unless every
    other row's names are non-blank, trimmed and (regions, districts) free of "/".

    ``names`` holds per column (values, codes, joined, no_slash): the distinct values
    and each row's code into them, or the row values themselves (codes None). Most
    files hold no total and no odd name, which one search of the joined names shows.
    """
    import numpy as np

    from ..io.headers import AGGREGATE_NAME, may_name_a_total

    aggregate = np.zeros(size, dtype=bool)
    odd = []
    for values, codes, joined, no_slash in names:
        if joined is None:
            joined = "\x00" + "\x00".join(values) + "\x00"
        if may_name_a_total(joined):
            hit = np.fromiter(map(bool, map(AGGREGATE_NAME.match, values)), bool, len(values))
            aggregate |= hit if codes is None else hit[codes]
        if _odd(joined, no_slash):
            odd.append((values, codes, no_slash))
    for values, codes, no_slash in odd:  # allowed only in the total rows
        others = np.asarray(values, dtype=object)
        others = others[~aggregate] if codes is None else others[np.unique(codes[~aggregate])]
        if _odd("\x00" + "\x00".join(others) + "\x00", no_slash):
            raise NotPlain("a blank, untrimmed or '/' name")
    return aggregate


def _odd(joined: str, no_slash: bool) -> bool:
    """Whether the NUL-joined names hold a blank, an untrimmed name or (if asked) a '/'."""
    return bool(
        "\x00\x00" in joined
        or _UNTRIMMED.search(joined)
        or _UNTRIMMED.search(joined[::-1])
        or (no_slash and "/" in joined)
    )

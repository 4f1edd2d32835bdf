"""The fast reading of the canonical JSON document, for documents of 1 MiB or more.

The document is decoded (msgspec) with each contest's ``units`` array kept as a span
of its bytes. Each contest's units are then read by the first reading that takes them:

1. as columns straight from the bytes (:mod:`.canonical_bytes`), when they are plain,
   as elect and most machine writers give them; a plain file is then read again a
   block at a time rather than held whole (:class:`FastUnits`);
2. otherwise decoded into typed records (:mod:`.canonical_records`);
3. what the records do not take raises :class:`NotPlain`, and the exact path
   (``json`` and the schema walk) reads the whole document.

All three give the same model or the same error (tests/test_canonical_fast.py,
tests/test_canonical_plain.py). Duplicated keys (:mod:`.json_keys`): those outside
the units are counted on the skeleton (the document with the units cut out).

Imported only when such a document is read (msgspec is not a start-up import).
"""

import re
from decimal import Decimal
from typing import Any

import msgspec
from msgspec import UNSET, Raw, Struct

from .canonical_records import BATCH, ERRORS, NotPlain, _address, unit_columns
from .json_keys import decoded_keys, duplicate_error, more_keys_than
from .source import check_unchanged

__all__ = ["NotPlain", "parse", "read_units", "refuse_duplicate", "units_hold_duplicate"]


class FastContest(Struct, forbid_unknown_fields=True):
    units: Raw
    id: Any = UNSET
    office: Any = UNSET
    district: Any = UNSET
    name: Any = UNSET
    rules: Any = UNSET
    options: Any = UNSET


class FastDoc(Struct, forbid_unknown_fields=True):
    contests: list[FastContest]
    format: Any = UNSET
    format_version: Any = UNSET
    election: Any = UNSET


# Numbers with a fraction are Decimals, as the exact path reads them.
DOC = msgspec.json.Decoder(FastDoc, float_hook=Decimal)


class FastUnits:
    """Each contest's ``units`` array as a span of the document's bytes, read contest by
    contest (READ: the contests read so far).

    A plain file is read again a block at a time (its bytes are not held: a million
    stations are 200 MB of JSON), checked unchanged against STAMP, taken before the
    first reading; a compressed or piped input keeps its bytes.
    """

    def __init__(
        self,
        raw: bytes | None,
        spans: list[tuple[int, int]],
        src,
        stamp,
        columns=None,
        columnar: bool = True,
    ) -> None:
        """COLUMNS: each contest's, when they were read with the skeleton (a file read
        in one pass: :mod:`.canonical_stream`, RAW None); COLUMNAR False: the units are
        known not to be plain (that reading found so), the records read them."""
        self.spans, self.src, self.stamp, self.columnar = spans, src, stamp, columnar
        self.read: set[int] = set()
        self.raw = raw
        self.base = 0 if raw is None else _address(raw)
        self.done: list | None = columns
        if stamp is not None and src.compression is None and src.data is None:
            self.raw = None

    def reread(self) -> bytes:
        raw = self.src.read_all()
        check_unchanged(self.src, self.stamp)
        return raw

    def document(self) -> bytes:
        """The document's bytes, read again if they were not kept."""
        if self.raw is None:
            self.raw = self.reread()
            self.base = _address(self.raw)
        return self.raw

    def raws(self, i: int) -> list:
        """Contest I's units as raw JSON, views into the document."""
        start, end = self.spans[i]
        return UNIT_LIST.decode(memoryview(self.document())[start:end])

    def columns(self, i: int, option_ids: list[str]) -> dict[str, Any] | None:
        """Contest I's units as columns from the bytes, or None when they are not plain."""
        from .canonical_blocks import file_blocks, memory_blocks, read_plain_units
        from .canonical_bytes import NotColumnar

        if self.done is not None:
            return self.done[i]
        if not self.columnar:
            return None
        start, end = self.spans[i]
        try:
            if self.raw is not None:
                blocks = memory_blocks(self.raw, start, end)
                columns = read_plain_units(blocks, option_ids, end - start)
            else:
                with self.src.open_binary() as f:
                    columns = read_plain_units(file_blocks(f, start, end), option_ids, end - start)
                check_unchanged(self.src, self.stamp)
        except NotColumnar:
            return None
        if len(self.read) == len(self.spans):
            self.raw = None  # the last contest: its columns are read, the bytes can go
        return columns


UNIT_LIST = msgspec.json.Decoder(list[Raw])
_EMPTY_LIST = re.compile(rb"\[[ \t\r\n]*\]")


def parse(
    raw: bytes, file: str, src, stamp, columnar: bool = True
) -> tuple[dict, FastUnits] | None:
    """The document with each contest's units as a span of RAW, or None (exact path)."""
    try:
        d = DOC.decode(raw)
    except ERRORS:
        return None
    doc = document_of(d)
    base = _address(raw)
    spans = []
    for c in d.contests:
        start = _address(c.units) - base
        spans.append((start, start + len(memoryview(c.units))))
    del d
    skeleton = _skeleton(raw, spans)
    if skeleton is None:
        return None  # not views into RAW, or a contest's units not a list
    if more_keys_than(skeleton, decoded_keys(doc)):
        refuse_duplicate(raw, file)
    for contest, (start, end) in zip(doc["contests"], spans, strict=True):
        # The units are checked by their decoder; the walk sees a stand-in for them.
        contest["units"] = [] if _EMPTY_LIST.fullmatch(raw, start, end) else [{"id": "-"}]
    return doc, FastUnits(raw, spans, src, stamp, columnar=columnar)


def document_of(d: FastDoc) -> dict[str, Any]:
    """The decoded document as the exact path's dict, each contest's units empty."""
    doc: dict[str, Any] = {
        k: getattr(d, k)
        for k in ("format", "format_version", "election")
        if getattr(d, k) is not UNSET
    }
    keys = ("id", "office", "district", "name", "rules", "options")
    doc["contests"] = [
        {**{k: getattr(c, k) for k in keys if getattr(c, k) is not UNSET}, "units": []}
        for c in d.contests
    ]
    return doc


def read_units(units: FastUnits, i: int, option_ids: list[str], p, where: str) -> tuple:
    """Contest I's unit table, vote frame, reported shares and provenance.

    Plain units are read as columns from the bytes (:mod:`.canonical_bytes`); any other
    are decoded into records here; what the records do not take raises NotPlain.
    """
    from .canonical_bytes import NotColumnar
    from .canonical_plain import plain_tables
    from .canonical_units import unit_tables

    units.read.add(i)
    columns = units.columns(i, option_ids)
    if columns is not None:
        try:
            table, votes = plain_tables(columns, option_ids)
            return table, votes, {}, {}
        except NotColumnar:
            pass  # a repeated id, an unknown parent: the records name it
    cols, votes, shares, provenance = unit_columns(
        units.raws(i), option_ids, p, where, units.reread, units.base
    )
    table, vote_frame = unit_tables(cols, votes, option_ids, p, where)
    return table, vote_frame, shares, provenance


def _skeleton(raw: bytes, spans: list[tuple[int, int]]) -> bytes | None:
    """The document with the text inside every units array cut out (``"units":[]``)."""
    pieces, at = [], 0
    for start, end in spans:
        if not at <= start < end <= len(raw) or raw[start] != 0x5B:
            return None
        pieces.append(raw[at : start + 1])
        at = end - 1
    pieces.append(raw[at:])
    return b"".join(pieces)


def units_hold_duplicate(units: FastUnits, file: str) -> bool:
    """Whether any unit of a contest not yet read repeats a key: the same count, batch
    by batch, on plain decoded values."""
    decoder = msgspec.json.Decoder(list[Any], float_hook=Decimal)
    for i in range(len(units.spans)):
        if i in units.read:
            continue
        raws = units.raws(i)
        for start in range(0, len(raws), BATCH):
            text = b"[" + b",".join(raws[start : start + BATCH]) + b"]"
            try:
                batch = decoder.decode(text)
            except ERRORS:
                continue  # not JSON the fast path took: the error raised stands
            if more_keys_than(text, decoded_keys(batch)) and duplicate_error(
                text.decode("utf-8"), file
            ):
                return True
    return False


def refuse_duplicate(raw: bytes, file: str) -> None:
    """The first duplicated key of the whole document (as the exact path names it)."""
    error = duplicate_error(raw.decode("utf-8"), file)
    if error is not None:
        raise error

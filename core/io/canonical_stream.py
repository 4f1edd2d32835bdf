"""A plain canonical JSON file read in one pass, a block at a time (see canonical_fast).

The units of a large document are nearly all of it (216 MB of 216 MB at a million
stations). Read in one pass, the document is never held whole: the bytes around the
units (the *skeleton*: the election, each contest's id, office, options…) are kept,
each ``"units":[`` array is handed block by block to the columnar reading
(:mod:`.canonical_blocks`) as the file is read, and its place in the skeleton is kept
as ``[]``. The skeleton is then decoded and must agree: each contest's units exactly
where an array was cut, read with that contest's options. Anything else — a key
``"units"`` elsewhere, options after the units, a repeated key, a document that is not
compact — returns None before any figure is used, and the document is read whole
(:func:`.canonical_fast.parse`), which gives every error its message; units that are
not plain return NOT_PLAIN, and are then not read as columns a second time.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from . import canonical_blocks
from .canonical_blocks import read_plain_units
from .canonical_bytes import NotColumnar
from .canonical_fast import DOC, ERRORS, FastUnits, _address, document_of
from .json_keys import decoded_keys, more_keys_than

_UNITS = b'"units":['
_OPTIONS = b'"options":'
# This many bytes without a units array: not a compact document (a pretty-printed one
# writes `"units": [`), or not one of this shape. A contest's id, office and options
# take a few KB.
_MAX_GAP = 4 << 20
NOT_PLAIN = "not plain"  # units the columns decline: the whole reading should not retry


def stream_document(src, stamp) -> tuple[dict, FastUnits] | str | None:
    """The document and its contests' units read as columns; NOT_PLAIN when some units
    are not plain; None when the skeleton does not agree."""
    size = src.path.stat().st_size
    skeleton = bytearray()
    cuts: list[int] = []  # where each units array was cut out of the skeleton
    spans: list[tuple[int, int]] = []  # and where it lies in the file
    columns: list[dict[str, Any]] = []
    options: list[list[str]] = []
    search = 0  # where a units array may begin in the skeleton
    since = 0  # the skeleton's length after the last units array
    with src.open_binary() as f:
        while True:
            at = skeleton.find(_UNITS, search)
            if at < 0:
                chunk = f.read(canonical_blocks.BLOCK)
                if not chunk:
                    break
                search = max(search, len(skeleton) - len(_UNITS))
                skeleton += chunk
                if len(skeleton) - since > _MAX_GAP:
                    return None
                continue
            ids = _options_before(skeleton, at)
            if ids is None:
                return None
            bracket = at + len(_UNITS) - 1
            head = bytes(skeleton[bracket + 1 :])  # read already, past the bracket
            start = f.tell() - len(head) - 1  # the bracket's offset in the file
            del skeleton[bracket + 1 :]
            units = _Units(f, head)
            try:
                read = read_plain_units(units, ids, max(size - start, 1))
            except NotColumnar:
                return NOT_PLAIN
            if units.rest is None:
                return None  # the file ended inside the array
            cuts.append(bracket)
            spans.append((start, start + units.length + 2))
            columns.append(read)
            options.append(ids)
            skeleton += b"]"
            search = since = len(skeleton)
            skeleton += units.rest
    return _agree(bytes(skeleton), cuts, spans, columns, options, src, stamp)


class _Units:
    """The blocks of one units array, read from F after HEAD (the bytes already read
    past its opening bracket), up to its closing bracket: the first ``]`` outside a
    text value (plain units hold no arrays). REST: the bytes read past that bracket,
    None until it is found; LENGTH: the array's bytes between its brackets."""

    def __init__(self, f, head: bytes) -> None:
        self.f, self.head = f, head
        self.rest: bytes | None = None
        self.length = 0

    def __iter__(self):
        # Every block given out holds an even number of quotes (its reading refuses it
        # otherwise, and then this whole reading), so TEXT always starts outside a string.
        text, searched = self.head, 0
        while True:
            end = _closing(text, searched)
            if end >= 0:
                self.rest = text[end + 1 :]
                self.length += end
                if end:
                    yield np.frombuffer(text, np.uint8, count=end)
                return
            searched = len(text)
            cut = text.rfind(b"},{")
            if len(text) >= canonical_blocks.BLOCK and cut >= 0:
                yield np.frombuffer(text, np.uint8, count=cut + 1)
                self.length += cut + 2
                text = text[cut + 2 :]
                searched = 0
                continue
            chunk = self.f.read(canonical_blocks.BLOCK)
            if not chunk:
                return  # no closing bracket: REST stays None
            text += chunk


def _closing(text: bytes, start: int) -> int:
    """The first ``]`` of TEXT from START with an even number of quotes before it (not
    in a text value: TEXT starts outside one), or -1."""
    at = text.find(b"]", start)
    while at >= 0:
        if text.count(b'"', 0, at) % 2 == 0:
            return at
        at = text.find(b"]", at + 1)
    return -1


def _options_before(skeleton: bytearray, at: int) -> list[str] | None:
    """The option ids of the last ``"options":`` before AT, or None. Only a guess at
    the contest's options: the skeleton's decode confirms it."""
    key = skeleton.rfind(_OPTIONS, 0, at)
    if key < 0:
        return None
    text = bytes(skeleton[key + len(_OPTIONS) : at]).decode("utf-8", errors="replace")
    try:
        value, _ = json.JSONDecoder().raw_decode(text.lstrip())
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(o, dict) and "id" in o for o in value):
        return None
    return [str(o["id"]) for o in value]


def _agree(skeleton: bytes, cuts, spans, columns, options, src, stamp):
    """The document, when the skeleton's decode puts each contest's units where an
    array was cut and names the options it was read with; else None."""
    if not cuts:
        return None
    try:
        d = DOC.decode(skeleton)
    except ERRORS:
        return None
    if len(d.contests) != len(cuts):
        return None
    base = _address(skeleton)
    for c, cut in zip(d.contests, cuts, strict=True):
        if _address(c.units) - base != cut or bytes(c.units) != b"[]":
            return None
    doc = document_of(d)
    for contest, ids in zip(doc["contests"], options, strict=True):
        given = contest.get("options")
        if (
            not isinstance(given, list)
            or [str(o.get("id")) if isinstance(o, dict) else None for o in given] != ids
        ):
            return None
    if more_keys_than(skeleton, decoded_keys(doc)):
        return None  # a repeated key: the whole reading names it
    for contest in doc["contests"]:
        contest["units"] = [{"id": "-"}]  # the units are read; the walk sees a stand-in
    units = FastUnits(None, spans, src, stamp, columns=columns)
    return doc, units

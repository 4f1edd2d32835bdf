"""The fast reading of the canonical JSON document (msgspec), for documents of 1 MiB or more.

The document is decoded with each contest's units kept as raw bytes (``Raw``, views
into the document, no copy); the units are then decoded in batches into typed
records built for the contest's options (votes as fields, not a dict per unit) and
turned into columns batch by batch. Anything the records do not take as it is (a
count written as text or out of range, a float, an unknown key, reported figures or
provenance on a unit, the one-contest shorthand, nesting too deep…) raises
:class:`NotPlain` and the exact path (``json`` and the schema walk) reads the
document, giving the same model or the same error.

Duplicated keys (:mod:`.json_keys`): the keys of the document outside the units are
counted on its skeleton (the document with the units cut out), those of the units
batch by batch, against the fields the records decoded.

Imported only when such a document is read (msgspec is not a start-up import).
Annotations are evaluated here (no ``from __future__ import annotations``) so
msgspec sees the constrained types.
"""

import json
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from types import GenericAlias
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Raw, Struct, UnsetType

from .canonical_units import COUNT_KEYS, unique_ids
from .json_keys import (
    HINT,
    DuplicateKeyError,
    decoded_keys,
    duplicate_error,
    first_duplicate,
    more_keys_than,
)

MAX_EXACT = 2**53
BATCH = 20_000
ERRORS = (msgspec.MsgspecError, RecursionError, ValueError)

Count = Annotated[int, Meta(ge=0, le=MAX_EXACT)] | None
Text = str | None


class NotPlain(Exception):
    """The fast path does not take this document; the exact path reads it."""


class FastContest(Struct, forbid_unknown_fields=True):
    units: list[Raw]
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
_TEXT = ("parent", "mission", "country", "code")
# Every field of a unit but id and votes, absent as UNSET: what was present is counted.
_UNIT_FIELDS: list[tuple[str, Any]] = [
    ("name", str),
    ("level", Literal["nation", "region", "district", "station"]),
    *((k, Text) for k in (*_TEXT, "note")),
    ("abroad", bool),
    ("aliases", list[str]),
    # Rare on a unit: a document that has them is read by the exact path.
    ("reported", Raw),
    ("sources", Raw),
    ("derived", Raw),
]
_BLANK = {UNSET: "", None: ""}
# An absent count decodes as -1 (never a count: the type refuses it), so that its
# column is counted and turned to NaN in numpy rather than object by object.
ABSENT = -1


@lru_cache(maxsize=16)
def _unit_decoder(option_ids: tuple[str, ...]) -> tuple[Any, Any]:
    """The decoder of a batch of units whose votes name these options (and only these)."""
    names = [f"v{i}" for i in range(len(option_ids))]
    votes = msgspec.defstruct(
        "FastVotes",
        [(n, Count, ABSENT) for n in names],
        rename=dict(zip(names, option_ids, strict=True)),
        forbid_unknown_fields=True,
        gc=False,
    )
    unit = msgspec.defstruct(
        "FastUnit",
        [
            ("id", str | int),
            *((k, t | UnsetType, UNSET) for k, t in _UNIT_FIELDS),
            *((k, Count, ABSENT) for k in COUNT_KEYS),
            ("votes", votes | UnsetType, UNSET),
        ],
        forbid_unknown_fields=True,
        gc=False,
    )
    # list[unit], spelled out: the unit's type is made here at run time, so a checker
    # cannot read `list[unit]` as a type.
    return msgspec.json.Decoder(GenericAlias(list, unit), float_hook=Decimal), votes


def parse(raw: bytes, file: str) -> tuple[dict, list[list], int] | None:
    """The document with each contest's units as raw JSON, or None (exact path)."""
    try:
        d = DOC.decode(raw)
    except ERRORS:
        return None
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
    units = [c.units for c in d.contests]
    skeleton = _skeleton(raw, units)
    if skeleton is None:
        return None
    if more_keys_than(skeleton, decoded_keys(doc)):
        refuse_duplicate(raw, file)
    for contest, raws in zip(doc["contests"], units, strict=True):
        # The units are checked by their decoder; the walk sees a stand-in for them.
        contest["units"] = [{"id": "-"}] if raws else []
    return doc, units, _address(raw)


def _address(buffer) -> int:
    import numpy as np

    return np.frombuffer(buffer, dtype=np.uint8).ctypes.data


def _refuse_in_batch(text: bytes, raws: list, base: int, reread, file: str) -> None:
    """A duplicated key in this batch of units, named at its line in the document.

    The skeleton and every unit before this batch were found free of duplicates, so the
    first duplicate of the batch is the document's first, as the whole-text walk (the
    exact path) names it; the batch is walked instead of the document before it.
    """
    found = first_duplicate(text.decode("utf-8"))
    if found is None:
        return  # a value starting with a colon, not a repeated key
    key, chars = found
    at = len(text.decode("utf-8")[:chars].encode("utf-8"))  # bytes into the batch
    start = 1  # after "["
    for r in raws:
        if at < start + len(r):
            pos = _address(r) - base + (at - start)
            break
        start += len(r) + 1  # the comma
    else:  # pragma: no cover - the offset is inside the batch
        return
    raise DuplicateKeyError(
        f"duplicated key {json.dumps(key, ensure_ascii=False)} in an object",
        file=file,
        line=reread().count(b"\n", 0, pos) + 1,
        hint=HINT,
    )


def _skeleton(raw: bytes, units: list[list]) -> bytes | None:
    """The document with the text of every unit cut out (``"units":[,,]``)."""

    base = _address(raw)
    pieces, start = [], 0
    for raws in units:
        if not raws:
            continue
        first = _address(raws[0]) - base
        last = _address(raws[-1]) - base + len(raws[-1])
        if not start <= first <= last <= len(raw):  # not views into RAW: cannot cut
            return None
        pieces.append(raw[start:first])
        start = last
    pieces.append(raw[start:])
    return b"".join(pieces)


def units_hold_duplicate(units: list[list], file: str) -> bool:
    """Whether any unit not yet read (a contest's list is emptied once read) repeats a
    key: the same count, batch by batch, on plain decoded values."""
    decoder = msgspec.json.Decoder(list[Any], float_hook=Decimal)
    for raws in units:
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


def unit_columns(
    raws: list, option_ids: list[str], p, where: str, reread, base: int = 0
) -> tuple[dict[str, Any], dict[str, Any], dict, dict]:
    """Unit and vote columns from raw units, decoded a batch at a time (REREAD: the
    document's bytes again, to name a duplicated key in the whole document)."""
    import numpy as np

    from .canonical_units import categorical

    dec, votes_type = _unit_decoder(tuple(option_ids))
    no_votes = votes_type()
    get = {k: attrgetter(k) for k in ("id", "votes", *COUNT_KEYS, *(k for k, _ in _UNIT_FIELDS))}
    vote_get = [attrgetter(f"v{i}") for i in range(len(option_ids))]
    # Fields a station seldom has, looked at in one pass (absent from every unit, usually).
    get_rare = attrgetter("reported", "sources", "derived", "note", "aliases")
    all_unset = (UNSET,) * 5
    cols: dict[str, list] = {k: [] for k in ("unit_id", "name", "level", "abroad", *_TEXT)}
    counts: dict[str, list] = {k: [] for k in COUNT_KEYS}
    votes: list[list] = [[] for _ in option_ids]
    shared: dict = {}  # one string per distinct name or parent (a few thousand)
    for start in range(0, len(raws), BATCH):
        text = b"[" + b",".join(raws[start : start + BATCH]) + b"]"
        try:
            batch = dec.decode(text)
        except ERRORS:
            raise NotPlain from None
        n = len(batch)
        present = n  # every unit has its id
        nulls = b"null" in text

        def column(k: str, default: Any, batch=batch, n=n) -> list:
            nonlocal present
            col = list(map(get[k], batch))
            missing = col.count(UNSET)
            present += n - missing
            if missing == n:
                return [default] * n
            if not missing:
                return col
            if k == "votes":  # records are not hashable
                return [default if v is UNSET else v for v in col]
            return list(map({UNSET: default}.get, col, col))

        rare = list(map(get_rare, batch))
        if rare.count(all_unset) != n:  # some unit has one of them: field by field
            for k in ("reported", "sources", "derived"):
                if list(map(get[k], batch)).count(UNSET) != n:
                    raise NotPlain
            present += sum(n - list(map(get[k], batch)).count(UNSET) for k in ("note", "aliases"))
        ids = list(map(get["id"], batch))
        if set(map(type, ids)) != {str}:
            ids = [str(x) for x in ids]
        cols["unit_id"] += ids
        names = column("name", "")
        if "" in names:  # a unit without a name is called by its id
            names = [name or uid for name, uid in zip(names, ids, strict=True)]
        cols["name"] += names
        cols["level"] += column("level", "station")
        cols["abroad"] += column("abroad", False)
        for k in _TEXT:  # None and absent are "", as on the exact path
            col = column(k, "")
            if col.count("") == n:
                cols[k] += col
                continue
            if None in col:
                col = list(map(_BLANK.get, col, col))
            cols[k] += map(shared.setdefault, col, col)
        for k, acc in counts.items():  # float64 per batch: no int object is kept
            acc.append(_counts(map(get[k], batch), n, nulls))
            present += n - int(np.count_nonzero(acc[-1] == ABSENT))
            acc[-1][acc[-1] == ABSENT] = np.nan
        unit_votes = column("votes", no_votes)
        for getter, acc in zip(vote_get, votes, strict=True):
            acc.append(_counts(map(getter, unit_votes), n, nulls))
            present += n - int(np.count_nonzero(acc[-1] == ABSENT))
            acc[-1][acc[-1] == ABSENT] = np.nan
        if more_keys_than(text, present):
            _refuse_in_batch(text, raws[start : start + BATCH], base, reread, p.file)
        del batch, unit_votes, text
    raws.clear()  # the last reference to the document's bytes (with the caller's)
    unique_ids(cols["unit_id"], p, where)
    out: dict[str, Any] = dict(cols)
    for k in ("mission", "country"):
        out[k] = categorical(cols[k])
    for k, acc in counts.items():
        out[k] = np.concatenate(acc)
        acc.clear()  # the batches go as soon as their column is whole
    out["reported_turnout"] = [None] * len(cols["unit_id"])
    vote_arrays = {}
    for oid, acc in zip(option_ids, votes, strict=True):
        vote_arrays[oid] = np.concatenate(acc)
        acc.clear()
    return out, vote_arrays, {}, {}


def _counts(values, n: int, nulls: bool):
    """N counts as float64 (null: NaN, absent: ABSENT), in C-speed passes. NULLS: whether
    the batch's text holds ``null`` anywhere (else no count is None: straight to numpy)."""
    import numpy as np

    if nulls:
        return np.array(list(values), dtype="float64")
    return np.fromiter(values, dtype="float64", count=n)

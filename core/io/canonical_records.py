"""The units of a contest decoded into typed records (msgspec) and turned into columns.

The second of the fast readings (:mod:`.canonical_fast`): units the columnar reading
(:mod:`.canonical_bytes`) does not take are decoded in batches into records built for
the contest's options (votes as fields, not a dict per unit) and turned into columns
batch by batch. Anything the records do not take as it is (a count written as text or
out of range, a float, an unknown key, reported figures or provenance on a unit…)
raises :class:`NotPlain` and the exact path (``json`` and the schema walk) reads the
document, giving the same model or the same error.

Duplicated keys (:mod:`.json_keys`) are counted batch by batch against the fields the
records decoded. Annotations are evaluated here (no ``from __future__ import
annotations``) so msgspec sees the constrained types.
"""

import json
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from types import GenericAlias
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Raw, UnsetType

from .canonical_units import COUNT_KEYS, unique_ids
from .json_keys import (
    HINT,
    DuplicateKeyError,
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


def _address(buffer) -> int:
    import numpy as np

    return np.frombuffer(buffer, dtype=np.uint8).__array_interface__["data"][0]


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

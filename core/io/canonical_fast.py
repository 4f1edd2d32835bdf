"""Typed records for the fast reading of the canonical JSON document (msgspec).

Imported only when a document is read (msgspec is not a start-up import). The types are
the schema's (``elect schema``) for the values they take; whatever they do not take
is read by the exact path in :mod:`.canonical`. Annotations are evaluated here (no
``from __future__ import annotations``) so msgspec sees the constrained types.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Raw, Struct, UnsetType, field

MAX_EXACT = 2**53

Count = Annotated[int, Meta(ge=0, le=MAX_EXACT)] | None
Text = str | None


class FastUnit(Struct, gc=False):
    id: str | int
    name: str = ""
    level: Literal["nation", "region", "district", "station"] = "station"
    parent: Text = None
    abroad: bool = False
    mission: Text = None
    country: Text = None
    code: Text = None
    note: Text = None
    registered: Count = None
    ballots_cast: Count = None
    invalid: Count = None
    stations: Count = None
    countries: Count = None
    votes: dict[str, Count] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    # Rare on a unit: a document that has them is read by the exact path.
    reported: Raw | UnsetType = UNSET
    sources: Raw | UnsetType = UNSET
    derived: Raw | UnsetType = UNSET


class FastContest(Struct):
    units: list[Raw]
    id: Any = UNSET
    office: Any = UNSET
    district: Any = UNSET
    name: Any = UNSET
    rules: Any = UNSET
    options: Any = UNSET


class FastDoc(Struct):
    contests: list[FastContest]
    format: Any = UNSET
    format_version: Any = UNSET
    election: Any = UNSET
    units: Raw | UnsetType = UNSET
    options: Raw | UnsetType = UNSET


# Numbers with a fraction are Decimals, as the exact path reads them.
DOC = msgspec.json.Decoder(FastDoc, float_hook=Decimal)
UNITS = msgspec.json.Decoder(list[FastUnit], float_hook=Decimal)
ERRORS = (msgspec.MsgspecError, RecursionError, ValueError)

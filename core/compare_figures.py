"""What ``compare`` pairs and measures: the options of A and B, a unit's figures on
each side, and the change in each figure (see :mod:`elect.core.compare`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .model import COUNT_FIELDS, Option
from .names import fold
from .numbers import as_json_number, pp_change


def _d(value):
    return as_json_number(value)


@dataclass(frozen=True)
class OptionPair:
    key: str
    a: Option | None
    b: Option | None
    matched_by: str | None  # id | name | None (one side only)

    @property
    def name(self) -> str:
        option = self.b or self.a
        assert option is not None  # match_options never makes a pair with neither side
        return option.name


def match_options(a: list[Option], b: list[Option]) -> list[OptionPair]:
    """Pair ballot options by id, then by folded name or alias; the rest stand alone."""
    pairs: list[OptionPair] = []
    left = list(b)
    for oa in a:
        ob = next((o for o in left if o.id == oa.id), None)
        how = "id" if ob else None
        if ob is None:
            keys_a = _option_keys(oa)
            hits = [o for o in left if keys_a & _option_keys(o)]
            if len(hits) == 1:
                ob, how = hits[0], "name"
        if ob is not None:
            left.remove(ob)
        pairs.append(OptionPair(oa.id, oa, ob, how))
    pairs.extend(OptionPair(ob.id, None, ob, None) for ob in left)
    return pairs


def _option_keys(o: Option) -> set[str]:
    keys = {fold(o.name), *(fold(x) for x in o.aliases)}
    return {k for k in keys if k}


@dataclass
class UnitFigures:
    """One unit (or several summed) on one side."""

    ids: list[str]
    names: list[str]
    registered: int | None = None
    ballots_cast: int | None = None
    invalid: int | None = None
    turnout: Decimal | None = None
    turnout_origin: str | None = None  # computed | reported
    reported_turnout: list[Decimal | None] = field(default_factory=list)
    votes: dict[str, int | None] = field(default_factory=dict)
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.ids,
            "names": self.names,
            "registered": self.registered,
            "ballots_cast": self.ballots_cast,
            "invalid": self.invalid,
            "turnout_pct": _d(self.turnout),
            "turnout_origin": self.turnout_origin,
            "reported_turnout_pct": [_d(x) for x in self.reported_turnout],
        }


@dataclass
class OptionDelta:
    key: str
    name: str
    id_a: str | None
    id_b: str | None
    matched_by: str | None
    votes_a: int | None
    votes_b: int | None
    share_a: Decimal | None
    share_b: Decimal | None
    share_origin_a: str | None = None
    share_origin_b: str | None = None

    @property
    def present(self) -> str:
        return "both" if self.id_a and self.id_b else ("a_only" if self.id_a else "b_only")

    @property
    def votes_change(self) -> int | None:
        if self.votes_a is None or self.votes_b is None:
            return None
        return self.votes_b - self.votes_a

    @property
    def pp(self) -> Decimal | None:
        return pp_change(self.share_a, self.share_b)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "present": self.present,
            "id_a": self.id_a,
            "id_b": self.id_b,
            "matched_by": self.matched_by,
            "votes_a": self.votes_a,
            "votes_b": self.votes_b,
            "votes_change": self.votes_change,
            "share_a_pct": _d(self.share_a),
            "share_b_pct": _d(self.share_b),
            "share_origin_a": self.share_origin_a,
            "share_origin_b": self.share_origin_b,
            "change_pp": _d(self.pp),
        }


@dataclass
class UnitDelta:
    """A unit (or lineage group) compared: counts, turnout and options on both sides."""

    label: str
    matched_by: str  # id | code | name | lineage | nation
    relation: str  # same | renamed | split | merged | reorganised
    a: UnitFigures
    b: UnitFigures
    options: list[OptionDelta] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def turnout_change(self) -> Decimal | None:
        return pp_change(self.a.turnout, self.b.turnout)

    def count_change(self, fld: str) -> int | None:
        va, vb = getattr(self.a, fld), getattr(self.b, fld)
        return None if va is None or vb is None else vb - va

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "matched_by": self.matched_by,
            "relation": self.relation,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "change": {
                **{f: self.count_change(f) for f in COUNT_FIELDS},
                "turnout_pp": _d(self.turnout_change),
            },
            "options": [o.to_dict() for o in self.options],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class FigureChange:
    unit: str
    field: str
    a: Any
    b: Any

    @property
    def delta(self):
        return self.b - self.a

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "field": self.field,
            "a": _d(self.a),
            "b": _d(self.b),
            "change": _d(self.delta),
        }

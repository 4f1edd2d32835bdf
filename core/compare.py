"""Two elections side by side: each option's votes and share, turnout, region by region.

Units are paired by id, then by code (a KATO prefix), then by name through the
alias table (:mod:`elect.core.names`); a lineage file (:mod:`elect.core.lineage`)
groups renamed, split and merged units so both sides are compared on the
territory they share. Nothing is dropped: units left unpaired are listed.
Preliminary against final (same election, two stages) lists every figure that
changed, in either direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compare_figures import FigureChange, OptionDelta, UnitDelta, match_options
from .compare_units import nation_delta, region_deltas, unit_keys
from .lineage import Lineage
from .model import COUNT_FIELDS, Contest, Election
from .report import contest_dict, select_contest
from .schema import SCHEMA_VERSION

__all__ = ["Comparison", "compare", "match_options", "unit_keys"]


@dataclass
class Comparison:
    a: Election
    b: Election
    contest_a: Contest
    contest_b: Contest
    revision: bool  # the same election at two stages (preliminary → final)
    options: list[OptionDelta]
    nation: UnitDelta
    regions: list[UnitDelta]
    unmatched_a: list[dict[str, str]]
    unmatched_b: list[dict[str, str]]
    changes: list[FigureChange]
    compared_figures: int
    lineage: Lineage | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "compare",
            "a": {**self.a.meta_dict(), "contest": contest_dict(self.contest_a)},
            "b": {**self.b.meta_dict(), "contest": contest_dict(self.contest_b)},
            "revision": self.revision,
            "options": [o.to_dict() for o in self.options],
            "nation": self.nation.to_dict(),
            "regions": [r.to_dict() for r in self.regions],
            "unmatched": {"a": self.unmatched_a, "b": self.unmatched_b},
            "changes": [c.to_dict() for c in self.changes],
            "compared_figures": self.compared_figures,
            "lineage": None if self.lineage is None else self.lineage.to_dict(),
            "notes": self.notes,
        }


def compare(
    a: Election, b: Election, *, lineage: Lineage | None = None, contest: str | None = None
) -> Comparison:
    """Compare election ``a`` (before) with ``b`` (after)."""
    ca, cb = select_contest(a, contest), select_contest(b, contest)
    pairs = match_options(ca.options, cb.options)
    nation = nation_delta(ca, cb, pairs)
    regions, unmatched_a, unmatched_b, notes = region_deltas(ca, cb, pairs, lineage)
    changes, compared = _changes(nation, regions)
    # Same election day: two stages of one count (preliminary → final, or a correction).
    revision = a.date == b.date if a.date and b.date else a.status != b.status
    return Comparison(
        a,
        b,
        ca,
        cb,
        revision,
        nation.options,
        nation,
        regions,
        unmatched_a,
        unmatched_b,
        changes,
        compared,
        lineage,
        notes,
    )


def _changes(nation: UnitDelta, regions: list[UnitDelta]) -> tuple[list[FigureChange], int]:
    """Every figure known on both sides that differs; and how many were compared."""
    out: list[FigureChange] = []
    compared = 0
    for unit in (nation, *regions):
        figures = [(f, getattr(unit.a, f), getattr(unit.b, f)) for f in COUNT_FIELDS]
        if len(unit.a.reported_turnout) == 1 and len(unit.b.reported_turnout) == 1:
            figures.append(
                ("reported.turnout_pct", unit.a.reported_turnout[0], unit.b.reported_turnout[0])
            )
        for o in unit.options:
            if o.present == "both":
                figures.append((f"votes.{o.key}", o.votes_a, o.votes_b))
                if o.share_origin_a == o.share_origin_b == "reported":
                    figures.append((f"reported.shares_pct.{o.key}", o.share_a, o.share_b))
        for fld, va, vb in figures:
            if va is None or vb is None:
                continue
            compared += 1
            if va != vb:
                out.append(FigureChange(unit.label, fld, va, vb))
    return out, compared

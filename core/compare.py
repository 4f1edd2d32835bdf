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
from decimal import Decimal
from typing import Any

from .lineage import Lineage
from .model import COUNT_FIELDS, Contest, Election, Option
from .names import bare, fold, name_key
from .numbers import as_json_number, pct, pp_change, sum_known
from .report import contest_dict, select_contest
from .schema import SCHEMA_VERSION
from .tally import nation_totals, share_rows


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


def unit_keys(uid: str, name: str) -> set[str]:
    """Name keys a unit answers to: its name's and its id's, through the alias table."""
    keys = {name_key(name), name_key(uid.replace("_", " ")), name_key(uid.replace("_", ""))}
    return {k for k in keys if k}


def bare_keys(uid: str, name: str) -> set[str]:
    return {bare(k) for k in unit_keys(uid, name)}


# -- national and regional figures -------------------------------------------------


def nation_delta(ca: Contest, cb: Contest, pairs: list[OptionPair]) -> UnitDelta:
    fa, oa = _nation_side(ca)
    fb, ob = _nation_side(cb)
    options = [
        OptionDelta(
            p.key,
            p.name,
            p.a.id if p.a else None,
            p.b.id if p.b else None,
            p.matched_by,
            *(_pick(oa, p.a, 0), _pick(ob, p.b, 0)),
            *(_pick(oa, p.a, 1), _pick(ob, p.b, 1)),
            _pick(oa, p.a, 2),
            _pick(ob, p.b, 2),
        )
        for p in pairs
    ]
    options.sort(key=lambda o: (o.present == "a_only", -(o.votes_b or 0), -(o.votes_a or 0)))
    label = fb.names[0] if fb.names else "(all)"
    return UnitDelta(label, "nation", "same", fa, fb, options)


def _pick(table: dict, opt: Option | None, i: int):
    return None if opt is None else table[opt.id][i]


def _nation_side(c: Contest) -> tuple[UnitFigures, dict[str, tuple]]:
    totals, _ = nation_totals(c)
    rows, _, _ = share_rows(c, totals, "valid")
    reg, cast, inv = (totals.value(f) for f in COUNT_FIELDS)
    turnout, origin = pct(cast, reg), "computed"
    if turnout is None and totals.reported_turnout is not None:
        turnout, origin = Decimal(totals.reported_turnout), "reported"
    figs = UnitFigures(
        [totals.unit_id],
        [totals.name],
        reg,
        cast,
        inv,
        turnout,
        origin if turnout is not None else None,
        [totals.reported_turnout] if totals.reported_turnout is not None else [],
    )
    opts = {}
    for r in rows:
        share, so = (r.share, "computed") if r.share is not None else (r.reported_share, "reported")
        opts[r.option_id] = (r.votes, share, so if share is not None else None)
        figs.votes[r.option_id] = r.votes
    return figs, opts


@dataclass
class _Unit:
    uid: str
    name: str
    code: str
    counts: dict[str, int | None]
    reported_turnout: Decimal | None
    votes: dict[str, int | None]


def _regions(c: Contest) -> list[_Unit]:
    from .regions import region_table

    table = region_table(c, with_votes=True)
    codes = dict(zip(c.units["unit_id"].astype(str), c.units["code"].astype(str), strict=True))
    out = []
    for uid, r in table.iterrows():
        rt = r["reported_turnout"]
        out.append(
            _Unit(
                str(uid),
                str(r["name"]),
                codes.get(str(uid), ""),
                {f: _int(r[f]) for f in COUNT_FIELDS},
                None if rt is None or rt != rt else Decimal(rt),
                {o.id: _int(r[o.id]) for o in c.options},
            )
        )
    return out


def _int(v) -> int | None:
    return None if v is None or v != v else int(v)


def _side(units: list[_Unit], options: list[Option], base_kinds) -> UnitFigures:
    """Sum a group of units; turnout from counts, else a single published percentage."""
    figs = UnitFigures([u.uid for u in units], [u.name for u in units])
    for f in COUNT_FIELDS:
        setattr(figs, f, sum_known(u.counts[f] for u in units) if units else None)
    figs.reported_turnout = [u.reported_turnout for u in units]
    for o in options:
        figs.votes[o.id] = sum_known(u.votes[o.id] for u in units) if units else None
    figs.turnout = pct(figs.ballots_cast, figs.registered)
    if figs.turnout is not None:
        figs.turnout_origin = "computed"
    elif len(units) == 1 and units[0].reported_turnout is not None:
        figs.turnout, figs.turnout_origin = units[0].reported_turnout, "reported"
    elif len(units) > 1 and any(t is not None for t in figs.reported_turnout):
        figs.note = (
            f"turnout of {' + '.join(figs.names)} is published only as percentages; "
            "combining them needs the registered voters of each, so it is not averaged"
        )
    return figs


def _option_deltas(
    fa: UnitFigures, fb: UnitFigures, pairs: list[OptionPair], ca: Contest, cb: Contest
) -> list[OptionDelta]:
    if all(v is None for v in (*fa.votes.values(), *fb.votes.values())):
        return []
    base_a = _base(fa, ca)
    base_b = _base(fb, cb)
    out = []
    for p in pairs:
        va = fa.votes.get(p.a.id) if p.a else None
        vb = fb.votes.get(p.b.id) if p.b else None
        sa = pct(va, base_a) if p.a and p.a.kind in ca.rules.base_kinds else None
        sb = pct(vb, base_b) if p.b and p.b.kind in cb.rules.base_kinds else None
        out.append(
            OptionDelta(
                p.key,
                p.name,
                p.a.id if p.a else None,
                p.b.id if p.b else None,
                p.matched_by,
                va,
                vb,
                sa,
                sb,
                "computed" if sa is not None else None,
                "computed" if sb is not None else None,
            )
        )
    out.sort(key=lambda o: (o.present == "a_only", -(o.votes_b or 0)))
    return out


def _base(f: UnitFigures, c: Contest) -> int | None:
    return sum_known(f.votes.get(i) for i in c.base_option_ids())


# -- pairing units ------------------------------------------------------------------


def region_deltas(
    ca: Contest, cb: Contest, pairs: list[OptionPair], lineage: Lineage | None
) -> tuple[list[UnitDelta], list[dict[str, str]], list[dict[str, str]], list[str]]:
    ua, ub = _regions(ca), _regions(cb)
    left_a = {u.uid: u for u in ua}
    left_b = {u.uid: u for u in ub}
    groups: list[tuple[list[_Unit], list[_Unit], str, str]] = []
    notes: list[str] = []
    if lineage is not None:
        groups += _lineage_groups(lineage, left_a, left_b, notes)
    for how in ("id", "code", "name", "bare name"):
        for u in list(left_a.values()):
            hit = _find(u, left_b, how, left_a)
            if hit is not None:
                groups.append(([left_a.pop(u.uid)], [left_b.pop(hit.uid)], how, "same"))
    order = {u.uid: i for i, u in enumerate(ub)}
    groups.sort(key=lambda g: min((order[u.uid] for u in g[1]), default=len(order)))
    deltas = []
    for ga, gb, how, relation in groups:
        fa = _side(ga, ca.options, ca.rules.base_kinds)
        fb = _side(gb, cb.options, cb.rules.base_kinds)
        label = " + ".join(fb.names) if len(gb) > 1 or len(ga) == 1 else " + ".join(fa.names)
        if relation == "renamed" or (relation == "same" and fa.names != fb.names):
            label = f"{' + '.join(fa.names)} → {' + '.join(fb.names)}"
        if relation in ("split", "merged", "reorganised"):
            label = f"{' + '.join(fa.names)} → {' + '.join(fb.names)}"
        d = UnitDelta(label, how, relation, fa, fb, _option_deltas(fa, fb, pairs, ca, cb))
        d.notes += [n for n in (fa.note, fb.note) if n]
        if fa.turnout_origin and fb.turnout_origin and fa.turnout_origin != fb.turnout_origin:
            d.notes.append(
                f"turnout {fa.turnout_origin} in A but {fb.turnout_origin} in B: compare with care"
            )
        deltas.append(d)
    unmatched_a = [{"id": u.uid, "name": u.name} for u in left_a.values()]
    unmatched_b = [{"id": u.uid, "name": u.name} for u in left_b.values()]
    return deltas, unmatched_a, unmatched_b, notes


def _find(u: _Unit, pool: dict[str, _Unit], how: str, own: dict[str, _Unit]) -> _Unit | None:
    """The one unit in ``pool`` that ``u`` matches by ``how``, if exactly one does."""
    if how == "id":
        return pool.get(u.uid)
    if how == "code":
        if not u.code:
            return None
        hits = [v for v in pool.values() if v.code == u.code]
    else:
        keyf = unit_keys if how == "name" else bare_keys
        mine = keyf(u.uid, u.name)
        hits = [v for v in pool.values() if mine & keyf(v.uid, v.name)]
        # Ambiguous when another unit on u's own side answers to the same key.
        if len(hits) == 1 and any(
            w.uid != u.uid and keyf(w.uid, w.name) & keyf(hits[0].uid, hits[0].name)
            for w in own.values()
        ):
            return None
    return hits[0] if len(hits) == 1 else None


def _lineage_groups(lineage: Lineage, left_a: dict, left_b: dict, notes: list[str]):
    """Resolve each lineage group's ids in A and B; the earlier side is the better fit."""

    def resolve(ids: list[str], pool: dict[str, _Unit]) -> list[_Unit]:
        out = []
        for i in ids:
            probe = _Unit(i, i.replace("_", " "), "", {}, None, {})
            hit = pool.get(i) or _find(probe, pool, "name", {})
            if hit is not None and hit not in out:
                out.append(hit)
        return out

    groups = lineage.groups()
    fit = sum(len(resolve(g.earlier, left_a)) + len(resolve(g.later, left_b)) for g in groups)
    rev = sum(len(resolve(g.later, left_a)) + len(resolve(g.earlier, left_b)) for g in groups)
    if rev > fit:
        notes.append(
            f"lineage {lineage.file}: the earlier column ({lineage.earlier_label}) fits B, "
            "so A is treated as the later election"
        )
    out = []
    for g in groups:
        ea, lb = (g.earlier, g.later) if fit >= rev else (g.later, g.earlier)
        ga, gb = resolve(ea, left_a), resolve(lb, left_b)
        if not ga or not gb:
            continue  # the plain pairing (and the unmatched lists) take these units
        if len(ga) < len(ea) or len(gb) < len(lb):
            notes.append(
                f"lineage group {' + '.join(ea)} → {' + '.join(lb)}: only "
                f"{' + '.join(u.uid for u in ga)} → {' + '.join(u.uid for u in gb)} are in the files"
            )
        for u in ga:
            left_a.pop(u.uid, None)
        for u in gb:
            left_b.pop(u.uid, None)
        relation = g.relation
        if fit < rev:
            relation = {"split": "merged", "merged": "split"}.get(relation, relation)
        out.append((ga, gb, "lineage", relation))
    return out

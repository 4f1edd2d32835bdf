"""Units of A and B paired for ``compare``: national figures, regions paired by id,
code, name (the alias table) or a lineage file, and each pair's figures summed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .compare_figures import OptionDelta, OptionPair, UnitDelta, UnitFigures
from .lineage import Lineage
from .model import COUNT_FIELDS, Contest, Option
from .names import bare, name_key
from .numbers import pct, sum_known
from .tally import nation_totals, share_rows


def unit_keys(uid: str, name: str) -> set[str]:
    """Name keys a unit answers to: its name's and its id's, through the alias table."""
    keys = {name_key(name), name_key(uid.replace("_", " ")), name_key(uid.replace("_", ""))}
    return {k for k in keys if k}


def bare_keys(uid: str, name: str) -> set[str]:
    return {bare(k) for k in unit_keys(uid, name)}


# -- national and regional figures -------------------------------------------------


def _delta(p: OptionPair, *figures) -> OptionDelta:
    """The comparison of one matched option: its key, name, ids, how it was matched,
    then FIGURES (votes, shares, origins: a, then b)."""
    return OptionDelta(
        p.key, p.name, p.a.id if p.a else None, p.b.id if p.b else None, p.matched_by, *figures
    )


def nation_delta(ca: Contest, cb: Contest, pairs: list[OptionPair]) -> UnitDelta:
    fa, oa = _nation_side(ca)
    fb, ob = _nation_side(cb)
    options = [
        _delta(
            p,
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
            _delta(
                p,
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

"""Several sources for one election: which figures disagree, and what kind of slip each is.

Each source is an election file. A source's role is ``official`` (the
commission), ``media`` or ``exit_poll``, read from ``election.role`` (or
``election.official: true``) in the JSON document, or given on the command
line. For each figure (a unit's count, an option's votes, a published
percentage) the consensus is the official value where there is one, else the
value most sources print. Every other value is classified: digit typo,
transposition, rounding, order-of-magnitude slip, row shift (the neighbouring
unit's or option's value), an exit-poll figure quoted as a result, or
unexplained. Exit polls' own figures are estimates, listed but never faults.
Values that are numerically equal agree: 5.8 and 5.80 are the same figure.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as _field  # FigureRow has a field named `field`
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from .compare import match_options, unit_keys
from .errors import SelectionError
from .model import COUNT_FIELDS, Contest, Election
from .numbers import as_json_number, decimal_places
from .report import select_contest
from .schema import SCHEMA_VERSION

FAULTS = (
    "digit_typo",
    "transposition",
    "rounding",
    "magnitude",
    "row_shift",
    "exit_poll_quoted",
    "unexplained",
)
ESTIMATE = "exit_poll_estimate"


@dataclass(frozen=True)
class SourceInfo:
    label: str
    role: str
    name: str
    file: str | None
    sources: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "role": self.role,
            "name": self.name,
            "file": self.file,
            "sources": self.sources,
        }


@dataclass(frozen=True)
class Disagreement:
    source: str
    value: Decimal
    kind: str
    detail: str

    @property
    def fault(self) -> bool:
        return self.kind != ESTIMATE

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "value": _num(self.value),
            "kind": self.kind,
            "detail": self.detail,
        }


@dataclass
class FigureRow:
    unit: str
    unit_name: str
    field: str
    values: dict[str, Decimal | None]
    consensus: Decimal | None
    basis: str  # official | majority | single | none
    disagreements: list[Disagreement] = _field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.unit}.{self.field}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "field": self.field,
            "values": {k: _num(v) for k, v in self.values.items()},
            "consensus": _num(self.consensus),
            "basis": self.basis,
            "disagreements": [d.to_dict() for d in self.disagreements],
        }


@dataclass
class Reconciliation:
    sources: list[SourceInfo]
    rows: list[FigureRow]
    notes: list[str] = _field(default_factory=list)

    @property
    def faults(self) -> list[tuple[FigureRow, Disagreement]]:
        return [(r, d) for r in self.rows for d in r.disagreements if d.fault]

    def counts(self) -> dict[str, int]:
        c = Counter(d.kind for _, d in self.faults)
        return {k: c.get(k, 0) for k in FAULTS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "reconcile",
            "sources": [s.to_dict() for s in self.sources],
            "figures": len(self.rows),
            "faults": len(self.faults),
            "by_kind": self.counts(),
            "rows": [r.to_dict() for r in self.rows],
            "notes": self.notes,
        }


def _num(v):
    if v is None:
        return None
    return (
        int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else as_json_number(v)
    )


def source_role(raw: bytes) -> str | None:
    """The role a JSON document gives itself (``election.role`` or ``election.official``)."""
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    meta = doc.get("election") if isinstance(doc, dict) else None
    if not isinstance(meta, dict):
        return None
    from .io.canonical import role_of

    return role_of(meta)


def reconcile(
    elections: list[Election], roles: list[str | None], *, contest: str | None = None
) -> Reconciliation:
    """Line up every figure of every source and classify each disagreement."""
    if len(elections) < 2:
        raise SelectionError(
            "reconcile needs at least two sources", hint="give two or more result files"
        )
    labels = _labels(elections)
    infos = [
        SourceInfo(lbl, role or "media", e.name, e.file, [s.to_dict() for s in e.sources])
        for lbl, e, role in zip(labels, elections, roles, strict=True)
    ]
    contests = [select_contest(e, contest) for e in elections]
    ref_i = next((i for i, s in enumerate(infos) if s.role == "official"), 0)
    ref = contests[ref_i]
    notes = []
    if sum(s.role == "official" for s in infos) > 1:
        notes.append("several sources are marked official: the first one sets the consensus")
    order, names = _reference_units(ref)
    opt_order = [o.id for o in ref.options]
    table: dict[tuple[str, str], dict[str, Decimal | None]] = {}
    for info, c in zip(infos, contests, strict=True):
        for (unit, fld), value in _figures(c, ref, order, names, notes, info.label).items():
            table.setdefault((unit, fld), {})[info.label] = value
    rows = []
    for (unit, fld), by_source in table.items():
        values = {s.label: by_source.get(s.label) for s in infos}
        consensus, basis = _consensus(values, infos)
        rows.append(FigureRow(unit, names.get(unit, unit), fld, values, consensus, basis))
    _classify_rows(rows, infos, order, opt_order)
    pos = {u: i for i, u in enumerate(order)}
    rows.sort(key=lambda r: (pos.get(r.unit, len(pos)), _field_rank(r.field, opt_order)))
    return Reconciliation(infos, rows, notes)


def _labels(elections: list[Election]) -> list[str]:
    from pathlib import Path

    out: list[str] = []
    for i, e in enumerate(elections):
        base = Path(e.file).stem if e.file else f"source{i + 1}"
        base = base.removesuffix(".json")
        label, k = base, 2
        while label in out:
            label, k = f"{base}-{k}", k + 1
        out.append(label)
    return out


def _reference_units(c: Contest) -> tuple[list[str], dict[str, str]]:
    ids = c.units["unit_id"].astype(str).tolist()
    names = dict(zip(ids, c.units["name"].astype(str).tolist(), strict=True))
    return ids, names


def _figures(c: Contest, ref: Contest, order, names, notes, label) -> dict:
    """(reference unit id, field) → value, for one source."""
    units = c.units
    ref_keys = {u: unit_keys(u, names[u]) for u in order}
    opt_map = {p.a.id: p.b.id for p in match_options(c.options, ref.options) if p.a and p.b}
    out: dict[tuple[str, str], Decimal] = {}
    for i in range(len(units)):
        uid, name = str(units["unit_id"].iloc[i]), str(units["name"].iloc[i])
        target = uid if uid in names else None
        if target is None:
            mine = unit_keys(uid, name)
            hits = [u for u in order if ref_keys[u] & mine]
            target = hits[0] if len(hits) == 1 else None
        if target is None:
            notes.append(f"{label}: unit {name!r} ({uid}) has no counterpart in the reference")
            target = uid
            names.setdefault(uid, name)
        for f in COUNT_FIELDS:
            _put(out, target, f, units[f].iloc[i])
        _put(out, target, "turnout_pct", units["reported_turnout"].iloc[i])
        for o in c.options:
            oid = opt_map.get(o.id, o.id)
            _put(out, target, f"votes.{oid}", c.votes[o.id].iloc[i])
        for o_id, v in c.reported_shares.get(uid, {}).items():
            _put(out, target, f"shares_pct.{opt_map.get(o_id, o_id)}", v)
    return out


def _put(out: dict, unit: str, fld: str, value) -> None:
    if value is None or (isinstance(value, float) and value != value):
        return
    out[(unit, fld)] = value if isinstance(value, Decimal) else Decimal(int(value))


def _consensus(values: dict, infos: list[SourceInfo]) -> tuple[Decimal | None, str]:
    for s in infos:
        if s.role == "official" and values.get(s.label) is not None:
            return values[s.label], "official"
    pool = [values[s.label] for s in infos if s.role != "exit_poll" and values[s.label] is not None]
    if not pool:
        return None, "none"
    tally = Counter(pool).most_common()
    if len(tally) > 1 and tally[0][1] == tally[1][1]:
        return None, "none"
    return tally[0][0], "single" if len(pool) == 1 else "majority"


def _field_rank(fld: str, opt_order: list[str]) -> tuple[int, int]:
    base = ["registered", "ballots_cast", "invalid", "turnout_pct"]
    if fld in base:
        return (base.index(fld), 0)
    fam, _, oid = fld.partition(".")
    return (10 if fam == "votes" else 20, opt_order.index(oid) if oid in opt_order else 99)


def _classify_rows(rows: list[FigureRow], infos, order: list[str], opt_order: list[str]) -> None:
    consensus = {(r.unit, r.field): r.consensus for r in rows}
    exit_labels = [s.label for s in infos if s.role == "exit_poll"]
    for r in rows:
        if r.consensus is None:
            continue
        nbrs = _neighbours(r, consensus, order, opt_order)
        polls = [v for lbl in exit_labels if (v := r.values.get(lbl)) is not None]
        for s in infos:
            v = r.values.get(s.label)
            if v is None or v == r.consensus:
                continue
            if s.role == "exit_poll":
                r.disagreements.append(Disagreement(s.label, v, ESTIMATE, "exit-poll estimate"))
                continue
            kind, detail = classify(v, r.consensus, neighbours=nbrs, exit_poll=polls)
            r.disagreements.append(Disagreement(s.label, v, kind, detail))


def _neighbours(r: FigureRow, consensus: dict, order, opt_order) -> list[tuple[str, Decimal]]:
    """Consensus values of the adjacent option (same unit) or adjacent unit (same field).

    Adjacent in the reference order and in order of size, since the press prints
    tables both ways.
    """
    fam, _, oid = r.field.partition(".")
    if oid:
        peers = [(o, consensus.get((r.unit, f"{fam}.{o}"))) for o in opt_order]
        me = oid
    else:
        peers = [(u, consensus.get((u, r.field))) for u in order]
        me = r.unit
    known = [(k, v) for k, v in peers if v is not None]
    out: list[tuple[str, Decimal]] = []
    for seq in (known, sorted(known, key=lambda kv: -kv[1])):
        keys = [k for k, _ in seq]
        if me in keys:
            i = keys.index(me)
            out += [seq[j] for j in (i - 1, i + 1) if 0 <= j < len(seq)]
    return out


def classify(
    value: Decimal,
    consensus: Decimal,
    *,
    neighbours: Sequence[tuple[str, Decimal]] = (),
    exit_poll: Sequence[Decimal] = (),
) -> tuple[str, str]:
    """The most specific explanation for ``value`` printed where ``consensus`` is right."""
    if value in exit_poll:
        return "exit_poll_quoted", f"{value} is the exit poll's figure, not the count"
    for who, v in neighbours:
        if v == value:
            return "row_shift", f"{value} belongs to the neighbouring row {who}"
    if _is_rounding(value, consensus):
        return "rounding", f"{value} is {consensus} rounded"
    if consensus != 0 and value != 0:
        ratio = value / consensus
        k = ratio.adjusted() if ratio >= 1 else -((1 / ratio).adjusted())
        if k != 0 and abs(ratio / Decimal(10) ** k - 1) < Decimal("0.01"):
            return "magnitude", f"{value} is {consensus} × 10^{k}"
    da, db = _digits(value, consensus)
    if len(da) == len(db):
        diff = [i for i in range(len(da)) if da[i] != db[i]]
        if len(diff) == 1:
            i = diff[0]
            return "digit_typo", f"digit {i + 1} is {da[i]} instead of {db[i]}"
        if (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and da[diff[0]] == db[diff[1]]
            and da[diff[1]] == db[diff[0]]
        ):
            return "transposition", f"digits {diff[0] + 1} and {diff[1] + 1} swapped"
    return "unexplained", f"{value} against {consensus}"


def _is_rounding(value: Decimal, consensus: Decimal) -> bool:
    pv, pc = decimal_places(value), decimal_places(consensus)
    candidates = []
    if pv < pc:
        q = Decimal(1).scaleb(-pv)
        candidates += [consensus.quantize(q, ROUND_HALF_UP), consensus.quantize(q, ROUND_DOWN)]
    if pv == 0 and value != 0 and value == value.to_integral_value():
        n, zeros = int(value), 0
        while n % 10 == 0:
            n //= 10
            zeros += 1
        for k in range(1, zeros + 1):
            q = Decimal(1).scaleb(k)
            for mode in (ROUND_HALF_UP, ROUND_DOWN):
                candidates.append((consensus / q).quantize(Decimal(1), mode) * q)
    return value in candidates


def _digits(a: Decimal, b: Decimal) -> tuple[str, str]:
    places = max(decimal_places(a), decimal_places(b))
    q = Decimal(1).scaleb(-places)
    fa = format(abs(a.quantize(q)), "f").replace(".", "")
    fb = format(abs(b.quantize(q)), "f").replace(".", "")
    return fa, fb

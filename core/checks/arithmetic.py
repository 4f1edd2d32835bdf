"""Arithmetic checks on the model: figures that contradict each other (errors).

Each check is vectorised over a contest's units; only the capped examples are
formatted one by one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..model import COUNT_FIELDS, Contest
from ..numbers import decimal_places, pct
from .context import Units, fmt
from .findings import Collector

EPS = 1e-9


def check_arithmetic(u: Units, col: Collector, claims: dict[str, Any]) -> None:
    _ballots(u, col)
    _over_100(u, col)
    _parents(u, col)
    _shares(u, col)
    _turnout(u, col)
    _breakdown(u, col)
    _aggregate_units(u, col)
    if u.contest is None:
        return
    claim = claims.get(u.contest.id) or (claims.get("main") if not u.multi else None)
    if claim:
        _claims(u.contest, col, claim)


def _ballots(u: Units, col: Collector) -> None:
    import numpy as np

    if not col.wants("ballots-dont-add-up"):
        return
    known = u.complete & ~np.isnan(u.cast)
    with_inv = known & ~np.isnan(u.inv)
    total = u.vsum + np.nan_to_num(u.inv)
    # Ballots issued (a mapping's ballots_cast_issued) may exceed those counted.
    issued = u.contest is not None and u.contest.rules.ballots_cast_issued
    short = total > u.cast if issued else total != u.cast
    bad = (with_inv & short) | (known & np.isnan(u.inv) & (u.vsum > u.cast))
    col.add_many(
        "ballots-dont-add-up",
        np.flatnonzero(bad),
        lambda i: {
            **u.where(i),
            "votes": fmt(u.vsum[i]),
            "invalid": "?" if np.isnan(u.inv[i]) else fmt(u.inv[i]),
            "total": fmt(total[i]),
            "ballots_cast": fmt(u.cast[i]),
        },
    )


def _over_100(u: Units, col: Collector) -> None:
    import numpy as np

    with np.errstate(invalid="ignore"):
        bad = u.cast > u.reg
    col.add_many(
        "turnout-over-100",
        np.flatnonzero(bad),
        lambda i: {
            **u.where(i),
            "ballots_cast": fmt(u.cast[i]),
            "registered": fmt(u.reg[i]),
            "turnout": _num(pct(u.cast[i], u.reg[i])),
        },
    )


def _parents(u: Units, col: Collector) -> None:
    """Each unit's figure against the sum of its direct children, when every child gives it."""
    if not col.wants("parent-total-mismatch") or u.contest is None:
        return
    import numpy as np
    import pandas as pd

    units = u.contest.units
    # Parents have few distinct values: match those against the unit ids, not every row.
    pcodes, puniq = pd.factorize(units["parent"], use_na_sentinel=False)
    pnames = pd.Index(np.asarray(puniq).astype(str), dtype=object)
    hit = pnames.get_indexer(u.ids)  # each unit id's place among the parent names, or -1
    ids_at = np.flatnonzero(hit >= 0)
    named, first = np.unique(hit[ids_at], return_index=True)
    first_row = np.full(len(pnames), -1)
    first_row[named] = ids_at[first]  # the first unit with that id, as in the loader's order
    has_parent = first_row[pcodes] >= 0
    if not has_parent.any():
        return
    fields = {f: units[f].to_numpy(dtype="float64") for f in COUNT_FIELDS}
    for j, oid in enumerate(u.option_ids):
        fields[f"votes.{oid}"] = u.V[:, j]
    data = pd.DataFrame({k: v[has_parent] for k, v in fields.items()})
    data["_parent"] = pcodes[has_parent]
    grouped = data.groupby("_parent", sort=False)
    sums = grouped.sum(min_count=1)
    present = grouped.count()
    size = grouped.size()
    prow = first_row[sums.index.to_numpy()]
    for name, values in fields.items():
        given = values[prow]
        computed = sums[name].to_numpy(dtype="float64")
        full = (present[name] == size).to_numpy()
        bad = full & ~np.isnan(given) & (computed != given)

        def mismatch(k: int, name=name, given=given, computed=computed) -> dict[str, Any]:
            return {
                **u.where(int(prow[k])),
                "field": name,
                "reported": fmt(given[k]),
                "computed": fmt(computed[k]),
                "gap": fmt(given[k] - computed[k]),
                "children": int(size.iloc[k]),
            }

        col.add_many("parent-total-mismatch", np.flatnonzero(bad), mismatch)


def _shares(u: Units, col: Collector) -> None:
    if u.contest is None:
        return
    reported = u.contest.reported_shares
    if not reported:
        return
    import numpy as np

    base_ids = u.contest.base_option_ids()
    pos = {oid: j for j, oid in enumerate(u.option_ids)}
    row_of = {uid: i for i, uid in enumerate(u.ids)}
    for uid, shares in reported.items():
        i = row_of.get(uid)
        if i is None:
            continue
        base_vals = [u.V[i, pos[o]] for o in base_ids if o in pos]
        base = None if any(np.isnan(v) for v in base_vals) or not base_vals else sum(base_vals)
        for oid, rep in shares.items():
            if rep is None or oid not in pos or oid not in base_ids or not base:
                continue
            v = u.V[i, pos[oid]]
            if np.isnan(v):
                continue
            exact = Decimal(int(v)) * 100 / Decimal(int(base))
            if abs(exact - rep) > _half_unit(rep):
                places = decimal_places(rep)
                col.add(
                    "share-mismatch",
                    **u.where(i),
                    field=f"share_pct.{oid}",
                    reported=_num(rep),
                    computed=_num(pct(v, base, places)),
                    votes=fmt(v),
                    base=fmt(base),
                )
        given = [g for o in base_ids if (g := shares.get(o)) is not None]
        if given and len(given) == len(base_ids):  # every base option's share published
            total = sum(given, Decimal(0))
            tol = sum((_half_unit(g) for g in given), Decimal(0))
            if abs(total - 100) > tol:
                col.add(
                    "shares-sum-not-100",
                    **u.where(i),
                    field="share_pct",
                    total=_num(total),
                    tolerance=_num(tol),
                )


def _turnout(u: Units, col: Collector) -> None:
    import numpy as np

    if u.contest is None:
        return
    rt_col = u.contest.units["reported_turnout"]
    rt = u.rt
    has = ~np.isnan(rt) & ~np.isnan(u.cast) & ~np.isnan(u.reg) & (u.reg > 0)
    if not has.any():
        return
    idx = np.flatnonzero(has)
    places = rt_col.iloc[idx].astype(str).str.extract(r"\.(\d+)$")[0].str.len().fillna(0).to_numpy()
    exact = u.cast[idx] / u.reg[idx] * 100
    tol = 0.5 * np.power(10.0, -places.astype(float)) + EPS
    bad = np.abs(exact - rt[idx]) > tol
    col.add_many(
        "turnout-mismatch",
        idx[bad],
        lambda i: {
            **u.where(i),
            "field": "turnout_pct",
            "reported": float(rt[i]),
            "computed": _num(pct(u.cast[i], u.reg[i])),
            "ballots_cast": fmt(u.cast[i]),
            "registered": fmt(u.reg[i]),
        },
    )


def _breakdown(u: Units, col: Collector) -> None:
    import numpy as np

    comps = u.contest.components if u.contest is not None else None
    if not comps or not u.option_ids:
        return
    stack = np.stack([c[u.option_ids].to_numpy(dtype="float64") for c in comps.values()])
    all_known = ~np.isnan(stack).any(axis=0)
    partial = np.nansum(stack, axis=0)
    known_v = ~np.isnan(u.V)
    bad = known_v & ((all_known & (partial != u.V)) | (~all_known & (partial > u.V)))
    rows, cols = np.nonzero(bad)
    col.add_many(
        "vote-breakdown-mismatch",
        np.arange(len(rows)),
        lambda k: {
            **u.where(int(rows[k])),
            "field": u.name_of(u.option_ids[int(cols[k])]),
            "components": fmt(partial[rows[k], cols[k]]),
            "votes": fmt(u.V[rows[k], cols[k]]),
        },
    )


def _aggregate_units(u: Units, col: Collector) -> None:
    """A unit whose every count equals the sum of all the others: a total posing as a unit."""
    import numpy as np

    leaves = u.leaves & u.complete
    if leaves.sum() < 3 or not u.option_ids:
        return
    total = u.V[leaves].sum(axis=0)
    if total.sum() <= 0:
        return
    bad = leaves & (2 * u.V == total).all(axis=1)
    col.add_many(
        "aggregate-row",
        np.flatnonzero(bad),
        lambda i: {
            **u.where(i),
            "reason": "its votes equal the sum of all the other units: an aggregate row",
        },
    )


def _claims(contest: Contest, col: Collector, claim: dict[str, Any]) -> None:
    from ..tally import decide, nation_totals, share_rows

    totals, _ = nation_totals(contest)
    rows, _, _ = share_rows(contest, totals)
    outcome = decide(contest, rows)
    path, name = claim.get("path"), contest.name
    if "winner" in claim:
        said = str(claim["winner"])
        ok = said in (outcome.winner, outcome.winner_name)
        if not ok:
            col.add(
                "winner-unsupported",
                path=path,
                contest=name,
                field="winner",
                reported=said,
                computed=outcome.winner or outcome.decision,
            )
    if "majority_met" in claim and outcome.majority_met is not None:
        if bool(claim["majority_met"]) != outcome.majority_met:
            col.add(
                "winner-unsupported",
                path=path,
                contest=name,
                field="majority_met",
                reported=bool(claim["majority_met"]),
                computed=outcome.majority_met,
            )


def _half_unit(d: Decimal) -> Decimal:
    return Decimal(5).scaleb(-decimal_places(d) - 1)


def _num(d) -> float | None:
    return None if d is None else float(d)

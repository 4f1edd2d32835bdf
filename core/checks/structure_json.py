"""Structural checks on elect's JSON document: every bad count and reference, not the first.

The document is small (summary units); it is parsed whole, then walked.
Shape errors (a list where an object belongs) are left to the loader, whose
message names the JSON path; this pass reports what the loader would stop at
one at a time: counts, duplicate ids, dangling parents and options.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..model import COUNT_FIELDS
from ..numbers import parse_number
from .counts import MAX_EXACT
from .findings import Collector
from .names import similar_pairs
from .structure_rows import Scan


def scan_json(src, col: Collector, enc: str) -> Scan:
    raw = src.read_all()
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        col.add(
            "undecodable-file",
            line=raw[: exc.start].count(b"\n") + 1,
            reason=f"not {enc} at byte {exc.start}",
        )
        return Scan(layout="json", fatal=True)
    try:
        doc = json.loads(text.lstrip("\ufeff"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        col.add("malformed-file", line=exc.lineno, reason=f"invalid JSON: {exc.msg}")
        return Scan(layout="json", fatal=True)
    except RecursionError:
        col.add("malformed-file", line=1, reason="JSON nested too deeply")
        return Scan(layout="json", fatal=True)
    except ValueError as exc:  # e.g. an integer literal of thousands of digits
        col.add("malformed-file", line=1, reason=str(exc).splitlines()[0][:200])
        return Scan(layout="json", fatal=True)
    scan = Scan(layout="json")
    if not isinstance(doc, dict):
        return scan  # the loader names the shape error
    contests = doc.get("contests")
    if contests is None and "units" in doc:
        contests = [{"options": doc.get("options", []), "units": doc["units"]}]
    if not isinstance(contests, list):
        return scan
    n_units = 0
    for ci, c in enumerate(contests):
        if isinstance(c, dict):
            n_units += _contest(c, f"$.contests[{ci}]", col, scan)
    scan.rows = n_units
    return scan


def _contest(c: dict, where: str, col: Collector, scan: Scan) -> int:
    options = [o for o in (c.get("options") or []) if isinstance(o, dict) and "id" in o]
    option_ids = {str(o["id"]) for o in options}
    names = [
        str(o.get("name") or o["id"]) for o in options if o.get("kind", "candidate") == "candidate"
    ]
    for a, b in similar_pairs(names):
        col.add("option-spelled-two-ways", path=f"{where}.options", name=a, other=b)
    reported = c.get("reported")
    cid = str(c.get("id") or "main")
    if isinstance(reported, dict):
        claims = {k: reported[k] for k in ("winner", "majority_met", "decision") if k in reported}
        if claims:
            scan.claims[cid] = {**claims, "path": f"{where}.reported"}
    units = c.get("units")
    if not isinstance(units, list):
        return 0
    ids: dict[str, int] = {}
    for i, u in enumerate(units):
        if isinstance(u, dict) and "id" in u:
            ids.setdefault(str(u["id"]), i)
    seen: dict[str, int] = {}
    for i, u in enumerate(units):
        uw = f"{where}.units[{i}]"
        if not isinstance(u, dict) or "id" not in u:
            continue
        uid = str(u["id"])
        if uid in seen:
            col.add("duplicate-unit", path=uw, unit=uid, first_line=f"{where}.units[{seen[uid]}]")
        else:
            seen[uid] = i
        parent = u.get("parent")
        if parent not in (None, "") and str(parent) not in ids:
            col.add(
                "dangling-reference",
                path=uw,
                unit=uid,
                field="parent",
                kind="parent unit",
                value=str(parent),
            )
        for k in (*COUNT_FIELDS, "stations", "countries"):
            _count(u.get(k), col, uw, uid, k)
        votes = u.get("votes")
        if isinstance(votes, dict):
            for oid, v in votes.items():
                if oid not in option_ids:
                    col.add(
                        "dangling-reference",
                        path=f"{uw}.votes",
                        unit=uid,
                        field="votes",
                        kind="option",
                        value=str(oid),
                    )
                _count(v, col, uw, uid, f"votes.{oid}")
        rep = u.get("reported")
        if isinstance(rep, dict):
            _percent(rep.get("turnout_pct"), col, uw, uid, "reported.turnout_pct")
            shares = rep.get("shares_pct")
            if isinstance(shares, dict):
                for oid, v in shares.items():
                    _percent(v, col, uw, uid, f"reported.shares_pct.{oid}")
            claims = {k: rep[k] for k in ("winner", "majority_met", "decision") if k in rep}
            if claims and u.get("level") == "nation":
                scan.claims.setdefault(cid, {**claims, "path": f"{uw}.reported"})
    return len(units)


def _count(value: Any, col: Collector, where: str, unit: str, field: str) -> None:
    if value is None:
        return
    text = value
    if isinstance(value, str):
        parsed, how = parse_number(value)
        if parsed is None:
            col.add(
                "non-numeric-count", path=f"{where}.{field}", unit=unit, field=field, value=value
            )
            return
        if how:
            col.add(
                "number-normalised",
                path=f"{where}.{field}",
                field=field,
                text=value,
                value=str(parsed),
                how=how,
                cells=1,
            )
        value = parsed
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, Decimal))
        or (isinstance(value, float) and value != value)
    ):
        col.add(
            "non-numeric-count", path=f"{where}.{field}", unit=unit, field=field, value=str(text)
        )
        return
    d = Decimal(value) if not isinstance(value, Decimal) else value
    if not d.is_finite() or abs(d) > MAX_EXACT:
        code = "count-too-large"
    elif d < 0:
        code = "negative-count"
    elif d != d.to_integral_value():
        code = "fractional-count"
    else:
        return
    col.add(code, path=f"{where}.{field}", unit=unit, field=field, value=str(text))


def _percent(value: Any, col: Collector, where: str, unit: str, field: str) -> None:
    if value is None:
        return
    if isinstance(value, str):
        if parse_number(value)[0] is None:
            col.add(
                "non-numeric-count", path=f"{where}.{field}", unit=unit, field=field, value=value
            )
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        col.add(
            "non-numeric-count", path=f"{where}.{field}", unit=unit, field=field, value=str(value)
        )

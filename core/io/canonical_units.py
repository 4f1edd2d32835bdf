"""The units of a contest as columns: the exact reading, counts, ids and the hierarchy.

Used by both readings of the canonical document (:mod:`.canonical` and
:mod:`.canonical_fast`): one rule for counts, unique ids and enclosing regions.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..model import COUNT_FIELDS, LEVELS, Note
from ..numbers import parse_number
from .canonical_check import first_repeat

_EMPTY: dict = {}
_MAX_EXACT = 2**53
COUNT_KEYS = (*COUNT_FIELDS, "stations", "countries")


def _count(value: Any, p, where: str, notes: list[Note]) -> float | None:
    if value is None:
        return None
    if type(value) is int and 0 <= value <= 2**53:  # nearly every count: no Decimal needed
        return float(value)
    if isinstance(value, bool):
        raise p.error(f"a count cannot be {value!r}", where, "use a whole number or null")
    if isinstance(value, str):
        parsed, note = parse_number(value)
        if parsed is None:
            raise p.error(f"not a number: {value!r}", where, "use a whole number or null")
        if note:
            notes.append(
                Note(
                    "number-normalised",
                    f"read {value!r} as {parsed} ({note})",
                    p.file,
                    column=where,
                )
            )
        value = parsed
    if isinstance(value, (int, Decimal)):
        d = Decimal(value)
        if not d.is_finite() or d != d.to_integral_value():
            raise p.error(f"not a whole number: {value}", where, "counts must be whole numbers")
        if d < 0:
            raise p.error(f"negative count {value}", where, "counts cannot be below zero")
        if d > 2**53:
            raise p.error("count too large to be exact", where, "check the figure")
        return float(d)
    raise p.error(f"not a number: {value!r}", where, "use a whole number or null")


def _percent(value: Any, p, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, str):
        parsed, _ = parse_number(value)
        if parsed is None:
            raise p.error(f"not a percentage: {value!r}", where, "use a number such as 69.44")
        return parsed
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise p.error(f"not a percentage: {value!r}", where, "use a number such as 69.44")
    return Decimal(value)


def exact_unit_columns(
    units_doc: list, option_ids: list[str], p, where: str, notes: list[Note]
) -> tuple[dict[str, Any], dict[str, Any], dict, dict]:
    """The unit columns, vote columns, reported shares and provenance of parsed units."""
    # Column by column, in C-speed passes: the shape was checked before (every unit an
    # object with an id, every count a whole number ≥ 0, null or text to parse).
    for i, u in enumerate(units_doc):
        if not isinstance(u, dict) or "id" not in u:
            raise p.error("a unit needs an 'id'", f"{where}.units[{i}]")
    uids = [str(u["id"]) for u in units_doc]
    unique_ids(uids, p, where)
    levels = [u.get("level", "station") for u in units_doc]
    if not set(levels) <= set(LEVELS):
        i, level = next((i, v) for i, v in enumerate(levels) if v not in LEVELS)
        raise p.error(
            f"unknown level {level!r}", f"{where}.units[{i}]", f"use one of {', '.join(LEVELS)}"
        )
    cols: dict[str, Any] = {
        "unit_id": uids,
        "name": [str(u.get("name") or uid) for u, uid in zip(units_doc, uids, strict=True)],
        "level": levels,
        "parent": [str(u.get("parent") or "") for u in units_doc],
        "abroad": [bool(u.get("abroad", False)) for u in units_doc],
    }
    for k in ("mission", "country", "code"):
        cols[k] = [str(u.get(k) or "") for u in units_doc]
    for k in ("mission", "country"):
        cols[k] = categorical(cols[k])
    vote_docs = [u.get("votes") or _EMPTY for u in units_doc]
    known = set(option_ids)
    for i, unit_votes in enumerate(vote_docs):
        if not isinstance(unit_votes, dict):
            raise p.error(
                "'votes' must be an object of option id → count", f"{where}.units[{i}].votes"
            )
        if not unit_votes.keys() <= known:
            oid = next(k for k in unit_votes if k not in known)
            raise p.error(
                f"votes for unknown option {oid!r}",
                f"{where}.units[{i}].votes",
                f"declare it under options (known: {', '.join(option_ids)})",
            )
    count_keys = (*COUNT_FIELDS, "stations", "countries")
    raw: list[list] = [[u.get(k) for u in units_doc] for k in count_keys]
    raw += [[d.get(oid) for d in vote_docs] for oid in option_ids]
    labels = [*count_keys, *(f"votes.{oid}" for oid in option_ids)]
    arrays = count_columns(raw, labels, p, where, notes)
    for k, a in zip(count_keys, arrays, strict=False):
        cols[k] = a
    votes = dict(zip(option_ids, arrays[len(count_keys) :], strict=True))
    reported_docs = [u.get("reported") or _EMPTY for u in units_doc]
    cols["reported_turnout"] = [
        None
        if r.get("turnout_pct") is None
        else _percent(r.get("turnout_pct"), p, f"{where}.units[{i}].reported.turnout_pct")
        for i, r in enumerate(reported_docs)
    ]
    reported_shares: dict[str, dict[str, Decimal | None]] = {}  # null: none published
    provenance: dict[str, dict[str, dict[str, Any]]] = {}
    for i, r in enumerate(reported_docs):
        shares = r.get("shares_pct") if r else None
        if shares:
            uw = f"{where}.units[{i}]"
            reported_shares[uids[i]] = {
                oid: _percent(v, p, f"{uw}.reported.shares_pct.{oid}") for oid, v in shares.items()
            }
    for i, u in enumerate(units_doc):
        if "sources" not in u and "derived" not in u:
            continue
        prov: dict[str, dict[str, Any]] = {}
        for fld, ids in (u.get("sources") or {}).items():
            prov.setdefault(fld, {})["sources"] = list(ids)
        for fld in u.get("derived") or []:
            prov.setdefault(fld, {})["derived"] = True
        if prov:
            provenance[uids[i]] = prov
    return cols, votes, reported_shares, provenance


def categorical(values) -> Any:
    """Text values as a category column (categories sorted, as ``astype("category")``
    gives them): one code a unit, one string a distinct value."""
    import pandas as pd

    codes, cats = pd.factorize(pd.Series(values, dtype=object, copy=False), sort=True)
    return pd.Categorical.from_codes(
        codes, categories=pd.Index(cats, dtype=object).astype("string")
    )


def _by_position(pos, ids: list[str]) -> Any:
    """A category column naming, for each unit, the unit at POS (-1: none, "")."""
    import numpy as np
    import pandas as pd

    # The distinct positions and each unit's rank among them, without a sort: positions
    # run from -1 to the unit count.
    seen = np.zeros(len(pos) + 1, dtype=bool)
    seen[pos + 1] = True
    uniq = np.flatnonzero(seen) - 1
    codes = (np.cumsum(seen) - 1)[pos + 1]
    names = ["" if i < 0 else ids[i] for i in uniq.tolist()]
    if len(set(names)) < len(names):  # a unit whose id is "" itself (rare)
        return categorical(np.asarray(names, dtype=object)[codes])
    order = sorted(range(len(names)), key=names.__getitem__)
    remap = np.empty(len(order), dtype=np.intp)
    remap[order] = np.arange(len(order))
    cats = pd.Index([names[i] for i in order], dtype=object).astype("string")
    return pd.Categorical.from_codes(remap[codes], categories=cats)


def resolve_hierarchy(cols: dict[str, Any], p, where: str) -> None:
    """Fill each unit's enclosing region and district ids by walking the parents.

    All units climb together (:func:`climb`) from the parent's position found once per
    distinct parent; an unknown parent, a loop or a tree deeper than 64 levels goes to
    the walk unit by unit, which names the unit. ``parent``, ``level``, ``region`` and
    ``district`` come out as category columns.
    """
    import numpy as np
    import pandas as pd

    ids = cols["unit_id"]
    parent = categorical(cols["parent"])
    level = categorical(cols["level"])
    names = list(parent.categories)
    # The position of each distinct parent (ids are unique: refused before otherwise),
    # looked up without a hash table of a million ids.
    hits = np.flatnonzero(pd.Series(ids, dtype=object, copy=False).isin(names))
    position = {ids[i]: i for i in hits.tolist()}
    if len(position) < len(hits):  # a repeated id: the walk is the safe answer regardless
        return _resolve_hierarchy_walk(cols, p, where)
    at = np.array([position.get(name, -1) for name in names], dtype=np.int64)
    blank = np.array([name == "" for name in names], dtype=bool)
    if ((at < 0) & ~blank).any():
        return _resolve_hierarchy_walk(cols, p, where)
    at[blank] = -1
    climbed = climb(ids, parent, level, at)
    if climbed is None:
        return _resolve_hierarchy_walk(cols, p, where)
    cols["parent"], cols["level"] = parent, level
    cols["region"], cols["district"] = climbed


def climb(ids, parent, level, at) -> tuple[Any, Any] | None:
    """Each unit's region and district (category columns), all units a level a step.

    IDS: the unit ids (``ids[i]`` is read for the few regions and districts only);
    PARENT, LEVEL: category columns; AT: the position of each parent category's unit
    (-1: no parent). None for a loop or a tree deeper than 64 levels.
    """
    import numpy as np

    codes = np.asarray(parent.codes)
    parent_of = at[codes] if len(at) else np.full(len(ids), -1)
    level_names = np.asarray(level.categories, dtype=object)
    level_codes = np.asarray(level.codes)
    is_region = (level_names == "region")[level_codes]
    is_district = (level_names == "district")[level_codes]
    n = len(ids)
    region = np.where(is_region, np.arange(n), -1)
    district = np.where(is_district, np.arange(n), -1)
    cur = parent_of.copy()
    for _ in range(64):
        live = cur >= 0
        if not live.any():
            break
        c = np.where(live, cur, 0)
        take = live & (region < 0) & is_region[c]
        region[take] = c[take]
        take = live & (district < 0) & is_district[c]
        district[take] = c[take]
        cur = np.where(live, parent_of[c], -1)
    else:
        return None
    return _by_position(region, ids), _by_position(district, ids)


def unit_tables(
    cols: dict[str, Any], votes: dict[str, Any], option_ids: list[str], p, where: str
) -> tuple[Any, Any]:
    """The unit table and vote frame of a contest from its unit and vote columns."""
    import pandas as pd

    from ..model import UnitTable, units_frame

    n = len(cols["unit_id"])
    resolve_hierarchy(cols, p, where)
    vote_frame = pd.DataFrame(votes, index=pd.RangeIndex(n), columns=option_ids, dtype="float64")
    return UnitTable(units_frame(cols)), vote_frame


def _resolve_hierarchy_walk(cols: dict[str, list], p, where: str) -> None:
    """The walk unit by unit (each resolved once), which names the unit at fault."""
    ids = cols["unit_id"]
    levels = list(cols["level"])
    parents = list(cols["parent"])
    index = {uid: i for i, uid in enumerate(ids)}
    regions: list[str | None] = [None] * len(ids)
    districts: list[str] = [""] * len(ids)
    for i in range(len(ids)):
        if regions[i] is not None:
            continue
        chain: list[int] = []
        on_chain: set[int] = set()
        cur = i
        region = district = ""
        while True:
            if cur in on_chain:
                raise p.error(f"unit {ids[i]!r} is its own ancestor", f"{where}.units[{i}].parent")
            chain.append(cur)
            on_chain.add(cur)
            parent = parents[cur]
            if not parent:
                break
            if parent not in index:
                raise p.error(
                    f"unit {ids[i]!r} names unknown parent {parent!r}",
                    f"{where}.units[{i}].parent",
                    "add the parent unit or fix its id",
                )
            cur = index[parent]
            resolved = regions[cur]
            if resolved is not None:  # resolved before: start from its answer
                region, district = resolved, districts[cur]
                break
        for j in reversed(chain):
            if levels[j] == "region":
                region = ids[j]
            if levels[j] == "district":
                district = ids[j]
            regions[j], districts[j] = region, district
    cols["region"] = regions
    cols["district"] = districts


def count_columns(raw: list[list], labels: list[str], p, where: str, notes: list[Note]) -> list:
    """Count columns as float64 arrays (null → NaN).

    Whole numbers 0…2**53 (nearly every count) go straight to numpy; any other value
    goes through :func:`_count`, cell by cell in document order (unit, then field), so
    errors and notes come as a unit-by-unit reading gives them.
    """
    import numpy as np

    slow: list[tuple[int, int]] = []  # (unit, field) of each count numpy cannot take
    for j, vals in enumerate(raw):
        if set(map(type, vals)) != {int} or min(vals) < 0 or max(vals) > _MAX_EXACT:
            slow.extend(
                (i, j)
                for i, v in enumerate(vals)
                if v is not None and (type(v) is not int or not 0 <= v <= _MAX_EXACT)
            )
    for i, j in sorted(slow):
        raw[j][i] = _count(raw[j][i], p, f"{where}.units[{i}].{labels[j]}", notes)
    return [np.array(vals, dtype="float64") for vals in raw]


def unique_ids(uids: list[str], p, where: str) -> None:
    """Unit ids must be unique in a contest: the first repeat is named with its path."""
    i = first_repeat(uids)
    if i is not None:
        raise p.error(
            f"duplicate unit id {uids[i]!r}",
            f"{where}.units[{i}]",
            "unit ids must be unique in a contest",
        )

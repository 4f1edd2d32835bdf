"""The canonical JSON document (``elect schema`` prints its JSON Schema).

One document holds an election, its contests, each contest's options and units.
Units name their ``parent``; counts are integers or null; published percentages
sit under ``reported`` and are never mixed with the counts; ``sources`` and
``derived`` say where each figure came from. See README "The JSON document".
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..errors import FormatError
from ..model import (
    COUNT_FIELDS,
    LEVELS,
    OPTION_KINDS,
    Contest,
    Election,
    Note,
    Option,
    Rules,
    Source,
    UnitTable,
    units_frame,
)
from ..numbers import parse_number
from .source import InputSource, detect_encoding

FORMAT_NAME = "elect-election"
FORMAT_VERSION = 1
MAX_DEPTH_HINT = "the document is nested too deeply to be an election file"


def load_canonical(src: InputSource, *, encoding: str | None = None) -> Election:
    raw = src.read_all()
    enc, note = detect_encoding(raw[: 1 << 16], src.name, encoding)
    if enc == "utf-8" and len(raw) >= _FAST_MIN_BYTES:
        import gc

        # Hundreds of thousands of new containers, none of them in a cycle: without the
        # collector's passes over them the reading is ~20% faster.
        collecting = gc.isenabled()
        gc.disable()
        try:
            parsed = _fast_parse(raw)
            if parsed is not None:
                del raw
                doc, unit_lists = parsed
                try:
                    return election_from_document(
                        doc, name=src.name, notes=list(src.notes), fast_units=unit_lists
                    )
                except _NotPlain:
                    raw = src.read_all()
        finally:
            if collecting:
                gc.enable()
    try:
        text = raw.decode(enc)
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"undecodable bytes for {enc}",
            file=src.name,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="re-save the file as UTF-8",
        ) from exc
    try:
        doc = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"invalid JSON: {exc.msg} (column {exc.colno})",
            file=src.name,
            line=exc.lineno,
            hint="the file may be truncated; check it with a JSON linter",
        ) from exc
    except RecursionError as exc:
        raise FormatError(MAX_DEPTH_HINT, file=src.name, hint="is this the right file?") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise FormatError(
            f"invalid JSON: {exc}", file=src.name, hint="no count has thousands of digits"
        ) from exc
    notes = list(src.notes) + ([note] if note else [])
    return election_from_document(doc, name=src.name, notes=notes)


def election_from_document(
    doc: Any,
    *,
    name: str,
    notes: list[Note] | None = None,
    fast_units: list[list] | None = None,
) -> Election:
    p = _Path(name)
    if not isinstance(doc, dict):
        raise p.error("the top level must be a JSON object", "$")
    _check_document(doc, p)
    meta = doc.get("election") or {}
    if not isinstance(meta, dict):
        raise p.error("'election' must be an object", "$.election")
    contests_doc = doc.get("contests")
    if contests_doc is None and "units" in doc:
        contests_doc = [{"options": doc.get("options", []), "units": doc["units"]}]
    if not isinstance(contests_doc, list) or not contests_doc:
        raise p.error(
            "'contests' must be a non-empty list",
            "$.contests",
            hint="see `elect schema` for the document's shape",
        )
    status = meta.get("status", "final")
    if status not in ("preliminary", "final"):
        raise p.error(f"status must be preliminary or final, not {status!r}", "$.election.status")
    election = Election(
        name=str(meta.get("name") or name),
        country=meta.get("country"),
        date=meta.get("date"),
        kind=meta.get("kind"),
        status=status,
        sources=[
            _source(s, p, f"$.election.sources[{i}]")
            for i, s in enumerate(meta.get("sources") or [])
        ],
        notes=list(notes or []),
        file=name,
        input_format="json",
        role=role_of(meta),
    )
    for i, c in enumerate(contests_doc):
        fast = fast_units[i] if fast_units is not None else None
        election.contests.append(_contest(c, p, f"$.contests[{i}]", election.notes, fast))
    return election


def _check_document(doc: dict, p: _Path) -> None:
    """The shape `elect schema` prints, checked before any of the model is built."""
    from ..schema import _COUNT, _PCT, ELECTION_DOCUMENT
    from ..shape import ShapeError, check_shape

    version = doc.get("format_version", FORMAT_VERSION)
    if type(version) is not int or version != FORMAT_VERSION:
        raise p.error(
            f"format_version {version!r} is not one elect knows ({FORMAT_VERSION})",
            "$.format_version",
            hint="this file was written for another version of elect; upgrade elect",
        )
    if "contests" not in doc and "units" in doc:  # the one-contest shorthand
        doc = {**doc, "contests": [{"options": doc.get("options", []), "units": doc["units"]}]}
        doc.pop("units")
        doc.pop("options", None)
    # The units (nearly all of a document) are checked column by column below; the
    # generic walk sees each contest with its first unit only.
    contests = doc.get("contests")
    bulk: list[tuple[int, list]] = []
    if type(contests) is list:
        slim = []
        for ci, contest in enumerate(contests):
            units = contest.get("units") if type(contest) is dict else None
            if type(units) is list and len(units) > 1:
                bulk.append((ci, units))
                contest = {**contest, "units": units[:1]}
            slim.append(contest)
        doc = {**doc, "contests": slim}
    try:
        check_shape(doc, ELECTION_DOCUMENT, lenient=(_COUNT, _PCT))
        for ci, units in bulk:
            _check_units(units, ci)
    except ShapeError as exc:
        raise p.error(exc.message, exc.path) from None
    for ci, contest in enumerate(doc["contests"]):
        seen: set[str] = set()
        for oi, option in enumerate(contest["options"]):
            oid = str(option["id"])
            if oid in seen:
                raise p.error(
                    f"duplicate option id {oid!r}",
                    f"$.contests[{ci}].options[{oi}].id",
                    "option ids must be unique in a contest",
                )
            seen.add(oid)


_EMPTY: dict = {}
_MAX_EXACT = 2**53
_COUNT_KEYS = (*COUNT_FIELDS, "stations", "countries")
_TEXT_OR_NULL = ("parent", "mission", "country", "code", "note")
# Unit keys whose values are nested (rare): a unit holding one is checked by the walk.
_NESTED = ("reported", "sources", "derived", "aliases")


def _check_units(units: list, ci: int) -> None:
    """The units of one contest against the schema's unit, column by column.

    Each column is first tested whole for the common case (every value of the one type
    the schema wants); only the units a column cannot vouch for ("suspects") are walked
    by ``check_shape``, in document order, so the first unit that does not fit is
    reported with the message and path the walk of the whole document gives.
    """
    if set(map(type, units)) != {dict}:
        suspects = set(range(len(units)))
    else:
        suspects = set()
        keys = set().union(*units)
        ids = [u.get("id") for u in units]
        if set(map(type, ids)) != {str}:
            suspects.update(
                i for i, v in enumerate(ids) if type(v) is not str and type(v) is not int
            )
        for k in keys:
            if k in _COUNT_KEYS:
                vals = [u.get(k) for u in units]
                if not _all_counts(vals):
                    suspects.update(i for i, v in enumerate(vals) if not _is_count(v))
            elif k == "votes":
                vals = [u.get(k, _EMPTY) for u in units]
                if set(map(type, vals)) != {dict} or not _all_counts(
                    [x for v in vals for x in v.values()]
                ):
                    suspects.update(
                        i
                        for i, v in enumerate(vals)
                        if type(v) is not dict or not all(_is_count(x) for x in v.values())
                    )
            elif k == "name":
                vals = [u.get(k, "") for u in units]
                if set(map(type, vals)) != {str}:
                    suspects.update(i for i, v in enumerate(vals) if type(v) is not str)
            elif k in _TEXT_OR_NULL:
                vals = [u.get(k) for u in units]
                if not {type(v) for v in vals} <= {str, type(None)}:
                    suspects.update(
                        i for i, v in enumerate(vals) if not (v is None or type(v) is str)
                    )
            elif k == "level":
                vals = [u.get(k, "station") for u in units]
                # Types first: a level may be a list or an object, which no set can hold.
                if set(map(type, vals)) != {str} or not set(vals) <= set(LEVELS):
                    suspects.update(
                        i for i, v in enumerate(vals) if type(v) is not str or v not in LEVELS
                    )
            elif k == "abroad":
                vals = [u.get(k, False) for u in units]
                if set(map(type, vals)) != {bool}:
                    suspects.update(i for i, v in enumerate(vals) if type(v) is not bool)
            elif k in _NESTED:
                suspects.update(i for i, u in enumerate(units) if k in u)
    if not suspects:
        return
    from ..schema import _COUNT, _PCT, ELECTION_DOCUMENT
    from ..shape import ShapeError, check_shape

    for i in sorted(suspects):
        try:
            check_shape(units[i], ELECTION_DOCUMENT["$defs"]["unit"], lenient=(_COUNT, _PCT))
        except ShapeError as exc:
            exc.path = f"$.contests[{ci}].units[{i}]" + exc.path[1:]
            raise


def _is_count(v: Any) -> bool:
    return v is None or (type(v) is int and v >= 0)


def _all_counts(vals: list) -> bool:
    """Every value a whole number ≥ 0 or null (checked in C-speed passes)."""
    types = set(map(type, vals))
    types.discard(type(None))
    if not types <= {int}:
        return False
    ints = [v for v in vals if v is not None] if None in vals else vals
    return not ints or min(ints) >= 0


class _Path:
    def __init__(self, file: str) -> None:
        self.file = file

    def error(self, message: str, where: str, hint: str | None = None) -> FormatError:
        return FormatError(
            message, file=self.file, column=where, hint=hint or "see `elect schema` for the shape"
        )


def _source(s: Any, p: _Path, where: str) -> Source:
    if not isinstance(s, dict) or "id" not in s:
        raise p.error("a source needs an 'id'", where)
    return Source(str(s["id"]), s.get("title"), s.get("url"), s.get("note"))


def _count(value: Any, p: _Path, where: str, notes: list[Note]) -> float | None:
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


def _percent(value: Any, p: _Path, where: str) -> Decimal | None:
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


def _contest(c: Any, p: _Path, where: str, notes: list[Note], fast: list | None = None) -> Contest:
    if not isinstance(c, dict):
        raise p.error("a contest must be an object", where)
    options = []
    for i, o in enumerate(c.get("options") or []):
        ow = f"{where}.options[{i}]"
        if not isinstance(o, dict) or "id" not in o:
            raise p.error("an option needs an 'id'", ow)
        kind = o.get("kind", "candidate")
        if kind not in OPTION_KINDS:
            raise p.error(
                f"unknown option kind {kind!r}", ow, f"use one of {', '.join(OPTION_KINDS)}"
            )
        options.append(
            Option(
                str(o["id"]),
                str(o.get("name") or o["id"]),
                o.get("party"),
                kind,
                tuple(o.get("aliases") or ()),
            )
        )
    if not options:
        raise p.error("a contest needs at least one option", f"{where}.options")
    option_ids = [o.id for o in options]
    rules_doc = c.get("rules") or {}
    rules = Rules(
        majority=rules_doc.get("majority", "unknown"),
        threshold_pct=Decimal(str(rules_doc.get("threshold_pct", 50))),
        runoff_size=int(rules_doc.get("runoff_size", 2)),
        base_kinds=tuple(rules_doc.get("base_kinds") or Rules().base_kinds),
        source="file" if "majority" in rules_doc else None,
    )
    units_doc = c.get("units")
    if not isinstance(units_doc, list) or not units_doc:
        raise p.error("a contest needs a non-empty 'units' list", f"{where}.units")
    if fast is not None:
        cols, votes, reported_shares, provenance = _fast_unit_columns(fast, option_ids, p, where)
    else:
        cols, votes, reported_shares, provenance = _unit_columns(
            units_doc, option_ids, p, where, notes
        )
    n = len(cols["unit_id"])
    _resolve_hierarchy(cols, p, where)
    import pandas as pd

    units = units_frame(cols)
    vote_frame = pd.DataFrame(votes, index=pd.RangeIndex(n), columns=option_ids, dtype="float64")
    office = str(c.get("office") or c.get("name") or "Main contest")
    return Contest(
        id=str(c.get("id") or "main"),
        office=office,
        district=c.get("district"),
        options=options,
        table=UnitTable(units),
        votes=vote_frame,
        rules=rules,
        reported_shares=reported_shares,
        provenance=provenance,
    )


def _unit_columns(
    units_doc: list, option_ids: list[str], p: _Path, where: str, notes: list[Note]
) -> tuple[dict[str, Any], dict[str, Any], dict, dict]:
    """The unit columns, vote columns, reported shares and provenance of parsed units."""
    # Column by column, in C-speed passes: the shape was checked before (every unit an
    # object with an id, every count a whole number ≥ 0, null or text to parse).
    for i, u in enumerate(units_doc):
        if not isinstance(u, dict) or "id" not in u:
            raise p.error("a unit needs an 'id'", f"{where}.units[{i}]")
    uids = [str(u["id"]) for u in units_doc]
    _unique_ids(uids, p, where)
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
    arrays = _count_columns(raw, labels, p, where, notes)
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
    reported_shares: dict[str, dict[str, Decimal]] = {}
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


# The fast path (msgspec): the document is decoded with the units kept as raw bytes, then
# the units are decoded in batches into typed records whose types are the schema's, and
# turned into columns batch by batch, so neither a dict per unit nor a second copy of
# the document is ever held. Anything it does not take as it is (a count written as
# text or out of range, a float, nesting too deep, reported figures or provenance on a
# unit, the one-contest shorthand, a byte that is not UTF-8…) goes to the exact path
# (``json`` and the schema walk), which gives the same model or today's exact error.
_BATCH = 20_000
# Below this a document is read by the exact path alone (a few ms either way), so small
# files such as the bundled election do not import msgspec.
_FAST_MIN_BYTES = 1 << 20
_DECODERS: dict[str, Any] = {}


class _NotPlain(Exception):
    """The fast path does not take this document; the exact path reads it."""


def _decoders() -> dict[str, Any]:
    if not _DECODERS:
        from . import canonical_fast as f

        _DECODERS.update(doc=f.DOC, units=f.UNITS, errors=f.ERRORS, unset=f.UNSET)
    return _DECODERS


def _fast_parse(raw: bytes) -> tuple[dict, list[list]] | None:
    """The document with each contest's units as raw JSON, or None (exact path)."""
    try:
        dec = _decoders()
    except ImportError:  # pragma: no cover - msgspec is a dependency
        return None
    try:
        d = dec["doc"].decode(raw)
    except dec["errors"]:
        return None
    unset = dec["unset"]
    if d.units is not unset or d.options is not unset:  # the one-contest shorthand
        return None
    doc: dict[str, Any] = {
        k: getattr(d, k)
        for k in ("format", "format_version", "election")
        if getattr(d, k) is not unset
    }
    contests = []
    for c in d.contests:
        keys = ("id", "office", "district", "name", "rules", "options")
        contest = {k: getattr(c, k) for k in keys if getattr(c, k) is not unset}
        # The units are checked by their decoder; the walk sees a stand-in for them.
        contest["units"] = [{"id": "-"}] if c.units else []
        contests.append(contest)
    doc["contests"] = contests
    return doc, [c.units for c in d.contests]


def _fast_unit_columns(
    raws: list, option_ids: list[str], p: _Path, where: str
) -> tuple[dict[str, Any], dict[str, Any], dict, dict]:
    """Unit and vote columns from raw units, decoded a batch at a time (see above)."""
    import numpy as np

    dec = _decoders()
    unset = dec["unset"]
    known = set(option_ids)
    cols: dict[str, list] = {
        k: []
        for k in ("unit_id", "name", "level", "parent", "abroad", "mission", "country", "code")
    }
    counts: dict[str, list] = {k: [] for k in _COUNT_KEYS}
    votes: dict[str, list] = {oid: [] for oid in option_ids}
    from itertools import repeat
    from operator import attrgetter

    get = {k: attrgetter(k) for k in ("id", "name", "votes", *cols, *counts)}
    rep, srcs, der = attrgetter("reported"), attrgetter("sources"), attrgetter("derived")
    shared: dict = {}
    for start in range(0, len(raws), _BATCH):
        try:
            batch = dec["units"].decode(b"[" + b",".join(raws[start : start + _BATCH]) + b"]")
        except dec["errors"]:
            raise _NotPlain from None
        nested = [*map(rep, batch), *map(srcs, batch), *map(der, batch)]
        if nested.count(unset) != len(nested):
            raise _NotPlain
        ids = list(map(get["id"], batch))
        if set(map(type, ids)) != {str}:
            ids = [str(x) for x in ids]
        cols["unit_id"] += ids
        names = list(map(get["name"], batch))
        if "" in names:  # a unit without a name is called by its id
            names = [name or uid for name, uid in zip(names, ids, strict=True)]
        cols["name"] += names
        # None for text (parent, mission…) becomes "" in units_frame. A parent is shared
        # by many units: one string each (a million stations, a few thousand parents).
        cols["parent"] += map(
            shared.setdefault, map(get["parent"], batch), map(get["parent"], batch)
        )
        for k in ("level", "abroad", "mission", "country", "code"):
            cols[k] += map(get[k], batch)
        # Counts go to float64 per batch: no int object per count is kept.
        for k, col in counts.items():
            col.append(np.array(list(map(get[k], batch)), dtype="float64"))
        vote_docs = list(map(get["votes"], batch))
        for i, unit_votes in enumerate(vote_docs):
            if not unit_votes.keys() <= known:
                oid = next(k for k in unit_votes if k not in known)
                raise p.error(
                    f"votes for unknown option {oid!r}",
                    f"{where}.units[{start + i}].votes",
                    f"declare it under options (known: {', '.join(option_ids)})",
                )
        for oid, col in votes.items():
            col.append(np.array(list(map(dict.get, vote_docs, repeat(oid))), dtype="float64"))
        del batch, vote_docs
    raws.clear()  # the last reference to the document's bytes
    uids = cols["unit_id"]
    _unique_ids(uids, p, where)
    out: dict[str, Any] = dict(cols)
    for k, col in counts.items():
        out[k] = np.concatenate(col) if col else np.zeros(0)
    out["reported_turnout"] = [None] * len(uids)
    vote_arrays = {oid: np.concatenate(col) for oid, col in votes.items()}
    return out, vote_arrays, {}, {}


def _resolve_hierarchy(cols: dict[str, list], p: _Path, where: str) -> None:
    """Fill each unit's enclosing region and district ids by walking the parents.

    All units climb together, one level a step, in numpy; an unknown parent, a loop or
    a tree deeper than 64 levels goes to the walk unit by unit, which names the unit.
    """
    import numpy as np
    import pandas as pd

    ids = cols["unit_id"]
    index = pd.Index(ids)
    if not index.is_unique:  # refused before; the walk is the safe answer regardless
        return _resolve_hierarchy_walk(cols, p, where)
    parent_of = index.get_indexer(cols["parent"])
    has_parent = np.asarray([bool(x) for x in cols["parent"]])
    if (has_parent & (parent_of < 0)).any():
        return _resolve_hierarchy_walk(cols, p, where)
    parent_of[~has_parent] = -1
    levels = pd.Categorical(cols["level"], categories=LEVELS)
    is_region = np.asarray(levels == "region")
    is_district = np.asarray(levels == "district")
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
        return _resolve_hierarchy_walk(cols, p, where)
    names = np.asarray(ids, dtype=object)
    cols["region"] = np.where(region >= 0, names[np.maximum(region, 0)], "").tolist()
    cols["district"] = np.where(district >= 0, names[np.maximum(district, 0)], "").tolist()


def _resolve_hierarchy_walk(cols: dict[str, list], p: _Path, where: str) -> None:
    """The walk unit by unit (each resolved once), which names the unit at fault."""
    ids = cols["unit_id"]
    levels = cols["level"]
    parents = cols["parent"]
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
            if regions[cur] is not None:  # resolved before: start from its answer
                region, district = regions[cur], districts[cur]
                break
        for j in reversed(chain):
            if levels[j] == "region":
                region = ids[j]
            if levels[j] == "district":
                district = ids[j]
            regions[j], districts[j] = region, district
    cols["region"] = regions
    cols["district"] = districts


def _count_columns(
    raw: list[list], labels: list[str], p: _Path, where: str, notes: list[Note]
) -> list:
    """Count columns as float64 arrays (null → NaN).

    Whole numbers 0…2**53 (nearly every count) go straight to numpy; any other value
    goes through :func:`_count`, cell by cell in document order (unit, then field), so
    errors and notes come as a unit-by-unit reading gives them.
    """
    import numpy as np

    slow = []
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


def role_of(meta: dict) -> str | None:
    """The source role a document's ``election`` object gives itself (see reconcile)."""
    from ..model import SOURCE_ROLES

    role = meta.get("role")
    if role in SOURCE_ROLES:
        return role
    return "official" if meta.get("official") is True else None


def _unique_ids(uids: list[str], p, where: str) -> None:
    """Unit ids must be unique in a contest: the first repeat is named with its path."""
    if len(set(uids)) == len(uids):
        return
    seen: set[str] = set()
    for i, uid in enumerate(uids):
        if uid in seen:
            raise p.error(
                f"duplicate unit id {uid!r}",
                f"{where}.units[{i}]",
                "unit ids must be unique in a contest",
            )
        seen.add(uid)

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


def election_from_document(doc: Any, *, name: str, notes: list[Note] | None = None) -> Election:
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
        election.contests.append(_contest(c, p, f"$.contests[{i}]", election.notes))
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
    try:
        check_shape(doc, ELECTION_DOCUMENT, lenient=(_COUNT, _PCT))
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


def _contest(c: Any, p: _Path, where: str, notes: list[Note]) -> Contest:
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
    cols: dict[str, list] = {
        k: []
        for k in (
            "unit_id",
            "name",
            "level",
            "parent",
            "abroad",
            "mission",
            "country",
            "code",
            *COUNT_FIELDS,
            "stations",
            "countries",
            "reported_turnout",
        )
    }
    votes: dict[str, list] = {oid: [] for oid in option_ids}
    reported_shares: dict[str, dict[str, Decimal]] = {}
    provenance: dict[str, dict[str, dict[str, Any]]] = {}
    seen: set[str] = set()
    for i, u in enumerate(units_doc):
        uw = f"{where}.units[{i}]"
        if not isinstance(u, dict) or "id" not in u:
            raise p.error("a unit needs an 'id'", uw)
        uid = str(u["id"])
        if uid in seen:
            raise p.error(f"duplicate unit id {uid!r}", uw, "unit ids must be unique in a contest")
        seen.add(uid)
        level = u.get("level", "station")
        if level not in LEVELS:
            raise p.error(f"unknown level {level!r}", uw, f"use one of {', '.join(LEVELS)}")
        cols["unit_id"].append(uid)
        cols["name"].append(str(u.get("name") or uid))
        cols["level"].append(level)
        cols["parent"].append(str(u.get("parent") or ""))
        cols["abroad"].append(bool(u.get("abroad", False)))
        for k in ("mission", "country", "code"):
            cols[k].append(str(u.get(k) or ""))
        for k in (*COUNT_FIELDS, "stations", "countries"):
            cols[k].append(_count(u.get(k), p, f"{uw}.{k}", notes))
        unit_votes = u.get("votes") or {}
        if not isinstance(unit_votes, dict):
            raise p.error("'votes' must be an object of option id → count", f"{uw}.votes")
        for oid in unit_votes:
            if oid not in votes:
                raise p.error(
                    f"votes for unknown option {oid!r}",
                    f"{uw}.votes",
                    f"declare it under options (known: {', '.join(option_ids)})",
                )
        for oid in option_ids:
            votes[oid].append(_count(unit_votes.get(oid), p, f"{uw}.votes.{oid}", notes))
        reported = u.get("reported") or {}
        cols["reported_turnout"].append(
            _percent(reported.get("turnout_pct"), p, f"{uw}.reported.turnout_pct")
        )
        shares = reported.get("shares_pct") or {}
        if shares:
            reported_shares[uid] = {
                oid: _percent(v, p, f"{uw}.reported.shares_pct.{oid}") for oid, v in shares.items()
            }
        prov: dict[str, dict[str, Any]] = {}
        for fld, ids in (u.get("sources") or {}).items():
            prov.setdefault(fld, {})["sources"] = list(ids)
        for fld in u.get("derived") or []:
            prov.setdefault(fld, {})["derived"] = True
        if prov:
            provenance[uid] = prov
    _resolve_hierarchy(cols, p, where)
    import pandas as pd

    units = units_frame(cols)
    vote_frame = pd.DataFrame({oid: pd.array(v, dtype="float64") for oid, v in votes.items()})
    vote_frame = vote_frame.astype("float64")
    office = str(c.get("office") or c.get("name") or "Main contest")
    return Contest(
        id=str(c.get("id") or "main"),
        office=office,
        district=c.get("district"),
        options=options,
        units=units,
        votes=vote_frame,
        rules=rules,
        reported_shares=reported_shares,
        provenance=provenance,
    )


def _resolve_hierarchy(cols: dict[str, list], p: _Path, where: str) -> None:
    """Fill each unit's enclosing region and district ids by walking the parents."""
    ids = cols["unit_id"]
    index = {uid: i for i, uid in enumerate(ids)}
    regions, districts = [], []
    for i, uid in enumerate(ids):
        region = district = ""
        cur, steps = i, 0
        while True:
            level = cols["level"][cur]
            if level == "region" and not region:
                region = ids[cur]
            if level == "district" and not district:
                district = ids[cur]
            parent = cols["parent"][cur]
            if not parent:
                break
            if parent not in index:
                raise p.error(
                    f"unit {uid!r} names unknown parent {parent!r}",
                    f"{where}.units[{i}].parent",
                    "add the parent unit or fix its id",
                )
            cur = index[parent]
            steps += 1
            if steps > len(ids):
                raise p.error(f"unit {uid!r} is its own ancestor", f"{where}.units[{i}].parent")
        regions.append(region)
        districts.append(district)
    cols["region"] = regions
    cols["district"] = districts


def role_of(meta: dict) -> str | None:
    """The source role a document's ``election`` object gives itself (see reconcile)."""
    from ..model import SOURCE_ROLES

    role = meta.get("role")
    if role in SOURCE_ROLES:
        return role
    return "official" if meta.get("official") is True else None

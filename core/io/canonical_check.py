"""The canonical document's shape (``elect schema``), checked before the model is built.

The generic walk (:mod:`..shape`) sees each contest with its first unit only; the
units, nearly all of a document, are checked column by column in C-speed passes.
"""

from __future__ import annotations

from typing import Any

from ..model import COUNT_FIELDS, LEVELS

FORMAT_VERSION = 1


def check_document(doc: dict, p) -> None:
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
        oids = [str(option["id"]) for option in contest["options"]]
        oi = first_repeat(oids)
        if oi is not None:
            raise p.error(
                f"duplicate option id {oids[oi]!r}",
                f"$.contests[{ci}].options[{oi}].id",
                "option ids must be unique in a contest",
            )


_EMPTY: dict = {}
_MAX_EXACT = 2**53
COUNT_KEYS = (*COUNT_FIELDS, "stations", "countries")
_TEXT_OR_NULL = ("parent", "mission", "country", "code", "note")
# Unit keys whose values are nested (rare): a unit holding one is checked by the walk.
_NESTED = ("reported", "sources", "derived", "aliases")


def first_repeat(values: list[str]) -> int | None:
    """The position of the first value seen before (ids must be unique), or None."""
    if len(set(values)) == len(values):
        return None
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v in seen:
            return i
        seen.add(v)
    return None


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
            if k in COUNT_KEYS:
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

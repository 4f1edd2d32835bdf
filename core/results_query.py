"""Sorting and filtering per-unit results: ``--sort turnout``, ``--where "turnout>90"``.

Fields a user can name (percentages in percent, counts as whole numbers):

- ``turnout``, ``margin`` (pp), ``margin_votes``, ``leader_share``, ``share:OPTION``;
- ``registered``, ``ballots_cast`` (also ``cast``), ``invalid``, ``valid``, ``votes:OPTION``;
- ``name``, ``region``, ``unit_id`` (text), ``leader`` and ``runner_up`` (an option),
  ``abroad`` (true/false), ``tie``.

OPTION is an option's id or name, matched without regard to case, script or
spelling (``share:putin`` finds "Путин Владимир Владимирович"); a unique prefix is enough.
Operators: ``>`` ``>=`` ``<`` ``<=`` ``=`` ``!=`` and ``~`` (text contains).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .errors import SelectionError
from .model import Option
from .names import fold
from .results import UnitResults

PCT_FIELDS = {
    "turnout": "turnout_h",
    "margin": "margin_h",
    "margin_pp": "margin_h",
    "leader_share": "leader_share_h",
}
COUNT_FIELDS = {
    "registered": "registered",
    "ballots_cast": "ballots_cast",
    "cast": "ballots_cast",
    "invalid": "invalid",
    "valid": "valid",
    "margin_votes": "margin_votes",
}
TEXT_FIELDS = {"name": "name", "region": "region_name", "unit_id": "unit_id", "id": "unit_id"}
OPTION_FIELDS = {"leader": "leader", "runner_up": "runner_up", "winner": "leader"}
BOOL_FIELDS = {"abroad": "abroad", "tie": "tie"}
SORT_HELP = "turnout, margin, margin_votes, leader_share, share:OPTION, votes:OPTION, registered, ballots_cast, valid or name"
_FILTER = re.compile(r"^\s*([\w:.\- ]+?)\s*(>=|<=|!=|==|=|>|<|~)\s*(.*?)\s*$", re.UNICODE)


def find_option(options: list[Option], text: str) -> Option:
    """An option by id or name: exact, then by folded words, then a unique prefix."""
    wanted = text.strip()
    low = wanted.casefold()
    for o in options:
        if low in (o.id.casefold(), o.name.casefold()):
            return o
    key = fold(wanted).split()
    if key:
        hits = [o for o in options if _words_match(key, fold(o.name).split() + [fold(o.id)])]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise SelectionError(
                f"{text!r} matches {len(hits)} options: " + "; ".join(o.name for o in hits),
                hint="give more of the name, or the option id",
            )
    raise SelectionError(
        f"no option matches {text!r}",
        hint="options: " + "; ".join(f"{o.id} ({o.name})" for o in options[:12]),
    )


def _words_match(wanted: list[str], words: list[str]) -> bool:
    return all(any(w.startswith(k) for w in words) for k in wanted)


def _column(results: UnitResults, name: str) -> tuple[str, str]:
    """The frame column for a user field, and its kind: pct, count, text, option, bool."""
    key = name.strip().lower().replace("-", "_")
    if ":" in key:
        what, _, opt = name.strip().partition(":")
        what = what.strip().lower()
        option = find_option(results.options, opt)
        if what in ("share", "shares", "share_pct"):
            return f"share:{option.id}", "pct"
        if what == "votes":
            return f"votes:{option.id}", "count"
        raise SelectionError(f"unknown field {name!r}", hint=f"fields: {SORT_HELP}")
    if key in PCT_FIELDS:
        return PCT_FIELDS[key], "pct"
    if key in COUNT_FIELDS:
        return COUNT_FIELDS[key], "count"
    if key in TEXT_FIELDS:
        return TEXT_FIELDS[key], "text"
    if key in OPTION_FIELDS:
        return OPTION_FIELDS[key], "option"
    if key in BOOL_FIELDS:
        return BOOL_FIELDS[key], "bool"
    raise SelectionError(f"unknown field {name!r}", hint=f"fields: {SORT_HELP}, leader, abroad")


def sort_results(results: UnitResults, key: str | None, *, reverse: bool = False) -> UnitResults:
    """Order the rows: numbers highest first, names A to Z; units without the figure last."""
    if not key:
        return results
    import numpy as np

    col, kind = _column(results, key)
    frame = results.frame
    if kind in ("text", "option"):
        values = frame[col].astype(str).str.casefold()
        order = np.argsort(values.to_numpy(), kind="stable")
        if reverse:
            order = order[::-1]
    else:
        arr = frame[col].to_numpy(dtype="float64")
        missing = np.isnan(arr)
        direction = 1.0 if reverse else -1.0
        order = np.lexsort((np.where(missing, 0.0, direction * arr), missing))
    results.frame = frame.iloc[order].reset_index(drop=True)
    results.sort = key + (" (reversed)" if reverse else "")
    return results


def filter_results(results: UnitResults, expressions: list[str]) -> UnitResults:
    """Keep the rows for which every expression holds (``turnout>90``, ``leader=putin``)."""
    import numpy as np

    frame = results.frame
    keep = np.ones(len(frame), dtype=bool)
    for text in expressions:
        keep &= _mask(results, text)
    results.frame = frame[keep].reset_index(drop=True)
    results.filters = list(expressions)
    return results


def _mask(results: UnitResults, text: str):
    import numpy as np

    frame = results.frame
    stripped = text.strip()
    negate = stripped.startswith("!") or stripped.lower().startswith("not ")
    bare = stripped.lstrip("!").removeprefix("not ").strip()
    if bare.lower() in BOOL_FIELDS:  # --where abroad, --where '!abroad'
        values = frame[BOOL_FIELDS[bare.lower()]].to_numpy(dtype=bool)
        return ~values if negate else values
    m = _FILTER.match(text)
    if not m:
        raise SelectionError(
            f"cannot read the filter {text!r}",
            hint='write FIELD OP VALUE, e.g. "turnout>90" or "leader=tokayev"',
            fix=("where", '"turnout>90"'),
        )
    name, op, value = m.group(1), m.group(2), m.group(3).strip("'\"")
    col, kind = _column(results, name)
    if kind in ("pct", "count"):
        number = _number(value, text)
        if kind == "pct":
            number *= 100
        arr = frame[col].to_numpy(dtype="float64")
        with np.errstate(invalid="ignore"):
            hit = _compare(arr, op, float(number), text)
        return hit & ~np.isnan(arr)
    if kind == "bool":
        truth = value.strip().lower() in ("1", "true", "yes", "y")
        values = frame[col].to_numpy(dtype=bool)
        return _compare(values, "=" if op in ("=", "==") else "!=", truth, text)
    if kind == "option":
        wanted = find_option(results.options, value).id
        values = frame[col].astype(str).to_numpy()
        if op not in ("=", "==", "!="):
            raise SelectionError(f"{name} takes = or != in {text!r}", hint="e.g. leader=tokayev")
        return (values == wanted) if op != "!=" else (values != wanted)
    values = frame[col].astype(str)
    if op == "~":
        return values.str.casefold().str.contains(value.casefold(), regex=False).to_numpy()
    folded = values.map(fold).to_numpy()
    if op in ("=", "=="):
        return folded == fold(value)
    if op == "!=":
        return folded != fold(value)
    raise SelectionError(f"text fields take =, != or ~ in {text!r}", hint='e.g. "name~almaty"')


def _number(value: str, text: str) -> Decimal:
    try:
        return Decimal(value.replace("%", "").replace(",", "").replace("_", "").strip())
    except InvalidOperation:
        raise SelectionError(
            f"{value!r} is not a number in {text!r}", fix=("where", '"turnout>=90"')
        ) from None


def _compare(arr, op: str, number, text: str):
    if op == ">":
        return arr > number
    if op == ">=":
        return arr >= number
    if op == "<":
        return arr < number
    if op == "<=":
        return arr <= number
    if op in ("=", "=="):
        return arr == number
    if op == "!=":
        return arr != number
    raise SelectionError(f"~ compares text, not numbers, in {text!r}", hint="use > < = or !=")


def top_rows(results: UnitResults, n: int | None) -> UnitResults:
    if n is not None:
        if n < 1:
            raise SelectionError("top must be at least 1", fix=("top", "10"))
        results.frame = results.frame.iloc[:n].reset_index(drop=True)
    return results

"""``--exclude`` expressions: which stations the forensics statistics leave out.

Grammar (no eval): comparisons ``FIELD OP NUMBER`` joined by ``or`` / ``and``
(``and`` binds tighter), e.g. ``registered>10000`` or
``registered > 10000 or turnout >= 99.5``. Fields: registered, issued, cast,
valid, invalid, leader, others, turnout and share (both in percent; turnout is
issued / registered, share is leader / cast). A station is left out when the
expression is true for it; a comparison with a missing value is false.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import numpy as np

from .result import ResultMixin, safe_div

FIELDS = (
    "registered",
    "issued",
    "cast",
    "valid",
    "invalid",
    "leader",
    "others",
    "turnout",
    "share",
)
OPS = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
    "=": operator.eq,
}
_CMP = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|==|!=|>|<|=)\s*(-?[0-9][0-9_]*(?:\.[0-9]+)?)\s*$")


class ExcludeError(ValueError):
    """The expression cannot be read."""


@dataclass(frozen=True)
class Exclusion(ResultMixin):
    expression: str
    n_stations: int
    registered: float
    cast: float
    leader: float
    largest_registered: float


def _compile(expr: str) -> list[list[tuple[str, str, float]]]:
    text = expr.strip()
    if not text:
        raise ExcludeError("empty exclusion expression")
    groups = []
    for alt in re.split(r"\s+or\s+|\s*\|\|?\s*", text):
        terms = []
        for part in re.split(r"\s+and\s+|\s*&&?\s*", alt):
            m = _CMP.match(part)
            if not m:
                raise ExcludeError(f"cannot read {part.strip()!r} in the exclusion {expr!r}")
            name, op, num = m.group(1), m.group(2), float(m.group(3).replace("_", ""))
            if name not in FIELDS:
                raise ExcludeError(f"unknown field {name!r} in the exclusion {expr!r}")
            terms.append((name, op, num))
        groups.append(terms)
    return groups


def parse(expr: str) -> str:
    """Check an expression; return it unchanged (raises ExcludeError)."""
    _compile(expr)
    return expr


def exclusion_mask(expr: str, arrays: dict[str, np.ndarray]) -> np.ndarray:
    """True for the stations the expression leaves out."""
    reg = np.asarray(arrays["registered"], dtype=np.float64)
    iss = np.asarray(arrays["issued"], dtype=np.float64)
    val = np.asarray(arrays["valid"], dtype=np.float64)
    inv = np.asarray(arrays["invalid"], dtype=np.float64)
    lead = np.asarray(arrays["leader"], dtype=np.float64)
    cast = val + inv
    values = {
        "registered": reg,
        "issued": iss,
        "cast": cast,
        "valid": val,
        "invalid": inv,
        "leader": lead,
        "others": cast - lead,
        "turnout": 100.0 * safe_div(iss, reg),
        "share": 100.0 * safe_div(lead, cast),
    }
    out = np.zeros(reg.size, dtype=bool)
    with np.errstate(invalid="ignore"):
        for terms in _compile(expr):
            hit = np.ones(reg.size, dtype=bool)
            for name, op, num in terms:
                x = values[name]
                hit &= np.isfinite(x) & OPS[op](x, num)
            out |= hit
    return out


def summarize(expr: str, mask: np.ndarray, arrays: dict[str, np.ndarray]) -> Exclusion:
    reg = np.asarray(arrays["registered"], dtype=np.float64)[mask]
    cast = (np.asarray(arrays["valid"]) + np.asarray(arrays["invalid"]))[mask]
    lead = np.asarray(arrays["leader"], dtype=np.float64)[mask]
    return Exclusion(
        expression=expr,
        n_stations=int(mask.sum()),
        registered=float(np.nansum(reg)),
        cast=float(np.nansum(cast)),
        leader=float(np.nansum(lead)),
        largest_registered=float(np.nanmax(reg)) if reg.size else 0.0,
    )

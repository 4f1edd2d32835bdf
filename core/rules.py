"""Decision rules: how a contest is decided, and where that rule came from.

A rule is never assumed. It comes from the file (the canonical JSON's ``rules``), a
preset or mapping (``[rules] majority = ...``), or the user (``--rule``). When none of
them states one, the majority kind is ``unknown`` and the outcome names the leader
without announcing "elected" or "runoff".

The user's spelling (``--rule`` and the mapping key ``rule``)::

    plurality                 the most votes wins
    absolute                  more than 50% of the base wins, else the top two go to a runoff
    threshold=40              more than 40% wins, else a runoff of the top two
    threshold=40,runoff=3     ... of the top three
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import ElectError
from .model import Rules

MAJORITY_KINDS = ("absolute", "plurality", "unknown")
RULE_SYNTAX = "plurality, absolute, or threshold=P[,runoff=K] with 0 < P <= 100 and K >= 2"


class RuleError(ElectError):
    """A decision rule that cannot be applied: unknown kind or a value out of range."""


def parse_rule(text: str, *, where: str | None = None) -> dict[str, Any]:
    """``plurality`` / ``absolute`` / ``threshold=P[,runoff=K]`` as rule fields."""
    parts = [p.strip() for p in str(text).strip().lower().split(",") if p.strip()]
    if not parts:
        raise RuleError("empty decision rule", file=where, hint=f"use {RULE_SYNTAX}")
    head, rest = parts[0], parts[1:]
    out: dict[str, Any] = {}
    if head in ("plurality", "fptp", "first-past-the-post"):
        out["majority"] = "plurality"
    elif head in ("absolute", "majority", "absolute-majority"):
        out["majority"] = "absolute"
        out["threshold_pct"] = Decimal(50)
    elif head.startswith("threshold="):
        out["majority"] = "absolute"
        out["threshold_pct"] = _threshold(head.split("=", 1)[1], where)
    else:
        raise RuleError(
            f"unknown decision rule {parts[0]!r}", file=where, hint=f"use {RULE_SYNTAX}"
        )
    for part in rest:
        key, _, value = part.partition("=")
        if key != "runoff" or out["majority"] == "plurality":
            raise RuleError(
                f"unexpected {part!r} in the decision rule", file=where, hint=f"use {RULE_SYNTAX}"
            )
        out["runoff_size"] = _runoff(value, where)
    return out


def check_rule_fields(fields: dict[str, Any], *, where: str | None = None) -> dict[str, Any]:
    """Validate rule fields from a mapping or a document (majority, threshold, runoff)."""
    out = dict(fields)
    if "rule" in out:
        out.update(parse_rule(str(out.pop("rule")), where=where))
    if "majority" in out and out["majority"] not in MAJORITY_KINDS:
        raise RuleError(
            f"unknown majority kind {out['majority']!r}",
            file=where,
            hint="majority is absolute, plurality or unknown",
        )
    if "threshold_pct" in out:
        out["threshold_pct"] = _threshold(out["threshold_pct"], where)
    if "runoff_size" in out:
        out["runoff_size"] = _runoff(out["runoff_size"], where)
    return out


def apply_rule(rules: Rules, fields: dict[str, Any], source: str) -> Rules:
    """``rules`` with the decision fields replaced, and the rule's source recorded."""
    keep = {k: fields[k] for k in ("majority", "threshold_pct", "runoff_size") if k in fields}
    if not keep:
        return rules
    return replace(rules, **keep, source=source)


def override_rule(election, fields: dict[str, Any], source: str) -> None:
    """Apply one rule to every contest of an election (``--rule``)."""
    for contest in election.contests:
        contest.rules = apply_rule(contest.rules, fields, source)


def describe(rules: Rules) -> str:
    """The rule in words: ``absolute majority (more than 50%)``, ``plurality``…"""
    if rules.majority == "plurality":
        return "plurality"
    if rules.majority == "unknown":
        return "unknown"
    text = f"more than {rules.threshold_pct.normalize():f}%"
    if rules.threshold_pct == 50:
        text = f"absolute majority ({text})"
    return f"{text}, else a runoff of the top {rules.runoff_size}"


def _threshold(value: Any, where: str | None) -> Decimal:
    try:
        p = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        p = Decimal("NaN")
    if not p.is_finite() or not (0 < p <= 100):
        raise RuleError(
            f"threshold {value!r} is outside (0, 100]", file=where, hint=f"use {RULE_SYNTAX}"
        )
    return p


def _runoff(value: Any, where: str | None) -> int:
    try:
        k = int(str(value).strip())
    except ValueError:
        k = 0
    if k < 2:
        raise RuleError(f"runoff size {value!r} is below 2", file=where, hint=f"use {RULE_SYNTAX}")
    return k

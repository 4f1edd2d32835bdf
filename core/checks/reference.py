"""Reconciling a file's totals with a reference file (an official protocol, say)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..model import COUNT_FIELDS, Contest, Election
from .findings import Collector


def _key(name: str) -> str:
    s = unicodedata.normalize("NFKC", str(name)).casefold()
    return re.sub(r"[\W_]+", " ", s).strip()


def _totals_of(contest: Contest) -> dict[str, Any]:
    """Nation and region totals keyed by folded names: small and picklable."""
    from ..regions import region_table
    from ..tally import nation_totals

    nation, _ = nation_totals(contest)
    names = {o.id: o.name for o in contest.options}
    out: dict[str, Any] = {
        "nation": {
            **{f: nation.value(f) for f in COUNT_FIELDS},
            **{f"votes:{_key(names[k])}": fig.value for k, fig in nation.votes.items()},
        },
        "regions": {},
        "region_alias": {},
        "option_names": {_key(n): n for n in names.values()},
    }
    table = region_table(contest, with_votes=True)
    for rid, row in table.iterrows():
        fig: dict[str, Any] = {}
        for f in COUNT_FIELDS:
            v = row.get(f)
            fig[f] = None if v is None or v != v else int(v)
        for oid, name in names.items():
            v = row.get(oid)
            fig[f"votes:{_key(name)}"] = None if v is None or v != v else int(v)
        out["regions"][_key(str(row["name"]))] = {"name": str(row["name"]), **fig}
        out["region_alias"][_key(str(rid))] = _key(str(row["name"]))
    return out


def reference_totals(election: Election) -> dict[str, Any]:
    """The reference's totals per contest (by id and by folded name)."""
    out: dict[str, Any] = {"file": election.file, "contests": {}}
    for c in election.contests:
        t = _totals_of(c)
        out["contests"][c.id] = t
        out["contests"].setdefault(_key(c.name), t)
    out["single"] = _totals_of(election.contests[0]) if len(election.contests) == 1 else None
    return out


def reconcile(election: Election, ref: dict[str, Any], col: Collector) -> None:
    if not (col.wants("reference-mismatch") or col.wants("reference-unmatched")):
        return
    for c in election.contests:
        theirs = ref["contests"].get(c.id) or ref["contests"].get(_key(c.name)) or ref.get("single")
        if theirs is None:
            col.add("reference-unmatched", kind="contest", name=c.name, present="the file")
            continue
        ours = _totals_of(c)
        contest = c.name if len(election.contests) > 1 else None
        _compare(col, ref["file"], "(nation)", ours["nation"], theirs["nation"], contest, ours)
        ids = {v: k for k, v in ours["region_alias"].items()}
        for key, mine in ours["regions"].items():
            other = theirs["regions"].get(key) or theirs["regions"].get(
                theirs["region_alias"].get(ids.get(key, ""), "")
            )
            if other is not None:
                _compare(col, ref["file"], mine["name"], mine, other, contest, ours)
        for key, name in theirs["option_names"].items():
            if key not in ours["option_names"]:
                col.add("reference-unmatched", kind="option", name=name, present="the reference")
        for key, name in ours["option_names"].items():
            if key not in theirs["option_names"]:
                col.add("reference-unmatched", kind="option", name=name, present="the file")


def _compare(col, ref_file, unit, mine, other, contest, ours) -> None:
    for field, value in mine.items():
        if field == "name":
            continue
        expected = other.get(field)
        if value is None or expected is None or value == expected:
            continue
        shown = field
        if field.startswith("votes:"):
            shown = "votes." + ours["option_names"].get(field[6:], field[6:])
        col.add(
            "reference-mismatch",
            unit=unit,
            field=shown,
            contest=contest,
            value=value,
            expected=expected,
            gap=value - expected,
            reference=ref_file,
        )

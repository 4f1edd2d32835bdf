"""Unit lineage between two elections: renamed, split, reduced, merged units.

A lineage file is a CSV with one row per (later unit, earlier unit) pair and a
``relation`` column: ``same``, ``renamed``, ``split_from``, ``reduced``,
``merged``. Which column is the earlier side is read from the headers: the
columns end in years (``region_2022,region_2019``) or are named ``new``/``old``
(``after``/``before``). Rows link units into groups; each connected group is
compared as one (2019 East Kazakhstan against 2022 East Kazakhstan + Abai).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import FormatError, MissingColumnError

RELATIONS = ("same", "renamed", "split_from", "reduced", "merged")
_LATER = ("new", "after", "later", "to", "current")
_EARLIER = ("old", "before", "earlier", "from", "previous")


@dataclass(frozen=True)
class LineageRow:
    later: str
    earlier: str
    relation: str
    effective: str | None = None
    note: str | None = None
    line: int | None = None


@dataclass
class LineageGroup:
    """Units that can only be compared together: ``earlier`` ids against ``later`` ids."""

    earlier: list[str]
    later: list[str]
    relations: list[str] = field(default_factory=list)

    @property
    def relation(self) -> str:
        """One word for the group: same, renamed, split, merged or reorganised."""
        rels = set(self.relations)
        if len(self.earlier) == 1 and len(self.later) == 1:
            return "renamed" if "renamed" in rels else "same"
        if len(self.earlier) == 1:
            return "split"
        if len(self.later) == 1:
            return "merged"
        return "reorganised"

    def to_dict(self) -> dict[str, Any]:
        return {
            "earlier": self.earlier,
            "later": self.later,
            "relation": self.relation,
            "relations": sorted(set(self.relations)),
        }


@dataclass
class Lineage:
    rows: list[LineageRow]
    later_label: str
    earlier_label: str
    file: str | None = None

    def groups(self) -> list[LineageGroup]:
        """Connected groups of earlier and later units, in the order of the file."""
        parent: dict[tuple[str, str], tuple[str, str]] = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for r in self.rows:
            a, b = find(("later", r.later)), find(("earlier", r.earlier))
            if a != b:
                parent[b] = a
        out: dict[tuple[str, str], LineageGroup] = {}
        for r in self.rows:
            g = out.setdefault(find(("later", r.later)), LineageGroup([], []))
            if r.earlier not in g.earlier:
                g.earlier.append(r.earlier)
            if r.later not in g.later:
                g.later.append(r.later)
            g.relations.append(r.relation)
        return list(out.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "later": self.later_label,
            "earlier": self.earlier_label,
            "groups": [g.to_dict() for g in self.groups()],
        }


def read_lineage(path: str | Path) -> Lineage:
    """Read a lineage CSV (see the module docstring)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        from .errors import UnreadableFileError

        raise UnreadableFileError(
            f"cannot read lineage file: {exc.strerror}", file=name, hint="check the path"
        ) from exc
    reader = csv.DictReader(text.splitlines())
    headers = [h.strip() for h in (reader.fieldnames or [])]
    if "relation" not in headers:
        raise MissingColumnError(
            "a lineage file needs a 'relation' column",
            file=name,
            line=1,
            hint="columns: <later>,<earlier>,relation e.g. region_2022,region_2019,relation",
        )
    later_col, earlier_col = _sides(headers, name)
    rows = []
    for i, raw in enumerate(reader, start=2):
        rec = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        later, earlier, rel = rec.get(later_col, ""), rec.get(earlier_col, ""), rec["relation"]
        if not later and not earlier:
            continue
        if not later or not earlier:
            raise FormatError(
                "a lineage row needs a unit on both sides",
                file=name,
                line=i,
                hint="a unit with no counterpart is simply left out of the file",
            )
        if rel not in RELATIONS:
            raise FormatError(
                f"unknown relation {rel!r}",
                file=name,
                line=i,
                column="relation",
                hint=f"use one of {', '.join(RELATIONS)}",
            )
        rows.append(
            LineageRow(
                later, earlier, rel, rec.get("effective") or None, rec.get("note") or None, i
            )
        )
    return Lineage(rows, later_col, earlier_col, name)


def _sides(headers: list[str], name: str) -> tuple[str, str]:
    """(later column, earlier column) from year suffixes or new/old names."""
    others = [h for h in headers if h not in ("relation", "effective", "note")]
    years = {h: int(m.group(1)) for h in others if (m := re.search(r"(\d{4})$", h))}
    if len(years) >= 2:
        ranked = sorted(years, key=years.__getitem__)
        return ranked[-1], ranked[0]
    later = [h for h in others if h.lower() in _LATER]
    earlier = [h for h in others if h.lower() in _EARLIER]
    if later and earlier:
        return later[0], earlier[0]
    raise MissingColumnError(
        "cannot tell which lineage column is the earlier election",
        file=name,
        line=1,
        hint="name the columns with years (region_2022,region_2019) or new,old",
    )

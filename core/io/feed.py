"""Result feeds (NIST SP 1500-100 ERR, Clarity ENR) read into one neutral form, then the model.

The NIST and Clarity readers (``nist.py``, ``clarity.py``) each produce a
:class:`Feed`: geographic units with the units they are composed of, and for each
contest its selections with counts by unit and count type. :func:`to_election`
turns a feed into the :class:`~elect.core.model.Election` every command reads;
the feed checks of ``elect validate`` (``checks/feeds.py``) read the feed itself.

A unit's total for a selection is the ``total`` count when the feed gives one,
else the sum of its counts by type (election day, absentee, early…). US
contests are decided by plurality unless the feed says ``majority``. Shares are of
the votes for candidates, as elsewhere in elect: write-ins, over- and undervotes
are shown beside them, outside the base.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import (
    CANDIDATE,
    Contest,
    Election,
    Note,
    Option,
    Progress,
    Rules,
    UnitTable,
    units_frame,
)
from .gpunits import contest_tree, depths, parents_map, units_below

TOTAL = "total"
# Count types that are not a share of the total: seats won, a separate write-in tally.
NOT_PARTS = {"seats", "write-in"}

# GpUnit types → the model's levels (the contest's own district becomes the nation).
_STATION = {
    "precinct",
    "split-precinct",
    "combined-precinct",
    "polling-place",
    "vote-center",
    "ballot-batch",
    "drop-box",
    "station",
}
_REGION = {"county", "parish", "borough", "city", "town", "township", "village", "municipality"}
_REGION |= {"region"}  # elect's own level, as it writes it (OtherType)
_NATION = {"country", "state", "territory", "nation"}


@dataclass
class Unit:
    id: str
    name: str
    type: str = "other"
    children: list[str] = field(default_factory=list)
    registered: int | None = None
    ballots_cast: int | None = None
    invalid: int | None = None
    where: int | str = "?"


@dataclass(slots=True)
class Count:
    unit: str
    type: str  # "total" or a component such as "election-day"
    value: int
    where: int | str = "?"  # the line (XML) or the JSON path


@dataclass
class Selection:
    id: str
    name: str
    party: str | None = None
    kind: str = CANDIDATE
    counts: list[Count] = field(default_factory=list)
    where: int | str = "?"


@dataclass
class FeedContest:
    id: str
    name: str
    kind: str = "candidate"  # candidate | ballot-measure | retention | party
    district: str | None = None
    variation: str | None = None
    number_elected: int | None = None
    reported: int | None = None  # sub-units (precincts) reporting
    total: int | None = None  # … out of
    progress_unit: str = "precincts"
    selections: list[Selection] = field(default_factory=list)
    # Per-contest ballot figures by unit (Google's SummaryCounts): unit → field → count,
    # ahead of the unit's own figures.
    unit_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    where: int | str = "?"


@dataclass
class Ref:
    """An ObjectId reference, for the dangling-reference check."""

    kind: str  # what refers: "VoteCounts GpUnitId", "CandidateIds"…
    target: str  # what it must name: "GpUnit", "Candidate", "Party"
    id: str
    where: int | str


@dataclass
class Feed:
    format: str  # nist-xml | nist-json | clarity
    name: str  # the election's name (the file's, until the feed gives one)
    file: str = ""
    date: str | None = None
    kind: str | None = None
    status: str = "final"
    units: dict[str, Unit] = field(default_factory=dict)
    contests: list[FeedContest] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    duplicates: list[tuple[str, int | str]] = field(default_factory=list)  # (id, where)
    ids: dict[str, set[str]] = field(default_factory=dict)  # target → ObjectIds
    notes: list[Note] = field(default_factory=list)


def parts_of(by_type: dict[str, int]) -> dict[str, int]:
    """A unit's counts by type that add up to its total.

    ``absentee`` may be given beside its parts (``absentee-mail``…): then the parts
    are left out, so nothing is counted twice.
    """
    parts = {t: v for t, v in by_type.items() if t != TOTAL and t not in NOT_PARTS}
    if "absentee" in parts:
        parts = {t: v for t, v in parts.items() if not t.startswith("absentee-")}
    return parts


def component_sum(by_type: dict[str, int]) -> int | None:
    """The sum of a unit's counts by type, or None when it gives none."""
    parts = parts_of(by_type)
    return sum(parts.values()) if parts else None


def _level(unit: Unit | None, is_top: bool) -> str:
    t = unit.type if unit is not None else "other"
    if is_top:
        return "nation"
    if t in _STATION:
        return "station"
    if t in _REGION or t in _NATION:
        return "region"
    return "district"


def _rules(contest: FeedContest, fmt: str) -> Rules:
    """Plurality for a US contest unless the feed says otherwise; its source is named."""
    v = contest.variation
    if v == "majority":
        return Rules(majority="absolute", source="file")
    if v == "not stated":  # as elect writes a contest whose rule was never stated
        return Rules(majority="unknown")
    if v:  # plurality, n-of-m, rcv (the last round's counts)…
        return Rules(majority="plurality", source="file")
    kind = "Clarity" if fmt == "clarity" else "NIST ERR"
    return Rules(majority="plurality", source=f"US convention for {kind} feeds")


def to_election(feed: Feed) -> Election:
    election = Election(
        name=feed.name,
        date=feed.date,
        kind=feed.kind,
        status=feed.status,
        file=None,
        input_format=feed.format,
        notes=list(feed.notes),
    )
    parents = parents_map(feed)
    depth = depths(feed, parents)
    mismatched = 0
    for fc in feed.contests:
        contest, bad = _contest(feed, fc, parents, depth)
        mismatched += bad
        if contest is not None:
            election.contests.append(contest)
            if fc.number_elected and fc.number_elected > 1:
                election.notes.append(
                    Note(
                        "seats",
                        f"contest {fc.name!r} elects {fc.number_elected}: the top "
                        f"{fc.number_elected} are elected; elect names the leader only",
                        feed.file,
                    )
                )
    if mismatched:
        election.notes.append(
            Note(
                "count-types-mismatch",
                f"{mismatched} count(s) by type do not add up to the total given beside them; "
                "the total is used (elect validate lists them)",
                feed.file,
                severity="warning",
            )
        )
    return election


def _contest(feed: Feed, fc: FeedContest, parents, depth) -> tuple[Contest | None, int]:
    import numpy as np
    import pandas as pd

    counted = list(dict.fromkeys(c.unit for sel in fc.selections for c in sel.counts))
    seen: set[str] = set(counted)
    with_counts = set(counted)
    if not fc.selections:
        return None, 0
    if fc.district in feed.units and fc.district not in seen:
        inside = units_below(feed, fc.district)
        if not counted or any(u in inside for u in counted):
            counted.insert(0, fc.district)  # the district itself, as the top of the tree
            seen.add(fc.district)
    if feed.format != "clarity":
        # A unit that has its own counts and is composed of units without any: those
        # have not reported, and the unit's own figures stand (rather than a sum of the
        # few below it that have).
        for uid in list(counted):
            unit = feed.units.get(uid)
            if uid in with_counts and unit is not None:
                for child in unit.children:
                    if child not in seen and child in feed.units:
                        seen.add(child)
                        counted.append(child)
    order, parent = contest_tree(feed, fc, counted, parents, depth)
    index = {u: i for i, u in enumerate(order)}
    n = len(order)
    tops = [u for u in order if not parent.get(u)]
    units = [feed.units.get(u) for u in order]
    levels = [
        _level(u, uid in tops and len(tops) == 1) for uid, u in zip(order, units, strict=True)
    ]
    region, district = _enclosing(order, parent, levels)
    cols = {
        "unit_id": order,
        "name": [u.name if u else uid for uid, u in zip(order, units, strict=True)],
        "level": levels,
        "parent": [parent.get(u, "") for u in order],
        "region": region,
        "district": district,
        "registered": [_nan(u.registered if u else None) for u in units],
        "ballots_cast": [
            _figure(fc, uid, u, "ballots_cast") for uid, u in zip(order, units, strict=True)
        ],
        "invalid": [_figure(fc, uid, u, "invalid") for uid, u in zip(order, units, strict=True)],
        "line": [np.nan] * n,
    }
    options = [Option(s.id, s.name, s.party, s.kind) for s in fc.selections]
    votes: dict[str, np.ndarray] = {}
    components: dict[str, dict[str, np.ndarray]] = {}
    bad = 0
    for sel in fc.selections:
        votes[sel.id], parts, mismatched = _selection_arrays(sel, index, n)
        bad += mismatched
        for t, arr in parts.items():
            components.setdefault(t.replace("-", "_"), {})[sel.id] = arr
    frame = units_frame(cols)
    vote_frame = pd.DataFrame(votes).astype("float64")
    comp_frames = {
        name: pd.DataFrame({o.id: per.get(o.id, np.full(n, np.nan)) for o in options})
        for name, per in components.items()
    }
    progress = None
    if fc.reported is not None or fc.total is not None:
        progress = Progress(fc.reported, fc.total, fc.progress_unit)
    contest = Contest(
        id=fc.id,
        office=fc.name,
        district=None,
        options=options,
        table=UnitTable(frame),
        votes=vote_frame,
        rules=_rules(fc, feed.format),
        components=comp_frames,
        progress=progress,
    )
    return contest, bad


def _selection_arrays(sel: Selection, index: dict[str, int], n: int):
    """One selection's votes per unit (NaN where it has no count), its counts by type
    (the types that make up the total), and how many units' types miss their total."""
    import numpy as np

    if not sel.counts:
        return np.full(n, np.nan), {}, 0
    idx = np.fromiter((index[c.unit] for c in sel.counts), dtype=np.intp, count=len(sel.counts))
    val = np.fromiter((c.value for c in sel.counts), dtype="float64", count=len(sel.counts))
    kinds = [c.type for c in sel.counts]
    counted = np.zeros(n, dtype=bool)
    counted[idx] = True
    by_type: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # type → (sums, given)
    for t in dict.fromkeys(kinds):
        mask = np.fromiter((k == t for k in kinds), dtype=bool, count=len(kinds))
        sums, given = np.zeros(n), np.zeros(n, dtype=bool)
        np.add.at(sums, idx[mask], val[mask])  # a type given twice (device classes) adds
        given[idx[mask]] = True
        by_type[t] = (sums, given)
    absentee = by_type.get("absentee", (None, np.zeros(n, dtype=bool)))[1]
    parts: dict[str, np.ndarray] = {}
    part_sum, any_part = np.zeros(n), np.zeros(n, dtype=bool)
    for t, (sums, given) in by_type.items():
        if t == TOTAL or t in NOT_PARTS:
            continue
        use = given & ~absentee if t.startswith("absentee-") else given
        if not use.any():
            continue
        parts[t] = np.where(use, sums, np.nan)
        part_sum += np.where(use, sums, 0.0)
        any_part |= use
    total, has_total = by_type.get(TOTAL, (np.zeros(n), np.zeros(n, dtype=bool)))
    out = np.where(has_total, total, np.where(any_part, part_sum, 0.0))
    out[~counted] = np.nan
    mismatched = int((has_total & any_part & (part_sum != total)).sum())
    return out, parts, mismatched


def _figure(fc: FeedContest, uid: str, unit: Unit | None, fld: str) -> float:
    own = fc.unit_counts.get(uid, {}).get(fld)
    return _nan(own if own is not None else getattr(unit, fld, None) if unit else None)


def _nan(v: int | None) -> float:
    return float("nan") if v is None else float(v)


def _enclosing(order, parent, levels) -> tuple[list[str], list[str]]:
    index = {u: i for i, u in enumerate(order)}
    regions, districts = [], []
    for uid in order:
        region = district = ""
        cur, steps = uid, 0
        while cur and steps <= len(order):
            lv = levels[index[cur]]
            if lv == "region" and not region:
                region = cur
            if lv == "district" and not district:
                district = cur
            cur = parent.get(cur, "")
            steps += 1
        regions.append(region)
        districts.append(district)
    return regions, districts

"""The tally engine: totals at every level, shares, the winner and the majority rule.

Totals are summed from the level below when every unit below gives the figure,
and otherwise taken as the unit reported it. Each figure says which it is
(``computed`` or ``reported``), and a reported figure that disagrees with the
computed one is returned as a :class:`Discrepancy`, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import SelectionError
from .model import COUNT_FIELDS, Contest
from .numbers import as_json_number, decimal_places, pct, round_pct, sum_known

# valid: votes for the options in the base; cast: ballots cast; registered: voters on the
# lists; counted: valid + invalid, the ballots found in the boxes (the Russian CEC's base,
# where ballots_cast is the ballots issued, the turnout numerator).
BASES = ("valid", "cast", "registered", "counted")


@dataclass(frozen=True)
class Figure:
    """A count with where it came from: ``computed`` (summed), ``reported`` or ``derived``."""

    value: int | None
    origin: str | None = None  # computed | reported | derived | None (unknown)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "origin": self.origin}


@dataclass(frozen=True)
class Discrepancy:
    unit_id: str
    unit_name: str
    field: str
    reported: Any
    computed: Any
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "field": self.field,
            "reported": as_json_number(self.reported),
            "computed": as_json_number(self.computed),
            "message": self.message,
        }


@dataclass
class LevelTotals:
    """Totals for one unit (the nation, a region): counts with origins, and votes."""

    unit_id: str
    name: str
    counts: dict[str, Figure]
    votes: dict[str, Figure]
    leaves: int
    reported_turnout: Decimal | None = None

    def value(self, fld: str) -> int | None:
        return self.counts[fld].value

    @property
    def turnout(self) -> Decimal | None:
        return pct(self.value("ballots_cast"), self.value("registered"))


def leaf_mask(contest: Contest):
    """Units with no children in the file: the rows that add up to everything else.

    Computed once per unit table (see :attr:`~elect.core.model.UnitTable.leaves`), since
    the report, the regions and the diaspora all ask.
    """
    return contest.table.leaves


def nation_totals(contest: Contest) -> tuple[LevelTotals, list[Discrepancy]]:
    """The national totals, and every disagreement between reported and computed figures."""
    import numpy as np

    units, votes = contest.unit_frame, contest.votes
    leaves = leaf_mask(contest)
    nation_rows = np.flatnonzero((units["level"] == "nation").to_numpy())
    nation = int(nation_rows[0]) if len(nation_rows) else None
    n_leaves = int(leaves.sum())
    every = n_leaves == len(leaves)
    discrepancies: list[Discrepancy] = []
    # The nation's id and name are shown: only its own, not a million stations' labels.
    table = contest.table
    nation_id = table.label_at("unit_id", nation) if nation is not None else "(all)"
    nation_name = table.label_at("name", nation) if nation is not None else "All units"

    def figure(column) -> tuple[Figure, float]:
        arr = column.to_numpy(dtype="float64")
        if nation is not None and leaves[nation]:  # only the national row: as reported
            v = arr[nation]
            return Figure(
                None if np.isnan(v) else int(v), None if np.isnan(v) else "reported"
            ), np.nan
        leaf_values = arr if every else arr[leaves]
        given = arr[nation] if nation is not None and not leaves[nation] else np.nan
        present = int(np.count_nonzero(~np.isnan(leaf_values)))
        if n_leaves and present == n_leaves:
            return Figure(int(leaf_values.sum()), "computed"), given
        if not np.isnan(given):
            return Figure(int(given), "reported"), given
        return Figure(None, None), given

    counts: dict[str, Figure] = {}
    for fld in COUNT_FIELDS:
        fig, given = figure(units[fld])
        counts[fld] = fig
        if fig.origin == "computed" and given == given:  # given is not NaN
            _compare(discrepancies, nation_id, nation_name, fld, int(given), fig.value)
    vote_figs: dict[str, Figure] = {}
    for opt in contest.options:
        fig, given = figure(votes[opt.id])
        vote_figs[opt.id] = fig
        if fig.origin == "computed" and given == given:
            _compare(
                discrepancies, nation_id, nation_name, f"votes.{opt.id}", int(given), fig.value
            )
    if nation is not None:
        prov = contest.provenance.get(nation_id, {})
        for fld, info in prov.items():
            if info.get("derived") and fld in counts and counts[fld].origin == "reported":
                counts[fld] = Figure(counts[fld].value, "derived")
    reported_turnout = None
    if nation is not None:
        reported_turnout = units["reported_turnout"].iloc[nation]
    totals = LevelTotals(nation_id, nation_name, counts, vote_figs, n_leaves, reported_turnout)
    return totals, discrepancies


def summary_totals(contest: Contest) -> LevelTotals:
    """The national votes by option from a loader's one-pass summary of the contest
    (``contest.summary``: leaf units, and each option's total or None), as
    :func:`nation_totals` gives them from the frames. The counts are not summarised."""
    leaves, votes = contest.summary
    counts = {fld: Figure(None, None) for fld in COUNT_FIELDS}
    figures = {
        oid: Figure(v, "computed") if v is not None else Figure(None, None)
        for oid, v in votes.items()
    }
    return LevelTotals("(all)", "All units", counts, figures, leaves)


def _compare(out: list[Discrepancy], uid: str, name: str, fld: str, reported, computed) -> None:
    if reported != computed:
        out.append(
            Discrepancy(
                uid,
                name,
                fld,
                reported,
                computed,
                f"{name}: reported {fld} {reported:,} but the units below add up to {computed:,}",
            )
        )


@dataclass(frozen=True)
class ShareRow:
    option_id: str
    name: str
    party: str | None
    kind: str
    votes: int | None
    share: Decimal | None  # computed from counts
    reported_share: Decimal | None
    in_base: bool
    winner: bool = False

    @property
    def shown_share(self) -> Decimal | None:
        return self.share if self.share is not None else self.reported_share

    def to_dict(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "name": self.name,
            "party": self.party,
            "kind": self.kind,
            "votes": self.votes,
            "share_pct": as_json_number(self.share),
            "reported_share_pct": as_json_number(self.reported_share),
            "in_base": self.in_base,
            "winner": self.winner,
        }


@dataclass(frozen=True)
class Outcome:
    winner: str | None
    winner_name: str | None
    winner_share: Decimal | None
    rule: str
    threshold_pct: Decimal
    majority_met: bool | None
    decision: str  # elected | runoff | plurality | leader (rule unknown) | tie | undetermined
    runoff: list[str] = field(default_factory=list)
    runner_up: str | None = None
    margin_votes: int | None = None
    margin_pp: Decimal | None = None
    leader: str | None = None  # the option with the most votes, whatever the rule
    leader_name: str | None = None
    rule_source: str | None = None  # file, preset NAME, mapping FILE, --rule; None: unknown

    def to_dict(self) -> dict[str, Any]:
        return {
            "winner": self.winner,
            "winner_name": self.winner_name,
            "winner_share_pct": as_json_number(self.winner_share),
            "rule": self.rule,
            "threshold_pct": as_json_number(self.threshold_pct),
            "majority_met": self.majority_met,
            "decision": self.decision,
            "runoff": self.runoff,
            "runner_up": self.runner_up,
            "margin_votes": self.margin_votes,
            "margin_pp": as_json_number(self.margin_pp),
            "leader": self.leader,
            "leader_name": self.leader_name,
            "rule_source": self.rule_source,
        }


def base_total(totals: LevelTotals, contest: Contest, base: str) -> int | None:
    if base not in BASES:
        raise SelectionError(f"unknown base {base!r}", hint=f"use one of {', '.join(BASES)}")
    if base in ("valid", "counted"):
        ids = contest.base_option_ids()
        values = [totals.votes[i].value for i in ids]
        if base == "counted":
            values.append(totals.value("invalid"))
        return sum_known(values)
    if base == "cast":
        return totals.value("ballots_cast")
    return totals.value("registered")


def share_rows(
    contest: Contest, totals: LevelTotals, base: str = "valid"
) -> tuple[list[ShareRow], int | None, list[Discrepancy]]:
    """Each option's votes and share of the base, with the published share beside it."""
    denominator = base_total(totals, contest, base)
    reported = contest.reported_shares.get(totals.unit_id, {}) if base == "valid" else {}
    base_kinds = contest.rules.base_kinds
    rows = []
    discrepancies = []
    for opt in contest.options:
        v = totals.votes[opt.id].value
        in_base = opt.kind in base_kinds
        share = pct(v, denominator) if (in_base or base != "valid") else None
        rep = reported.get(opt.id)
        rows.append(ShareRow(opt.id, opt.name, opt.party, opt.kind, v, share, rep, in_base))
        if rep is not None and share is not None:
            places = decimal_places(rep) if isinstance(rep, Decimal) else 2
            if round_pct(share, places) != round_pct(rep, places):
                discrepancies.append(
                    Discrepancy(
                        totals.unit_id,
                        totals.name,
                        f"share_pct.{opt.id}",
                        rep,
                        share,
                        f"{opt.name}: reported share {rep}% but the counts give {share}%",
                    )
                )

    # Order: options in the base by votes (or shown share), then the rest.
    def key(r: ShareRow):
        s = r.votes if r.votes is not None else (r.shown_share or 0)
        return (not r.in_base, -(s or 0))

    rows.sort(key=key)
    return rows, denominator, discrepancies


def decide(contest: Contest, rows: list[ShareRow]) -> Outcome:
    """Winner, majority rule and margin, among candidates (not "against all" or blanks)."""
    rules = contest.rules
    cands = [r for r in rows if r.kind == "candidate" and r.in_base]
    known = [r for r in cands if r.votes is not None or r.shown_share is not None]
    if len(known) < len(cands):
        known = []  # a candidate with no figure could be anywhere: no leader, no winner

    def strength(r: ShareRow):
        return r.votes if r.votes is not None else r.shown_share

    if not known:
        return Outcome(
            None,
            None,
            None,
            rules.majority,
            rules.threshold_pct,
            None,
            "undetermined",
            rule_source=rules.source,
        )
    ranked = sorted(known, key=lambda r: -strength(r))
    top = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    margin_votes = (
        top.votes - runner.votes
        if runner is not None and top.votes is not None and runner.votes is not None
        else None
    )
    margin_pp = (
        top.shown_share - runner.shown_share
        if runner is not None and top.shown_share is not None and runner.shown_share is not None
        else None
    )
    if runner is not None and strength(runner) == strength(top):
        tied = [r.option_id for r in ranked if strength(r) == strength(top)]
        return Outcome(
            None,
            None,
            top.shown_share,
            rules.majority,
            rules.threshold_pct,
            False,
            "tie",
            runoff=tied,
            runner_up=runner.option_id,
            margin_votes=0,
            margin_pp=Decimal("0.00"),
            rule_source=rules.source,
        )
    share = top.shown_share
    winner: str | None = top.option_id
    runoff: list[str]
    if rules.majority == "plurality":
        met, decision, runoff = None, "plurality", []
    elif rules.majority == "unknown":
        # Nothing states the rule: name the leader, announce nothing.
        met, decision, runoff, winner = None, "leader", [], None
    elif share is None:
        met, decision, runoff = None, "undetermined", []
    elif share > rules.threshold_pct:
        met, decision, runoff = True, "elected", []
    else:
        met, decision = False, "runoff"
        runoff = [r.option_id for r in ranked[: rules.runoff_size]]
    return Outcome(
        winner,
        top.name if winner else None,
        share,
        rules.majority,
        rules.threshold_pct,
        met,
        decision,
        runoff,
        runner.option_id if runner else None,
        margin_votes,
        margin_pp,
        leader=top.option_id,
        leader_name=top.name,
        rule_source=rules.source,
    )

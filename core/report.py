"""The report: everything ``elect report`` shows, as one result object with ``to_dict()``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import SelectionError
from .model import Contest, Election, Note, Progress
from .numbers import as_json_number, decimal_places, pct, round_pct, sum_known
from .regions import Diaspora, TurnoutExtremes, diaspora, turnout_extremes
from .schema import document
from .tally import (
    Discrepancy,
    LevelTotals,
    Outcome,
    ShareRow,
    decide,
    nation_totals,
    share_rows,
    summary_totals,
)


@dataclass
class Summary:
    totals: LevelTotals
    valid: int | None
    turnout: Decimal | None
    reported_turnout: Decimal | None
    units: int
    stations: int | None
    progress: Progress | None = None  # precincts reporting, as the feed publishes it

    def to_dict(self) -> dict[str, Any]:
        c = self.totals.counts
        return {
            "registered": c["registered"].value,
            "ballots_cast": c["ballots_cast"].value,
            "invalid": c["invalid"].value,
            "valid": self.valid,
            "origin": {k: v.origin for k, v in c.items()},
            "turnout_pct": as_json_number(self.turnout),
            "reported_turnout_pct": as_json_number(self.reported_turnout),
            "units": self.units,
            "stations": self.stations,
            "reporting": self.progress.to_dict() if self.progress is not None else None,
        }


@dataclass
class Report:
    election: Election
    contest: Contest
    base: str
    summary: Summary
    shares: list[ShareRow]
    base_total: int | None
    outcome: Outcome
    turnout: TurnoutExtremes
    diaspora: Diaspora
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def notes(self) -> list[Note]:
        return self.election.notes

    def envelope(self, kind: str, **fields: Any) -> dict[str, Any]:
        """A JSON document of ``kind`` about this report's election and contest."""
        return document(
            kind,
            election=self.election.meta_dict(),
            contest=contest_dict(self.contest),
            **fields,
        )

    def section(self, kind: str) -> dict[str, Any]:
        """One section as its own document: ``shares``, ``turnout`` or ``diaspora``."""
        if kind == "shares":
            return self.envelope(
                "shares",
                base=self.base,
                base_total=self.base_total,
                shares=[r.to_dict() for r in self.shares],
                outcome=self.outcome.to_dict(),
            )
        if kind == "turnout":
            return self.envelope(
                "turnout",
                national_turnout_pct=as_json_number(self.summary.turnout),
                turnout=self.turnout.to_dict(),
            )
        if kind == "diaspora":
            return self.envelope("diaspora", diaspora=self.diaspora.to_dict())
        raise ValueError(f"no section {kind!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.envelope("report"),
            "base": self.base,
            "base_total": self.base_total,
            "summary": self.summary.to_dict(),
            "shares": [r.to_dict() for r in self.shares],
            "outcome": self.outcome.to_dict(),
            "turnout": self.turnout.to_dict(),
            "diaspora": self.diaspora.to_dict(),
            "discrepancies": [d.to_dict() for d in self.discrepancies],
            "notes": [n.to_dict() for n in self.notes],
        }


def contest_dict(contest: Contest) -> dict[str, Any]:
    return {
        "id": contest.id,
        "office": contest.office,
        "district": contest.district,
        "name": contest.name,
        "rules": contest.rules.to_dict(),
    }


def _folded(text: str) -> str:
    """Case, punctuation and brackets folded: "U.S. House (1)" reads as "u s house 1"."""
    import re

    return re.sub(r"[\W_]+", " ", str(text).casefold()).strip()


def _compact(folded: str) -> str:
    """A folded label without its spaces: "u s house 1" and "us house 1" are one."""
    return folded.replace(" ", "")


def match_contests(
    labels: list[tuple[str, str, str]], name: str, districts: list[str | None] | None = None
) -> list[int]:
    """Which of the (id, name, office) labels ``name`` picks, case, punctuation and
    brackets ignored: an exact label, else the contests of that district ("1" picks
    district 1), else a unique prefix, else the labels holding every word of ``name``
    ("house 2"). Several at one step are returned for the caller to list."""
    wanted = _folded(name)
    if not wanted:
        return []
    forms = [[_folded(x) for x in label] for label in labels]
    compact = _compact(wanted)
    exact = [i for i, f in enumerate(forms) if wanted in f or compact in map(_compact, f)]
    if exact:
        return exact
    if districts is not None:
        by_district = [i for i, d in enumerate(districts) if d and _folded(d) == wanted]
        if by_district:
            return by_district
    prefix = [
        i
        for i, f in enumerate(forms)
        if any(x.startswith(wanted) or _compact(x).startswith(compact) for x in f)
    ]
    if prefix:
        return prefix
    words = set(wanted.split())
    return [i for i, f in enumerate(forms) if any(words <= set(x.split()) for x in f)]


def no_contest(name: str, names: list[str], file: str | None) -> SelectionError:
    """The error for a contest name that picks nothing: the first few contests named."""
    shown = "; ".join(names[:8]) + (f"; and {len(names) - 8} more" if len(names) > 8 else "")
    return SelectionError(
        f"no contest matches {name!r}",
        file=file,
        hint=f"contests: {shown} (elect contests FILE lists them)",
    )


def select_contest(election: Election, name: str | None) -> Contest:
    """One contest by office/district name: case-insensitive, a unique prefix is enough."""
    contests = election.contests
    if name is None:
        if len(contests) == 1:
            return contests[0]
        raise SelectionError(
            f"the file holds {len(contests)} contests",
            file=election.file,
            hint="pick one (elect contests FILE lists them)",
            fix=("contest", "NAME"),
        )
    labels = [(c.id, c.name, c.office) for c in contests]
    found = match_contests(labels, name, [c.district for c in contests])
    matches = [contests[i] for i in found]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise no_contest(name, [c.name for c in contests], election.file)
    raise SelectionError(
        f"{name!r} matches {len(matches)} contests: " + "; ".join(c.name for c in matches),
        file=election.file,
        hint="give more of the name, e.g. the district",
    )


def build_report(
    election: Election,
    contest: Contest | None = None,
    *,
    base: str | None = None,
    top: int = 3,
) -> Report:
    """Tally one contest: summary, shares, outcome, turnout extremes, diaspora.

    ``base`` None takes the contest's own share base (a preset may set one), else valid.
    """
    contest = contest or select_contest(election, None)
    base = base or getattr(contest.rules, "share_base", None) or "valid"
    if top < 1:
        raise SelectionError("top must be at least 1", fix=("top", "3"))
    totals, discrepancies = nation_totals(contest)
    from .checks.impossible import impossible_figures

    for note in impossible_figures(election, contest):
        if note not in election.notes:
            election.notes.append(note)
    rows, denominator, share_discrepancies = share_rows(contest, totals, base)
    discrepancies += share_discrepancies
    outcome = decide(contest, rows)
    if outcome.winner is not None:
        rows = [
            ShareRow(**{**r.__dict__, "winner": r.option_id == outcome.winner})
            if r.option_id == outcome.winner
            else r
            for r in rows
        ]
    valid_ids = contest.base_option_ids()
    valid = sum_known(totals.votes[o].value for o in valid_ids)
    turnout = pct(totals.value("ballots_cast"), totals.value("registered"))
    rep_t = totals.reported_turnout
    if rep_t is not None and turnout is not None:
        places = decimal_places(Decimal(rep_t))
        if round_pct(turnout, places) != round_pct(rep_t, places):
            discrepancies.append(
                Discrepancy(
                    totals.unit_id,
                    totals.name,
                    "turnout_pct",
                    rep_t,
                    turnout,
                    f"{totals.name}: reported turnout {rep_t}% but the counts give {turnout}%",
                )
            )
    cast, invalid = totals.value("ballots_cast"), totals.value("invalid")
    if cast is not None and invalid is not None and valid is not None:
        outside = sum(
            totals.votes[o.id].value or 0 for o in contest.options if o.id not in valid_ids
        )
        counted = valid + invalid + outside
        issued = contest.rules.ballots_cast_issued
        # Ballots issued may exceed those counted (a voter can leave with one); never less.
        if counted > cast if issued else counted != cast:
            discrepancies.append(
                Discrepancy(
                    totals.unit_id,
                    totals.name,
                    "ballots_cast",
                    cast,
                    counted,
                    f"{totals.name}: option votes + invalid = {counted:,} but ballots "
                    + (f"issued = {cast:,}" if issued else f"cast = {cast:,}"),
                )
            )
    units = contest.unit_frame
    station_rows = int((units["level"] == "station").sum())
    summary = Summary(
        totals=totals,
        valid=valid,
        turnout=turnout,
        reported_turnout=rep_t,
        units=totals.leaves,
        stations=station_rows or None,
        progress=contest.progress,
    )
    return Report(
        election=election,
        contest=contest,
        base=base,
        summary=summary,
        shares=rows,
        base_total=denominator,
        outcome=outcome,
        turnout=turnout_extremes(contest, top),
        diaspora=diaspora(contest, totals),
        discrepancies=discrepancies,
    )


@dataclass
class ContestRow:
    contest: Contest
    units: int
    options: int
    total_votes: int | None
    outcome: Outcome

    def to_dict(self) -> dict[str, Any]:
        return {
            **contest_dict(self.contest),
            "units": self.units,
            "options": self.options,
            "total_votes": self.total_votes,
            "leader": self.outcome.leader,
            "leader_name": self.outcome.leader_name,
            "leader_share_pct": as_json_number(self.outcome.winner_share),
            "margin_votes": self.outcome.margin_votes,
            "margin_pp": as_json_number(self.outcome.margin_pp),
            "decision": self.outcome.decision,
        }


def contest_rows(election: Election) -> list[ContestRow]:
    """One line per contest: never a sum across contests."""
    out = []
    for c in election.contests:
        totals = summary_totals(c) if c.summary is not None else nation_totals(c)[0]
        rows, _, _ = share_rows(c, totals, "valid")
        outcome = decide(c, rows)
        total = sum_known(totals.votes[o].value for o in c.base_option_ids())
        out.append(ContestRow(c, totals.leaves, len(c.options), total, outcome))
    return out


def contests_document(election: Election, rows: list[ContestRow]) -> dict[str, Any]:
    """The ``contests`` document: one object for the file, its contests in a list."""
    return document("contests", election=election.meta_dict(), contests=[r.to_dict() for r in rows])

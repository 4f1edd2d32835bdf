"""The one model every loader produces.

An :class:`Election` holds one or more :class:`Contest` objects (an office, plus a
district where the office has several). Each contest has its ballot options and
its reporting units. Units live in a pandas frame, one row per unit, so a file of
a million stations is tallied with vectorised code; the votes live in a second
frame on the same index, one column per option id.

Unit frame columns (see ``UNIT_COLUMNS``): ``unit_id``, ``name``, ``level``
(nation, region, district, station), ``parent`` (a unit_id or empty), ``region``
and ``district`` (the ids of the enclosing units, so a station row rolls up
without walking the tree), ``abroad``, ``mission``, ``country``, ``code``, the
counts ``registered``, ``ballots_cast``, ``invalid`` (float64, NaN = not given;
values are whole numbers, exact in float64 up to 2**53), the attribute counts
``stations`` and ``countries`` (for summary units that stand for many), the
published ``reported_turnout`` (a percentage as printed, kept apart from every
computed figure) and ``line`` (where the unit came from in its file).

Reported percentages per option live in ``Contest.reported_shares``
(unit_id → option_id → Decimal, or None where the file gives null), also apart from
the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

# The unit table lives in .units; it is part of the one model, so it is named here too
# (explicit re-exports: loaders import them from the model).
from .units import COUNT_FIELDS as COUNT_FIELDS
from .units import UNIT_COLUMNS as UNIT_COLUMNS
from .units import UnitTable as UnitTable
from .units import units_frame as units_frame

if TYPE_CHECKING:  # pandas is imported lazily: see the module docstring of elect.cli.main
    import pandas as pd

LEVELS = ("nation", "region", "district", "station")

# Option kinds. Candidates and "against all" make up the valid-vote base (as in
# Kazakhstan, where "Against all" is a valid vote); the others are kept apart.
CANDIDATE = "candidate"
AGAINST_ALL = "against_all"
NON_CANDIDATE_KINDS = ("over_votes", "under_votes", "blank", "write_in", "scattering", "other")
OPTION_KINDS = (CANDIDATE, AGAINST_ALL, *NON_CANDIDATE_KINDS)
DEFAULT_BASE_KINDS = (CANDIDATE, AGAINST_ALL)


@dataclass(frozen=True)
class Source:
    id: str
    title: str | None = None
    url: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "url": self.url, "note": self.note}


@dataclass(frozen=True)
class Option:
    id: str
    name: str
    party: str | None = None
    kind: str = CANDIDATE
    aliases: tuple[str, ...] = ()

    @property
    def is_candidate(self) -> bool:
        return self.kind == CANDIDATE

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "party": self.party, "kind": self.kind}


@dataclass(frozen=True)
class Rules:
    """How a contest is decided.

    ``majority``: ``absolute`` (more than ``threshold_pct`` of the base wins outright,
    otherwise the top ``runoff_size`` go to a runoff), ``plurality``, or ``unknown`` when
    nothing (file, preset, mapping, ``--rule``) states the rule: never assumed.
    ``source``: where the rule came from (``file``, ``preset NAME``, ``mapping FILE``,
    ``--rule``), None when unknown.
    ``base_kinds``: the option kinds counted in the valid-vote base.
    """

    majority: str = "unknown"
    threshold_pct: Decimal = Decimal(50)
    runoff_size: int = 2
    base_kinds: tuple[str, ...] = DEFAULT_BASE_KINDS
    # The share denominator used when the user names none: ``valid`` (default), ``cast``,
    # ``registered`` or ``counted`` (valid + invalid: the ballots found in the boxes,
    # as the Russian CEC divides). Set by a mapping or preset (issue 4).
    share_base: str | None = None
    # ``ballots_cast`` counts the ballots issued (the Russian CEC's turnout): a voter may
    # leave with the ballot, so votes + invalid may fall short of it, never exceed it.
    ballots_cast_issued: bool = False
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "majority": self.majority,
            "source": self.source,
            "threshold_pct": float(self.threshold_pct),
            "runoff_size": self.runoff_size,
            "base_kinds": list(self.base_kinds),
        }


@dataclass(frozen=True)
class Progress:
    """How much has been counted, as the feed publishes it: ``reported`` of ``total`` units
    (precincts, counties) in; either may be unknown."""

    reported: int | None
    total: int | None
    unit: str = "precincts"

    @property
    def pct(self) -> Decimal | None:
        if self.reported is None or not self.total:
            return None
        return (Decimal(100) * self.reported / self.total).quantize(Decimal("0.01"))

    def to_dict(self) -> dict[str, Any]:
        pct = self.pct
        return {
            "reported": self.reported,
            "total": self.total,
            "unit": self.unit,
            "pct": None if pct is None else float(pct),
        }


class ContestFrames(NamedTuple):
    """What a lazy builder gives a contest: its unit table, votes and components."""

    table: UnitTable
    votes: pd.DataFrame
    components: dict[str, pd.DataFrame]


class Contest:
    """One contest: an office (and district), its options, and its frames: the unit table
    (:class:`UnitTable`), the votes (one column per option id, on the table's index) and
    the vote-type components (component name → a frame like ``votes``).

    The frames are given, or built by ``build`` when first read: a loader that summarised
    every contest in one pass (io.long_cells) keeps ``summary`` (leaf units and each
    option's total) for ``elect contests``, dropped as soon as a frame is replaced.
    """

    def __init__(
        self,
        id: str,
        office: str,
        district: str | None,
        options: list[Option],
        table: UnitTable | None = None,
        votes: pd.DataFrame | None = None,
        *,
        rules: Rules | None = None,
        reported_shares: dict[str, dict[str, Decimal | None]] | None = None,
        provenance: dict[str, dict[str, dict[str, Any]]] | None = None,
        components: dict[str, pd.DataFrame] | None = None,
        progress: Progress | None = None,
        build: Callable[[Contest], ContestFrames] | None = None,
        summary: Any = None,
    ) -> None:
        if build is None and (table is None or votes is None):
            raise ValueError("a contest needs its unit table and votes, or a builder")
        self.id = id
        self.office = office
        self.district = district
        self.options = options
        self.rules = rules if rules is not None else Rules()
        self.reported_shares = reported_shares if reported_shares is not None else {}
        # Per-field provenance for summary units: unit_id → field → {"sources", "derived"}
        self.provenance = provenance if provenance is not None else {}
        # Precincts (or counties) reporting out of the total, when the feed says (issue 18).
        self.progress = progress
        self.summary = summary
        self._build = build
        self._table = table
        self._votes = votes
        self._components = components if components is not None else {}

    def __repr__(self) -> str:
        return f"Contest(id={self.id!r}, office={self.office!r}, district={self.district!r})"

    @property
    def built(self) -> bool:
        """Whether the frames exist yet (a lazily built contest builds them when read)."""
        return self._build is None

    def _frames(self) -> None:
        if self._build is not None:
            build, self._build = self._build, None
            self._table, self._votes, self._components = build(self)

    @property
    def table(self) -> UnitTable:
        self._frames()
        assert self._table is not None
        return self._table

    @table.setter
    def table(self, table: UnitTable) -> None:
        self._frames()
        self._table = table
        self.summary = None

    @property
    def votes(self) -> pd.DataFrame:
        self._frames()
        assert self._votes is not None
        return self._votes

    @votes.setter
    def votes(self, frame: pd.DataFrame) -> None:
        self._frames()
        self._votes = frame
        self.summary = None

    @property
    def components(self) -> dict[str, pd.DataFrame]:
        self._frames()
        return self._components

    @components.setter
    def components(self, frames: dict[str, pd.DataFrame]) -> None:
        self._frames()
        self._components = frames
        self.summary = None

    @property
    def name(self) -> str:
        return f"{self.office} ({self.district})" if self.district else self.office

    @property
    def units(self) -> pd.DataFrame:
        """Every unit with every column (see :class:`UnitTable`)."""
        return self.table.frame

    @property
    def unit_frame(self) -> pd.DataFrame:
        """The units' columns as loaded, for the tally (see :attr:`UnitTable.counts`)."""
        return self.table.counts

    def keep_units(self, keep: Any) -> None:
        """Keep only the units where KEEP holds, with their votes and components."""
        self.table = self.table.subset(keep)
        self.votes = self.votes[keep].reset_index(drop=True)
        self.components = {k: v[keep].reset_index(drop=True) for k, v in self.components.items()}

    def option(self, option_id: str) -> Option:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        raise KeyError(option_id)

    def base_option_ids(self) -> list[str]:
        return [o.id for o in self.options if o.kind in self.rules.base_kinds]


@dataclass(frozen=True)
class Note:
    """Something a loader did or saw that the user should know: never applied silently."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    severity: str = "info"  # info | warning
    # A setting that changes what the note reports (see elect.core.errors.Fix).
    fix: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }
        if self.fix is not None:
            out["fix"] = {"setting": self.fix[0], "value": self.fix[1]}
        return out


SOURCE_ROLES = ("official", "media", "exit_poll")


@dataclass
class Election:
    name: str
    country: str | None = None
    date: str | None = None
    kind: str | None = None
    status: str = "final"  # preliminary | final
    sources: list[Source] = field(default_factory=list)
    contests: list[Contest] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    file: str | None = None
    input_format: str | None = None
    # What kind of source the document says it is: one of SOURCE_ROLES
    # (``election.role``, or ``election.official: true``); None when it does not say.
    role: str | None = None
    # How a table was read (elect.core.io.interpret.Interpretation); None for JSON.
    interpretation: Any = field(default=None, repr=False, compare=False)

    def meta_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "country": self.country,
            "date": self.date,
            "kind": self.kind,
            "status": self.status,
            "sources": [s.to_dict() for s in self.sources],
            "file": self.file,
            "input_format": self.input_format,
        }

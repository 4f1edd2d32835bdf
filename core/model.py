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
(unit_id → option_id → Decimal), also apart from the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported lazily: see the module docstring of elect.cli.main
    import pandas as pd

LEVELS = ("nation", "region", "district", "station")
COUNT_FIELDS = ("registered", "ballots_cast", "invalid")
UNIT_COLUMNS = (
    "unit_id",
    "name",
    "level",
    "parent",
    "region",
    "district",
    "abroad",
    "mission",
    "country",
    "code",
    *COUNT_FIELDS,
    "stations",
    "countries",
    "reported_turnout",
    "line",
)

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


@dataclass
class Contest:
    id: str
    office: str
    district: str | None
    options: list[Option]
    units: pd.DataFrame
    votes: pd.DataFrame
    rules: Rules = field(default_factory=Rules)
    reported_shares: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    # Per-field provenance for summary units: unit_id → field → {"sources": [...], "derived": bool}
    provenance: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # Vote-type components (issue 8): component name → frame like ``votes``.
    components: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Unit columns a loader builds only when first read (the labels of a million
    # stations cost more than the whole tally): column → function(frame) → values.
    deferred: dict[str, Callable[[pd.DataFrame], Any]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # The leaf mask (see tally.leaf_mask), kept until the unit frame is replaced.
    leaves: Any = field(default=None, repr=False, compare=False)
    # Precincts (or counties) reporting out of the total, when the feed says (issue 18).
    progress: Progress | None = None
    # A loader that summarised every contest in one pass builds a contest's frames
    # only when they are first read: build(contest) sets them (see io.long_cells).
    build: Callable[[Contest], None] | None = field(default=None, repr=False, compare=False)
    # That pass's figures for ``elect contests`` (leaves, votes by option), dropped
    # as soon as a frame is replaced: they describe the frames as built.
    summary: Any = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return f"{self.office} ({self.district})" if self.district else self.office

    def option(self, option_id: str) -> Option:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        raise KeyError(option_id)

    def base_option_ids(self) -> list[str]:
        return [o.id for o in self.options if o.kind in self.rules.base_kinds]

    @property
    def unit_frame(self) -> pd.DataFrame:
        """The unit frame as loaded: deferred columns (see ``deferred``) may be absent."""
        _built(self)
        return self._units


def _built(self: Contest) -> None:
    build = self.__dict__.get("build")
    if build is not None:
        self.build = None
        build(self)


def _get_units(self: Contest) -> pd.DataFrame:
    _built(self)
    frame = self._units
    if self.deferred:
        pending, self.deferred = self.deferred, {}
        for col, build in pending.items():
            values = build(frame)
            at = min(UNIT_COLUMNS.index(col), len(frame.columns))
            frame.insert(at, col, values)
    return frame


def _set_units(self: Contest, frame: pd.DataFrame) -> None:
    # Builders work from the rows they are given, so a subset keeps its pending columns.
    pending = getattr(self, "deferred", None) or {}
    self._units = frame
    self.deferred = {c: b for c, b in pending.items() if c not in frame.columns}
    self.leaves = None
    self.summary = None


def _get_votes(self: Contest) -> pd.DataFrame:
    _built(self)
    return self._votes


def _set_votes(self: Contest, frame: pd.DataFrame) -> None:
    self._votes = frame
    self.summary = None


def _get_components(self: Contest) -> dict[str, pd.DataFrame]:
    _built(self)
    return self._components


def _set_components(self: Contest, frames: dict[str, pd.DataFrame]) -> None:
    self._components = frames
    self.summary = None


# A property over the dataclass field: every reader of ``units`` sees whole columns,
# while the tally reads ``unit_frame`` and never pays for labels it does not show.
Contest.units = property(_get_units, _set_units)  # type: ignore[assignment]
Contest.votes = property(_get_votes, _set_votes)  # type: ignore[assignment]
Contest.components = property(_get_components, _set_components)  # type: ignore[assignment]


@dataclass(frozen=True)
class Note:
    """Something a loader did or saw that the user should know: never applied silently."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None
    severity: str = "info"  # info | warning

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


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


def units_frame(columns: dict[str, Any], index=None) -> pd.DataFrame:
    """Build a unit frame with the canonical columns and dtypes, filling what is absent."""
    import numpy as np
    import pandas as pd

    n = None
    for v in columns.values():
        if hasattr(v, "__len__") and not isinstance(v, str):
            n = len(v)
            break
    n = n or 0
    data: dict[str, Any] = {}
    for col in UNIT_COLUMNS:
        v = columns.get(col)
        if col in ("abroad",):
            data[col] = np.zeros(n, dtype=bool) if v is None else np.asarray(v, dtype=bool)
        elif col in (*COUNT_FIELDS, "stations", "countries", "line"):
            data[col] = np.full(n, np.nan) if v is None else pd.to_numeric(v, errors="raise")
            data[col] = np.asarray(data[col], dtype="float64")
        elif col == "reported_turnout":
            data[col] = [None] * n if v is None else list(v)
        else:
            data[col] = [""] * n if v is None else v
    frame = pd.DataFrame(data, index=index)
    for col in ("level", "region", "district", "parent", "country", "mission"):
        frame[col] = frame[col].astype("string").fillna("").astype("category")
    frame["unit_id"] = frame["unit_id"].astype("string")
    frame["name"] = frame["name"].astype("string")
    frame["code"] = frame["code"].astype("string").fillna("")
    return frame

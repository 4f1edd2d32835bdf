"""One interpretation of a table: which column is what, and why.

Every tabular file (CSV, TSV, spreadsheet exports) is read through here before any
loader or check looks at its rows. The interpretation decides, once and with a
stated reason for each decision:

* the layout: ``long`` (one row per unit × contest × option) or ``wide`` (one row
  per unit, one column per option);
* the unit key, which may be several columns (county + precinct; region + district
  + station), outermost first;
* the contest key (office and its district) and the option and party columns;
* the vote modes: columns that add up to the votes (``election_day``, ``absentee``…)
  or one column naming the mode (MEDSL's ``mode``);
* the decision rule and where it came from;
* which shipped layout (preset) the header signature matches, if any.

Column decisions that need the rows (an unknown text column that tells rows apart)
are finished by the long loader, which records them here, so ``inspect``, ``report``
and ``validate`` all see the same interpretation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import FormatError
from .headers import normalise_header, role_of
from .mapping import FieldSpec, Mapping, Matcher, mapping_source

# Unit-key columns of long files, by how high their level sits (outermost first).
UNIT_RANKS: dict[str, int] = {
    **dict.fromkeys(("state", "state_name"), 0),
    **dict.fromkeys(
        ("region", "region_name", "oblast", "province", "voivodeship", "wojewodztwo", "регион"),
        1,
    ),
    **dict.fromkeys(("область", "oblys", "облыс"), 1),
    **dict.fromkeys(
        ("county", "county_name", "parish", "powiat", "raion", "rayon", "район", "borough"), 2
    ),
    **dict.fromkeys(
        (
            "tik",
            "town",
            "township",
            "city",
            "municipality",
            "jurisdiction",
            "jurisdiction_name",
            "gmina",
            "commune",
            "locality",
            "place",
            "gemeinde",
            "kunta",
            "tik_name",
        ),
        3,
    ),
    **dict.fromkeys(
        (
            "ward",
            "precinct",
            "precinct_name",
            "precinct_code",
            "election_district",
            "ed",
            "station",
            "polling_station",
            "station_id",
            "polling_place",
            "uik",
            "участок",
            "unit",
            "unit_id",
            "obwod",
        ),
        4,
    ),
}
# Codes that stand beside a name of the same level: never a key of their own.
CODE_COLUMNS = re.compile(
    r"^(state_(po|fips|cen|ic)|(county|jurisdiction|precinct|town|municipality)_(fips|code|id)"
    r"|fips|fipscode|fips_code|kato|teryt|code)$"
)
# Columns that describe the election rather than a row: constant in a file, or a label.
DESCRIPTIVE = re.compile(
    r"^(year|date|election_date|stage|dataverse|readme_check|version|source|notes?|comments?"
    r"|magnitude|party_simplified|party_code|candidate_id|candidate_code|writein|write_in_flag"
    r"|url|level|name|oik|election|election_type|election_name|type)$"
)
VOTE_MODE = re.compile(
    r"^(election_day|eday|early|early_voting|early_vote|advance[d]?|advance_voting|absentee"
    r"|absentee_by_mail|by_mail|mail|mail_in|provisional|one_stop|in_person|polling_place_votes"
    r"|overseas|uocava|military)(_votes?)?$"
)
MODE_COLUMN = ("mode", "vote_mode", "vote_type", "votetype", "voting_method", "method")
OPTION_COLUMN = ("candidate", "option", "choice", "candidate_name", "party_list", "list", "answer")
PARTY_COLUMN = ("party", "party_name", "party_detailed", "affiliation")
OFFICE_COLUMN = ("office", "contest", "race", "contest_name", "office_name")
CONTEST_PART = ("district", "special", "seat", "contest_district")
VOTES_COLUMN = ("votes", "vote", "count", "total_votes", "total", "votes_total")


@dataclass(frozen=True)
class ColumnRole:
    """What one column is taken to be, and why."""

    column: str
    role: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"column": self.column, "role": self.role, "reason": self.reason}


@dataclass
class LongPlan:
    """The columns of a long file, as headers of this file."""

    unit: list[str]
    option: str
    votes: str | None = None
    office: str | None = None
    contest_parts: list[str] = field(default_factory=list)
    party: str | None = None
    modes: list[str] = field(default_factory=list)  # columns that add up to the votes
    mode: str | None = None  # one column naming each row's vote mode
    counts: dict[str, str] = field(default_factory=dict)  # registered/ballots_cast columns
    attrs: dict[str, str] = field(default_factory=dict)  # abroad / country / mission
    unknown: list[str] = field(default_factory=list)  # decided by the rows
    repeated: str = "error"  # error | sum: rows that repeat a (unit, contest, option)

    def single_columns(self) -> list[tuple[str, str]]:
        """(role, header) of the roles one column holds, in the order they are listed."""
        pairs = [
            ("office", self.office),
            ("option", self.option),
            ("party", self.party),
            ("votes", self.votes),
            ("mode", self.mode),
        ]
        return [(role, h) for role, h in pairs if h]


@dataclass
class Interpretation:
    layout: str  # long | wide
    roles: list[ColumnRole]
    mapping: Mapping | None = None  # the mapping in force (shipped, user's, or automatic)
    plan: LongPlan | None = None  # long files
    preset: str | None = None  # chosen by header signature
    reason: str = ""  # why this layout
    decisions: list[str] = field(default_factory=list)  # made from the rows
    # A setting that changes a decision (decision text → Fix; see elect.core.errors).
    fixes: dict[str, tuple[str, str]] = field(default_factory=dict)
    auto: bool = False  # the mapping was made from the header names, not given
    resolved: Any = None  # wide files: the mapping applied to this header (Resolved)

    def role(self, column: str, role: str, reason: str) -> None:
        """Record (or replace) a column's role."""
        self.roles = [r for r in self.roles if r.column != column]
        self.roles.append(ColumnRole(column, role, reason))

    def rule_fields(self) -> dict[str, Any]:
        return dict(self.mapping.rules) if self.mapping is not None else {}

    def rule_source(self) -> str | None:
        if self.mapping is None or "majority" not in self.mapping.rules:
            return None
        return mapping_source(self.mapping)

    def to_dict(self) -> dict[str, Any]:
        plan = self.plan
        return {
            "layout": self.layout,
            "reason": self.reason,
            "preset": self.preset,
            "columns": [r.to_dict() for r in self.roles],
            "unit_key": list(plan.unit) if plan else None,
            "contest_key": ([plan.office, *plan.contest_parts] if plan and plan.office else None),
            "vote_modes": (plan.modes or ([plan.mode] if plan.mode else [])) if plan else None,
            "decisions": list(self.decisions),
            "rule": self.rule_fields().get("majority", "unknown"),
            "rule_source": self.rule_source(),
        }


def is_long_header(headers: list[str]) -> bool:
    """A long file names its option in a column and its votes in another (or in modes)."""
    norm = [normalise_header(h) for h in headers]
    has_option = any(n in OPTION_COLUMN for n in norm)
    has_votes = any(n in VOTES_COLUMN for n in norm) or any(VOTE_MODE.match(n) for n in norm)
    return has_option and has_votes


def long_plan(headers: list[str], mapping: Mapping | None, file: str) -> Interpretation:
    """The interpretation of a long file's header (automatic, or from a long mapping)."""
    if mapping is not None and mapping.long_columns:
        return _mapped_long(headers, mapping, file)
    norm = {h: normalise_header(h) for h in headers}
    roles: list[ColumnRole] = []
    unit: list[tuple[int, int, str]] = []
    plan = LongPlan(unit=[], option="")
    has_office = any(n in OFFICE_COLUMN for n in norm.values())
    for pos, h in enumerate(headers):
        n = norm[h]
        if n in OFFICE_COLUMN and plan.office is None:
            plan.office = h
            roles.append(ColumnRole(h, "office", f"header {h!r} names the office"))
        elif n in CONTEST_PART and (has_office or n != "district"):
            plan.contest_parts.append(h)
            why = "beside an office column, a district names the contest's seat"
            roles.append(
                ColumnRole(h, "contest", why if n == "district" else "part of the contest")
            )
        elif n in UNIT_RANKS or (n == "district" and not has_office):
            rank = UNIT_RANKS.get(n, 3)
            unit.append((rank, pos, h))
            roles.append(ColumnRole(h, "unit", f"header {h!r} names a unit (level {rank})"))
        elif n in OPTION_COLUMN and not plan.option:
            plan.option = h
            roles.append(ColumnRole(h, "option", f"header {h!r} names the ballot option"))
        elif n in PARTY_COLUMN and plan.party is None:
            plan.party = h
            roles.append(ColumnRole(h, "party", f"header {h!r} names the party"))
        elif n in VOTES_COLUMN and plan.votes is None:
            plan.votes = h
            roles.append(ColumnRole(h, "votes", f"header {h!r} holds the votes"))
        elif VOTE_MODE.match(n):
            plan.modes.append(h)
            roles.append(ColumnRole(h, "vote_mode", f"{h!r} is a vote mode: part of the votes"))
        elif n in MODE_COLUMN and plan.mode is None:
            plan.mode = h
            roles.append(ColumnRole(h, "mode", f"header {h!r} names each row's vote mode"))
        elif role_of(h) in ("registered", "ballots_cast", "invalid"):
            plan.counts[str(role_of(h))] = h
            roles.append(ColumnRole(h, str(role_of(h)), f"header {h!r} is a unit count"))
        elif role_of(h) in ("abroad", "country", "mission"):
            plan.attrs[str(role_of(h))] = h
            roles.append(ColumnRole(h, str(role_of(h)), f"header {h!r} marks units abroad"))
        elif CODE_COLUMNS.match(n) or DESCRIPTIVE.match(n) or n in PARTY_COLUMN:
            roles.append(
                ColumnRole(h, "ignored", "a code or label beside the key; checked by the rows")
            )
            plan.unknown.append(h)
        else:
            roles.append(ColumnRole(h, "unknown", "not a known header; decided by the rows"))
            plan.unknown.append(h)
    plan.unit = [h for _, _, h in sorted(unit)]
    _require_long(plan, file)
    interp = Interpretation("long", roles, mapping=mapping, plan=plan)
    interp.reason = "an option column and a votes (or vote-mode) column: one row per option"
    if mapping is not None:
        plan.repeated = mapping.repeated
    return interp


def _mapped_long(headers: list[str], mapping: Mapping, file: str) -> Interpretation:
    """A long file described by a mapping's [columns]: every role named by the user."""
    what = mapping_source(mapping)

    def one(key: str, required: bool = False) -> str | None:
        spec = mapping.fields.get(key)
        if spec is None:
            if required:
                raise FormatError(
                    f"{what} names no {key} column for a long file",
                    file=file,
                    line=1,
                    hint=f'add {key} = "HEADER" under [columns]',
                )
            return None
        found = spec.select(headers)
        if not found:
            if not spec.required:
                return None
            raise FormatError(
                f"{what} does not fit: no column matches {key} ({spec.describe()})",
                file=file,
                line=1,
                hint="elect inspect FILE lists the headers",
            )
        return found[0]

    def many(specs: list[FieldSpec]) -> list[str]:
        out: list[str] = []
        for spec in specs:
            found = [h for h in spec.select(headers) if h not in out]
            if not found and spec.required:
                raise FormatError(
                    f"{what} does not fit: no column matches {spec.describe()}",
                    file=file,
                    line=1,
                    hint="elect inspect FILE lists the headers",
                )
            out += found
        return out

    plan = LongPlan(
        unit=many(mapping.long_columns.get("unit", [])),
        option=one("option", True) or "",
        votes=one("votes"),
        office=one("office"),
        contest_parts=many(mapping.long_columns.get("contest", [])),
        party=one("party"),
        modes=many(mapping.long_columns.get("modes", [])),
        mode=one("mode"),
        repeated=mapping.repeated,
    )
    for key in ("registered", "ballots_cast", "invalid"):
        h = one(key)
        if h:
            plan.counts[key] = h
    for key in ("abroad", "country", "mission"):
        h = one(key)
        if h:
            plan.attrs[key] = h
    roles = [ColumnRole(h, "unit", f"{what}: unit") for h in plan.unit]
    roles += [ColumnRole(h, role, f"{what}: {role}") for role, h in plan.single_columns()]
    roles += [ColumnRole(h, "contest", f"{what}: contest") for h in plan.contest_parts]
    roles += [ColumnRole(h, "vote_mode", f"{what}: vote mode") for h in plan.modes]
    roles += [ColumnRole(h, k, f"{what}: {k}") for k, h in {**plan.counts, **plan.attrs}.items()]
    ignore = {h for spec in mapping.ignore for h in spec.select(headers)}
    taken = {r.column for r in roles}
    for h in headers:
        if h in taken:
            continue
        if h in ignore:
            roles.append(ColumnRole(h, "ignored", f"{what}: ignore"))
        else:
            roles.append(ColumnRole(h, "unknown", "not named by the mapping; decided by the rows"))
            plan.unknown.append(h)
    _require_long(plan, file)
    interp = Interpretation("long", roles, mapping=mapping, plan=plan)
    interp.reason = f"{what}: layout = long"
    return interp


def _require_long(plan: LongPlan, file: str) -> None:
    if not plan.option:
        raise FormatError(
            "a long file needs an option (candidate) column",
            file=file,
            line=1,
            hint='name it in a mapping: option = "HEADER" under [columns]',
        )
    if plan.votes is None and not plan.modes:
        raise FormatError(
            "a long file needs a votes column (or vote-mode columns)",
            file=file,
            line=1,
            hint='name it in a mapping: votes = "HEADER" under [columns]',
        )
    if not plan.unit:
        raise FormatError(
            "no column names the unit (county, precinct, region, station…)",
            file=file,
            line=1,
            hint='name the unit columns in a mapping: unit = ["county", "precinct"] under [columns]',
        )


def exact(header: str) -> FieldSpec:
    return FieldSpec((Matcher("exact", header.strip()),))

"""Column roles: which header means what, with the common aliases."""

from __future__ import annotations

import re
import unicodedata

# role → accepted header spellings after normalisation (lower case, spaces/dashes → "_").
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "region": (
        "region",
        "oblast",
        "province",
        "state",
        "county",
        "region_name",
        "регион",
        "область",
        "city_town",
        "town",
        "municipality",
        "województwo",
        "wojewodztwo",
        "land",
        "bundesland",
    ),
    "district": (
        "district",
        "raion",
        "rayon",
        "constituency",
        "tik",
        "район",
        "округ",
        "ward",
        "powiat",
        "wahlkreis",
    ),
    "station": (
        "station",
        "polling_station",
        "station_id",
        "precinct",
        "uik",
        "unit",
        "unit_id",
        "участок",
        "pct",
        "election_district",
        "gmina",
        "obwod",
    ),
    "abroad": ("abroad", "overseas", "diaspora", "is_abroad"),
    "mission": ("mission", "embassy", "consulate"),
    "country": ("country",),
    "code": ("code", "id", "kato", "kato_prefix", "fips", "fipscode", "teryt", "teryt_gminy"),
    "registered": (
        "registered",
        "registered_voters",
        "voters_registered",
        "electors",
        "eligible",
        "eligible_voters",
        "voters_on_lists",
        "voters",
    ),
    "ballots_cast": (
        "ballots_cast",
        "cast",
        "voted",
        "ballots",
        "ballots_received",
        "total_ballots",
        "votes_cast",
        "turnout_count",
        "turnout_votes",
    ),
    "invalid": (
        "invalid",
        "invalid_ballots",
        "spoiled",
        "spoilt",
        "rejected",
        "null",
        "void",
        "invalid_votes",
    ),
    "reported_turnout": ("turnout", "turnout_pct", "turnout_percent", "reported_turnout"),
    "office": ("office", "contest", "race"),
    "contest_district": (),
    "party": ("party", "party_name"),
    "option": ("option", "candidate", "choice", "candidate_name"),
    "votes": ("votes", "vote", "count", "total_votes"),
}

ID_ROLES = ("region", "district", "station", "mission", "country", "code")
# The roles that name a wide file's unit, outermost first.
UNIT_KEY_ROLES = ("region", "district", "station")

# OpenElections vote-type columns: components of `votes` (issue 8).
VOTE_TYPE_COLUMNS = (
    "election_day",
    "early_voting",
    "early",
    "absentee",
    "mail",
    "provisional",
)

# Rows/units that are sums of other rows. Left in, they double every total.
AGGREGATE_NAME = re.compile(
    r"^\s*(grand\s+)?(county\s+|district\s+|region\s+)?totals?\s*:?\s*$"
    r"|^\s*(итого|всего|барлығы|жиыны|total\s+votes)\s*:?\s*$",
    re.IGNORECASE,
)
# Words an aggregate name contains: a quick test of many names joined before the regex.
AGGREGATE_KEYWORDS = ("total", "итого", "всего", "барлығы", "жиыны")
# Characters that re.IGNORECASE matches to a letter of the keywords although str.lower()
# does not turn them into it (Cyrillic letter variants U+1C80-U+1C85).
FOLD_VARIANTS = "\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85"

_ALIAS_TO_ROLE = {alias: role for role, aliases in ROLE_ALIASES.items() for alias in aliases}


def normalise_header(header: str) -> str:
    h = unicodedata.normalize("NFKC", str(header)).strip().lower()
    h = re.sub(r"[\s\-/.]+", "_", h)
    return h.strip("_")


def role_of(header: str) -> str | None:
    return _ALIAS_TO_ROLE.get(normalise_header(header))


def slug(text: str) -> str:
    """A stable id from a name: lower case, ASCII-ish, underscores."""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = re.sub(r"[^\w]+", "_", s, flags=re.UNICODE).strip("_")
    return s or "unnamed"


def may_name_a_total(text: str) -> bool:
    """Whether ``text`` (many names joined) could hold an aggregate name; if not, none of
    the names is one, and the regex need not run name by name."""
    lowered = text.lower()
    return any(k in lowered for k in AGGREGATE_KEYWORDS) or any(v in text for v in FOLD_VARIANTS)


def is_aggregate_name(name: str | None) -> bool:
    return bool(name) and bool(AGGREGATE_NAME.match(str(name)))


TRUE_WORDS = {"true", "yes", "y", "1", "t", "abroad", "да"}
FALSE_WORDS = {"false", "no", "n", "0", "f", "", "нет", "home"}


def parse_bool(text: str) -> bool | None:
    t = str(text).strip().lower()
    if t in TRUE_WORDS:
        return True
    if t in FALSE_WORDS:
        return False
    return None

"""Which ballot lines are candidates and which are not (over/under votes, write-ins…)."""

from __future__ import annotations

import re

from ..model import AGAINST_ALL, CANDIDATE

_KIND_PATTERNS = (
    (
        AGAINST_ALL,
        r"against[\s_]+all|против[\s_]+всех|барлығына[\s_]+қарсы\w*|none[\s_]+of[\s_]+the[\s_]+above",
    ),
    ("over_votes", r"over[\s_-]*votes?"),
    ("under_votes", r"under[\s_-]*votes?"),
    ("write_in", r"write[\s_-]*ins?|write[\s_-]*in[\s_]+votes?"),
    ("blank", r"blanks?|blank[\s_]+ballots?|blank[\s_]+votes?"),
    ("scattering", r"scatter(ing|ed)?|all[\s_]+others"),
)

_COMPILED = [
    (kind, re.compile(rf"^\s*(?:{pat})\s*$", re.IGNORECASE)) for kind, pat in _KIND_PATTERNS
]

# Rows in long files that carry a unit's totals rather than an option's votes.
TOTAL_ROWS = {
    "registered": re.compile(r"^\s*(registered(\s+voters)?|registered_voters|electors)\s*$", re.I),
    "ballots_cast": re.compile(
        r"^\s*(ballots[\s_]+cast|ballots_cast|total[\s_]+ballots([\s_]+cast)?|ballots)\s*$", re.I
    ),
    "invalid": re.compile(
        r"^\s*(invalid([\s_]+ballots)?|rejected([\s_]+ballots)?|spoiled)\s*$", re.I
    ),
}

# A candidate row that sums the others (OpenElections "Total Votes").
TOTAL_OPTION = re.compile(r"^\s*(total([\s_]+votes)?|totals?|итого|всего)\s*$", re.I)


UNNAMED_OPTION = "(unnamed)"


def option_kind(name: str) -> str:
    if name == UNNAMED_OPTION:
        return "other"  # votes for a blank name: counted, never a candidate
    for kind, pattern in _COMPILED:
        if pattern.match(str(name)):
            return kind
    return CANDIDATE


def total_row_field(name: str) -> str | None:
    for fld, pattern in TOTAL_ROWS.items():
        if pattern.match(str(name)):
            return fld
    return None

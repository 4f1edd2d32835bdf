"""The catalogue of checks: one entry per problem ``elect validate`` can find.

Codes are stable: scripts filter on them (``--select``/``--ignore``), the JSON
report carries them, and docs/checks.md is generated from this list
(``elect.cli.validate.checks_markdown``), so the documentation cannot drift from the code.
Message templates name the file, the line (or JSON path), the unit and the
field, and the values involved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SEVERITIES = ("error", "warning", "info")
FAMILIES = ("structure", "arithmetic", "plausibility", "reference", "feed")


@dataclass(frozen=True)
class Check:
    code: str
    family: str
    severity: str  # error | warning | info
    title: str
    description: str
    template: str

    def render(self, values: dict[str, Any]) -> str:
        try:
            return self.template.format_map(_Blank(values))
        except (ValueError, TypeError):  # a value missing where a number format was expected
            return re.sub(r"(\{\w+)(![rs])?:[^}]*\}", r"\1\2}", self.template).format_map(
                _Blank(values)
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "family": self.family,
            "severity": self.severity,
            "title": self.title,
            "description": self.description,
            "template": self.template,
        }


class _Blank(dict):
    """Missing template fields print as ``?`` rather than raising."""

    def __missing__(self, key: str) -> str:
        return "?"


def _c(code, family, severity, title, description, template) -> Check:
    return Check(code, family, severity, title, description, template)


S, A, P, R, F = FAMILIES
E, W, I = SEVERITIES  # noqa: E741 - I is the info severity, as in the docs

CHECKS: tuple[Check, ...] = (
    # structure: can the file be read as a table or document at all?
    _c(
        "unreadable-file",
        S,
        E,
        "File cannot be read",
        "The path does not exist, cannot be opened, or its compressed data is corrupt. "
        "The file ends as unreadable and the run exits 2.",
        "{file}: cannot read: {reason}",
    ),
    _c(
        "undecodable-file",
        S,
        E,
        "Undecodable text",
        "The bytes are not text in any encoding elect recognises (UTF-8, UTF-16 with a "
        "byte-order mark, Windows-1251), or the file is binary.",
        "{file}:{line}: {reason}",
    ),
    _c(
        "unknown-format",
        S,
        E,
        "Unknown format",
        "The file is empty, or neither elect's JSON document nor a delimited table with "
        "a header row and several columns.",
        "{file}: unknown format: {reason}",
    ),
    _c(
        "malformed-file",
        S,
        E,
        "Malformed file",
        "The parser cannot go on: invalid JSON, an unterminated quote, a field larger "
        "than any result file holds. Checks that need the rows after it are skipped.",
        "{file}:{line}: malformed: {reason}",
    ),
    _c(
        "missing-column",
        S,
        E,
        "Missing required column",
        "A column the layout needs is absent: ``region`` (or an alias) in a wide file; "
        "``option`` and ``votes`` and a unit column in a long file.",
        "{file}:1: missing required column {field!r} ({layout} layout)",
    ),
    _c(
        "blank-header",
        S,
        E,
        "Blank header",
        "A column has no name in the header row.",
        "{file}:1: column {column_number} has a blank header",
    ),
    _c(
        "duplicate-header",
        S,
        E,
        "Duplicate header",
        "Two columns have the same name (ignoring case and surrounding spaces).",
        "{file}:1: duplicate header {field!r} (columns {first_column} and {column_number})",
    ),
    _c(
        "wrong-width",
        S,
        E,
        "Row of the wrong width",
        "A row has more or fewer fields than the header: shifted cells, an unquoted "
        "delimiter inside a name, or a truncated line.",
        "{file}:{line}: {width} fields, the header has {expected}",
    ),
    _c(
        "blank-row",
        S,
        W,
        "Blank row",
        "A row with no values. elect skips it; a blank row in the middle of a file often "
        "marks a paste that went wrong.",
        "{file}:{line}: blank row",
    ),
    _c(
        "non-numeric-count",
        S,
        E,
        "Count is not a number",
        "A count or percentage cell holds text that is not a number in any way "
        "publishers write numbers.",
        "{file}:{line}: unit {unit}: {field} is {value!r}, not a number",
    ),
    _c(
        "negative-count",
        S,
        E,
        "Negative count",
        "A count is below zero.",
        "{file}:{line}: unit {unit}: {field} is negative ({value})",
    ),
    _c(
        "fractional-count",
        S,
        E,
        "Fractional count",
        "A count is not a whole number (a percentage in a count column, or a decimal "
        "comma read the wrong way).",
        "{file}:{line}: unit {unit}: {field} is {value}, not a whole number",
    ),
    _c(
        "count-too-large",
        S,
        E,
        "Count too large",
        "A count above 2**53 (or infinite) cannot be an electorate and cannot be summed exactly.",
        "{file}:{line}: unit {unit}: {field} is {value}, too large to be a count",
    ),
    _c(
        "duplicate-unit",
        S,
        E,
        "Duplicate unit id",
        "Two rows name the same unit (and, in a long file, the same contest and option) "
        "with different figures: one of them is wrong, and both would be summed.",
        "{file}:{line}: unit {unit} appears again (first on line {first_line})",
    ),
    _c(
        "duplicate-row",
        S,
        E,
        "Duplicate row",
        "A row repeats an earlier row cell for cell: it would be counted twice.",
        "{file}:{line}: duplicate of line {first_line}",
    ),
    _c(
        "option-spelled-two-ways",
        S,
        W,
        "Option spelled two ways",
        "Two option names differ only by spelling, case or spacing (``Tokayev`` / "
        "``Tokaev``): one candidate's votes are probably split in two.",
        "{file}: options {name!r} and {other!r} look like one option spelled two ways",
    ),
    _c(
        "leading-zeros-lost",
        S,
        W,
        "Identifier lost its leading zeros",
        "An identifier column mixes zero-padded codes (``0012``) with shorter ones "
        "(``12``): a spreadsheet probably read the short ones as numbers.",
        "{file}:{line}: {field} {value!r} is shorter than the {width}-digit codes "
        "around it (like {example!r}): leading zeros lost?",
    ),
    _c(
        "dangling-reference",
        S,
        E,
        "Reference to nothing",
        "A unit names a parent unit, or votes for an option, that the document does not declare.",
        "{file}:{line}: unit {unit}: {field} names unknown {kind} {value!r}",
    ),
    _c(
        "unloadable",
        S,
        E,
        "File does not load",
        "The loader rejects the file for a reason no other check names; its message "
        "says what to fix.",
        "{file}:{line}: {reason}",
    ),
    _c(
        "encoding-normalised",
        S,
        I,
        "Encoding detected",
        "The file is not plain UTF-8 (a byte-order mark, UTF-16, Windows-1251); it was "
        "read as the encoding named.",
        "{file}: {reason}",
    ),
    _c(
        "delimiter-normalised",
        S,
        I,
        "Delimiter detected",
        "The table is delimited by something other than a comma (semicolon, tab, pipe).",
        "{file}: {reason}",
    ),
    _c(
        "line-ends-normalised",
        S,
        I,
        "Windows line ends",
        "Lines end with CRLF; they were read as ordinary line ends.",
        "{file}: CRLF line ends",
    ),
    _c(
        "number-normalised",
        S,
        I,
        "Number read as published",
        "A number written with thousands separators (commas, dots, spaces, non-breaking "
        "or thin spaces), a decimal comma or a percent sign was read as the plain number.",
        "{file}:{line}: {field}: read {text!r} as {value} ({how}); {cells} cell(s) like it",
    ),
    _c(
        "loader-note",
        S,
        I,
        "Loader note",
        "Something the loader did or saw while reading the file (a text column not used, "
        "votes summed from vote-type columns, a 'Total Votes' line kept apart).",
        "{file}:{line}: {reason}",
    ),
    _c(
        "checks-skipped",
        S,
        I,
        "Checks skipped",
        "The file does not load into the model, so the arithmetic and plausibility "
        "checks could not run. Fix the errors above and validate again.",
        "{file}: {reason}",
    ),
    # arithmetic: the figures contradict each other
    _c(
        "ballots-dont-add-up",
        A,
        E,
        "Votes and invalid ballots do not add up to ballots cast",
        "The option votes plus invalid ballots differ from the ballots cast (or, when "
        "invalid ballots are not given, the option votes exceed the ballots cast).",
        "{file}:{line}: unit {unit}: option votes {votes} + invalid {invalid} = {total}, "
        "but ballots cast = {ballots_cast}",
    ),
    _c(
        "turnout-over-100",
        A,
        E,
        "Turnout over 100%",
        "More ballots were cast than voters were registered.",
        "{file}:{line}: unit {unit}: ballots cast {ballots_cast} exceed registered "
        "{registered} (turnout {turnout:.2f}%)",
    ),
    _c(
        "parent-total-mismatch",
        A,
        E,
        "Units do not add up to their parent",
        "A unit's reported figure differs from the sum of its child units (regions to the "
        "nation, stations to the region).",
        "{file}:{line}: unit {unit}: reported {field} {reported} but its {children} "
        "child unit(s) add up to {computed} (gap {gap})",
    ),
    _c(
        "share-mismatch",
        A,
        E,
        "Reported percentage does not match its count",
        "A published share differs from the one its counts give, beyond the rounding "
        "the figure is printed with.",
        "{file}:{line}: unit {unit}: {field} reported {reported}% but {votes} / {base} "
        "= {computed:.2f}%",
    ),
    _c(
        "shares-sum-not-100",
        A,
        E,
        "Percentages do not sum to 100",
        "A unit's published option shares do not sum to 100 within the rounding they "
        "are printed with.",
        "{file}:{line}: unit {unit}: shares sum to {total}%, not 100% (tolerance ±{tolerance})",
    ),
    _c(
        "turnout-mismatch",
        A,
        E,
        "Reported turnout does not match the counts",
        "A published turnout differs from ballots cast / registered beyond its rounding.",
        "{file}:{line}: unit {unit}: reported turnout {reported}% but {ballots_cast} / "
        "{registered} = {computed:.2f}%",
    ),
    _c(
        "winner-unsupported",
        A,
        E,
        "Winner or majority claim not supported",
        "The document claims a winner, or that the majority rule was (not) met, and the "
        "counts say otherwise.",
        "{file}:{line}: contest {contest}: claims {field} = {reported}, the counts give {computed}",
    ),
    _c(
        "vote-breakdown-mismatch",
        A,
        E,
        "Vote types do not add up to the total",
        "A row's vote-type components (election day, early, absentee, mail, provisional) "
        "do not add up to its votes.",
        "{file}:{line}: unit {unit}: {field}: components add up to {components}, votes = {votes}",
    ),
    _c(
        "aggregate-row",
        A,
        W,
        "Aggregate row among the units",
        "A 'Total', 'Итого' or 'Барлығы' row, or a unit whose counts equal the sum of the "
        "others, sits among the units it sums. elect leaves it out of every sum; left in, "
        "it would double every total.",
        "{file}:{line}: unit {unit}: {reason}",
    ),
    # plausibility: possible, but worth a second look
    _c(
        "turnout-100",
        P,
        W,
        "Turnout of exactly 100%",
        "Every registered voter voted.",
        "{file}:{line}: unit {unit}: turnout 100% ({ballots_cast} of {registered})",
    ),
    _c(
        "turnout-above-95",
        P,
        W,
        "Turnout above 95%",
        "Turnout above 95% (and below 100%) is rare outside small or special units.",
        "{file}:{line}: unit {unit}: turnout {turnout:.2f}% ({ballots_cast} of {registered})",
    ),
    _c(
        "one-option-all-votes",
        P,
        W,
        "All votes for one option",
        "At a station, every vote went to one option.",
        "{file}:{line}: unit {unit}: all {votes} votes for {option}",
    ),
    _c(
        "invalid-above-3pct",
        P,
        W,
        "Invalid ballots above 3%",
        "More than 3% of the ballots cast are invalid.",
        "{file}:{line}: unit {unit}: {invalid} invalid of {ballots_cast} ballots ({share:.2f}%)",
    ),
    _c(
        "zero-ballots",
        P,
        W,
        "Unit with zero ballots",
        "A unit reports no ballots cast: closed, not yet reported, or a data-entry gap.",
        "{file}:{line}: unit {unit}: zero ballots cast",
    ),
    _c(
        "turnout-averaged",
        P,
        W,
        "Regional turnouts averaged",
        "The published turnout equals the plain average of the regional turnouts, not "
        "ballots cast / registered: regions of different sizes were averaged.",
        "{file}:{line}: unit {unit}: reported turnout {reported}% is the average of "
        "{regions} regional turnouts ({average:.2f}%); weighted by voters it is {weighted:.2f}%",
    ),
    # reference: the file against an official protocol
    _c(
        "reference-mismatch",
        R,
        E,
        "Figure differs from the reference",
        "A total in the file differs from the same total in the reference file.",
        "{file}: unit {unit}: {field} = {value}, the reference {reference} gives "
        "{expected} (gap {gap})",
    ),
    _c(
        "reference-unmatched",
        R,
        W,
        "Unit or option missing from one side",
        "A unit or option in the reference file has no counterpart in the file "
        "(or the other way round), so it could not be reconciled.",
        "{file}: {kind} {name!r} is in {present} only",
    ),
    # feed: NIST SP 1500-100 ERR and Clarity ENR feeds
    _c(
        "feed-dangling-reference",
        F,
        E,
        "ObjectId reference to nothing",
        "A NIST ERR feed refers to an ObjectId it does not define: a count's GpUnitId, a "
        "contest's ElectionDistrictId, a selection's CandidateIds, a candidate's PartyId, "
        "a GpUnit's ComposingGpUnitIds.",
        "{file}:{line}: {kind} {ref!r} names no {target} in the feed",
    ),
    _c(
        "feed-duplicate-id",
        F,
        E,
        "ObjectId defined twice",
        "Two objects of a NIST ERR feed share an ObjectId (the schema makes them unique "
        "across the whole document), so references to it are ambiguous.",
        "{file}:{line}: ObjectId {ref!r} is defined more than once",
    ),
    _c(
        "feed-gpunit-cycle",
        F,
        E,
        "GpUnits compose each other in a cycle",
        "Following ComposingGpUnitIds leads back to where it started: a unit contains "
        "itself, so no roll-up is possible. elect cuts the cycle to read the file.",
        "{file}:{line}: GpUnit cycle: {cycle}",
    ),
    _c(
        "feed-count-types-mismatch",
        F,
        E,
        "Counts by type do not add up to the total",
        "For one selection and unit, the counts by type (election day, absentee, early, "
        "provisional…) differ from the total count given beside them (in Clarity, the "
        "vote types against a choice's totalVotes). elect uses the total.",
        "{file}:{line}: contest {contest!r}, {option!r} in {unit}: the counts by type add "
        "up to {parts}, the total given is {total} (gap {gap})",
    ),
    _c(
        "feed-count-outside-district",
        F,
        W,
        "Counts for units outside the contest's district",
        "A contest has counts for GpUnits that are neither its ElectionDistrictId nor "
        "among the units composing it, so the feed's geography and its results disagree. "
        "elect rolls them up through their own enclosing units.",
        "{file}:{line}: contest {contest!r}: {units} counted unit(s) lie outside its "
        "district {district!r}, e.g. {example!r}",
    ),
    _c(
        "feed-reporting-exceeds-total",
        F,
        W,
        "More units reporting than there are",
        "A contest says more precincts (or counties) have reported than take part.",
        "{file}:{line}: contest {contest!r}: {reported} {unit} reporting of {total}",
    ),
)

BY_CODE: dict[str, Check] = {c.code: c for c in CHECKS}


def check(code: str) -> Check:
    return BY_CODE[code]

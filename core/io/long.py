"""Long files: one row per unit, contest and option (and perhaps vote mode).

OpenElections (``county, precinct, office, district, party, candidate, votes`` and
vote-mode columns), MEDSL (``county_name, jurisdiction_name, precinct, office,
district, special, candidate, party_detailed, mode, votes``) and generic station
files (``region, district, station, option, votes``) all come here. The columns'
meaning is decided once, by :mod:`elect.core.io.interpret`; this module applies it
to the rows and states every row it leaves out, sums or merges:

* rows of an aggregate unit (named Total, Summary, All precincts…; a blank parent
  among named ones) are left out of every sum;
* rows repeating a (unit, contest, option, party, mode) are refused, unless the
  mapping says ``repeated = "sum"``: only a vote mode or a party line explains them;
* an option absent from a unit's rows has no votes there (it is not on that ballot);
* a text column elect does not know is checked against the rows: constant within
  each unit it is ignored; telling rows of one unit apart, it joins the unit key
  when it reads as an identifier, and otherwise the file is refused with the
  mapping line that settles it.

Rows whose office or candidate is "Registered Voters" or "Ballots Cast" carry unit
totals: for every contest when the office says so, for that contest when the
candidate does.
"""

from __future__ import annotations

from ..errors import FormatError
from ..model import Election, Note, Rules
from .interpret import Interpretation, long_plan
from .long_build import build_contests
from .long_rows import LongRows
from .source import InputSource
from .table import read_header, read_table
from .wide_columns import name_from


def load_long(
    src: InputSource,
    *,
    encoding: str | None = None,
    interp: Interpretation | None = None,
    contest: str | None = None,
) -> Election:
    """Read a long file as ``interp`` says (worked out from its header when None)."""
    headers, _, delimiter, _ = read_header(src, encoding)
    if interp is None:
        interp = long_plan(headers, None, src.name)
    plan = interp.plan
    assert plan is not None
    from .long_fast import NotFast, applies, load_chunked

    # Decided up front: a plain station layout with comma-delimited numbers.
    col_of = applies(plan) if delimiter == "," else None
    election = None
    if col_of is not None:
        try:
            election = load_chunked(src, encoding, col_of)
        except NotFast:
            pass  # the general path reads the rows again and says what is unusual
    if election is None:
        text = _text_columns(plan, headers, interp.mapping)
        # Columns no role reads are there for the width and blank-row checks only: not
        # parsed at all where the bytes answer those checks (`needed`), else read as
        # categoricals (codes, not a string a cell), their values never used.
        counts = [c for c in {plan.votes, *plan.modes, *plan.counts.values()} if c]
        unread = {h: "category" for h in headers if h not in counts and h not in text}
        table = read_table(
            src,
            encoding=encoding,
            text_columns=text,
            dtypes=unread,
            restore=[],
            counts=[plan.votes, *plan.modes] if plan.votes else list(plan.modes),
            needed=[*text, *counts],
        )
        notes: list[Note] = list(src.notes) + table.notes
        if table.frame.empty:
            raise FormatError("no data rows", file=src.name, hint="the file holds only a header")
        rows = LongRows(table, interp, src.name, notes, only=contest)
        election = Election(
            name=name_from(src.name), notes=notes, file=src.name, input_format="long-csv"
        )
        election.contests = build_contests(rows, notes, only=contest)
    rules = _rules(interp)
    for built in election.contests:  # `contest` is the selection asked for (a name)
        built.rules = rules if built.rules.majority == "unknown" else built.rules
    return election


def _text_columns(plan, headers, mapping=None) -> list[str]:
    """The columns whose text the long path reads: its roles, and the columns a
    mapping's [rows] drop entries name."""
    cols = [*plan.unit, plan.option, *plan.contest_parts, *plan.unknown]
    cols += [c for c in (plan.office, plan.party, plan.mode) if c]
    cols += list(plan.attrs.values())
    if mapping is not None:
        for d in mapping.drops:
            spec = mapping.fields.get(d.column)
            cols += [d.column] if spec is None else spec.select(list(headers))
    return list(dict.fromkeys(cols))


def _rules(interp: Interpretation) -> Rules:
    from ..rules import apply_rule

    fields = interp.rule_fields()
    return apply_rule(Rules(), fields, interp.rule_source() or "")

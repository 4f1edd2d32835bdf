"""Wide CSV: one row per unit, one column per ballot option.

``region`` is required; ``district``, ``station``, ``abroad``, ``mission``,
``country``, ``code`` are optional identifiers; ``registered``, ``ballots_cast``,
``invalid`` (or their aliases) are the unit counts; ``turnout_pct`` a published
turnout; an ``office`` column splits the file into contests. Every other numeric
column is a ballot option. Text columns elect does not know are left out, with a note.
"""

from __future__ import annotations

from ..errors import FormatError, MissingColumnError
from ..model import COUNT_FIELDS, Contest, Election, Note, Option, units_frame
from .headers import ID_ROLES, is_aggregate_name, parse_bool, role_of, slug
from .options import option_kind
from .source import InputSource
from .table import Table, count_column, looks_numeric, read_header, read_table


def load_wide(src: InputSource, *, encoding: str | None = None) -> Election:
    import numpy as np
    import pandas as pd

    headers, _, _, _ = read_header(src, encoding)
    roles = {h: role_of(h) for h in headers}
    text_cols = [
        h for h, r in roles.items() if r in (*ID_ROLES, "abroad", "office", "party", "option")
    ]
    if "region" not in roles.values():
        raise MissingColumnError(
            "missing required column 'region'",
            file=src.name,
            line=1,
            hint="add a region column (aliases: oblast, province, state, county), "
            "or use --format long for one row per option",
        )
    table = read_table(src, encoding=encoding, text_columns=text_cols)
    notes = list(src.notes) + table.notes
    frame = table.frame
    col_of = {r: h for h, r in roles.items() if r}
    keep = ~frame.isna().all(axis=1)
    # Aggregate rows ("Total", "Итого") sum the others: left in, they double every total.
    names = frame[col_of["region"]].fillna("").astype(str)
    for role in ("district", "station"):
        if role in col_of:
            names = names.where(
                ~frame[col_of[role]].fillna("").astype(str).map(is_aggregate_name), "Total"
            )
    aggregate = names.map(is_aggregate_name) & keep
    for pos in np.flatnonzero(aggregate.to_numpy()):
        notes.append(
            Note(
                "aggregate-row",
                "aggregate row (a total of other rows) left out of every sum",
                file=src.name,
                line=int(pos) + Table.LINE_OFFSET,
                severity="warning",
            )
        )
    keep &= ~aggregate
    lines = np.flatnonzero(keep.to_numpy()) + Table.LINE_OFFSET
    frame = frame[keep.to_numpy()].reset_index(drop=True)
    if frame.empty:
        raise FormatError("no data rows", file=src.name, hint="the file holds only a header")

    region = frame[col_of["region"]].fillna("").astype(str).str.strip()
    empty_region = region == ""
    if empty_region.any():
        pos = int(np.flatnonzero(empty_region.to_numpy())[0])
        raise FormatError(
            "blank region",
            file=src.name,
            line=int(lines[pos]),
            column=col_of["region"],
            hint="every row needs its region",
        )
    cols: dict = {"region": region, "line": lines}
    district = (
        frame[col_of["district"]].fillna("").astype(str).str.strip()
        if "district" in col_of
        else None
    )
    station = (
        frame[col_of["station"]].fillna("").astype(str).str.strip() if "station" in col_of else None
    )
    level = "station" if station is not None else "district" if district is not None else "region"
    unit_id = region
    if district is not None:
        cols["district"] = region + "/" + district
        unit_id = cols["district"]
    if station is not None:
        unit_id = unit_id + "/" + station
    cols["unit_id"] = unit_id
    cols["name"] = station if station is not None else district if district is not None else region
    cols["level"] = np.full(len(frame), level, dtype=object)
    cols["parent"] = (
        cols["district"]
        if district is not None and level == "station"
        else (region if level != "region" else np.full(len(frame), "", dtype=object))
    )
    for role in ("mission", "country", "code"):
        if role in col_of:
            cols[role] = frame[col_of[role]].fillna("").astype(str).str.strip()
    if "abroad" in col_of:
        cols["abroad"] = _abroad_column(frame[col_of["abroad"]], src.name, col_of["abroad"], lines)
    for role in COUNT_FIELDS:
        if role in col_of:
            cols[role] = count_column(frame, col_of[role], file=src.name, notes=notes)
    if "reported_turnout" in col_of:
        cols["reported_turnout"] = _percent_column(frame[col_of["reported_turnout"]])

    option_cols = []
    for h in headers:
        if roles[h] is not None:
            continue
        if looks_numeric(frame, h):
            option_cols.append(h)
        else:
            notes.append(
                Note("column-ignored", f"text column {h!r} is not used", file=src.name, column=h)
            )
    if not option_cols:
        raise FormatError(
            "no ballot-option columns (numeric columns other than the unit counts)",
            file=src.name,
            line=1,
            hint="add one numeric column per candidate or option",
        )
    votes = pd.DataFrame(
        {slug(h): count_column(frame, h, file=src.name, notes=notes) for h in option_cols}
    )
    options = [Option(id=slug(h), name=h.strip(), kind=option_kind(h)) for h in option_cols]
    units = units_frame(cols)
    contests = _split_contests(frame, col_of, units, votes, options)
    return Election(
        name=_name_from(src.name),
        contests=contests,
        notes=notes,
        file=src.name,
        input_format="wide-csv",
    )


def _split_contests(frame, col_of, units, votes, options) -> list[Contest]:
    if "office" not in col_of:
        return [Contest("main", "Main contest", None, options, units, votes)]
    office = frame[col_of["office"]].fillna("").astype(str).str.strip()
    contests = []
    for name in sorted(office.unique()):
        mask = (office == name).to_numpy()
        sub_votes = votes[mask].reset_index(drop=True)
        # An option with no votes in this contest is not on its ballot.
        present = [o for o in options if sub_votes[o.id].notna().any()]
        contests.append(
            Contest(
                slug(name),
                name,
                None,
                present,
                units[mask].reset_index(drop=True),
                sub_votes[[o.id for o in present]],
            )
        )
    return contests


def _abroad_column(col, file: str, column: str, lines):
    import numpy as np

    from ..errors import FormatError

    values = col.fillna("").astype(str)
    uniques = {v: parse_bool(v) for v in values.unique()}
    for v, b in uniques.items():
        if b is None:
            pos = int(np.flatnonzero((values == v).to_numpy())[0])
            raise FormatError(
                f"abroad must be true/false/yes/no/1/0, not {v!r}",
                file=file,
                line=int(lines[pos]),
                column=column,
                hint="mark stations abroad with true or yes, others with false or no",
            )
    return values.map(uniques).to_numpy(dtype=bool)


def _percent_column(col):
    from ..numbers import parse_number

    out = []
    for v in col:
        if v is None or (isinstance(v, float) and v != v):
            out.append(None)
        else:
            value, _ = parse_number(str(v))
            out.append(value)
    return out


def _name_from(filename: str) -> str:
    from pathlib import Path

    stem = Path(filename).name
    for suffix in (".gz", ".bz2", ".xz", ".zip", ".csv", ".tsv", ".txt", ".json"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem or "election"

"""Wide CSV: one row per unit, one column per ballot option.

``region`` is required; ``district``, ``station``, ``abroad``, ``mission``,
``country``, ``code`` are optional identifiers; ``registered``, ``ballots_cast``,
``invalid`` (or their aliases) are the unit counts; ``turnout_pct`` a published
turnout; an ``office`` column splits the file into contests. Every other numeric
column is a ballot option. Text columns elect does not know are left out, with a note.

A :class:`~elect.core.io.mapping.Mapping` (``--map``, ``--preset``) names the columns
instead. Either way the file is read once by pandas' C parser with the dtypes
chosen up front (names as categoricals, counts as float64) and only the needed
columns; everything after that works on whole columns, or on the few distinct
names, never row by row.
"""

from __future__ import annotations

from typing import Any

from ..errors import FormatError
from ..model import COUNT_FIELDS, Contest, Election, Note, Option, Rules, UnitTable
from .counts import looks_numeric
from .headers import is_aggregate_name, role_of, slug
from .mapping import Mapping, Resolved, mapping_source
from .options import option_kind
from .source import InputSource
from .table import Table, read_header, read_table
from .wide_columns import (
    StationLabels,
    abroad_column,
    categorical_from,
    deferred_ids,
    first_appearance,
    matching_rows,
    name_from,
    percent_column,
    same_count,
    station_aggregate,
    station_label_text,
    stripped_codes,
    summed_count,
)

_TEXT_FIELDS = ("region", "district", "mission", "country", "code", "office", "reported_turnout")


def load_wide(
    src: InputSource,
    *,
    encoding: str | None = None,
    mapping: Mapping | None = None,
    csv_options: dict | None = None,
    interp=None,
) -> Election:
    """Read a wide file as ``interp`` says (from its header and ``mapping`` when None).

    ``csv_options`` go to the CSV parser (JSON Lines rows need ``skipinitialspace``).
    """
    import numpy as np

    from .interpret_wide import wide_interpretation

    if mapping is not None and mapping.encoding and not encoding:
        encoding = mapping.encoding
    if interp is None:
        headers, _, _, _ = read_header(src, encoding)
        interp = wide_interpretation(headers, mapping, src.name)
    mapping = interp.mapping
    plain = interp.auto
    resolved = interp.resolved
    frame, notes, labels, blank_rows = _read(src, encoding, resolved, plain, csv_options)
    for fld, aliases in mapping.aliases.items():
        for alias in aliases:
            same_count(frame, resolved.header_of(fld), alias, src.name, notes)
    col = resolved.header_of
    cols_of = resolved.columns
    n_read = len(frame)
    keep = np.ones(n_read, dtype=bool)
    station_values = None
    number_cols = [h for f in COUNT_FIELDS for h in cols_of.get(f, [])] + resolved.options
    if mapping.drop_empty:
        empty = np.ones(n_read, dtype=bool)
        for h in number_cols:
            if h in frame.columns:
                values = frame[h]
                empty &= (
                    np.isnan(values.to_numpy())
                    if values.dtype == np.float64
                    else values.isna().to_numpy()
                )
        region_blank = frame[col("region")].isna().to_numpy()
        empty &= ~region_blank  # wholly blank rows are reported by read_table
        if empty.any():
            notes.append(
                Note(
                    "empty-rows",
                    f"{int(empty.sum())} row(s) with a unit but no numbers left out",
                    file=src.name,
                    line=int(np.flatnonzero(empty)[0]) + Table.LINE_OFFSET,
                    severity="warning",
                )
            )
        keep &= ~empty
    keep &= ~blank_rows
    if mapping.drop_aggregate:
        aggregate = np.zeros(n_read, dtype=bool)
        for f in ("region", "district"):
            if f in cols_of:
                aggregate |= matching_rows(frame[col(f)], is_aggregate_name)
        if "station" in cols_of and labels is None:
            # Station numbers (read as numbers) never name an aggregate row.
            station_values, station_text = station_label_text(frame[col("station")])
            aggregate |= station_aggregate(station_text)
        aggregate &= keep
        for pos in np.flatnonzero(aggregate)[:20]:
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
    for d in mapping.drops:
        dropped = matching_rows(frame[col(d.column)], d.matcher.matches) & keep
        if dropped.any():
            notes.append(
                Note(
                    "rows-dropped",
                    f"{int(dropped.sum())} row(s) where {d.column} is {d.matcher.describe()} "
                    "left out, as the mapping says",
                    file=src.name,
                    line=int(np.flatnonzero(dropped)[0]) + Table.LINE_OFFSET,
                )
            )
            keep &= ~dropped
    lines = np.flatnonzero(keep) + Table.LINE_OFFSET
    station = None
    if "station" in cols_of and labels is None:
        if station_values is None:
            station_values, _ = station_label_text(frame[col("station")])
        station = station_values if keep.all() else station_values[keep]
    if not keep.all():
        frame = frame[keep]
    if frame.empty:
        raise FormatError("no data rows", file=src.name, hint="the file holds only a header")
    if station is None and labels is not None:
        station = labels
    return _build(src, frame, resolved, lines, notes, plain, station)


def _read(src: InputSource, encoding: str | None, resolved: Resolved, plain: bool, options=None):
    """The needed columns, names as categoricals and counts as float64.

    Returns the frame, the notes, and :class:`StationLabels` when the station column
    held only numbers (then read as float64: a million label strings cost more than
    the tally; they are read again, as text, only if a caller needs the unit ids).
    """
    cols_of = resolved.columns
    station = cols_of.get("station", [None])[0]
    dtypes: dict = {}
    for f in _TEXT_FIELDS:
        for h in cols_of.get(f, []):
            dtypes[h] = "category"
    extra = [resolved.header_of(d.column) for d in resolved.mapping.drops]
    if resolved.mapping.abroad_column:
        extra.append(resolved.header_of(resolved.mapping.abroad_column))
    for h in extra:
        dtypes.setdefault(h, "category")
    counts = [h for f in COUNT_FIELDS for h in cols_of.get(f, [])]
    numeric = counts if plain else counts + resolved.options
    ignored = resolved.ignored if plain else []
    wanted = resolved.usecols() + ignored
    # Every column: None lets read_table catch rows wider than the header.
    usecols = None if set(wanted) >= set(resolved.columns_all) else wanted
    numbers = {h: "float64" for h in counts + resolved.options}
    as_text = {h: str for h in ignored if h not in dtypes and h not in numbers}
    # Tried in turn; each later plan reads more as text. A station column of text,
    # or text in an option column, fails the first chunk of a plan, not the whole file.
    plans = []
    if station and _head_labels_numeric(src, encoding, station):
        plans.append({**dtypes, **as_text, **numbers, station: "float64"})
    if station:
        # Text, never inferred: "0003" must stay "0003". Nearly one distinct value a
        # row, so a categorical gains nothing.
        dtypes[station] = str
    plans.append({**dtypes, **as_text, **numbers})
    plans.append({**dtypes, **{h: "float64" for h in numeric}})
    # Last: text in a count column, read as text so counts.py can name the row.
    plans.append(dtypes)
    unique = [p for i, p in enumerate(plans) if p not in plans[:i]]
    for i, plan in enumerate(unique):
        try:
            table = read_table(
                src,
                encoding=encoding,
                text_columns=[],
                usecols=usecols,
                dtypes=plan,
                options=options,
            )
            break
        except ValueError:
            if i == len(unique) - 1:
                raise
    notes = list(src.notes) + table.notes
    frame = table.frame
    labels = None
    if station and str(frame[station].dtype) == "float64":
        labels = StationLabels(src, table.encoding, table.delimiter, station, len(frame), options)
    return frame, notes, labels, table.blank


def _head_labels_numeric(src: InputSource, encoding: str | None, column: str) -> bool:
    """Whether the station labels in the sniffed first rows are all plain numbers.

    Text labels ("S-001") would fail the numeric read plan only after parsing the
    file once; the first rows already tell, so small files are read once.
    """
    import csv
    import io

    from .source import detect_encoding
    from .table import read_header

    headers, enc, delimiter, _ = read_header(src, encoding)
    if column not in headers:
        return True
    at = headers.index(column)
    head = src.read_head(1 << 16)
    text = head.decode(enc if enc else detect_encoding(head, src.name)[0], errors="ignore")
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    next(rows, None)
    for number, row in enumerate(rows):
        if number >= 200:
            break
        label = row[at].strip() if at < len(row) else ""
        if label and not label.replace(".", "", 1).isdigit():
            return False
    return True


def _build(src, frame, resolved: Resolved, lines, notes, plain: bool, station) -> Election:
    import numpy as np
    import pandas as pd

    cols_of = resolved.columns
    col = resolved.header_of
    mapping = resolved.mapping
    n = len(frame)
    rcodes, rcats = stripped_codes(frame[col("region")])
    blank = rcats == ""
    if blank.any() and np.isin(rcodes, np.flatnonzero(blank)).any():
        pos = int(np.flatnonzero(np.isin(rcodes, np.flatnonzero(blank)))[0])
        raise FormatError(
            "blank region",
            file=src.name,
            line=int(lines[pos]),
            column=col("region"),
            hint="every row needs its region",
        )
    region = categorical_from(rcodes, rcats)
    district = None
    if "district" in cols_of:
        dcodes, dcats = stripped_codes(frame[col("district")])
        # (region, district) pairs by first appearance, through a table of the few
        # possible pairs rather than a hash of a million keys.
        width = len(dcats) + 1
        key = rcodes.astype(np.int64 if len(rcats) * width >= 2**31 else np.int32)
        key = key * width + dcodes
        first = first_appearance(key, len(rcats) * width)
        lookup = np.zeros(len(rcats) * width, dtype=np.int32)
        lookup[first] = np.arange(len(first), dtype=np.int32)
        pair = lookup[key]
        del key
        pr, pd_ = first // width, first % width
        # Through lists: indexing a pandas Index one item at a time costs microseconds.
        rnames, dnames = rcats.tolist(), dcats.tolist()
        ids = [f"{rnames[a]}/{dnames[b]}" for a, b in zip(pr.tolist(), pd_.tolist(), strict=True)]
        district = categorical_from(pair, pd.Index(ids, dtype=object))
    parent_cat = district if district is not None else region
    deferred = {}
    unit_id: np.ndarray | None = None  # None: the ids and names are built on first read
    name: Any = None
    if isinstance(station, StationLabels):
        level = "station"
        parent = parent_cat
        deferred = deferred_ids(station)
    elif station is not None:
        level = "station"
        parents = np.asarray(parent_cat.categories, dtype=object).take(parent_cat.codes)
        unit_id = np.array([f"{p}/{s}" for p, s in zip(parents, station, strict=True)], object)
        name = station
        parent = parent_cat
    elif district is not None:
        level = "district"
        unit_id = np.asarray(district.categories, dtype=object).take(district.codes)
        name = np.asarray(dcats.take(dcodes), dtype=object)
        parent = region
    else:
        level = "region"
        unit_id = np.asarray(rcats, dtype=object).take(rcodes)
        name = unit_id
        parent = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([""]))

    empty_cat = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([""]))
    units: dict[str, Any] = {}
    if unit_id is not None:
        units["unit_id"] = pd.array(unit_id, dtype="string")
        units["name"] = pd.array(name, dtype="string")
    units |= {
        "level": pd.Categorical.from_codes(
            np.zeros(n, dtype=np.int8), categories=pd.Index([level])
        ),
        "parent": parent,
        "region": region,
        "district": district if district is not None else empty_cat,
        "abroad": _abroad(frame, resolved, src.name, lines),
    }
    for f in ("mission", "country"):
        units[f] = categorical_from(*stripped_codes(frame[col(f)])) if f in cols_of else empty_cat
    units["code"] = (
        pd.array(
            np.asarray(categorical_from(*stripped_codes(frame[col("code")])), object),
            dtype="string",
        )
        if "code" in cols_of
        else empty_cat  # no codes: one category, one byte a row
    )
    for f in COUNT_FIELDS:
        units[f] = summed_count(frame, cols_of.get(f, []), src.name, notes, n)
    units["stations"] = np.full(n, np.nan)
    units["countries"] = np.full(n, np.nan)
    units["reported_turnout"] = (
        percent_column(frame[col("reported_turnout")])
        if "reported_turnout" in cols_of
        # As a Series: a bare object array is scanned (40 MB for a million) to infer a type.
        else pd.Series(np.full(n, None, dtype=object), dtype=object, copy=False)
    )
    units["line"] = lines.astype("float64")
    units_df = pd.DataFrame(units, copy=False)

    option_cols = []
    for h in resolved.options:
        if not plain or looks_numeric(frame, h):
            option_cols.append(h)
        else:
            notes.append(
                Note("column-ignored", f"text column {h!r} is not used", file=src.name, column=h)
            )
    if plain:
        for h in resolved.ignored:
            skip = set(mapping.protocol) | {a for hs in mapping.aliases.values() for a in hs}
            if role_of(h) is None and h not in cols_of.get("office", []) and h not in skip:
                notes.append(
                    Note(
                        "column-ignored", f"text column {h!r} is not used", file=src.name, column=h
                    )
                )
    if not option_cols:
        raise FormatError(
            "no ballot-option columns (numeric columns other than the unit counts)",
            file=src.name,
            line=1,
            hint="add one numeric column per candidate or option",
        )
    votes = pd.DataFrame(
        {slug(h): summed_count(frame, [h], src.name, notes, n) for h in option_cols}, copy=False
    )
    if mapping.blank_options == "zero":
        blank = int(votes.isna().to_numpy().sum())
        if blank:
            votes = votes.fillna(0.0)
            notes.append(
                Note(
                    "blank-options",
                    f"{blank} blank option cell(s) read as no votes (the mapping's "
                    'blank = "zero": not on that unit\'s ballot)',
                    file=src.name,
                )
            )
    options = [
        Option(id=slug(h), name=h.strip(), kind=mapping.option_kinds.get(h, option_kind(h)))
        for h in option_cols
    ]
    rules = _rules(mapping)
    # No row of a wide file is another's parent, unless a name holds the "/" of the ids.
    every_leaf = not any(
        c.str.contains("/", regex=False).any()
        for c in (rcats, dcats if district is not None else rcats)
    )

    def table(rows):
        return UnitTable(rows, labels=deferred, every_leaf=every_leaf)

    contests = _split_contests(frame, cols_of, units_df, votes, options, table, rules)
    return Election(
        name=name_from(src.name),
        contests=contests,
        notes=notes,
        file=src.name,
        input_format="wide-csv",
    )


def _rules(mapping: Mapping) -> Rules:
    from decimal import Decimal

    r = mapping.rules
    default = Rules()
    return Rules(
        majority=str(r.get("majority", default.majority)),
        source=mapping_source(mapping) if "majority" in r else None,
        threshold_pct=Decimal(str(r.get("threshold_pct", default.threshold_pct))),
        runoff_size=int(r.get("runoff_size", default.runoff_size)),
        base_kinds=tuple(r.get("base_kinds", default.base_kinds)),
        share_base=r.get("share_base"),
        ballots_cast_issued=bool(r.get("ballots_cast_issued", False)),
    )


def _abroad(frame, resolved: Resolved, file: str, lines):
    import numpy as np

    mapping = resolved.mapping
    n = len(frame)
    if not mapping.abroad_column:
        return np.zeros(n, dtype=bool)
    column = resolved.header_of(mapping.abroad_column)
    if mapping.abroad_values:
        return matching_rows(
            frame[column], lambda v: any(m.matches(v) for m in mapping.abroad_values)
        )
    return abroad_column(frame[column], file, column, lines)


def _split_contests(frame, col_of, units, votes, options, table, rules=None) -> list[Contest]:
    """One contest per office; TABLE makes each contest's unit table from its rows."""
    import numpy as np

    rules = rules or Rules()
    if "office" not in col_of:
        return [Contest("main", "Main contest", None, options, table(units), votes, rules=rules)]
    office_col = col_of["office"]
    office_col = office_col[0] if isinstance(office_col, list) else office_col
    codes, cats = stripped_codes(frame[office_col])
    office = np.asarray(cats, dtype=object).take(codes) if len(codes) else codes
    contests = []
    for name in sorted(set(office)):
        mask = office == name
        sub_votes = votes[mask].reset_index(drop=True)
        # An option with no votes in this contest is not on its ballot.
        present = [o for o in options if sub_votes[o.id].notna().any()]
        contests.append(
            Contest(
                slug(name),
                name,
                None,
                present,
                table(units[mask].reset_index(drop=True)),
                sub_votes[[o.id for o in present]],
                rules=rules,
            )
        )
    return contests

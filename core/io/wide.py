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

from ..errors import FormatError, MissingColumnError
from ..model import COUNT_FIELDS, Contest, Election, Note, Option, Rules
from .headers import is_aggregate_name, parse_bool, role_of, slug
from .mapping import Mapping, Resolved, auto_mapping, resolve
from .options import option_kind
from .source import InputSource
from .table import Table, count_column, looks_numeric, read_header, read_table

_TEXT_FIELDS = ("region", "district", "mission", "country", "code", "office", "reported_turnout")


def load_wide(
    src: InputSource, *, encoding: str | None = None, mapping: Mapping | None = None
) -> Election:
    import numpy as np

    if mapping is not None and mapping.encoding and not encoding:
        encoding = mapping.encoding
    headers, _, _, _ = read_header(src, encoding)
    plain = mapping is None
    if plain:
        if "region" not in {role_of(h) for h in headers}:
            raise MissingColumnError(
                "missing required column 'region'",
                file=src.name,
                line=1,
                hint="add a region column (aliases: oblast, province, state, county), "
                "or use --format long for one row per option",
            )
        mapping = auto_mapping(headers)
        mapping.drop_empty = False
    resolved = resolve(mapping, headers, src.name)
    frame, notes = _read(src, encoding, resolved, plain)
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
                empty &= frame[h].isna().to_numpy()
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
    keep &= ~frame.isna().all(axis=1).to_numpy()
    if mapping.drop_aggregate:
        aggregate = np.zeros(n_read, dtype=bool)
        for f in ("region", "district"):
            if f in cols_of:
                aggregate |= _matches(frame[col(f)], is_aggregate_name)
        if "station" in cols_of:
            station_values, station_text = _station_text(frame[col("station")])
            aggregate |= _station_aggregate(station_text)
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
        dropped = _matches(frame[col(d.column)], d.matcher.matches) & keep
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
    if "station" in cols_of:
        if station_values is None:
            station_values, _ = _station_text(frame[col("station")])
        station = station_values if keep.all() else station_values[keep]
    if not keep.all():
        frame = frame[keep]
    if frame.empty:
        raise FormatError("no data rows", file=src.name, hint="the file holds only a header")
    return _build(src, frame, resolved, lines, notes, plain, station)


def _read(src: InputSource, encoding: str | None, resolved: Resolved, plain: bool):
    """The needed columns, names as categoricals and counts as float64."""
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
    if station:
        dtypes[station] = str  # nearly one distinct value a row: a categorical gains nothing
    counts = [h for f in COUNT_FIELDS for h in cols_of.get(f, [])]
    numeric = counts if plain else counts + resolved.options
    usecols = resolved.usecols() + (resolved.ignored if plain else [])
    if set(usecols) >= set(resolved.columns_all):
        usecols = None  # every column: lets read_table catch rows wider than the header
    try:
        table = read_table(
            src,
            encoding=encoding,
            text_columns=[],
            usecols=usecols,
            dtypes={**dtypes, **{h: "float64" for h in numeric}},
        )
    except ValueError:
        # Text in a count column: read it as text so counts.py can name the row.
        table = read_table(
            src,
            encoding=encoding,
            text_columns=[],
            usecols=usecols,
            dtypes=dtypes,
        )
    notes = list(src.notes) + table.notes
    return table.frame, notes


def _matches(series, test) -> object:
    """``test`` applied to each distinct value only; True/False per row."""
    import numpy as np

    if str(series.dtype) != "category":
        series = series.astype("category")
    cats = series.cat.categories
    hit = np.fromiter((bool(test(str(c).strip())) for c in cats), dtype=bool, count=len(cats))
    hit = np.append(hit, False)  # code -1 (blank) lands here
    codes = series.cat.codes.to_numpy()
    return hit[np.where(codes >= 0, codes, len(cats))]


def _station_text(series):
    """Station labels as an object array, stripped, blank = ''."""
    import numpy as np

    values = series.fillna("").to_numpy(dtype=object)
    text = values.astype("U")
    stripped = np.strings.strip(text)
    if (stripped != text).any():
        values = stripped.astype(object)
    return values, stripped


def _station_aggregate(text):
    """Aggregate labels among stations; only the labels that are not plain numbers are read."""
    import numpy as np

    out = np.zeros(len(text), dtype=bool)
    candidates = np.flatnonzero(~np.strings.isdigit(text) & (np.strings.str_len(text) > 0))
    if len(candidates):
        out[candidates] = [is_aggregate_name(str(v)) for v in text[candidates]]
    return out


def _stripped(series):
    """A categorical column as (codes, categories) with names stripped, blank = ''."""
    import numpy as np
    import pandas as pd

    if str(series.dtype) != "category":
        series = series.astype("category")
    cats = pd.Index(series.cat.categories.astype(str)).str.strip()
    cats = pd.Index(list(cats) + [""])
    codes = series.cat.codes.to_numpy().astype(np.int64)
    codes = np.where(codes < 0, len(cats) - 1, codes)
    new_codes, uniques = pd.factorize(cats)
    return new_codes[codes], pd.Index(uniques, dtype=object)


def _categorical(codes, cats):
    import pandas as pd

    return pd.Categorical.from_codes(codes, categories=cats)


def _build(src, frame, resolved: Resolved, lines, notes, plain: bool, station) -> Election:
    import numpy as np
    import pandas as pd

    cols_of = resolved.columns
    col = resolved.header_of
    mapping = resolved.mapping
    n = len(frame)
    rcodes, rcats = _stripped(frame[col("region")])
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
    region = _categorical(rcodes, rcats)
    district = None
    if "district" in cols_of:
        dcodes, dcats = _stripped(frame[col("district")])
        pair, first = pd.factorize(rcodes * (len(dcats) + 1) + dcodes)
        pr, pd_ = first // (len(dcats) + 1), first % (len(dcats) + 1)
        ids = [f"{rcats[a]}/{dcats[b]}" for a, b in zip(pr, pd_, strict=True)]
        district = _categorical(pair, pd.Index(ids, dtype=object))
        district_names = dcats.take(dcodes)
    parent_cat = district if district is not None else region
    if station is not None:
        level = "station"
        parents = np.asarray(parent_cat.categories, dtype=object).take(parent_cat.codes)
        unit_id = np.array([f"{p}/{s}" for p, s in zip(parents, station, strict=True)], object)
        name = station
        parent = parent_cat
    elif district is not None:
        level = "district"
        unit_id = np.asarray(district.categories, dtype=object).take(district.codes)
        name = np.asarray(district_names, dtype=object)
        parent = region
    else:
        level = "region"
        unit_id = np.asarray(rcats, dtype=object).take(rcodes)
        name = unit_id
        parent = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[""])

    empty_cat = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[""])
    units = {
        "unit_id": pd.array(unit_id, dtype="string"),
        "name": pd.array(name, dtype="string"),
        "level": pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[level]),
        "parent": parent,
        "region": region,
        "district": district if district is not None else empty_cat,
        "abroad": _abroad(frame, resolved, src.name, lines),
    }
    for f in ("mission", "country"):
        units[f] = _categorical(*_stripped(frame[col(f)])) if f in cols_of else empty_cat
    units["code"] = (
        pd.array(np.asarray(_categorical(*_stripped(frame[col("code")])), object), dtype="string")
        if "code" in cols_of
        else pd.array(np.full(n, "", dtype=object), dtype="string")
    )
    for f in COUNT_FIELDS:
        units[f] = _count(frame, cols_of.get(f, []), src.name, notes, n)
    units["stations"] = np.full(n, np.nan)
    units["countries"] = np.full(n, np.nan)
    units["reported_turnout"] = (
        _percent_column(frame[col("reported_turnout")])
        if "reported_turnout" in cols_of
        else np.full(n, None, dtype=object)
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
            if role_of(h) is None and h not in cols_of.get("office", []):
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
        {slug(h): _count(frame, [h], src.name, notes, n) for h in option_cols}, copy=False
    )
    options = [
        Option(id=slug(h), name=h.strip(), kind=mapping.option_kinds.get(h, option_kind(h)))
        for h in option_cols
    ]
    rules = _rules(mapping)
    contests = _split_contests(frame, cols_of, units_df, votes, options, rules)
    return Election(
        name=_name_from(src.name),
        contests=contests,
        notes=notes,
        file=src.name,
        input_format="wide-csv",
    )


def _count(frame, headers: list[str], file: str, notes: list[Note], n: int):
    """One count per row; several columns are added up (NaN only where all are blank)."""
    import numpy as np

    if not headers:
        return np.full(n, np.nan)
    arrays = [_line_aware(frame, h, file, notes) for h in headers]
    if len(arrays) == 1:
        return arrays[0]
    stacked = np.vstack(arrays)
    total = np.nansum(stacked, axis=0)
    total[np.isnan(stacked).all(axis=0)] = np.nan
    return total


def _line_aware(frame, header: str, file: str, notes: list[Note]):
    """count_column, with positions mapped back to file lines after rows were dropped."""
    from ..errors import CountError

    try:
        return count_column(frame, header, file=file, notes=notes)
    except CountError as exc:
        if exc.line is not None:
            pos = exc.line - Table.LINE_OFFSET
            exc.line = int(frame.index[pos]) + Table.LINE_OFFSET
        raise


def _rules(mapping: Mapping) -> Rules:
    from decimal import Decimal

    r = mapping.rules
    default = Rules()
    return Rules(
        majority=str(r.get("majority", default.majority)),
        threshold_pct=Decimal(str(r.get("threshold_pct", default.threshold_pct))),
        runoff_size=int(r.get("runoff_size", default.runoff_size)),
        base_kinds=tuple(r.get("base_kinds", default.base_kinds)),
        share_base=r.get("share_base"),
    )


def _abroad(frame, resolved: Resolved, file: str, lines):
    import numpy as np

    mapping = resolved.mapping
    n = len(frame)
    if not mapping.abroad_column:
        return np.zeros(n, dtype=bool)
    column = resolved.header_of(mapping.abroad_column)
    if mapping.abroad_values:
        return _matches(frame[column], lambda v: any(m.matches(v) for m in mapping.abroad_values))
    return _abroad_column(frame[column], file, column, lines)


def _split_contests(frame, col_of, units, votes, options, rules=None) -> list[Contest]:
    import numpy as np

    rules = rules or Rules()
    if "office" not in col_of:
        return [Contest("main", "Main contest", None, options, units, votes, rules=rules)]
    office_col = col_of["office"]
    office_col = office_col[0] if isinstance(office_col, list) else office_col
    codes, cats = _stripped(frame[office_col])
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
                units[mask].reset_index(drop=True),
                sub_votes[[o.id for o in present]],
                rules=rules,
            )
        )
    return contests


def _abroad_column(col, file: str, column: str, lines):
    """A true/false column; decided once per distinct value."""
    import numpy as np

    series = col if str(col.dtype) == "category" else col.astype("category")
    cats = list(series.cat.categories.astype(str))
    verdict = {v: parse_bool(v) for v in cats}
    codes = series.cat.codes.to_numpy()
    for i, v in enumerate(cats):
        if verdict[v] is None:
            pos = int(np.flatnonzero(codes == i)[0])
            raise FormatError(
                f"abroad must be true/false/yes/no/1/0, not {v!r}",
                file=file,
                line=int(lines[pos]),
                column=column,
                hint="mark stations abroad with true or yes, others with false or no",
            )
    hit = np.array([bool(verdict[v]) for v in cats] + [False], dtype=bool)
    return hit[np.where(codes >= 0, codes, len(cats))]


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

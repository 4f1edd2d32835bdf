"""Long CSV: one row per unit and option.

Two layouts:

* OpenElections: ``county, precinct, office, district, party, candidate, votes``
  plus optional vote-type columns (``election_day``, ``absentee``…). ``office`` and
  ``district`` name the contest. Rows whose office or candidate is "Registered
  Voters" or "Ballots Cast" carry unit totals: for every contest when the office
  says so, for that contest when the candidate does.
* generic: ``region, district, station, option, votes`` (``district`` and
  ``station`` optional; ``office`` optional), where options named
  ``registered``/``ballots_cast``/``invalid`` carry the unit totals.
"""

from __future__ import annotations

from ..aggregates import drop_sum_units
from ..errors import FormatError, MissingColumnError
from ..model import Contest, Election, Note, Option, units_frame
from .headers import VOTE_TYPE_COLUMNS, is_aggregate_name, normalise_header, role_of, slug
from .options import TOTAL_OPTION, option_kind, total_row_field
from .source import InputSource
from .table import Table, count_column, read_header, read_table
from .wide import _name_from

UNIT_WIDE = "__all__"  # contest key of totals that belong to the unit, not one contest


def is_long_header(headers: list[str]) -> bool:
    roles = {role_of(h) for h in headers}
    return "votes" in roles and "option" in roles


def load_long(src: InputSource, *, encoding: str | None = None) -> Election:
    import numpy as np
    import pandas as pd

    headers, _, _, _ = read_header(src, encoding)
    norm = {h: normalise_header(h) for h in headers}
    openelections = "precinct" in norm.values() or "office" in norm.values()
    col_of: dict[str, str] = {}
    for h in headers:
        n = norm[h]
        if openelections and n == "district":
            col_of["contest_district"] = h
            continue
        if openelections and n == "county":
            col_of["region"] = h
            continue
        r = role_of(h)
        if r and r not in col_of:
            col_of[r] = h
    vote_types = [h for h in headers if norm[h] in VOTE_TYPE_COLUMNS]
    for role in ("option", "votes"):
        if role not in col_of and not (role == "votes" and vote_types):
            raise MissingColumnError(
                f"missing required column {role!r}",
                file=src.name,
                line=1,
                hint="a long file needs option (or candidate) and votes columns",
            )
    if "region" not in col_of and "station" not in col_of:
        raise MissingColumnError(
            "missing required column 'region' (or 'county'/'precinct')",
            file=src.name,
            line=1,
            hint="name the unit each row belongs to",
        )
    text_roles = (
        "region",
        "district",
        "station",
        "office",
        "contest_district",
        "party",
        "option",
        "abroad",
        "country",
        "mission",
    )
    text_cols = [col_of[r] for r in text_roles if r in col_of]
    table = read_table(src, encoding=encoding, text_columns=text_cols)
    notes: list[Note] = list(src.notes) + table.notes
    frame = table.frame
    keep = ~frame.isna().all(axis=1)
    lines = np.arange(len(frame)) + Table.LINE_OFFSET

    def text(role: str):
        if role not in col_of:
            return pd.Series([""] * len(frame), dtype=object)
        return frame[col_of[role]].fillna("").astype(str).str.strip()

    region, district, station = text("region"), text("district"), text("station")
    if "region" not in col_of:
        region = pd.Series(["(all)"] * len(frame), dtype=object)
    office, cdistrict, option, party = (
        text("office"),
        text("contest_district"),
        text("option"),
        text("party"),
    )
    votes = (
        count_column(frame, col_of["votes"], file=src.name, notes=notes)
        if "votes" in col_of
        else None
    )
    components = {
        normalise_header(h): count_column(frame, h, file=src.name, notes=notes) for h in vote_types
    }
    if votes is None:
        # Components but no total: the total is their sum.
        votes = np.nansum(np.vstack(list(components.values())), axis=0)
        notes.append(
            Note("votes-from-components", "votes = sum of the vote-type columns", src.name)
        )
    elif components:
        has_all = np.all([~np.isnan(c) for c in components.values()], axis=0)
        missing_total = np.isnan(votes) & has_all
        if missing_total.any():
            votes = votes.copy()
            votes[missing_total] = np.sum(
                np.vstack([c[missing_total] for c in components.values()]), axis=0
            )

    # Aggregate rows among the units: left out of every sum, with a warning.
    unit_names = station.where(station != "", region)
    aggregate = unit_names.map(is_aggregate_name) & keep
    total_option = option.map(lambda s: bool(TOTAL_OPTION.match(s))) & keep & ~aggregate
    for pos in np.flatnonzero(aggregate.to_numpy())[:1]:
        notes.append(
            Note(
                "aggregate-row",
                f"{int(aggregate.sum())} row(s) of an aggregate unit ({unit_names.iloc[pos]!r}) "
                "left out of every sum",
                file=src.name,
                line=int(lines[pos]),
                severity="warning",
            )
        )
    if total_option.any():
        pos = int(np.flatnonzero(total_option.to_numpy())[0])
        notes.append(
            Note(
                "total-option-row",
                f"{int(total_option.sum())} 'Total Votes' row(s) kept apart from the options",
                file=src.name,
                line=int(lines[pos]),
            )
        )
    keep &= ~aggregate & ~total_option

    # Rows that carry unit totals (Registered Voters, Ballots Cast).
    office_total = office.map(total_row_field)
    option_total = option.map(total_row_field)
    total_field = office_total.where(office_total.notna(), option_total)
    is_total = total_field.notna() & keep
    contest_key = (office + "\x1f" + cdistrict).where(office_total.isna(), UNIT_WIDE)

    df = pd.DataFrame(
        {
            "contest": contest_key,
            "office": office,
            "cdistrict": cdistrict,
            "region": region,
            "district": district,
            "station": station,
            "option": option,
            "party": party,
            "votes": votes,
            "line": lines,
        }
    )
    for name, arr in components.items():
        df[f"c:{name}"] = arr
    if "abroad" in col_of:
        from .wide import _abroad_column

        df["abroad"] = _abroad_column(frame[col_of["abroad"]], src.name, col_of["abroad"], lines)
    for role in ("country", "mission"):
        if role in col_of:
            df[role] = text(role)
    totals = df[is_total.to_numpy()].assign(field=total_field[is_total].to_numpy())
    rows = df[(keep & ~is_total).to_numpy()]
    if rows.empty:
        raise FormatError("no option rows", file=src.name, hint="the file holds no votes")
    election = Election(
        name=_name_from(src.name), notes=notes, file=src.name, input_format="long-csv"
    )
    for key in sorted(k for k in rows["contest"].unique()):
        sub = rows[rows["contest"] == key]
        contest = _build_contest(sub, totals, key, components)
        notes.extend(drop_sum_units(contest, src.name))
        election.contests.append(contest)
    return election


def _build_contest(sub, totals, key: str, components: dict) -> Contest:
    import numpy as np
    import pandas as pd

    office, cdistrict = key.split("\x1f")
    unit_keys = ["region", "district", "station"]
    # Options in file order; party labels exactly as the file gives them.
    first = sub.drop_duplicates("option")
    options = [
        Option(
            id=slug(name),
            name=name,
            party=(party or None),
            kind=option_kind(name),
        )
        for name, party in zip(first["option"], first["party"], strict=True)
    ]
    ids = {o.name: o.id for o in options}
    sub = sub.assign(option_id=sub["option"].map(ids))
    grouped = sub.groupby([*unit_keys, "option_id"], sort=False, observed=True)
    wide = grouped["votes"].sum(min_count=1).unstack("option_id")
    wide = wide.reindex(columns=[o.id for o in options])
    units_index = wide.index.to_frame(index=False)
    first_line = sub.groupby(unit_keys, sort=False, observed=True)["line"].min()
    first_line = first_line.reindex(pd.MultiIndex.from_frame(units_index)).to_numpy()

    region = units_index["region"].astype(str)
    district = units_index["district"].astype(str)
    station = units_index["station"].astype(str)
    has_district = (district != "").any()
    has_station = (station != "").any()
    district_id = region + "/" + district
    unit_id = region.copy()
    if has_district:
        unit_id = district_id
    if has_station:
        unit_id = unit_id + "/" + station
    level = "station" if has_station else "district" if has_district else "region"
    cols = {
        "unit_id": unit_id,
        "name": station if has_station else district if has_district else region,
        "level": np.full(len(units_index), level, dtype=object),
        "region": region,
        "district": district_id if has_district else None,
        "parent": (district_id if has_district else region) if level != "region" else None,
        "line": first_line,
    }
    attrs = [c for c in ("abroad", "country", "mission") if c in sub.columns]
    if attrs:
        by_unit = sub.groupby(unit_keys, sort=False, observed=True)[attrs].agg(
            {c: ("any" if c == "abroad" else "first") for c in attrs}
        )
        by_unit = by_unit.reindex(pd.MultiIndex.from_frame(units_index))
        for c in attrs:
            cols[c] = by_unit[c].to_numpy()
    # Unit totals: the contest's own rows win over unit-wide ones.
    for fld in ("registered", "ballots_cast", "invalid"):
        t = totals[(totals["field"] == fld) & totals["contest"].isin([key, UNIT_WIDE])]
        if t.empty:
            continue
        t = t.assign(own=(t["contest"] == key)).sort_values("own")
        by_unit = t.groupby([*unit_keys, "own"], observed=True)["votes"].sum(min_count=1)
        by_unit = by_unit.reset_index().drop_duplicates(unit_keys, keep="last")
        by_unit = by_unit.set_index(unit_keys)["votes"]
        cols[fld] = by_unit.reindex(pd.MultiIndex.from_frame(units_index)).to_numpy()
    units = units_frame(cols)
    votes = wide.reset_index(drop=True).astype("float64")
    comp_frames = {}
    for name in components:
        c = grouped[f"c:{name}"].sum(min_count=1).unstack("option_id")
        comp_frames[name] = (
            c.reindex(columns=[o.id for o in options]).reset_index(drop=True).astype("float64")
        )
    return Contest(
        id=slug(f"{office} {cdistrict}".strip()) if office else "main",
        office=office or "Main contest",
        district=cdistrict or None,
        options=options,
        units=units,
        votes=votes,
        components=comp_frames,
    )

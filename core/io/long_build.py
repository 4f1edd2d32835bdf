"""Contests from the counted rows of a long file.

The rows are grouped by contest once (a sort, not a scan per contest), so building
every contest costs time in proportion to the file, and one contest in proportion to
its own rows.
"""

from __future__ import annotations

from ..aggregates import drop_sum_units
from ..model import COUNT_FIELDS, Contest, Note, Option, units_frame
from .headers import normalise_header, slug
from .interpret import UNIT_RANKS
from .long_rows import UNIT_WIDE, LongRows
from .options import option_kind


def contest_label(key: str) -> tuple[str, str, str]:
    """The (id, name, office) a contest key gives its Contest, without building it."""
    office, cdistrict = key.split("\x1f")
    cid = slug(f"{office} {cdistrict}".strip()) if office else "main"
    shown = office or "Main contest"
    return cid, f"{shown} ({cdistrict})" if cdistrict else shown, shown


def build_contests(rows: LongRows, notes: list[Note], only: str | None = None) -> list[Contest]:
    """Every contest of the rows; with ``only`` (a --contest name that picks exactly one),
    that one alone: its frames are the only ones built."""
    import numpy as np
    import pandas as pd

    df = rows.df
    codes, keys = pd.factorize(df["contest"], sort=True)
    if only is not None:
        from ..report import match_contests

        labels = [contest_label(k) for k in keys]
        picked = match_contests(labels, only, [k.split("\x1f")[1] for k in keys])
        if not picked:
            from ..report import no_contest

            raise no_contest(only, [lbl[1] for lbl in labels], rows.file)
        if len(picked) == 1:  # otherwise every contest, and the selection says why
            keep = codes == picked[0]
            df, keys = df[keep], keys[picked]
            codes = np.zeros(len(df), dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    totals = rows.totals
    absent = 0
    contests = []
    summed: list[Note] = []
    for i, key in enumerate(keys):
        sub = df.iloc[order[bounds[i] : bounds[i + 1]]]
        own = totals[totals["contest"].isin([key, UNIT_WIDE])] if len(totals) else totals
        contest, missing = _build_contest(sub, own, key, rows)
        absent += missing
        summed += drop_sum_units(contest, rows.file)
        contests.append(contest)
    if summed:  # one note for the file, not one a contest
        first = summed[0]
        count = sum(int(n.message.split(" ", 1)[0]) for n in summed)
        rest = first.message.split(" ", 2)[2]  # after "N unit(s)"
        where = f" in {len(summed)} contests" if len(summed) > 1 else ""
        notes.append(
            Note(
                first.code,
                f"{count} unit(s){where} {rest}",
                file=first.file,
                line=first.line,
                severity=first.severity,
            )
        )
    if absent:
        notes.append(
            Note(
                "absent-options",
                f"{absent} (unit, option) pair(s) have no row: no votes there (not on that "
                "unit's ballot)",
                file=rows.file,
            )
        )
    return contests


def _options(sub) -> list[Option]:
    """Options in file order; party labels as the file gives them; ids kept apart."""
    first = sub.drop_duplicates("option")
    parties = sub[sub["party"] != ""].drop_duplicates("option").set_index("option")["party"]
    options, ids = [], set()
    for name in first["option"]:
        oid = base = slug(name)
        k = 2
        while oid in ids:  # two spellings, one slug: never merged silently
            oid, k = f"{base}_{k}", k + 1
        ids.add(oid)
        options.append(
            Option(id=oid, name=name, party=parties.get(name) or None, kind=option_kind(name))
        )
    return options


def _build_contest(sub, totals, key: str, rows: LongRows) -> tuple[Contest, int]:
    import numpy as np
    import pandas as pd

    office, cdistrict = key.split("\x1f")
    cid, _, shown_office = contest_label(key)
    keys = list(rows.unit_cols)
    options = _options(sub)
    ids = {o.name: o.id for o in options}
    sub = sub.assign(option_id=sub["option"].map(ids))
    grouped = sub.groupby([*keys, "option_id"], sort=False, observed=True)
    wide = grouped["votes"].sum(min_count=1).unstack("option_id")
    present = grouped["votes"].size().unstack("option_id")
    wide = wide.reindex(columns=[o.id for o in options])
    present = present.reindex(index=wide.index, columns=wide.columns)
    missing = present.isna().to_numpy()
    empty = wide.isna().all(axis=1).to_numpy()  # rows for the unit, no number in any
    if empty.any():
        rows.note(
            "empty-rows",
            f"{int(empty.sum())} unit(s) whose rows hold no number left out (first: "
            f"{' / '.join(map(str, np.atleast_1d(wide.index[empty][0])))!r})",
        )
        wide, present = wide[~empty], present[~empty]
        missing = present.isna().to_numpy()
    wide = wide.mask(missing, 0.0)  # an option with no row in a unit: not on its ballot
    units_index = wide.index.to_frame(index=False)
    unit_index = pd.MultiIndex.from_frame(units_index) if len(keys) > 1 else wide.index
    first_line = sub.groupby(keys, sort=False, observed=True)["line"].min()
    first_line = first_line.reindex(unit_index).to_numpy()

    parts = [units_index[k].astype(str) for k in keys]
    n = len(units_index)
    ranks = [UNIT_RANKS.get(normalise_header(h), 5) for h in rows.headers]
    if len(keys) == 1:
        level = "region"
    else:
        level = "station" if ranks[-1] >= 4 else "district"
    region = parts[0]
    unit_id = parts[0]
    for p in parts[1:]:
        unit_id = unit_id + "/" + p
    if len(keys) >= 3:
        district = parts[0]
        for p in parts[1:-1]:
            district = district + "/" + p
    elif level == "district":
        district = unit_id  # a district unit is its own district; its parent is its region
    else:
        district = None
    leaf = parts[-1]
    if len(keys) > 1:  # a row with a parent but no leaf: the parent's own votes
        parent_name = parts[-2]
        leaf = leaf.where(leaf != "", "(" + parent_name + ": no " + rows.headers[-1] + ")")
    cols = {
        "unit_id": unit_id,
        "name": leaf,
        "level": np.full(n, level, dtype=object),
        "region": region,
        "district": district,
        "parent": (district if level == "station" and district is not None else region)
        if level != "region"
        else None,
        "line": first_line,
    }
    attrs = [c for c in ("abroad", "country", "mission") if c in sub.columns]
    if attrs:
        by_unit = sub.groupby(keys, sort=False, observed=True)[attrs].agg(
            {c: ("any" if c == "abroad" else "first") for c in attrs}
        )
        by_unit = by_unit.reindex(unit_index)
        for c in attrs:
            cols[c] = by_unit[c].to_numpy()
    # Unit totals: the contest's own rows win over unit-wide ones.
    for fld in COUNT_FIELDS:
        t = totals[totals["field"] == fld] if len(totals) else totals
        if t.empty:
            continue
        t = t.assign(own=(t["contest"] == key)).sort_values("own")
        by_unit = t.groupby([*keys, "own"], observed=True)["votes"].sum(min_count=1)
        by_unit = by_unit.reset_index().drop_duplicates(keys, keep="last")
        by_unit = by_unit.set_index(keys)["votes"]
        cols[fld] = by_unit.reindex(unit_index).to_numpy()
    units = units_frame(cols)
    votes = wide.reset_index(drop=True).astype("float64")
    votes.columns.name = "option_id"
    comp_frames = {}
    for name in [c for c in sub.columns if c.startswith("c:")]:
        c = grouped[name].sum(min_count=1).unstack("option_id")
        comp_frames[name[2:]] = (
            c.reindex(index=wide.index, columns=[o.id for o in options])
            .reset_index(drop=True)
            .astype("float64")
        )
    contest = Contest(
        id=cid,
        office=shown_office,
        district=cdistrict or None,
        options=options,
        units=units,
        votes=votes,
        components=comp_frames,
    )
    return contest, int(missing.sum())

"""Regional totals, turnout extremes and the diaspora.

Station rows roll up to their region in one vectorised group-by; a region that
is itself a leaf (a summary file) keeps its own figures. Where no counts exist
the published turnout is used and marked ``reported``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .model import COUNT_FIELDS, Contest
from .numbers import as_json_number, pct
from .tally import LevelTotals, leaf_mask


def region_table(contest: Contest, *, with_votes: bool = False):
    """One row per region: name, abroad, counts (NaN if unknown), origin, reported turnout.

    A count is summed from the region's leaves when every leaf gives it
    (``origin_<field>`` = computed), else the region's own published figure
    (``reported``), else NaN. Regions come in the order of their first leaf.
    """
    import numpy as np
    import pandas as pd

    units, votes = contest.unit_frame, contest.votes
    leaves = leaf_mask(contest)
    codes, cats = region_codes(units)
    # Sums by region code: a million leaves, a hundred regions, no strings per row.
    take = leaves & (codes >= 0)
    take &= ~np.append(cats == "", False)[codes]
    every = bool(take.all())
    sel = codes if every else codes[take]
    k = len(cats)
    order = pd.unique(sel)
    size_all = np.bincount(sel, minlength=k)
    abroad_all = np.bincount(sel, weights=_rows(units["abroad"], take, every), minlength=k)
    columns = {f: units[f] for f in COUNT_FIELDS}
    if with_votes:
        columns.update({c: votes[c] for c in votes.columns})
    index = pd.Index(np.asarray(cats, dtype=object)[order], name="_key")
    size = pd.Series(size_all[order], index=index)
    region_units = _region_units(contest)
    known = region_units.index
    out = pd.DataFrame(index=index)
    out["name"] = [str(region_units.at[k, "name"]) if k in known else k for k in index]
    out["leaves"] = size
    own_abroad = [bool(region_units.at[k, "abroad"]) if k in known else False for k in index]
    out["abroad"] = (abroad_all[order] == size_all[order]) | np.array(own_abroad, dtype=bool)
    out["reported_turnout"] = [
        region_units.at[k, "reported_turnout"] if k in known else None for k in index
    ]
    # A region that is its own leaf: its figures are as published.
    own_leaf = size.eq(1) & index.isin(known)
    for col, series in columns.items():
        arr = _rows(series, take, every)
        missing = np.isnan(arr)
        if missing.any():
            sums = np.bincount(sel, weights=np.where(missing, 0.0, arr), minlength=k)[order]
            present = size_all[order] - np.bincount(sel, weights=missing, minlength=k)[order]
        else:
            sums = np.bincount(sel, weights=arr, minlength=k)[order]
            present = size_all[order]
        complete = pd.Series(present == size_all[order], index=index)
        sums = pd.Series(np.where(present > 0, sums, np.nan), index=index)  # min_count=1
        given = (
            region_units[col].reindex(index).astype("float64")
            if col in region_units.columns
            else pd.Series(np.nan, index=index)
        )
        value = sums.where(complete, given)
        out[col] = value
        if col in COUNT_FIELDS:
            origin = np.where(
                complete & ~own_leaf, "computed", np.where(value.notna(), "reported", "")
            )
            out[f"origin_{col}"] = origin
    return out


def region_codes(units):
    """The region column as (codes, category names): -1 where there is none."""
    import numpy as np
    import pandas as pd

    region = units["region"]
    if not isinstance(region.dtype, pd.CategoricalDtype):
        region = region.astype(str).astype("category")
    cats = pd.Index(region.cat.categories.astype(str), dtype=object)
    return region.cat.codes.to_numpy().astype(np.intp), cats


def _rows(series, take, every: bool):
    arr = series.to_numpy(dtype="float64", na_value=float("nan"))
    return arr if every else arr[take]


def _region_units(contest: Contest):
    """The region rows, by id (their labels are only built when there are some)."""
    import pandas as pd

    frame = contest.unit_frame
    mask = (frame["level"] == "region").to_numpy()
    if not mask.any():
        return pd.DataFrame(columns=["name", "abroad", "reported_turnout", *COUNT_FIELDS])
    # The labels of these rows only (a million stations' ids are not needed here).
    units = contest.table.subset(mask).frame
    return units.set_index(units["unit_id"].astype(str))


@dataclass(frozen=True)
class TurnoutRow:
    unit_id: str
    name: str
    turnout: Decimal | None
    origin: str  # computed | reported
    registered: int | None
    ballots_cast: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "name": self.name,
            "turnout_pct": as_json_number(self.turnout),
            "origin": self.origin,
            "registered": self.registered,
            "ballots_cast": self.ballots_cast,
        }


@dataclass
class TurnoutExtremes:
    top: int
    highest: list[TurnoutRow]
    lowest: list[TurnoutRow]
    abroad: list[TurnoutRow]
    ranked: int
    without_turnout: list[str] = field(default_factory=list)
    unweighted_mean: Decimal | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "top": self.top,
            "ranked_regions": self.ranked,
            "highest": [r.to_dict() for r in self.highest],
            "lowest": [r.to_dict() for r in self.lowest],
            "abroad": [r.to_dict() for r in self.abroad],
            "without_turnout": self.without_turnout,
            "unweighted_mean_pct": as_json_number(self.unweighted_mean),
        }


def _int(v) -> int | None:
    return None if v is None or v != v else int(v)


def regional_turnouts(contest: Contest, table=None) -> list[tuple[TurnoutRow, bool]]:
    """Every region's turnout, with whether it is abroad."""
    table = region_table(contest) if table is None else table
    rows = []
    for uid, r in table.iterrows():
        reg, cast = _int(r["registered"]), _int(r["ballots_cast"])
        t = pct(cast, reg)
        origin = "computed"
        if (
            t is None
            and r["reported_turnout"] is not None
            and r["reported_turnout"] == r["reported_turnout"]
        ):
            t, origin = Decimal(r["reported_turnout"]), "reported"
        elif t is not None and "reported" in (r["origin_registered"], r["origin_ballots_cast"]):
            origin = "reported"
        rows.append((TurnoutRow(str(uid), str(r["name"]), t, origin, reg, cast), bool(r["abroad"])))
    return rows


def turnout_extremes(contest: Contest, top: int = 3) -> TurnoutExtremes:
    """The ``top`` highest and lowest regions by turnout; units abroad listed apart."""
    rows = regional_turnouts(contest)
    # (turnout, row) for the units at home whose turnout is known.
    home = [(t, r) for r, abroad in rows if not abroad and (t := r.turnout) is not None]
    abroad = [r for r, is_abroad in rows if is_abroad]
    missing = [r.name for r, abroad in rows if not abroad and r.turnout is None]
    highest = [r for _, r in sorted(home, key=lambda tr: (-tr[0], tr[1].name))[:top]]
    lowest = [r for _, r in sorted(home, key=lambda tr: (tr[0], tr[1].name))[:top]]
    mean = None
    if home:
        mean = (sum((t for t, _ in home), Decimal(0)) / len(home)).quantize(Decimal("0.01"))
    return TurnoutExtremes(top, highest, lowest, abroad, len(home), missing, mean)


@dataclass(frozen=True)
class DiasporaOption:
    option_id: str
    name: str
    abroad_votes: int | None
    abroad_share: Decimal | None
    home_votes: int | None
    home_share: Decimal | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "name": self.name,
            "abroad_votes": self.abroad_votes,
            "abroad_share_pct": as_json_number(self.abroad_share),
            "home_votes": self.home_votes,
            "home_share_pct": as_json_number(self.home_share),
        }


@dataclass
class Diaspora:
    present: bool
    units: list[str] = field(default_factory=list)
    stations: int | None = None
    missions: int | None = None
    countries: int | None = None
    registered: int | None = None
    ballots_cast: int | None = None
    turnout: Decimal | None = None
    reported_turnout: Decimal | None = None
    share_of_ballots: Decimal | None = None
    options: list[DiasporaOption] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "units": self.units,
            "stations": self.stations,
            "missions": self.missions,
            "countries": self.countries,
            "registered": self.registered,
            "ballots_cast": self.ballots_cast,
            "turnout_pct": as_json_number(self.turnout),
            "reported_turnout_pct": as_json_number(self.reported_turnout),
            "share_of_ballots_pct": as_json_number(self.share_of_ballots),
            "options": None if self.options is None else [o.to_dict() for o in self.options],
        }


def diaspora(contest: Contest, national: LevelTotals) -> Diaspora:
    """Voting abroad: stations, missions, countries, turnout, and each option abroad vs home."""
    import numpy as np

    units, votes = contest.unit_frame, contest.votes
    leaves = leaf_mask(contest)
    region_units = _region_units(contest)
    region_abroad = set(region_units.index[region_units["abroad"].astype(bool).to_numpy()])
    codes, cats = region_codes(units)
    by_region = np.append(cats.isin(region_abroad), False)[codes]
    abroad = leaves & (units["abroad"].to_numpy(dtype=bool) | by_region)
    if not abroad.any():
        return Diaspora(present=False)
    au = units[abroad]
    keys = {str(cats[c]) for c in np.unique(codes[abroad]) if c >= 0 and cats[c] != ""}
    if (codes[abroad] < 0).any() or (np.append(cats == "", True)[codes[abroad]]).any():
        no_region = au[(au["region"].astype(str) == "").to_numpy()]
        keys |= {str(n) for n in contest.units.loc[no_region.index, "name"]}
    names = [_unit_name(contest, n) for n in sorted(keys)]

    def total(col) -> int | None:
        arr = col.to_numpy(dtype="float64")
        return None if np.isnan(arr).any() else int(arr.sum())

    station_attr = au["stations"].to_numpy(dtype="float64")
    is_station = (au["level"] == "station").to_numpy()
    if np.isnan(station_attr[~is_station]).any():
        stations = None
    else:
        stations = int(
            np.nansum(station_attr) + np.count_nonzero(is_station & np.isnan(station_attr))
        )
    countries_named = _distinct(au["country"])
    countries: int | None
    if countries_named:
        countries = len(countries_named)
    else:
        attr = au["countries"].to_numpy(dtype="float64")
        countries = None if np.isnan(attr).any() else int(attr.sum())
    missions_named = _distinct(au["mission"])
    missions = len(missions_named) or None
    registered, cast = total(au["registered"]), total(au["ballots_cast"])
    reported = None
    if len(au) == 1 and au["reported_turnout"].iloc[0] is not None:
        reported = au["reported_turnout"].iloc[0]
    options = None
    base_ids = contest.base_option_ids()
    av = votes[abroad]
    if base_ids and not av[base_ids].isna().to_numpy().any():
        abroad_votes = {o: int(av[o].sum()) for o in base_ids}
        abroad_base = sum(abroad_votes.values())
        nat = {o: v for o in base_ids if (v := national.votes[o].value) is not None}
        home_known = len(nat) == len(base_ids)
        home_votes = {o: nat[o] - abroad_votes[o] for o in base_ids} if home_known else {}
        home_base = sum(home_votes.values()) if home_known else None
        options = [
            DiasporaOption(
                o,
                contest.option(o).name,
                abroad_votes[o],
                pct(abroad_votes[o], abroad_base),
                home_votes.get(o),
                pct(home_votes.get(o), home_base),
            )
            for o in sorted(base_ids, key=lambda o: -abroad_votes[o])
        ]
    return Diaspora(
        present=True,
        units=names,
        stations=stations,
        missions=missions,
        countries=countries,
        registered=registered,
        ballots_cast=cast,
        turnout=pct(cast, registered),
        reported_turnout=reported,
        share_of_ballots=pct(cast, national.value("ballots_cast")),
        options=options,
    )


def _distinct(series) -> set[str]:
    """The non-blank values of a (usually categorical) column."""
    import pandas as pd

    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.cat.remove_unused_categories().cat.categories.to_series()
    return {v for v in series.astype(str) if v}


def _unit_name(contest: Contest, unit_id: str) -> str:
    """The name of the unit with this id, or the id itself when the file has no such unit."""
    frame = contest.unit_frame
    others = (frame["level"] != "station").to_numpy()
    if "unit_id" not in frame.columns and not others.any():
        # Deferred station ids contain their parent's and a "/": never a region's id.
        return unit_id
    if contest.table.pending_labels and others.any():
        # Ids are unique and a region is never a station: look there first, building
        # the labels of those units only.
        units = contest.table.subset(others).frame
        hit = (units["unit_id"] == unit_id).to_numpy()
        if hit.any():
            return str(units.loc[hit, "name"].iloc[0])
    units = contest.units
    hit = (units["unit_id"] == unit_id).to_numpy()
    return str(units.loc[hit, "name"].iloc[0]) if hit.any() else unit_id

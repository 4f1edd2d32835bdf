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
    (``reported``), else NaN.
    """
    import numpy as np
    import pandas as pd

    units, votes = contest.units, contest.votes
    leaves = leaf_mask(contest)
    leaf_units = units[leaves]
    key = leaf_units["region"].astype(str).to_numpy()
    has_region = key != ""
    fields = list(COUNT_FIELDS)
    data = leaf_units.loc[has_region, fields].copy()
    if with_votes:
        data = pd.concat([data, votes[leaves][has_region]], axis=1)
    data["_abroad"] = leaf_units.loc[has_region, "abroad"].to_numpy()
    data["_key"] = key[has_region]
    grouped = data.groupby("_key", sort=False)
    sums = grouped[[c for c in data.columns if not c.startswith("_")]].sum(min_count=1)
    present = grouped[[c for c in data.columns if not c.startswith("_")]].count()
    size = grouped.size()
    all_abroad = grouped["_abroad"].all()

    region_units = units[(units["level"] == "region").to_numpy()].set_index(
        units.loc[(units["level"] == "region").to_numpy(), "unit_id"].astype(str)
    )
    out = pd.DataFrame(index=sums.index)
    out["name"] = [
        str(region_units.at[k, "name"]) if k in region_units.index else k for k in out.index
    ]
    out["leaves"] = size
    out["abroad"] = all_abroad | pd.Series(
        [
            bool(region_units.at[k, "abroad"]) if k in region_units.index else False
            for k in out.index
        ],
        index=out.index,
    )
    out["reported_turnout"] = [
        region_units.at[k, "reported_turnout"] if k in region_units.index else None
        for k in out.index
    ]
    for col in sums.columns:
        complete = present[col] == size
        given = (
            region_units[col].reindex(out.index)
            if col in region_units.columns
            else pd.Series(np.nan, index=out.index)
        )
        # A region that is its own leaf: its figures are as published.
        own_leaf = size.eq(1) & out.index.isin(region_units.index)
        value = sums[col].where(complete, given)
        out[col] = value
        if col in COUNT_FIELDS:
            origin = np.where(
                complete & ~own_leaf, "computed", np.where(value.notna(), "reported", "")
            )
            out[f"origin_{col}"] = origin
    return out


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
    home = [r for r, abroad in rows if not abroad and r.turnout is not None]
    abroad = [r for r, is_abroad in rows if is_abroad]
    missing = [r.name for r, abroad in rows if not abroad and r.turnout is None]
    highest = sorted(home, key=lambda r: (-r.turnout, r.name))[:top]
    lowest = sorted(home, key=lambda r: (r.turnout, r.name))[:top]
    mean = None
    if home:
        mean = (sum(r.turnout for r in home) / len(home)).quantize(Decimal("0.01"))
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

    units, votes = contest.units, contest.votes
    leaves = leaf_mask(contest)
    region_abroad = set(
        units.loc[((units["level"] == "region") & units["abroad"]).to_numpy(), "unit_id"].astype(
            str
        )
    )
    abroad = leaves & (
        units["abroad"].to_numpy() | units["region"].astype(str).isin(region_abroad).to_numpy()
    )
    if not abroad.any():
        return Diaspora(present=False)
    au = units[abroad]
    names = sorted({str(n) for n in au["region"].astype(str).where(au["region"] != "", au["name"])})
    names = [
        str(units.loc[(units["unit_id"] == n).to_numpy(), "name"].iloc[0])
        if (units["unit_id"] == n).any()
        else n
        for n in names
    ]

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
    countries_named = {c for c in au["country"].astype(str) if c}
    if countries_named:
        countries = len(countries_named)
    else:
        attr = au["countries"].to_numpy(dtype="float64")
        countries = None if np.isnan(attr).any() else int(attr.sum())
    missions_named = {m for m in au["mission"].astype(str) if m}
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
        nat = {o: national.votes[o].value for o in base_ids}
        home_known = all(v is not None for v in nat.values())
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

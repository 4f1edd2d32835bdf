"""The contest of a long file read in chunks: the chunks' sums as the model's frames."""

from __future__ import annotations

from ..errors import FormatError
from ..model import COUNT_FIELDS, Contest, Option, UnitTable
from .headers import is_aggregate_name, slug
from .long_fast_arrays import (
    _KEY_SHIFT,
    NotFast,
    _blank_categorical,
    _LineLabels,
    _sorted_categorical,
    _unit_order,
    _used,
)
from .options import option_kind
from .wide_columns import LabelsByLine, StationLabels, deferred_ids


def contest_of(self) -> Contest:
    """The contest of a file read in chunks, from the chunks' sums."""
    import numpy as np
    import pandas as pd

    if not self.parts:
        raise FormatError("no option rows", file=self.src.name, hint="the file holds no votes")
    data = self._combined()
    has = data["rows"] > 0  # units with no option rows are not units
    if not has.any():
        raise FormatError("no option rows", file=self.src.name, hint="the file holds no votes")
    rows = None if has.all() else np.flatnonzero(has)
    key = data["key"] if rows is None else data["key"][rows]
    pair = key >> _KEY_SHIFT
    station = key & ((1 << _KEY_SHIFT) - 1)
    pairs = np.array(self.pairs.labels, dtype=np.int64).reshape(-1, 2)
    region, district = pairs[pair, 0], pairs[pair, 1]
    line = data["line"] if rows is None else data["line"][rows]
    order = _unit_order(line, region, district, station)
    take = order if rows is None else rows[order]  # one copy of each array, not two
    for n in data:  # one array at a time: the old one goes as the new one comes
        data[n] = data[n][take]
    region, district, station, pair = (
        region[order],
        district[order],
        station[order],
        pair[order],
    )
    line = data["line"]
    n = len(line)
    rlabels = np.array(self.regions.labels, dtype=object)
    dlabels = np.array(self.districts.labels, dtype=object)
    has_district = bool((dlabels[_used(district, len(dlabels))] != "").any())
    labels: LabelsByLine
    if self.numbers:
        has_station = True
        labels = StationLabels(
            self.src, self.enc, self.delimiter, self.col_of["station"], self.rows
        )
    else:
        slabels = np.array(self.stations.labels, dtype=object)
        has_station = bool((slabels[_used(station, len(slabels))] != "").any())
        labels = _LineLabels(line, slabels[station])
    level = "station" if has_station else "district" if has_district else "region"
    named = [*rlabels[_used(region, len(rlabels))], *dlabels[_used(district, len(dlabels))]]
    if not self.numbers:
        named += list(slabels[_used(station, len(slabels))])
    if any(is_aggregate_name(str(v)) for v in named):
        raise NotFast  # a "Total" unit: the general path leaves it out and says so
    pair_ids = np.array([f"{rlabels[r]}/{dlabels[d]}" for r, d in self.pairs.labels], dtype=object)
    region_cat = _sorted_categorical(region, rlabels)
    district_cat = _sorted_categorical(pair, pair_ids) if has_district else _blank_categorical(n)
    if level == "region":
        parent_cat = _blank_categorical(n)
    elif level == "district":
        parent_cat = region_cat  # a district's parent is its region, never itself
    else:
        parent_cat = district_cat if has_district else region_cat
    units: dict = {}
    deferred: dict = {}
    if has_station:
        deferred = deferred_ids(labels)
    else:
        ids = pair_ids[pair] if has_district else rlabels[region]
        names = dlabels[district] if has_district else rlabels[region]
        units["unit_id"] = pd.array(ids, dtype="string")
        units["name"] = pd.array(names, dtype="string")
    units["level"] = pd.Categorical.from_codes(
        np.zeros(n, dtype=np.int8), categories=pd.Index([level])
    )
    units["parent"] = parent_cat
    units["region"] = region_cat
    units["district"] = district_cat
    units["abroad"] = data["abroad"] if "abroad" in data else np.zeros(n, dtype=bool)
    for role in ("mission", "country"):
        if role in data:
            names = np.array(self.places[role].labels, dtype=object)
            units[role] = _sorted_categorical(data[role], names)
        else:
            units[role] = _blank_categorical(n)
    units["code"] = _blank_categorical(n)
    for i, fld in enumerate(COUNT_FIELDS):
        units[fld] = data["counts"][:, i] if "counts" in data else np.full(n, np.nan)
    units["stations"] = np.full(n, np.nan)
    units["countries"] = np.full(n, np.nan)
    units["reported_turnout"] = pd.Series(np.full(n, None, dtype=object), dtype=object)
    units["line"] = line.astype("float64")
    frame = pd.DataFrame(units, copy=False)
    options = []
    for c in self.option_order:
        name = self.options.labels[c]
        options.append(Option(id=slug(name), name=name, party=None, kind=option_kind(name)))
    if len({o.id for o in options}) < len(options):
        raise NotFast  # two names, one id: the general path adds them up
    values = data["votes"]
    blank = np.isnan(values)
    values[blank] = 0.0  # an option with no row in a unit: not on its ballot
    self.absent = int(blank.sum())
    if self.blank:  # rows with a blank count and no number for the pair on any row
        keys = np.concatenate([k for k, _ in self.blank])
        codes = np.concatenate([c for _, c in self.blank])
        at = pd.Index(data["key"]).get_indexer(keys)
        col = np.full(len(self.options.labels), -1, dtype=np.int64)
        col[self.option_order] = np.arange(len(self.option_order))
        ok = at >= 0
        row, c = at[ok], col[codes[ok]]
        given = np.unique(row * len(options) + c)
        row, c = given // len(options), given % len(options)
        nothing = blank[row, c]
        values[row[nothing], c[nothing]] = np.nan
        self.absent -= int(nothing.sum())
        if np.isnan(values[np.unique(row[nothing])]).all(axis=1).any():
            raise NotFast  # a unit whose rows hold no number: the general path says so
    votes = pd.DataFrame({o.id: values[:, i] for i, o in enumerate(options)}, copy=False)
    votes.columns.name = "option_id"
    names = (*rlabels[_used(region, len(rlabels))], *dlabels[_used(district, len(dlabels))])
    slash = any("/" in str(v) for v in names)
    # Station ids hold their parent's and a "/": no station is another's parent.
    every_leaf = level == "region" or (level == "station" and not slash)
    return Contest(
        id="main",
        office="Main contest",
        district=None,
        options=options,
        table=UnitTable(frame, labels=deferred, every_leaf=every_leaf),
        votes=votes,
    )

"""Results per unit: every region, district or station with its votes, shares, leader,
margin and turnout, as one vectorised frame.

A unit at the asked level is summed from the leaves under it (stations roll up to
their district and region in one pass of ``numpy.bincount``); a unit that is itself a
leaf keeps its own figures. A count is the sum when every leaf below gives it, else
the unit's own published figure, else unknown; a vote cell left empty counts as no
votes for that option there (a list that did not stand in that region), and a unit
with no vote figures at all has no shares and no leader.

Percentages are kept as whole hundredths (``8131`` = 81.31 %) computed from the
integer counts and rounded half-up, exactly as :func:`elect.core.numbers.pct` does one
at a time, so a share printed here equals the one ``elect shares`` prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import DataError, SelectionError
from .model import COUNT_FIELDS, LEVELS, Contest, Option
from .numbers import round_pct
from .tally import BASES, leaf_mask

LEVEL_ALIASES = {"regions": "region", "districts": "district", "stations": "station"}


@dataclass
class UnitResults:
    """One row per unit at ``level``: the frame, the options in order, and the query."""

    contest: Contest
    level: str
    base: str
    options: list[Option]  # display order: the base options by total votes, then the rest
    frame: Any  # pandas DataFrame, see unit_results()
    units: int  # before filtering
    sort: str | None = None
    filters: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.frame)

    def header(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "base": self.base,
            "units": self.units,
            "shown": len(self.frame),
            "sort": self.sort,
            "filters": self.filters,
            "options": [o.to_dict() for o in self.options],
        }

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each unit as a JSON-ready dict, votes and shares nested by option id."""
        for flat in self.flat_rows():
            row = {k: v for k, v in flat.items() if ":" not in k}
            row["votes"] = {o.id: flat[f"votes:{o.id}"] for o in self.options}
            row["shares_pct"] = {o.id: flat[f"share:{o.id}"] for o in self.options}
            yield row

    def flat_columns(self) -> list[str]:
        """The keys of every flat row, also when no row is left after filtering."""
        head = ["unit_id", "name", "level"]
        if self.level != "region":
            head.append("region")
        if self.level == "station":
            head.append("district")
        head += [
            "abroad", "registered", "ballots_cast", "invalid", "valid", "turnout_pct",
            "turnout_origin", "leader", "leader_name", "leader_share_pct", "runner_up",
            "runner_up_name", "margin_votes", "margin_pp", "tie",
        ]  # fmt: skip
        head += [f"votes:{o.id}" for o in self.options]
        return head + [f"share:{o.id}" for o in self.options]

    def flat_rows(self) -> Iterator[dict[str, Any]]:
        """Each unit as a flat dict (CSV, markdown, workbook): ``votes:ID``, ``share:ID``."""
        f = self.frame
        names = {o.id: o.name for o in self.options}
        cols = {c: f[c].to_numpy() for c in f.columns}
        with_region = self.level != "region"
        for i in range(len(f)):
            leader = cols["leader"][i] or None
            runner = cols["runner_up"][i] or None
            row: dict[str, Any] = {
                "unit_id": cols["unit_id"][i],
                "name": cols["name"][i],
                "level": self.level,
            }
            if with_region:
                row["region"] = cols["region_name"][i] or None
            if self.level == "station":
                row["district"] = cols["district_name"][i] or None
            row.update(
                {
                    "abroad": bool(cols["abroad"][i]),
                    "registered": _int(cols["registered"][i]),
                    "ballots_cast": _int(cols["ballots_cast"][i]),
                    "invalid": _int(cols["invalid"][i]),
                    "valid": _int(cols["valid"][i]),
                    "turnout_pct": _pct(cols["turnout_h"][i]),
                    "turnout_origin": cols["turnout_origin"][i] or None,
                    "leader": leader,
                    "leader_name": names.get(leader) if leader else None,
                    "leader_share_pct": _pct(cols["leader_share_h"][i]),
                    "runner_up": runner,
                    "runner_up_name": names.get(runner) if runner else None,
                    "margin_votes": _int(cols["margin_votes"][i]),
                    "margin_pp": _pct(cols["margin_h"][i]),
                    "tie": bool(cols["tie"][i]),
                }
            )
            for o in self.options:
                row[f"votes:{o.id}"] = _int(cols[f"votes:{o.id}"][i])
            for o in self.options:
                row[f"share:{o.id}"] = _pct(cols[f"share:{o.id}"][i])
            yield row

    def share(self, i: int, option_id: str) -> Decimal | None:
        """The share of OPTION in row I as a Decimal (for tests and renderers)."""
        h = self.frame[f"share:{option_id}"].iloc[i]
        return None if h != h else Decimal(int(h)).scaleb(-2)


def _int(v) -> int | None:
    return None if v is None or v != v else int(v)


def _pct(h) -> float | None:
    """Hundredths → a float that prints as the two-decimal figure (8131 → 81.31)."""
    return None if h is None or h != h else int(h) / 100


def pct_h(num, den):
    """Vectorised :func:`~elect.core.numbers.pct` in hundredths: NaN where undefined."""
    import numpy as np

    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    ok = ~np.isnan(num) & ~np.isnan(den) & (den != 0)
    out = np.full(num.shape, np.nan)
    n = np.where(ok, num, 0).astype(np.int64)
    d = np.where(ok, den, 1).astype(np.int64)
    sign = np.where((n < 0) != (d < 0), -1, 1)
    n, d = np.abs(n), np.abs(d)
    q = (2 * n * 10_000 + d) // (2 * d)
    out[ok] = (sign * q)[ok]
    return out


def resolve_level(contest: Contest, level: str) -> str:
    key = LEVEL_ALIASES.get(level.strip().lower(), level.strip().lower())
    present = _levels_present(contest)
    if key not in LEVELS or key == "nation":
        raise SelectionError(
            f"unknown level {level!r}",
            hint="levels: region, district or station",
            fix=("by", "region"),
        )
    if key not in present:
        have = ", ".join(f"{lv} ({n:,})" for lv, n in present.items() if lv != "nation")
        raise DataError(
            f"this file has no {key} level",
            hint=f"levels in the file: {have or 'none below the nation'}",
        )
    return key


def _levels_present(contest: Contest) -> dict[str, int]:
    """How many units each level has: rows of that level, or distinct keys in the leaves."""
    import numpy as np

    units = contest.unit_frame
    leaves = leaf_mask(contest)
    out: dict[str, int] = {}
    for lv in LEVELS:
        if lv in ("region", "district"):
            keys = units[lv].to_numpy()[leaves]
            n = len({k for k in np.unique(keys.astype(str)) if k})
        else:
            n = int(((units["level"] == lv).to_numpy() & leaves).sum())
        if n:
            out[lv] = n
    return out


def unit_results(contest: Contest, level: str = "region", *, base: str | None = None):
    """Every unit at LEVEL with its counts, votes, shares, leader, margin and turnout."""
    import numpy as np
    import pandas as pd

    level = resolve_level(contest, level)
    base = base or contest.rules.share_base or "valid"
    if base not in BASES:
        raise SelectionError(f"unknown base {base!r}", hint=f"use one of {', '.join(BASES)}")
    table = _aggregate(contest, level)
    ids = [o.id for o in contest.options]
    # One column per option; a contest with no options has none, and then no unit has a
    # vote (all() over no column is True) and every valid total is NaN.
    votes: np.ndarray = (
        np.column_stack([table[f"votes:{i}"].to_numpy() for i in ids])
        if ids
        else np.empty((len(table), 0))
    )
    base_ids = set(contest.base_option_ids())
    in_base = np.array([i in base_ids for i in ids], dtype=bool)
    any_vote = ~np.isnan(votes).all(axis=1)
    filled = np.where(np.isnan(votes), 0.0, votes)
    # As the tally has it: a blank cell is unknown (a mapping's blank = "zero" says
    # otherwise when the file is read), so a unit with one is no base for shares.
    known = ~np.isnan(votes[:, in_base]).any(axis=1)
    valid = np.where(any_vote & known, filled[:, in_base].sum(axis=1), np.nan)
    table["valid"] = valid
    if base == "valid":
        denominator = table["valid"].to_numpy()
    elif base == "counted":
        denominator = table["valid"].to_numpy() + table["invalid"].to_numpy()
    elif base == "cast":
        denominator = table["ballots_cast"].to_numpy()
    else:
        denominator = table["registered"].to_numpy()
    shares = {}
    for j, oid in enumerate(ids):
        h = pct_h(np.where(any_vote, filled[:, j], np.nan), denominator)
        if base == "valid" and not in_base[j]:
            h = np.full(len(table), np.nan)
        shares[oid] = h
        table[f"share:{oid}"] = h
    _leaders(contest, table, filled, shares, any_vote)
    turnout = pct_h(table["ballots_cast"].to_numpy(), table["registered"].to_numpy())
    reported = np.array(
        [_hundredths(v) for v in table["reported_turnout"].to_numpy()], dtype="float64"
    )
    use_reported = np.isnan(turnout) & ~np.isnan(reported)
    table["turnout_h"] = np.where(use_reported, reported, turnout)
    table["turnout_origin"] = np.where(
        use_reported, "reported", np.where(np.isnan(turnout), "", "computed")
    )
    order = sorted(range(len(ids)), key=lambda j: (not in_base[j], -np.nansum(votes[:, j])))
    options = [contest.options[j] for j in order]
    table = table.reset_index(drop=True)
    return UnitResults(contest, level, base, options, pd.DataFrame(table), len(table))


def _hundredths(v) -> float:
    if v is None or (isinstance(v, float) and v != v):
        return float("nan")
    rounded = round_pct(v)
    return float("nan") if rounded is None else float(rounded * 100)


def _leaders(contest: Contest, table, filled, shares, any_vote) -> None:
    """Leader, runner-up, margin among the candidates (not 'against all' or blanks)."""
    import numpy as np

    n = len(table)
    base_ids = set(contest.base_option_ids())
    cands = [j for j, o in enumerate(contest.options) if o.is_candidate and o.id in base_ids]
    leader = np.full(n, "", dtype=object)
    runner = np.full(n, "", dtype=object)
    lead_h = np.full(n, np.nan)
    margin_votes = np.full(n, np.nan)
    margin_h = np.full(n, np.nan)
    tie = np.zeros(n, dtype=bool)
    if cands and n:
        ids = np.array([contest.options[j].id for j in cands], dtype=object)
        v = filled[:, cands]
        order = np.argsort(-v, axis=1, kind="stable")
        rows = np.arange(n)
        top, top_v = order[:, 0], v[rows, order[:, 0]]
        has = any_vote & (top_v > 0)
        leader[has] = ids[top[has]]
        lead_share = np.column_stack([shares[i] for i in ids])
        lead_h[has] = lead_share[rows, top][has]
        if len(cands) > 1:
            second = order[:, 1]
            second_v = v[rows, second]
            runner[has] = ids[second[has]]
            margin_votes[has] = (top_v - second_v)[has]
            margin_h[has] = (lead_share[rows, top] - lead_share[rows, second])[has]
            tie = has & (top_v == second_v)
            leader[tie] = ""
    table["leader"] = leader
    table["runner_up"] = runner
    table["leader_share_h"] = lead_h
    table["margin_votes"] = margin_votes
    table["margin_h"] = margin_h
    table["tie"] = tie


def _aggregate(contest: Contest, level: str):
    """The units at LEVEL: unit_id, name, region_name, abroad, counts, votes:ID."""
    import numpy as np
    import pandas as pd

    frame = contest.unit_frame
    leaves = leaf_mask(contest)
    votes = contest.votes
    if level == "station":
        take = leaves & (frame["level"] == "station").to_numpy()
        units = contest.units
        sub = units[take]
        out = pd.DataFrame(
            {
                "unit_id": sub["unit_id"].astype(str).to_numpy(),
                "name": sub["name"].astype(str).to_numpy(),
                "region_name": _region_names(contest, sub["region"]),
                "district_name": [
                    str(d).rpartition("/")[2] for d in sub["district"].astype(str).tolist()
                ],
                "abroad": sub["abroad"].to_numpy(dtype=bool),
                "reported_turnout": sub["reported_turnout"].to_numpy(),
            }
        )
        for col in COUNT_FIELDS:
            out[col] = sub[col].to_numpy(dtype="float64")
        vsub = votes[take]
        for o in contest.options:
            out[f"votes:{o.id}"] = vsub[o.id].to_numpy(dtype="float64")
        return out
    keys = frame[level]
    if not isinstance(keys.dtype, pd.CategoricalDtype):
        keys = keys.astype(str).astype("category")
    cats = np.asarray(keys.cat.categories.astype(str), dtype=object)
    codes = keys.cat.codes.to_numpy().astype(np.intp)
    take = leaves & (codes >= 0)
    take &= np.append(cats != "", False)[codes]
    sel = codes[take]
    k = len(cats)
    order = pd.unique(sel)
    size = np.bincount(sel, minlength=k)[order]
    own = _own_units(contest, level)
    key_names = [str(c) for c in cats[order]]
    out = pd.DataFrame({"unit_id": key_names})
    out["name"] = [own["name"].get(key) or _short_name(key, frame, level) for key in key_names]
    abroad_leaves = np.bincount(sel, weights=frame["abroad"].to_numpy(bool)[take], minlength=k)
    out["abroad"] = (abroad_leaves[order] == size) | np.array(
        [bool(own["abroad"].get(key, False)) for key in key_names], dtype=bool
    )
    out["reported_turnout"] = [own["reported_turnout"].get(key) for key in key_names]
    if level == "district":
        first_region: dict[int, Any] = {}  # district code → its first leaf's region
        region_col = frame["region"].to_numpy()[take]
        for code, reg in zip(sel, region_col, strict=True):
            first_region.setdefault(code, reg)
        out["region_name"] = _region_names(contest, [first_region[c] for c in order])
    else:
        out["region_name"] = ""
    columns = {c: frame[c] for c in COUNT_FIELDS}
    columns.update({f"votes:{o.id}": votes[o.id] for o in contest.options})
    for col, series in columns.items():
        arr = series.to_numpy(dtype="float64", na_value=np.nan)[take]
        missing = np.isnan(arr)
        sums = np.bincount(sel, weights=np.where(missing, 0.0, arr), minlength=k)[order]
        present = size - np.bincount(sel, weights=missing, minlength=k)[order]
        if col.startswith("votes:"):
            out[col] = np.where(present > 0, sums, np.nan)
            continue
        given = np.array([own[col].get(key, np.nan) for key in key_names], dtype="float64")
        out[col] = np.where(present == size, sums, given)
    return out


def _own_units(contest: Contest, level: str) -> dict[str, dict[str, Any]]:
    """The rows of LEVEL in the file, by id: their name, abroad flag and own figures."""
    frame = contest.unit_frame
    mask = (frame["level"] == level).to_numpy()
    fields = ("name", "abroad", "reported_turnout", *COUNT_FIELDS)
    if not mask.any():
        return {f: {} for f in fields}
    units = contest.units[mask]
    ids = units["unit_id"].astype(str).tolist()
    return {f: dict(zip(ids, units[f].tolist(), strict=True)) for f in fields}


def _short_name(key: str, frame, level: str) -> str:
    """A district with no row of its own is named by its key, less the region before '/'."""
    head, sep, tail = key.rpartition("/")
    return tail if sep and level == "district" else key


def _region_names(contest: Contest, region_keys) -> list[str]:
    names = _own_units(contest, "region")["name"]
    return [str(names.get(str(k)) or k) if str(k) else "" for k in region_keys]

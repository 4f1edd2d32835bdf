"""Seeded national elections at station level, in every input layout elect reads.

``python tests/bench/generate.py OUT_DIR --stations 1000000`` writes
``wide.csv``, ``long.csv`` (seven rows a station), ``canonical.json`` and
``stations.jsonl`` for the same election, so timings compare like with like.
Stations abroad sit in one region named ``Abroad`` and carry ``abroad = yes``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

CANDIDATES = ("Alma Example", "Bek Sample", "Dana Test", "Against all")
N_REGIONS = 85
DISTRICTS_PER_REGION = 30
ABROAD_FRACTION = 0.004


def election(stations: int, seed: int = 2024) -> pd.DataFrame:
    """One row per station: region, district, station, abroad, counts, votes."""
    rng = np.random.default_rng(seed)
    n_abroad = max(1, int(stations * ABROAD_FRACTION))
    n_home = stations - n_abroad
    region_no = np.sort(rng.integers(0, N_REGIONS, n_home))
    regions = np.array([f"Region {i + 1:02d}" for i in range(N_REGIONS)] + ["Abroad"])
    region_idx = np.concatenate([region_no, np.full(n_abroad, N_REGIONS)])
    district_no = rng.integers(1, DISTRICTS_PER_REGION + 1, stations)
    registered = rng.integers(200, 3000, stations)
    turnout = np.clip(rng.normal(0.62, 0.12, stations), 0.05, 1.0)
    turnout[n_home:] = np.clip(rng.normal(0.25, 0.1, n_abroad), 0.02, 1.0)
    cast = np.floor(registered * turnout).astype(np.int64)
    invalid = rng.binomial(cast, 0.015)
    valid = cast - invalid
    p = np.array([0.55, 0.25, 0.15, 0.05])
    shares = rng.dirichlet(p * 40, stations)
    votes = np.floor(shares * valid[:, None]).astype(np.int64)
    votes[:, 0] += valid - votes.sum(axis=1)  # every valid ballot goes to someone
    frame = pd.DataFrame(
        {
            "region": regions[region_idx],
            "district": np.char.add("D", district_no.astype(str)),
            "station": np.arange(1, stations + 1),
            "abroad": np.where(region_idx == N_REGIONS, "yes", "no"),
            "registered": registered,
            "ballots_cast": cast,
            "invalid": invalid,
        }
    )
    for j, name in enumerate(CANDIDATES):
        frame[name] = votes[:, j]
    return frame


def write_wide(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False)


def write_long(frame: pd.DataFrame, path: Path) -> None:
    """Seven rows a station: three unit totals and four options (generic long layout)."""
    ids = ["region", "district", "station", "abroad"]
    values = ["registered", "ballots_cast", "invalid", *CANDIDATES]
    long = frame.melt(id_vars=ids, value_vars=values, var_name="option", value_name="votes")
    order = np.argsort(
        np.tile(np.arange(len(frame)), len(values)) * len(values)
        + np.repeat(np.arange(len(values)), len(frame)),
        kind="stable",
    )
    long.iloc[order].to_csv(path, index=False)


def _option_id(name: str) -> str:
    return name.lower().replace(" ", "_")


def _option_docs() -> list[dict]:
    return [
        {
            "id": _option_id(c),
            "name": c,
            "kind": "against_all" if c == "Against all" else "candidate",
        }
        for c in CANDIDATES
    ]


def write_canonical(frame: pd.DataFrame, path: Path) -> None:
    """elect's JSON document: nation, regions, districts, then one unit per station."""
    units: list[dict] = [{"id": "nation", "name": "Nation", "level": "nation"}]
    for region in frame["region"].unique():
        units.append(
            {
                "id": region,
                "name": region,
                "level": "region",
                "parent": "nation",
                "abroad": region == "Abroad",
            }
        )
    pairs = frame[["region", "district"]].drop_duplicates()
    for region, district in pairs.itertuples(index=False):
        units.append(
            {
                "id": f"{region}/{district}",
                "name": district,
                "level": "district",
                "parent": region,
            }
        )
    ids = [_option_id(c) for c in CANDIDATES]
    cols = [frame[c].to_numpy() for c in ("registered", "ballots_cast", "invalid", *CANDIDATES)]
    for i, (region, district, station) in enumerate(
        frame[["region", "district", "station"]].itertuples(index=False)
    ):
        units.append(
            {
                "id": f"{region}/{district}/{station}",
                "name": str(station),
                "level": "station",
                "parent": f"{region}/{district}",
                "registered": int(cols[0][i]),
                "ballots_cast": int(cols[1][i]),
                "invalid": int(cols[2][i]),
                "votes": {oid: int(cols[3 + j][i]) for j, oid in enumerate(ids)},
            }
        )
    doc = {
        "format": "elect-election",
        "format_version": 1,
        "election": {"name": "Generated national election", "status": "final", "sources": []},
        "contests": [
            {"id": "main", "office": "President", "options": _option_docs(), "units": units}
        ],
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    """elect's JSON Lines form: a header line, then one array a station (see core/io/jsonl.py)."""
    out = frame.rename(columns={c: _option_id(c) for c in CANDIDATES}).copy()
    out["abroad"] = out["abroad"] == "yes"
    header = {
        "format": "elect-stations",
        "format_version": 1,
        "election": {"name": "Generated national election"},
        "contest": {"id": "main", "office": "President"},
        "options": _option_docs(),
        "columns": list(out.columns),
    }
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        # One array a line (the generated names hold no "],["; real writers use json.dumps).
        rows = out.to_json(orient="values", force_ascii=False)
        f.write(rows[1:-1].replace("],[", "]\n[") + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--stations", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--formats", default="wide,long,json,jsonl")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    frame = election(args.stations, args.seed)
    writers = {
        "wide": (write_wide, "wide.csv"),
        "long": (write_long, "long.csv"),
        "json": (write_canonical, "canonical.json"),
        "jsonl": (write_jsonl, "stations.jsonl"),
    }
    for fmt in args.formats.split(","):
        fn, name = writers[fmt]
        fn(frame, args.out / name)
        print(args.out / name)


if __name__ == "__main__":
    main()

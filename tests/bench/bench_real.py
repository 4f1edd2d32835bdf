"""On-demand benchmark on real-shaped files: elect against hand-written pandas, side by side.

Run:  python tests/bench/bench_real.py [--repeat 3] [--cases ga-report,ga-contests,medsl,json]
          [--stations 200000,1000000] [--elect PATH]
Not collected by pytest (issue 14). Each case runs elect and its baseline alternately,
after one unmeasured warm-up of each, ``--repeat`` times each (median of at least 3),
and reports wall time (interpreter start included, ``time.perf_counter`` around the
process) and peak resident memory (``/usr/bin/time -f %M``), with ratios elect / baseline.
Prints a markdown table at the end.

Cases:
- ``ga-report``: ``elect report tests/real/data/openelections-ga-2016-county.csv.gz -c
  president --json`` (a real OpenElections county file, 299 contests) against
  baselines/pandas_oe_report.py (read, filter the office, drop blank-county rows, sum by
  candidate);
- ``ga-contests``: ``elect contests`` on the same file against baselines/pandas_oe_contests.py
  (units, options, total votes and leader of every contest in one groupby);
- ``medsl``: a MEDSL-shaped precinct file (columns and vote-mode rows as in
  tests/real/data/medsl-*-2018-precinct.csv.gz; ~340,000 rows), generated here, seeded, into
  tests/bench/out/ (gitignored): ``elect report FILE -c "US SENATE" --json`` against
  baselines/pandas_medsl.py (same TOTAL-over-modes rule as the medsl preset);
- ``json``: canonical JSON against wide CSV for the same election (tests/bench/generate.py,
  seed 2024) at each of ``--stations``: ``elect report canonical.json --json`` against
  ``elect report wide.csv --json`` (the target is relative to elect on the wide CSV).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "out"
BASE = HERE / "baselines"
GA = ROOT / "tests" / "real" / "data" / "openelections-ga-2016-county.csv.gz"
PY = sys.executable
ELECT = [str(Path(sys.executable).with_name("elect"))]

# Installed code runs from cached bytecode; so do both sides here (see bench_tally.py).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = "/tmp/elect-bench/pycache"

MEDSL_COLUMNS = [
    "precinct",
    "office",
    "party_detailed",
    "party_simplified",
    "mode",
    "votes",
    "county_name",
    "county_fips",
    "jurisdiction_name",
    "jurisdiction_fips",
    "candidate",
    "district",
    "magnitude",
    "dataverse",
    "year",
    "stage",
    "state",
    "special",
    "writein",
    "state_po",
    "state_fips",
    "state_cen",
    "state_ic",
    "date",
    "readme_check",
]


def write_medsl(path: Path, precincts: int = 10_000, seed: int = 2018) -> int:
    """A MEDSL-shaped precinct file: one row per precinct × contest × candidate × mode.

    Five contests a precinct (US SENATE and GOVERNOR statewide, US HOUSE in 4 districts,
    STATE SENATE in 21, STATE HOUSE in 80), 2–3 candidates each. 85% of precincts report
    three modes (ELECTION DAY, ABSENTEE, PROVISIONAL), 10% only TOTAL, 5% TOTAL and the
    modes (counted once, from TOTAL). Returns the number of rows.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    counties = [f"COUNTY {i:02d}" for i in range(1, 13)]
    county_of = np.sort(rng.integers(0, len(counties), precincts))
    juris_of = county_of * 100 + rng.integers(0, 20, precincts)
    p = pd.DataFrame(
        {
            "county_name": np.array(counties)[county_of],
            "county_fips": (99001 + 2 * county_of).astype(str),
            "jurisdiction_name": np.char.add("TOWN ", juris_of.astype(str)),
            "jurisdiction_fips": (9900000000 + juris_of).astype(str),
            "precinct": np.char.add("PCT ", np.arange(1, precincts + 1).astype(str)),
            "house": rng.integers(1, 5, precincts),
            "ssen": rng.integers(1, 22, precincts),
            "shouse": rng.integers(1, 81, precincts),
            "kind": rng.choice(3, precincts, p=[0.85, 0.10, 0.05]),
        }
    )
    contests = [
        ("US SENATE", lambda d: "statewide", "SENATE", ["ANNA RIVERS", "BOB STONE", "CARL MOSS"]),
        ("GOVERNOR", lambda d: "statewide", "STATE", ["DORA HILL", "EVAN FORD", "FAY LAKE"]),
        ("US HOUSE", lambda d: d["house"], "HOUSE", ["GUS PARK", "HAL VANCE"]),
        ("STATE SENATE", lambda d: d["ssen"], "STATE", ["IDA MOORE", "JON REED"]),
        ("STATE HOUSE", lambda d: d["shouse"], "STATE", ["KAY BELL", "LEO CRANE"]),
    ]
    parties = ["DEMOCRAT", "REPUBLICAN", "LIBERTARIAN"]
    frames = []
    for office, district, dataverse, cands in contests:
        d = district(p)
        dist = (
            np.full(precincts, "statewide", dtype=object)
            if isinstance(d, str)
            else np.char.zfill(np.asarray(d).astype(str), 3)
        )
        for j, cand in enumerate(cands):
            f = p.copy()
            f["office"], f["district"], f["dataverse"] = office, dist, dataverse
            f["candidate"], f["party_detailed"] = cand, parties[j % 3]
            f["total"] = rng.integers(0, 900 if j < 2 else 60, precincts)
            frames.append(f)
    rows = pd.concat(frames, ignore_index=True)
    parts = []
    share = {"ELECTION DAY": 0.7, "ABSENTEE": 0.25}
    modes = rows[rows["kind"] != 1]
    left = modes["total"].to_numpy().copy()
    for mode in ("ELECTION DAY", "ABSENTEE", "PROVISIONAL"):
        m = modes.copy()
        if mode in share:
            v = np.floor(modes["total"].to_numpy() * share[mode]).astype(np.int64)
            left -= v
        else:
            v = left
        m["mode"], m["votes"] = mode, v
        parts.append(m)
    totals = rows[rows["kind"] != 0].copy()
    totals["mode"], totals["votes"] = "TOTAL", totals["total"]
    parts.append(totals)
    out = pd.concat(parts, ignore_index=True).sort_values(
        ["county_name", "precinct", "office", "candidate"], kind="stable"
    )
    out["party_simplified"] = out["party_detailed"]
    out["magnitude"], out["year"], out["stage"] = 1, 2018, "GEN"
    out["state"], out["special"], out["writein"] = "EXAMPLE", False, False
    out["state_po"], out["state_fips"], out["state_cen"], out["state_ic"] = "EX", 99, 99, 99
    out["date"], out["readme_check"] = "2018-11-06", False
    path.parent.mkdir(parents=True, exist_ok=True)
    out[MEDSL_COLUMNS].to_csv(path, index=False)
    return len(out)


def measure(cmd: list[str], timeout: float) -> tuple[float, float]:
    """Wall seconds (interpreter start included) and peak RSS in MB of one run."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        env=ENV,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {proc.stderr.strip()[-400:]}")
    return wall, int(proc.stderr.strip().splitlines()[-1]) / 1024


def compare(name, elect_cmd, base_cmd, base_label, repeat, timeout, rows):
    runs: dict[str, list[tuple[float, float]]] = {"elect": [], "base": []}
    for cmd in (elect_cmd, base_cmd):  # warm-up: bytecode and page cache, not counted
        measure(cmd, timeout)
    for _ in range(repeat):
        for who, cmd in (("elect", elect_cmd), ("base", base_cmd)):
            runs[who].append(measure(cmd, timeout))
    med = {
        who: (statistics.median(w for w, _ in r), statistics.median(m for _, m in r))
        for who, r in runs.items()
    }
    (ew, em), (bw, bm) = med["elect"], med["base"]
    rows.append((name, ew, em, base_label, bw, bm))
    print(
        f"{name:<40} elect {ew:6.2f} s {em:6.0f} MB | {base_label} {bw:6.2f} s {bm:6.0f} MB | "
        f"time {ew / bw:4.2f}x memory {em / bm:4.2f}x",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cases", default="ga-report,ga-contests,medsl,json")
    ap.add_argument("--stations", default="200000,1000000")
    ap.add_argument("--data", type=Path, default=Path("/tmp/elect-bench"))
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--elect", help="the elect executable (default: beside this python)")
    args = ap.parse_args()
    elect = [args.elect] if args.elect else ELECT
    cases = args.cases.split(",")
    rows: list[tuple] = []
    r = args.repeat
    print(f"median of {r} runs each, alternating, after one warm-up", flush=True)
    if "ga-report" in cases:
        compare(
            "OpenElections GA 2016 county, report -c president",
            [*elect, "report", str(GA), "-c", "president", "--json"],
            [PY, str(BASE / "pandas_oe_report.py"), str(GA), "president"],
            "pandas",
            r,
            args.timeout,
            rows,
        )
    if "ga-contests" in cases:
        compare(
            "OpenElections GA 2016 county, contests",
            [*elect, "contests", str(GA), "--json"],
            [PY, str(BASE / "pandas_oe_contests.py"), str(GA)],
            "pandas",
            r,
            args.timeout,
            rows,
        )
    if "medsl" in cases:
        path = OUT / "medsl-shaped-precinct.csv"
        if not path.exists():
            n = write_medsl(path)
            print(f"wrote {path} ({n:,} rows)", flush=True)
        compare(
            "MEDSL-shaped precincts, report -c 'US SENATE'",
            [*elect, "report", str(path), "-c", "US SENATE", "--json"],
            [PY, str(BASE / "pandas_medsl.py"), str(path), "US SENATE"],
            "pandas",
            r,
            args.timeout,
            rows,
        )
    if "json" in cases:
        for n in (int(s) for s in args.stations.split(",")):
            data = args.data / str(n)
            need = [f for f, name in (("wide", "wide.csv"), ("json", "canonical.json"))]
            need = [
                f
                for f in need
                if not (data / f"{'wide.csv' if f == 'wide' else 'canonical.json'}").exists()
            ]
            if need:
                subprocess.run(
                    [
                        PY,
                        str(HERE / "generate.py"),
                        str(data),
                        "--stations",
                        str(n),
                        "--formats",
                        ",".join(need),
                    ],
                    check=True,
                )
            compare(
                f"{n:,} stations, canonical JSON vs wide CSV",
                [*elect, "report", str(data / "canonical.json"), "--json"],
                [*elect, "report", str(data / "wide.csv"), "--json"],
                "elect on wide CSV",
                r,
                args.timeout,
                rows,
            )
    print("\n| file, command | elect | baseline | time ratio | memory ratio |")
    print("|---|---|---|---|---|")
    for name, ew, em, label, bw, bm in rows:
        print(
            f"| {name} | {ew:.2f} s, {em:,.0f} MB | {label}: {bw:.2f} s, {bm:,.0f} MB "
            f"| {ew / bw:.2f}× | {em / bm:.2f}× |"
        )


if __name__ == "__main__":
    main()

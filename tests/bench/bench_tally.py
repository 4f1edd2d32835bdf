"""On-demand benchmark: ``elect report --json`` against hand-written pandas, side by side.

Run:  python tests/bench/bench_tally.py [--stations 1000000] [--repeat 5]
          [--cases wide,long,json,jsonl,ru] [--elect-from DIR]
Not collected by pytest. Generates the election once (tests/bench/generate.py, seeded)
into --data (default /tmp/elect-bench), then for each case runs elect and its baseline
alternately, after one unmeasured warm-up of each, ``--repeat`` times each, and prints
median wall time and median peak resident memory (``/usr/bin/time -f "%e %M"``) with the
ratios elect / baseline. ``json`` and ``jsonl`` are measured against elect on the wide
CSV (their target is relative to it). ``--elect-from DIR`` runs ``python -m elect`` from
DIR (e.g. ``git archive`` of an earlier commit, unpacked as DIR/elect) for before/after.
The Russian case reads ../shared/corpus/russia-federal-kobak/2018.csv.zip (skipped if absent).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "russia-federal-kobak"
ELECT = [str(Path(sys.executable).with_name("elect"))]
PY = sys.executable


# Both sides run as installed code runs: from cached bytecode. (With
# PYTHONDONTWRITEBYTECODE set, every run of elect would compile its ~40 modules,
# ~50 ms, which a pip-installed elect never does; pandas' own bytecode is cached.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = "/tmp/elect-bench/pycache"


def measure(cmd: list[str], timeout: float) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one run (stdout discarded)."""
    full = ["/usr/bin/time", "-f", "%e %M", *cmd]
    proc = subprocess.run(
        full,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        env=ENV,
    )
    last = proc.stderr.strip().splitlines()[-1]
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {proc.stderr.strip()[-400:]}")
    wall, rss_kb = last.split()
    return float(wall), int(rss_kb) / 1024


def compare(name: str, elect_cmd: list[str], base_cmd: list[str], repeat: int, timeout: float):
    runs: dict[str, list[tuple[float, float]]] = {"elect": [], "pandas": []}
    for cmd in (elect_cmd, base_cmd):  # warm-up: bytecode and page cache, not counted
        try:
            measure(cmd, timeout)
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
    for _ in range(repeat):
        for who, cmd in (("elect", elect_cmd), ("pandas", base_cmd)):
            try:
                runs[who].append(measure(cmd, timeout))
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                print(f"{name}: {who} did not finish: {exc}", flush=True)
                return None
    med = {
        who: (statistics.median(w for w, _ in r), statistics.median(m for _, m in r))
        for who, r in runs.items()
    }
    (ew, em), (bw, bm) = med["elect"], med["pandas"]
    print(
        f"{name:<24} elect {ew:6.2f} s {em:7.0f} MB | pandas {bw:6.2f} s {bm:7.0f} MB | "
        f"ratio time {ew / bw:5.2f}x  memory {em / bm:5.2f}x",
        flush=True,
    )
    return med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stations", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data", type=Path, default=Path("/tmp/elect-bench"))
    ap.add_argument("--cases", default="wide,long,json,jsonl,ru")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument(
        "--elect-from",
        type=Path,
        help="run elect from this directory (holding an elect/ package, e.g. an export of "
        "an earlier commit) instead of the installed one: before/after figures",
    )
    args = ap.parse_args()
    global ELECT
    if args.elect_from:
        ENV["PYTHONPATH"] = str(args.elect_from)
        ELECT = [PY, "-m", "elect"]
    cases = args.cases.split(",")
    data = args.data / str(args.stations)
    formats = {
        "wide": "wide.csv",
        "long": "long.csv",
        "json": "canonical.json",
        "jsonl": "stations.jsonl",
    }
    missing = [f for f in formats if f in cases and not (data / formats[f]).exists()]
    if "json" in cases and "wide" not in missing and not (data / "wide.csv").exists():
        missing.append("wide")
    if missing:
        subprocess.run(
            [
                PY,
                str(HERE / "generate.py"),
                str(data),
                "--stations",
                str(args.stations),
                "--formats",
                ",".join(missing),
            ],
            check=True,
        )
    print(f"{args.stations:,} stations, median of {args.repeat} runs each", flush=True)
    b = HERE / "baselines"
    wide = None
    if "wide" in cases or "json" in cases or "jsonl" in cases:
        wide = compare(
            "wide CSV",
            [*ELECT, "report", str(data / "wide.csv"), "--json"],
            [PY, str(b / "pandas_wide.py"), str(data / "wide.csv")],
            args.repeat,
            args.timeout,
        )
    if "long" in cases:
        compare(
            "long CSV",
            [*ELECT, "report", str(data / "long.csv"), "--json"],
            [PY, str(b / "pandas_long.py"), str(data / "long.csv")],
            args.repeat,
            args.timeout,
        )
    for fmt in ("json", "jsonl"):
        if fmt in cases and wide is not None:
            # The target is relative to elect on the wide CSV, so that is the baseline here.
            compare(
                f"{formats[fmt]} vs elect wide",
                [*ELECT, "report", str(data / formats[fmt]), "--json"],
                [*ELECT, "report", str(data / "wide.csv"), "--json"],
                args.repeat,
                args.timeout,
            )
    if "ru" in cases:
        ru = CORPUS / "2018.csv.zip"
        if ru.exists():
            compare(
                "Russia 2018 (ru-cec)",
                [*ELECT, "report", str(ru), "--preset", "ru-cec", "--json"],
                [PY, str(b / "pandas_ru.py"), str(ru)],
                args.repeat,
                args.timeout,
            )
        else:
            print(f"Russia 2018: skipped, {ru} not found")


if __name__ == "__main__":
    main()

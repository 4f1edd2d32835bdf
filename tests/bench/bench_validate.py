"""On-demand benchmark: `elect validate` against `frictionless validate` on the same files.

Two workloads: 1,000 station-level files of 1,000 rows each, and one file of
1,000,000 station rows; with ``--quoted``, also the 1,000 files with their text
fields quoted, and with ``--totals`` the 1,000 files each ending in a "Total" row
with blank station and district, which elect checks by its full pass rather than
the one-read path for plain tables (docs/validate-bench.md). frictionless gets an equivalent Table Schema (string
ids, integer counts with minimum 0, the unit key as primary key) and lives in a
separate venv so it is never a project dependency:

    python3 -m venv /tmp/fl-venv && /tmp/fl-venv/bin/pip install frictionless
    python tests/bench/bench_validate.py [--repeat 3] [--files 1000] [--rows 1000]
        [--big-rows 1000000] [--frictionless /tmp/fl-venv/bin/frictionless]

Wall time and peak memory (max RSS of the largest process, from /usr/bin/time -v)
per run; medians and elect/frictionless ratios are printed. Both tools run in the
same invocation, alternately. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "validate"
HEADER = "region,district,station,registered,ballots_cast,invalid,alma,bek,against_all\n"
ELECT = str(Path(sys.executable).with_name("elect"))


def write_file(
    path: Path, rows: int, seed: int, quoted: bool = False, totals: bool = False
) -> None:
    rnd = random.Random(seed)
    out = [HEADER]
    for i in range(rows):
        reg = rnd.randint(300, 3000)
        cast = int(reg * rnd.uniform(0.4, 0.9))
        inv = cast // 100
        a = (cast - inv) // 2
        b = (cast - inv) // 3
        ids = f"R{i % 17:02d},D{i % 300:03d},S{seed:05d}{i:07d}"
        if quoted:  # text quoted, as many exports write it: not a plain table
            ids = ",".join(f'"{x}"' for x in ids.split(","))
        out.append(f"{ids},{reg},{cast},{inv},{a},{b},{cast - inv - a - b}\n")
    if totals:  # as many exports end: a total row, blank below the region
        sums = [sum(int(line.rsplit(",", 6)[k + 1]) for line in out[1:]) for k in range(6)]
        out.append("Total,,," + ",".join(map(str, sums)) + "\n")
    path.write_text("".join(out), encoding="utf-8")


def schema() -> dict:
    ids = [{"name": n, "type": "string", "constraints": {"required": True}} for n in
           ("region", "district", "station")]  # fmt: skip
    counts = [
        {"name": n, "type": "integer", "constraints": {"required": True, "minimum": 0}}
        for n in ("registered", "ballots_cast", "invalid", "alma", "bek", "against_all")
    ]
    return {"fields": ids + counts, "primaryKey": ["region", "district", "station"]}


def batch_files(files: int, rows: int, quoted: bool = False, totals: bool = False) -> list[Path]:
    batch = OUT / (
        f"batch-{files}x{rows}" + ("-quoted" if quoted else "") + ("-totals" if totals else "")
    )
    batch.mkdir(parents=True, exist_ok=True)
    paths = [batch / f"f{i:05d}.csv" for i in range(files)]
    for i, p in enumerate(paths):
        if not p.exists():
            write_file(p, rows, i, quoted, totals)
    return paths


def prepare(files: int, rows: int, big_rows: int) -> tuple[list[Path], Path, Path]:
    paths = batch_files(files, rows)
    big = OUT / f"big-{big_rows}.csv"
    if not big.exists():
        write_file(big, big_rows, 99999)
    sch = OUT / "schema.json"
    sch.write_text(json.dumps(schema(), indent=1))
    return paths, big, sch


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of one run."""
    t0 = time.perf_counter()
    # Relative paths from OUT: frictionless refuses absolute paths as "not safe".
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=OUT,
    )
    wall = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    code = re.search(r"Exit status: (\d+)", proc.stderr)
    return wall, rss, int(code.group(1)) if code else proc.returncode


def compare(name: str, elect_cmd, fl_cmd, repeat: int) -> dict:
    runs: dict[str, list[tuple[float, float, int]]] = {"elect": [], "frictionless": []}
    for _ in range(repeat):
        runs["elect"].append(measure(elect_cmd))
        runs["frictionless"].append(measure(fl_cmd))
    out = {"workload": name}
    for tool, rs in runs.items():
        out[tool] = {
            "wall_s_median": statistics.median(r[0] for r in rs),
            "wall_s_runs": [round(r[0], 2) for r in rs],
            "peak_rss_mib_median": statistics.median(r[1] for r in rs),
            "exit_codes": sorted({r[2] for r in rs}),
        }
    e, f = out["elect"], out["frictionless"]
    out["speedup"] = f["wall_s_median"] / e["wall_s_median"]
    out["memory_ratio"] = e["peak_rss_mib_median"] / f["peak_rss_mib_median"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=1000)
    ap.add_argument("--big-rows", type=int, default=1_000_000)
    ap.add_argument("--frictionless", default="/tmp/fl-venv/bin/frictionless")
    ap.add_argument("--skip-batch", action="store_true")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument(
        "--totals",
        action="store_true",
        help="also the batch whose files end in a Total row, which takes elect's full pass",
    )
    ap.add_argument(
        "--quoted",
        action="store_true",
        help="also the batch with quoted text fields",
    )
    args = ap.parse_args()
    paths, big, sch = prepare(args.files, args.rows, args.big_rows)
    fl = [args.frictionless, "validate", "--schema", sch.name, "--json"]
    rel = [str(p.relative_to(OUT)) for p in paths]
    results = []
    if not args.skip_batch:
        results.append(
            compare(
                f"{args.files} files x {args.rows} rows",
                [ELECT, "validate", str(paths[0].parent.relative_to(OUT)), "--json"],
                [*fl, "--parallel", *rel],
                args.repeat,
            )
        )
    variants = [("text quoted", {"quoted": True})] if args.quoted else []
    variants += [("each ending in a Total row", {"totals": True})] if args.totals else []
    for what, kind in variants:
        files = batch_files(args.files, args.rows, **kind)
        results.append(
            compare(
                f"{args.files} files x {args.rows} rows, {what}",
                [ELECT, "validate", str(files[0].parent.relative_to(OUT)), "--json"],
                [*fl, "--parallel", *[str(p.relative_to(OUT)) for p in files]],
                args.repeat,
            )
        )
    if not args.skip_big:
        results.append(
            compare(
                f"1 file x {args.big_rows:,} rows",
                [ELECT, "validate", big.name, "--json"],
                [*fl, big.name],
                args.repeat,
            )
        )
    for r in results:
        e, f = r["elect"], r["frictionless"]
        print(
            f"{r['workload']}: elect {e['wall_s_median']:.2f} s / {e['peak_rss_mib_median']:.0f} MiB"
            f" (runs {e['wall_s_runs']}, exit {e['exit_codes']}); frictionless "
            f"{f['wall_s_median']:.2f} s / {f['peak_rss_mib_median']:.0f} MiB (runs "
            f"{f['wall_s_runs']}, exit {f['exit_codes']}); elect is {r['speedup']:.1f}x faster, "
            f"memory ratio elect/frictionless {r['memory_ratio']:.2f}"
        )
    (OUT / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

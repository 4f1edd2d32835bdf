"""Start-up and the bundled report, side by side with Python's own start and pandas' import.

Budget (issue 2): `elect report` on the bundled election costs no more than
`python -c "import pandas"` + 0.15 s; `elect --help` must not pay for pandas at all.
Issue 14: `elect --help` within 1.25x of a bare Typer app's `--help` in the same regular
(non-editable) install. Run on demand with that install's python:
``python tests/bench/bench_startup.py [--runs 15]``. Prints medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

# A bare Typer app with two commands: what `elect --help` is measured against (issue 14:
# within 1.25x, in a regular, non-editable install; run this with that install's python).
BARE_TYPER = """
import typer
app = typer.Typer(help="A bare app.")
@app.command()
def one(path: str = typer.Argument(None)):
    \"\"\"One command.\"\"\"
@app.command()
def two():
    \"\"\"Another command.\"\"\"
app()
"""
ELECT = Path(sys.executable).with_name("elect")

CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "bare Typer app --help": [sys.executable, "-c", BARE_TYPER, "--help"],
    "elect --help (console script)": [str(ELECT), "--help"],
    "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
    "elect --help": [sys.executable, "-m", "elect", "--help"],
    "elect report (bundled)": [sys.executable, "-m", "elect", "report"],
    "elect report --json (bundled)": [sys.executable, "-m", "elect", "report", "--json"],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    times: dict[str, list[float]] = {k: [] for k in CASES}
    for _ in range(args.runs):  # interleaved, so machine noise hits every case alike
        for name, cmd in CASES.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    for name, m in med.items():
        print(f"{name:34s} median {m * 1000:7.1f} ms")
    pandas = med["python -c 'import pandas'"]
    report = med["elect report (bundled)"]
    print(
        f"\nelect report - (python + pandas import) = {(report - pandas) * 1000:.1f} ms "
        f"(budget 150 ms); ratio report/pandas-import = {report / pandas:.2f}"
    )
    print(f"elect --help / python -c pass = {med['elect --help'] / med['python -c pass']:.2f}")
    bare = med["bare Typer app --help"]
    print(
        f"elect --help (console script) / bare Typer app --help = "
        f"{med['elect --help (console script)'] / bare:.2f} (target 1.25)"
    )


if __name__ == "__main__":
    main()

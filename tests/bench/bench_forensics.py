"""On-demand benchmark: every forensics statistic on a synthetic 100,000-station election.

Run:  python tests/bench/bench_forensics.py [--stations 100000] [--replicates 1000] [--repeat 5]
          [--bootstrap 200] [--klimek-replicates 10]

"All statistics" is what ``elect forensics`` computes: histograms, fingerprint, integer
percentages, the Shpilkin estimate (cedar variant with its bootstrap), the Klimek et al.
fit with its half-sample refits, and the digit tests. Each costly part is also timed alone.
Not collected by pytest (the file name does not start with test_).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from elect.core import forensics


def synthetic(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    reg = rng.integers(100, 3000, n).astype(float)
    iss = rng.binomial(reg.astype(np.int64), rng.uniform(0.3, 0.95, n)).astype(float)
    invalid = rng.binomial(iss.astype(np.int64), 0.02).astype(float)
    valid = iss - invalid
    leader = rng.binomial(valid.astype(np.int64), rng.uniform(0.3, 0.9, n)).astype(float)
    region = rng.integers(0, 85, n).astype(str)
    return {
        "registered": reg,
        "issued": iss,
        "valid": valid,
        "invalid": invalid,
        "leader": leader,
        "region": region,
    }


def run_all(
    d: dict[str, np.ndarray], replicates: int, bootstrap: int = 200, klimek: int = 10
) -> None:
    a = (d["registered"], d["issued"], d["valid"], d["invalid"], d["leader"])
    forensics.turnout_histogram(d["registered"], d["issued"], bin_width=0.1)
    forensics.leader_share_histogram(d["valid"], d["invalid"], d["leader"], bin_width=0.1)
    forensics.fingerprint(*a, bin_width=0.5)
    forensics.integer_percentages(*a, n_replicates=replicates)
    forensics.shpilkin_variant(*a, variant="cedar", n_bootstrap=bootstrap)
    forensics.klimek_fit(*a, n_replicates=klimek)
    forensics.second_digit_test(d["leader"])
    forensics.last_digit_test(d["leader"])
    forensics.zero_five_test(d["leader"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=100_000)
    ap.add_argument("--replicates", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--bootstrap", type=int, default=200)
    ap.add_argument("--klimek-replicates", type=int, default=10)
    args = ap.parse_args()
    d = synthetic(args.stations)
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        run_all(d, args.replicates, args.bootstrap, args.klimek_replicates)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    forensics.integer_percentages(
        d["registered"],
        d["issued"],
        d["valid"],
        d["invalid"],
        d["leader"],
        n_replicates=args.replicates,
    )
    ip = time.perf_counter() - t0
    a = (d["registered"], d["issued"], d["valid"], d["invalid"], d["leader"])
    t0 = time.perf_counter()
    forensics.klimek_fit(*a, n_replicates=0)
    k0 = time.perf_counter() - t0
    t0 = time.perf_counter()
    forensics.klimek_fit(*a, n_replicates=args.klimek_replicates)
    kl = time.perf_counter() - t0
    t0 = time.perf_counter()
    forensics.shpilkin_variant(*a, variant="cedar", n_bootstrap=args.bootstrap)
    sv = time.perf_counter() - t0
    print(
        f"stations={args.stations} replicates={args.replicates} repeat={args.repeat}\n"
        f"all statistics: median {statistics.median(times):.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f})\n"
        f"integer_percentages alone: {ip:.2f} s\n"
        f"klimek_fit: one fit {k0:.2f} s, with {args.klimek_replicates} half-sample refits "
        f"{kl:.2f} s\n"
        f"shpilkin_variant (cedar, {args.bootstrap} bootstrap replicates): {sv:.2f} s"
    )


if __name__ == "__main__":
    main()

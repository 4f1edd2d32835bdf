"""Hand-written pandas tally of a long station CSV (seven rows a station), read in chunks.

Sums by (region, abroad, option) chunk by chunk, so memory stays flat; then the
same figures as the wide baseline.
"""

import json
import sys

import pandas as pd

path = sys.argv[1]
dtypes = {"region": "category", "abroad": "category", "option": "category", "votes": "int64"}
parts = []
for chunk in pd.read_csv(path, usecols=list(dtypes), dtype=dtypes, engine="c", chunksize=1_000_000):
    parts.append(chunk.groupby(["region", "abroad", "option"], observed=True)["votes"].sum())
    stations = None
sums = pd.concat(parts).groupby(level=[0, 1, 2], observed=True).sum()
wide = sums.unstack("option", fill_value=0)
COUNTS = ["registered", "ballots_cast", "invalid"]
OPTIONS = [c for c in wide.columns if c not in COUNTS]
total = wide.sum()
valid = int(total[OPTIONS].sum())
by_region = wide.groupby(level="region", observed=True).sum()
turnout = (by_region["ballots_cast"] / by_region["registered"] * 100).round(2)
ab = wide.xs("yes", level="abroad").sum()
ab_valid = int(ab[OPTIONS].sum())
out = {
    "registered": int(total["registered"]),
    "ballots_cast": int(total["ballots_cast"]),
    "shares": {str(o): [int(total[o]), round(total[o] / valid * 100, 2)] for o in OPTIONS},
    "regions": {str(r): float(t) for r, t in turnout.items()},
    "abroad": {"registered": int(ab["registered"]), "ballots_cast": int(ab["ballots_cast"])},
}
json.dump(out, sys.stdout)

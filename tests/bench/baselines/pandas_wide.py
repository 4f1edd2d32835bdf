"""Hand-written pandas tally of a wide station CSV: the baseline elect is measured against.

Same figures as ``elect report --json``: national totals, shares of valid votes,
regional turnouts, and the abroad summary. C engine, only the needed columns,
dtypes given up front.
"""

import json
import sys

import pandas as pd

COUNTS = ["registered", "ballots_cast", "invalid"]
OPTIONS = ["Alma Example", "Bek Sample", "Dana Test", "Against all"]

path = sys.argv[1]
dtypes = {"region": "category", "abroad": "category", **{c: "int64" for c in COUNTS + OPTIONS}}
df = pd.read_csv(path, usecols=list(dtypes), dtype=dtypes, engine="c")
nums = COUNTS + OPTIONS
total = df[nums].sum()
valid = int(total[OPTIONS].sum())
by_region = df.groupby("region", observed=True)[nums].sum()
turnout = (by_region["ballots_cast"] / by_region["registered"] * 100).round(2)
abroad = df[df["abroad"] == "yes"]
ab = abroad[nums].sum()
ab_valid = int(ab[OPTIONS].sum())
out = {
    "registered": int(total["registered"]),
    "ballots_cast": int(total["ballots_cast"]),
    "turnout_pct": round(total["ballots_cast"] / total["registered"] * 100, 2),
    "shares": {o: [int(total[o]), round(total[o] / valid * 100, 2)] for o in OPTIONS},
    "regions": {str(r): float(t) for r, t in turnout.items()},
    "abroad": {
        "stations": len(abroad),
        "registered": int(ab["registered"]),
        "ballots_cast": int(ab["ballots_cast"]),
        "shares": {o: round(ab[o] / ab_valid * 100, 2) for o in OPTIONS},
    },
}
json.dump(out, sys.stdout)

"""Hand-written pandas tally of a Russian CEC station file (zipped), as Kobak et al. define it.

turnout = issued / registered (issued = the three "выданных" lines);
share = votes / (valid + invalid); stations abroad by region name.
"""

import json
import sys

import pandas as pd

path = sys.argv[1]
header = pd.read_csv(path, nrows=0).columns
reg = [c for c in header if c.startswith("Число избирателей, включенных")]
issued = [c for c in header if "бюллетеней, выданных" in c]
invalid = [c for c in header if c.startswith("Число недействительных")]
valid = [c for c in header if c.startswith("Число действительных")]
options = [
    c for c in header if not c.startswith("Число") and c not in ("region", "tik", "uik", "url")
]
nums = reg + issued + invalid + valid + options
df = pd.read_csv(
    path, usecols=["region", *nums], dtype={"region": "category", **{c: "float64" for c in nums}}
)
df = df.dropna(subset=nums, how="all")
total = df[nums].sum()
iss = total[issued].sum()
cast = total[valid[0]] + total[invalid[0]]
by_region = df.groupby("region", observed=True)[nums].sum()
turnout = (by_region[issued].sum(axis=1) / by_region[reg[0]] * 100).round(2)
abroad = df[df["region"].astype(str).str.contains("Территория за пределами РФ")]
out = {
    "turnout_pct": round(iss / total[reg[0]] * 100, 2),
    "shares": {o: [int(total[o]), round(total[o] / cast * 100, 2)] for o in options},
    "regions": {str(r): float(t) for r, t in turnout.items()},
    "abroad": {"stations": len(abroad), "registered": int(abroad[reg[0]].sum())},
}
json.dump(out, sys.stdout, ensure_ascii=False)

"""Hand-written pandas tally of one contest of a MEDSL precinct file (vote-mode rows).

Keeps the rows of the office whose name starts with the given text (case-insensitive);
a precinct that gives both a TOTAL row and mode rows for a candidate is counted once,
from TOTAL (the medsl preset's rule); the modes are summed otherwise. Votes and shares
by candidate, and the number of precincts.
"""

import json
import sys

import pandas as pd

path, office = sys.argv[1], sys.argv[2].lower()
keys = ["county_name", "jurisdiction_name", "precinct"]
cols = [*keys, "office", "district", "special", "candidate", "mode", "votes"]
dtypes = {c: "string" for c in cols if c != "votes"} | {"votes": "int64"}
df = pd.read_csv(path, usecols=cols, dtype=dtypes, engine="c")
df = df[df["office"].str.lower().str.startswith(office)]
unit = [*keys, "district", "special", "candidate"]
is_total = df["mode"] == "TOTAL"
has_total = is_total.groupby([df[k] for k in unit], sort=False).transform("any")
df = df[is_total | ~has_total]
by = df.groupby("candidate")["votes"].sum().sort_values(ascending=False)
total = int(by.sum())
out = {
    "units": len(df[keys].drop_duplicates()),
    "valid": total,
    "shares": {str(c): [int(v), round(v / total * 100, 2)] for c, v in by.items()},
}
json.dump(out, sys.stdout)

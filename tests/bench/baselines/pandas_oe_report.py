"""Hand-written pandas tally of one contest of an OpenElections county file.

Reads the file, keeps the rows of the office whose name starts with the given text
(case-insensitive, as ``-c`` does), drops the rows with a blank county (statewide
aggregates), and sums votes by candidate: votes and shares of the total.
"""

import json
import sys

import pandas as pd

path, office = sys.argv[1], sys.argv[2].lower()
cols = ["county", "office", "district", "party", "candidate", "votes"]
df = pd.read_csv(path, usecols=cols, dtype={c: "string" for c in cols[:-1]}, engine="c")
df = df[df["office"].str.lower().str.startswith(office) & df["county"].notna()]
votes = pd.to_numeric(df["votes"], errors="coerce").fillna(0).astype("int64")
by = votes.groupby(df["candidate"]).sum().sort_values(ascending=False)
total = int(by.sum())
out = {
    "units": int(df["county"].nunique()),
    "valid": total,
    "shares": {str(c): [int(v), round(v / total * 100, 2)] for c, v in by.items()},
}
json.dump(out, sys.stdout)

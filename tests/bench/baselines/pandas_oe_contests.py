"""Hand-written pandas summary of every contest of an OpenElections county file.

One grouped pass: per (office, district), the units (counties), options (candidates),
total votes and the leader, leaving out the rows with a blank county (aggregates).
"""

import json
import sys

import pandas as pd

path = sys.argv[1]
cols = ["county", "office", "district", "candidate", "votes"]
df = pd.read_csv(path, usecols=cols, dtype={c: "string" for c in cols[:-1]}, engine="c")
df = df[df["county"].notna()]
df["votes"] = pd.to_numeric(df["votes"], errors="coerce").fillna(0).astype("int64")
df["district"] = df["district"].fillna("")
keys = ["office", "district"]
per = df.groupby([*keys, "candidate"], sort=False)["votes"].sum().reset_index()
leader = per.loc[per.groupby(keys, sort=False)["votes"].idxmax()].set_index(keys)["candidate"]
summary = df.groupby(keys, sort=False).agg(
    units=("county", "nunique"), options=("candidate", "nunique"), votes=("votes", "sum")
)
summary["leader"] = leader
out = [
    {
        "office": o,
        "district": d or None,
        **{k: (v if isinstance(v, str) else int(v)) for k, v in row.items()},
    }
    for (o, d), row in summary.to_dict("index").items()
]
json.dump(out, sys.stdout)

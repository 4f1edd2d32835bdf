"""Check tests/real/manifest.toml against the files in tests/real/data.

Plain pandas, independent of elect: each file is read the obvious way, the
contest is selected, aggregate rows (Total rows, blank-county statewide rows,
Land/Bund rows ...) are set aside, vote-mode columns are summed when there is
no single votes column, and the sums are compared with the manifest.

    python tests/real/check_manifest.py          # every entry
    python tests/real/check_manifest.py ga-2016  # entries whose path contains it

Exit status 1 if any file's own figures disagree with the manifest.  A
difference between the file and the certified result is reported, not failed:
the manifest says why in `reason`.
"""

import sys
from pathlib import Path

import pandas as pd
import tomllib

HERE = Path(__file__).parent


def number(series):
    """'1,234' / '1 234' / '' -> int; anything else non-numeric -> NaN."""
    s = series.astype(str).str.replace(",", "", regex=False).str.replace(" ", "", regex=False)
    s = s.str.replace("\u00a0", "", regex=False).replace("", "0")
    return pd.to_numeric(s, errors="coerce")


def read(entry):
    path = HERE / entry["path"]
    opts = dict(
        sep=entry.get("sep", ","),
        encoding=entry.get("encoding", "utf-8-sig"),
        dtype=str,
        keep_default_na=False,
        skiprows=entry.get("skip_lines", 0),
    )
    rows = entry.get("header_rows", 1)
    if rows == 1:
        return pd.read_csv(path, **opts)
    # several header rows (Bundeswahlleiter kerg.csv): the first names the party and
    # spans its columns; keep the columns whose lower header rows match `value_header`.
    df = pd.read_csv(path, header=None, **opts)
    head = df.iloc[:rows].replace("", None).ffill(axis=1).fillna("")
    keep, names = [], []
    for j in df.columns:
        top, lower = head.iat[0, j], [head.iat[i, j] for i in range(1, rows)]
        if top in entry["unit_cols"] or lower == entry["value_header"]:
            keep.append(j)
            names.append(top if top not in names else f"{top}.{j}")
    df = df.iloc[rows:, keep]
    df.columns = names
    return df


def is_aggregate(df, patterns):
    mask = pd.Series(False, index=df.index)
    for pat in patterns:
        m = pd.Series(True, index=df.index)
        for col, val in pat.items():
            m &= df[col] == val
        mask |= m
    return mask


def check(entry):
    df = read(entry)
    problems, notes = [], []
    if entry["format"] == "long":
        df = df[df[entry["contest_col"]] == entry["contest"]]
        if entry.get("district_col"):
            df = df[df[entry["district_col"]] == entry.get("district", "")]
        agg = is_aggregate(df, entry.get("aggregate", []))
        n_agg, df = int(agg.sum()), df[~agg]
        votes = sum(number(df[c]) for c in entry["vote_cols"])
        junk = votes.isna()
        n_junk, df, votes = int(junk.sum()), df[~junk], votes[~junk]
        df = df[~df[entry["candidate_col"]].isin(entry.get("non_candidates", []))]
        sums = votes.loc[df.index].groupby(df[entry["candidate_col"]]).sum()
    else:
        df = df[(df[entry["unit_cols"]] != "").any(axis=1)]  # blank separator lines
        agg = is_aggregate(df, entry.get("aggregate", []))
        n_agg, df, n_junk = int(agg.sum()), df[~agg], 0
        sums = pd.Series({c: number(df[c]).sum() for c in entry["votes"]})
        for key in ("registered", "ballots_cast"):
            if key in entry:
                got = int(number(df[entry[key + "_col"]]).sum())
                if got != entry[key]:
                    problems.append(f"{key}: file {got} != manifest {entry[key]}")
    units = df.groupby(entry["unit_cols"]).ngroups
    got = {k: int(v) for k, v in sums.items()}
    if got != entry["votes"]:
        for k in sorted(set(got) | set(entry["votes"])):
            if got.get(k) != entry["votes"].get(k):
                problems.append(
                    f"votes[{k!r}]: file {got.get(k)} != manifest {entry['votes'].get(k)}"
                )
    for key, val in (("units", units), ("aggregate_rows", n_agg), ("junk_rows", n_junk)):
        if val != entry.get(key, 0):
            problems.append(f"{key}: file {val} != manifest {entry.get(key, 0)}")
    winner = max(got, key=got.get)
    if winner != entry["winner"]:
        problems.append(f"winner: file {winner!r} != manifest {entry['winner']!r}")
    differ = {
        k: (got.get(k), v) for k, v in entry.get("certified_votes", {}).items() if got.get(k) != v
    }
    for k, (f, c) in differ.items():
        notes.append(f"certified {k!r}: {c}, file {f} ({(f or 0) - c:+d})")
    for key in ("registered", "ballots_cast"):
        if "certified_" + key in entry and entry["certified_" + key] != entry.get(key):
            notes.append(f"certified {key}: {entry['certified_' + key]}, file {entry.get(key)}")
    source = "certified" if entry.get("certified_votes") and not differ else "file"
    if source != entry["figures_source"]:
        problems.append(
            f"figures_source: sums say {source!r}, manifest says {entry['figures_source']!r}"
        )
    return problems, notes


def main():
    manifest = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))
    picked = [
        e for e in manifest["file"] if not sys.argv[1:] or any(a in e["path"] for a in sys.argv[1:])
    ]
    bad = 0
    for entry in picked:
        problems, notes = check(entry)
        bad += bool(problems)
        status = (
            "FAIL"
            if problems
            else (
                "ok, == certified" if entry["figures_source"] == "certified" else "ok, file figures"
            )
        )
        print(f"{entry['path']}: {status}")
        for line in problems + notes:
            print("    " + line)
    print(f"{len(picked) - bad}/{len(picked)} entries agree with their files")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

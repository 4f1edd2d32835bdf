"""Write fixtures/samples/openelections-general.csv: a made-up OpenElections precinct file.

Several offices (one with two districts), vote-type columns, Registered Voters / Ballots
Cast rows, over/under votes and write-ins, and a misplaced county Total row among the
precincts. Run from the repository root: ``python tests/tools/make_openelections.py``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "openelections-general.csv"
COLUMNS = [
    "county",
    "precinct",
    "office",
    "district",
    "party",
    "candidate",
    "votes",
    "election_day",
    "absentee",
    "provisional",
]
PRECINCTS = {"Adams": ["A-01", "A-02", "A-03"], "Baker": ["B-01", "B-02"]}
CONTESTS = [
    (
        "President",
        "",
        [
            ("Jane Doe", "DEM"),
            ("John Roe", "REP"),
            ("Write-ins", ""),
            ("Over Votes", ""),
            ("Under Votes", ""),
        ],
    ),
    ("Governor", "", [("Ann Lee", "DEM"), ("Bo Park", "REP"), ("Cy Ng", "Lbt")]),
    ("U.S. House", "1", [("Dee Fox", "DEM"), ("Ed Gray", "REP")]),
    ("U.S. House", "2", [("Flo Hart", "DEM"), ("Gus Ivy", "REP")]),
]
HOUSE_DISTRICT = {"A-01": "1", "A-02": "1", "A-03": "2", "B-01": "2", "B-02": "2"}


def split(rng: random.Random, total: int) -> tuple[int, int, int]:
    ed = int(total * rng.uniform(0.5, 0.8))
    ab = int((total - ed) * rng.uniform(0.6, 0.95))
    return ed, ab, total - ed - ab


def main() -> None:
    rng = random.Random(8)
    rows = []
    for county, precincts in PRECINCTS.items():
        county_rows: dict[tuple, list[int]] = {}
        for precinct in precincts:
            registered = rng.randint(800, 1500)
            cast = int(registered * rng.uniform(0.5, 0.8))
            rows.append([county, precinct, "Registered Voters", "", "", "", registered, "", "", ""])
            rows.append([county, precinct, "Ballots Cast", "", "", "", cast, *split(rng, cast)])
            for office, district, options in CONTESTS:
                if office == "U.S. House" and HOUSE_DISTRICT[precinct] != district:
                    continue
                remaining = cast
                for i, (name, party) in enumerate(options):
                    if i == len(options) - 1:
                        v = remaining
                    elif name in ("Write-ins", "Over Votes"):
                        v = rng.randint(0, 6)
                    else:
                        v = int(remaining * rng.uniform(0.4, 0.6))
                    remaining -= v
                    parts = split(rng, v)
                    rows.append([county, precinct, office, district, party, name, v, *parts])
                    acc = county_rows.setdefault((office, district, party, name), [0, 0, 0, 0])
                    for k, x in enumerate((v, *parts)):
                        acc[k] += x
        if county == "Adams":
            # The misplaced county total: sums the President rows of the precincts above.
            for (office, district, party, name), acc in county_rows.items():
                if office == "President":
                    rows.append([county, "Total", office, district, party, name, *acc])
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(rows)


if __name__ == "__main__":
    main()

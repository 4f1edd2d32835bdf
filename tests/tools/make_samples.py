"""Write the small made-up station-level samples in fixtures/samples/, one per input layout.

The stations are invented; their arithmetic is consistent (option votes + invalid =
ballots cast <= registered), so every loader must give the same tally.
Run from the repository root: ``python tests/tools/make_samples.py``.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "fixtures" / "samples"
OPTIONS = [("Alma Example", "Blue Party"), ("Bek Sample", "Green Party"), ("Against all", "")]
REGIONS = {
    "North": ["N-1", "N-2"],
    "South": ["S-1", "S-2"],
    "Capital City": ["C-1"],
    "Abroad": ["Embassy"],
}


def stations() -> list[dict]:
    rng = random.Random(2022)
    rows = []
    for region, districts in REGIONS.items():
        for district in districts:
            for k in range(1, 3):
                registered = rng.randint(400, 2000)
                cast = int(registered * rng.uniform(0.3, 0.9))
                invalid = rng.randint(0, cast // 40)
                valid = cast - invalid
                a = int(valid * rng.uniform(0.45, 0.7))
                b = int((valid - a) * rng.uniform(0.5, 0.8))
                rows.append(
                    {
                        "region": region,
                        "district": district,
                        "station": f"{district}-{k:03d}",
                        "abroad": region == "Abroad",
                        "country": ("Germany" if k == 1 else "Turkey")
                        if region == "Abroad"
                        else "",
                        "registered": registered,
                        "ballots_cast": cast,
                        "invalid": invalid,
                        "votes": [a, b, valid - a - b],
                    }
                )
    return rows


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = stations()
    names = [o[0] for o in OPTIONS]
    with open(OUT / "stations-wide.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "region",
                "district",
                "station",
                "abroad",
                "country",
                "registered",
                "ballots_cast",
                "invalid",
                *names,
            ]
        )
        for r in rows:
            w.writerow(
                [
                    r["region"],
                    r["district"],
                    r["station"],
                    "yes" if r["abroad"] else "no",
                    r["country"],
                    r["registered"],
                    r["ballots_cast"],
                    r["invalid"],
                    *r["votes"],
                ]
            )
    with open(OUT / "stations-long.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["region", "district", "station", "abroad", "country", "option", "votes"])
        for r in rows:
            unit = [
                r["region"],
                r["district"],
                r["station"],
                "yes" if r["abroad"] else "no",
                r["country"],
            ]
            w.writerow([*unit, "registered", r["registered"]])
            w.writerow([*unit, "ballots_cast", r["ballots_cast"]])
            w.writerow([*unit, "invalid", r["invalid"]])
            for name, v in zip(names, r["votes"], strict=True):
                w.writerow([*unit, name, v])
    units = [{"id": "nation", "name": "Exampleland", "level": "nation"}]
    for region in REGIONS:
        units.append(
            {
                "id": region,
                "name": region,
                "level": "region",
                "parent": "nation",
                "abroad": region == "Abroad",
            }
        )
        for district in REGIONS[region]:
            units.append(
                {
                    "id": f"{region}/{district}",
                    "name": district,
                    "level": "district",
                    "parent": region,
                }
            )
    for r in rows:
        units.append(
            {
                "id": f"{r['region']}/{r['district']}/{r['station']}",
                "name": r["station"],
                "level": "station",
                "parent": f"{r['region']}/{r['district']}",
                "abroad": r["abroad"],
                "country": r["country"] or None,
                "registered": r["registered"],
                "ballots_cast": r["ballots_cast"],
                "invalid": r["invalid"],
                "votes": {
                    n.lower().replace(" ", "_"): v for n, v in zip(names, r["votes"], strict=True)
                },
            }
        )
    doc = {
        "format": "elect-election",
        "format_version": 1,
        "election": {
            "name": "Exampleland presidential election (made-up sample)",
            "country": "XX",
            "date": "2024-01-01",
            "kind": "presidential",
            "status": "final",
            "sources": [],
        },
        "contests": [
            {
                "id": "main",
                "office": "President",
                "options": [
                    {
                        "id": n.lower().replace(" ", "_"),
                        "name": n,
                        "party": p or None,
                        "kind": "against_all" if n == "Against all" else "candidate",
                    }
                    for n, p in OPTIONS
                ],
                "units": units,
            }
        ],
    }
    (OUT / "stations.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

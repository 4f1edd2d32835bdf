"""Build fixtures/kz-2022-presidential.json from ../shared/data/kz2022/ (the CEC's figures).

Run from the repository root: ``python tests/tools/build_kz2022.py [SHARED_DIR]``.
tests/test_fixture_kz2022.py checks that the committed fixture equals this output.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build(data: Path) -> dict:
    national = list(csv.DictReader(open(data / "national.csv", encoding="utf-8")))
    regions = list(csv.DictReader(open(data / "regions.csv", encoding="utf-8")))
    candidates = list(csv.DictReader(open(data / "candidates.csv", encoding="utf-8")))
    readme = (data / "README.md").read_text(encoding="utf-8")

    sources = []
    for line in readme.splitlines():
        m = re.match(r"^\| (K22-[A-Z0-9-]+) \| (.*?) \| (.*?) \| (.*?) \|$", line)
        if m:
            url = m.group(3).split(" ; ")[0].strip()
            sources.append(
                {
                    "id": m.group(1),
                    "title": m.group(2).strip(),
                    "url": url if url.startswith("http") else None,
                    "note": m.group(4).strip(),
                }
            )

    def row(stage: str, fld: str) -> dict:
        (r,) = [r for r in national if r["stage"] == stage and r["field"] == fld]
        return r

    def ids(r: dict) -> list[str]:
        return [s for s in r["source_ids"].split(";") if s]

    options = []
    for c in sorted(candidates, key=lambda c: int(c["ballot_position"])):
        kind = "against_all" if c["option_id"] == "against_all" else "candidate"
        options.append(
            {
                "id": c["option_id"],
                "name": c["name_en"],
                "party": c["nominated_by_en"] or None,
                "kind": kind,
                "aliases": [c["name_ru"]],
            }
        )
    registered = row("preliminary", "registered_voters")
    cast = row("final", "ballots_received")
    invalid = row("final", "invalid_ballots")
    votes, shares, vote_sources = {}, {}, {}
    for o in options:
        r = row("final", f"votes_{o['id']}")
        votes[o["id"]] = int(r["count"])
        shares[o["id"]] = float(r["percent"])
        vote_sources[f"votes.{o['id']}"] = ids(r)
    nation = {
        "id": "kz",
        "name": "Kazakhstan",
        "level": "nation",
        "registered": int(registered["count"]),
        "ballots_cast": int(cast["count"]),
        "invalid": int(invalid["count"]),
        "votes": votes,
        "reported": {"turnout_pct": float(cast["percent"]), "shares_pct": shares},
        "sources": {
            "registered": ids(registered),
            "ballots_cast": ids(cast),
            "reported.turnout_pct": ids(cast),
            **vote_sources,
        },
        "derived": ["invalid"],
        "note": "registered = the CEC's refined lists (11,953,465), the denominator of the "
        "final 69.44%; invalid = ballots cast - valid votes, derived (not published)",
    }
    units = [nation]
    for r in regions:
        if r["region_id"] == "abroad":
            units.append(
                {
                    "id": "abroad",
                    "name": "Abroad",
                    "level": "region",
                    "parent": "kz",
                    "abroad": True,
                    "registered": int(r["registered"]),
                    "ballots_cast": int(r["ballots_received"]),
                    "stations": 68,
                    "countries": 53,
                    "reported": {"turnout_pct": float(r["turnout_pct_close"])},
                    "sources": {
                        "registered": ["K22-ABROAD"],
                        "ballots_cast": ["K22-ABROAD"],
                        "reported.turnout_pct": ["K22-ABROAD"],
                        "stations": ["K22-ABROAD", "K22-STATIONS"],
                        "countries": ["K22-ABROAD", "K22-STATIONS"],
                    },
                    "aliases": [r["name_ru"], r["name_kk"]],
                }
            )
            continue
        units.append(
            {
                "id": r["region_id"],
                "name": r["name_en"],
                "level": "region",
                "parent": "kz",
                "code": r["kato_prefix"],
                "reported": {"turnout_pct": float(r["turnout_pct_close"])},
                "sources": {"reported.turnout_pct": [r["close_source"]]},
                "aliases": [r["name_ru"], r["name_kk"]],
            }
        )
    return {
        "format": "elect-election",
        "format_version": 1,
        "election": {
            "name": "Kazakhstan presidential election 2022",
            "country": "KZ",
            "date": "2022-11-20",
            "kind": "presidential",
            "status": "final",
            "sources": sources,
            "note": "Final CEC protocol of 22 Nov 2022 as reported by the press; regional "
            "turnout at close (22:00 briefing); per-candidate results by region were not "
            "published. Transcribed in ../shared/data/kz2022/.",
        },
        "contests": [
            {
                "id": "president",
                "office": "President",
                "district": None,
                "rules": {"majority": "absolute", "threshold_pct": 50, "runoff_size": 2},
                "options": options,
                "units": units,
            }
        ],
    }


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
    doc = build(shared / "data" / "kz2022")
    out = ROOT / "fixtures" / "kz-2022-presidential.json"
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()

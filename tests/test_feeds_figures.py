"""Issue 18, item 5: for every sample feed, elect's totals equal an independent reading.

The expected figures are computed here with plain ElementTree, never through
elect's loaders: for each contest, each selection's votes are the sum of its
``total`` VoteCounts (NIST) or of its per-county/per-precinct vote-type votes
(Clarity). elect's figures come from ``elect report FILE -c CONTEST --json``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import invoke

DATA = Path(__file__).parent / "data"
NIST_FEEDS = sorted(p.name for p in (DATA / "nist").glob("*sample_feed*.xml"))
CLARITY_FEEDS = [
    "clarify_county.xml",
    "clarify_precinct.xml",
    "ga-2021-01-05-detail.xml",
    "ga-2021-01-05-detailxml.zip",
]
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def report(runner, path: Path, contest: str) -> dict:
    res = invoke(runner, "report", str(path), "-c", contest, "--json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def nist_expected(path: Path) -> dict[str, dict[str, int]]:
    """contest objectId → selection objectId → the sum of its 'total' VoteCounts."""
    root = ET.parse(path).getroot()
    out = {}
    for contest in root.iter("Contest"):
        sums = {}
        for sel in contest.iter("BallotSelection"):
            sums[sel.get("objectId")] = sum(
                int(float(vc.findtext("Count")))
                for vc in sel.iter("VoteCounts")
                if vc.findtext("Type") == "total"
            )
        out[contest.get("objectId")] = sums
    return out


def test_the_sample_feeds_are_all_here():
    assert NIST_FEEDS == [
        "ballot_measure_contest_sample_feed_with_results.xml",
        "post_election_sample_feed_precincts.xml",
        "post_election_sample_feed_summary.xml",
        "post_retention_contest_sample_feed_precincts.xml",
        "post_retention_contest_sample_feed_summary.xml",
    ]


@pytest.mark.parametrize("name", NIST_FEEDS)
def test_nist_feed_totals_equal_an_independent_reading(runner, name):
    path = DATA / "nist" / name
    expected = nist_expected(path)
    assert expected  # every sample has at least one contest with results
    for contest_id, sums in expected.items():
        doc = report(runner, path, contest_id)
        got = {r["option_id"]: r["votes"] for r in doc["shares"]}
        assert got == sums, (name, contest_id)
        assert doc["outcome"]["rule"] == "plurality"  # US contests: never a runoff
        assert doc["outcome"]["decision"] in ("plurality", "tie")


def test_nist_precinct_feed_figures(runner):
    path = DATA / "nist" / "post_election_sample_feed_precincts.xml"
    doc = report(runner, path, "cc20003")  # Governor, by precinct
    votes = {r["name"]: r["votes"] for r in doc["shares"]}
    assert votes == {
        "Terry R. McAuliffe": 335476,
        "Ken T. Cuccinelli II": 307996,
        "Robert C. Sarvis": 284240,
    }
    assert doc["summary"]["units"] == 21  # precincts and split precincts
    assert doc["outcome"]["winner_name"] == "Terry R. McAuliffe"
    assert doc["outcome"]["margin_votes"] == 335476 - 307996


def test_nist_summary_feed_progress_and_types(runner):
    path = DATA / "nist" / "post_election_sample_feed_summary.xml"
    doc = report(runner, path, "cc20003")
    assert doc["summary"]["reporting"] == {
        "reported": 21,
        "total": 31,
        "unit": "precincts",
        "pct": 67.74,
    }
    res = invoke(runner, "shares", str(path), "-c", "cc20003", "--by", "vote-type", "--json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["options"]
    root = ET.parse(path).getroot()
    for row in rows:
        sel = next(s for s in root.iter("BallotSelection") if s.get("objectId") == row["option_id"])
        by_type = {vc.findtext("Type"): int(vc.findtext("Count")) for vc in sel.iter("VoteCounts")}
        assert row["by_type"] == {
            "absentee": by_type["absentee"],
            "early": by_type["early"],
            "election_day": by_type["election-day"],
        }
        assert row["unexplained"] == 0


def clarity_root(path: Path) -> ET.Element:
    if path.suffix == ".zip":
        import zipfile

        with zipfile.ZipFile(path) as zf:
            return ET.fromstring(zf.read(zf.namelist()[0]))
    return ET.parse(path).getroot()


def clarity_expected(root: ET.Element) -> dict[str, dict[str, int]]:
    """contest key → choice text (or contest-level vote type) → sum of its sub-unit votes."""
    out = {}
    for contest in root.iter("Contest"):
        sums = {}
        for vt in contest.findall("VoteType"):
            sums[vt.get("name")] = sum(int(s.get("votes")) for s in vt if s.get("votes"))
        for choice in contest.findall("Choice"):
            sums[choice.get("text")] = sum(
                int(s.get("votes")) for vt in choice.findall("VoteType") for s in vt
            )
        out[contest.get("key")] = sums
    return out


@pytest.mark.parametrize("name", CLARITY_FEEDS)
def test_clarity_totals_equal_an_independent_reading(runner, name):
    path = DATA / "clarity" / name
    root = clarity_root(path)
    for key, sums in clarity_expected(root).items():
        doc = report(runner, path, key)
        got = {r["name"]: r["votes"] for r in doc["shares"]}
        assert got == sums, (name, key)
        assert doc["outcome"]["rule"] == "plurality"
        contest = next(c for c in root.iter("Contest") if c.get("key") == key)
        reported = int(contest.get("precinctsReported"))
        total = int(contest.get("precinctsParticipating") or contest.get("precinctsReporting"))
        assert doc["summary"]["reporting"]["reported"] == reported
        assert doc["summary"]["reporting"]["total"] == total


def test_georgia_runoff_figures(runner):
    path = DATA / "clarity" / "ga-2021-01-05-detailxml.zip"
    doc = report(runner, path, "US Senate (Loeffler)")
    votes = {r["name"]: r["votes"] for r in doc["shares"]}
    assert votes == {"Raphael Warnock (Dem)": 2289113, "Kelly Loeffler (I) (Rep)": 2195841}
    # The published totals (Choice totalVotes) agree with the county sums: no discrepancy.
    assert doc["discrepancies"] == []
    assert doc["summary"]["reporting"] == {
        "reported": 2656,
        "total": 2656,
        "unit": "precincts",
        "pct": 100.0,
    }
    root = clarity_root(path)
    counties = root.find("ElectionVoterTurnout/Counties")
    assert doc["summary"]["ballots_cast"] == sum(int(c.get("ballotsCast")) for c in counties)
    assert doc["summary"]["units"] == 159
    assert doc["outcome"]["winner_name"] == "Raphael Warnock (Dem)"
    assert doc["outcome"]["decision"] == "plurality"


def test_clarity_published_total_that_disagrees_is_shown(runner):
    """The clarify fixture's state total for Cotton is not the sum of its counties."""
    path = DATA / "clarity" / "clarify_county.xml"
    doc = report(runner, path, "U.S. Senate")
    assert [r["votes"] for r in doc["shares"]] == [462123]
    [d] = doc["discrepancies"]
    assert (d["reported"], d["computed"]) == (477734, 462123)


def test_clarity_report_table_shows_precincts_reporting(runner):
    res = invoke(runner, "report", str(DATA / "clarity" / "clarify_precinct.xml"))
    assert res.exit_code == 0, res.output
    assert "Precincts reporting" in res.stdout
    assert "32 of 32" in res.stdout
    assert "Mitch McCONNELL" in res.stdout
    assert "Runoff" not in res.stdout

"""Files holding several contests: list, select, never sum across them (issue 8)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal

import pytest

from conftest import SAMPLES, invoke
from elect.core import build_report, contest_rows, load, select_contest
from elect.core.errors import SelectionError
from elect.core.vote_types import vote_type_split

OE = SAMPLES / "openelections-general.csv"


def raw_rows():
    return list(csv.DictReader(open(OE, encoding="utf-8")))


def expected_votes(office: str, district: str = "") -> dict[str, int]:
    """Independent tally from the raw file: precinct rows only, no Total row."""
    out: dict[str, int] = defaultdict(int)
    for r in raw_rows():
        if r["office"] == office and r["district"] == district and r["precinct"] != "Total":
            out[r["candidate"]] += int(r["votes"])
    return dict(out)


@pytest.fixture(scope="module")
def election():
    return load(OE)


def test_contests_are_office_plus_district(election):
    names = [c.name for c in election.contests]
    assert names == ["Governor", "President", "U.S. House (1)", "U.S. House (2)"]


def test_no_sum_across_contests(election):
    for c in election.contests:
        want = expected_votes(c.office, c.district or "")
        got = {o.name: int(c.votes[o.id].sum()) for o in c.options}
        assert got == want, c.name


def test_total_row_is_dropped_with_a_warning(election):
    warnings = [n for n in election.notes if n.code == "aggregate-row"]
    assert warnings and warnings[0].severity == "warning"
    total_line = next(i for i, r in enumerate(raw_rows(), start=2) if r["precinct"] == "Total")
    assert warnings[0].line == total_line
    pres = select_contest(election, "president")
    assert "Adams/Total" not in set(pres.units["unit_id"].astype(str))


def test_non_candidates_kept_apart(election):
    pres = select_contest(election, "pres")
    report = build_report(election, pres)
    rows = {r.option_id: r for r in report.shares}
    assert rows["over_votes"].kind == "over_votes" and not rows["over_votes"].in_base
    assert rows["under_votes"].kind == "under_votes" and rows["under_votes"].share is None
    assert rows["write_ins"].kind == "write_in" and not rows["write_ins"].in_base
    want = expected_votes("President")
    base = want["Jane Doe"] + want["John Roe"]
    assert report.base_total == base
    assert (
        rows["jane_doe"].share == (Decimal(want["Jane Doe"] * 10000 * 2 + base) // (2 * base)) / 100
    )
    assert rows["jane_doe"].party == "DEM"


def test_unit_totals_belong_to_every_contest(election):
    registered = sum(int(r["votes"]) for r in raw_rows() if r["office"] == "Registered Voters")
    pres = build_report(election, select_contest(election, "president"))
    assert pres.summary.totals.value("registered") == registered
    house1 = build_report(election, select_contest(election, "u.s. house (1)"))
    precincts1 = {"A-01", "A-02"}
    assert house1.summary.totals.value("registered") == sum(
        int(r["votes"])
        for r in raw_rows()
        if r["office"] == "Registered Voters" and r["precinct"] in precincts1
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("governor", "Governor"),
        ("GOV", "Governor"),
        ("pres", "President"),
        ("u.s. house (2)", "U.S. House (2)"),
        ("u_s_house_1", "U.S. House (1)"),
    ],
)
def test_select_by_prefix_case_insensitive(election, name, expected):
    assert select_contest(election, name).name == expected


def test_ambiguous_and_unknown_names(election):
    with pytest.raises(SelectionError) as info:
        select_contest(election, "u.s")
    assert "U.S. House (1)" in info.value.message and "U.S. House (2)" in info.value.message
    with pytest.raises(SelectionError):
        select_contest(election, "mayor")
    with pytest.raises(SelectionError):
        select_contest(election, None)


def test_vote_type_split(election):
    split = {r.option_id: r for r in vote_type_split(select_contest(election, "president"))}
    jane = split["jane_doe"]
    want = defaultdict(int)
    for r in raw_rows():
        if r["office"] == "President" and r["candidate"] == "Jane Doe" and r["precinct"] != "Total":
            for k in ("election_day", "absentee", "provisional"):
                want[k] += int(r[k])
    assert jane.by_type == dict(want)
    assert jane.unexplained == 0
    assert sum(jane.by_type.values()) == jane.votes


def test_unit_equal_to_sum_of_others_is_dropped(tmp_path):
    f = tmp_path / "oe.csv"
    f.write_text(
        "county,precinct,office,district,party,candidate,votes\n"
        "X,P1,Mayor,,,Ann,10\nX,P1,Mayor,,,Bob,5\n"
        "X,P2,Mayor,,,Ann,7\nX,P2,Mayor,,,Bob,9\n"
        "X,County X,Mayor,,,Ann,17\nX,County X,Mayor,,,Bob,14\n"
    )
    e = load(f)
    c = e.contests[0]
    assert {o.name: int(c.votes[o.id].sum()) for o in c.options} == {"Ann": 17, "Bob": 14}
    assert any("County X" in n.message and n.code == "aggregate-row" for n in e.notes)


def test_contests_rows(election):
    rows = {r.contest.name: r for r in contest_rows(election)}
    gov = rows["Governor"]
    want = expected_votes("Governor")
    assert gov.total_votes == sum(want.values())
    assert gov.outcome.winner_name == max(want, key=want.get)


def test_cli_report_without_contest_prints_one_row_per_contest(runner):
    r = invoke(runner, "report", str(OE), "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["schema_version"], doc["kind"]) == (2, "contests")
    assert doc["election"]["file"] == str(OE)
    assert [d["name"] for d in doc["contests"]][:2] == ["Governor", "President"]
    # the same document as elect contests
    assert doc == json.loads(invoke(runner, "contests", str(OE), "--json").stdout)
    table = invoke(runner, "report", str(OE))
    assert "U.S. House (2)" in table.stdout and "Contests" in table.stdout


def test_cli_contests_and_ambiguity(runner):
    r = invoke(runner, "contests", str(OE), "--json")
    assert len(json.loads(r.stdout)["contests"]) == 4
    bad = invoke(runner, "shares", str(OE), "--contest", "u.s")
    assert bad.exit_code == 2
    assert "U.S. House (1)" in bad.stderr and "U.S. House (2)" in bad.stderr
    none = invoke(runner, "shares", str(OE))
    assert none.exit_code == 2 and "--contest" in none.stderr


def test_contests_counts_its_contests_in_words(runner):
    r = invoke(runner, "contests", str(OE))
    assert r.exit_code == 0, r.stderr
    assert "4 contests; pick one with --contest NAME" in r.stderr
    one = invoke(runner, "contests", str(SAMPLES / "stations-wide.csv"))
    assert one.exit_code == 0, one.stderr
    assert one.stderr.strip().splitlines()[-1] == "1 contest"


def test_cli_by_vote_type(runner):
    r = invoke(runner, "shares", str(OE), "-c", "president", "--by", "vote-type", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["vote_types"] == ["election_day", "absentee", "provisional"]
    jane = next(o for o in doc["options"] if o["option_id"] == "jane_doe")
    assert sum(jane["by_type"].values()) == jane["votes"]
    table = invoke(runner, "shares", str(OE), "-c", "president", "--by", "vote-type")
    assert "Election day" in table.stdout
    nope = invoke(runner, "shares", "--by", "vote-type")
    assert nope.exit_code == 2 and "vote-type columns" in nope.stderr


@pytest.mark.parametrize(
    ("query", "picked"),
    [
        ("u.s. house 1", "U.S. House (1)"),
        ("US House (2)", "U.S. House (2)"),
        ("us house 1", "U.S. House (1)"),
        ("1", "U.S. House (1)"),  # a district by its number
        ("2", "U.S. House (2)"),
        ("house 2", "U.S. House (2)"),  # every word of the query in the label
        ("GOV", "Governor"),
    ],
)
def test_contest_matching_folds_case_punctuation_and_takes_district_numbers(runner, query, picked):
    from elect.core import load, select_contest

    # The long-file fast path (contest picked before building) and the selection over
    # every contest built give the same contest.
    assert select_contest(load(OE), query).name == picked
    r = invoke(runner, "shares", str(OE), "-c", query, "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["contest"]["name"] == picked


@pytest.mark.parametrize("query", ["house", "u.s"])
def test_ambiguous_contest_lists_the_candidates(runner, query):
    r = invoke(runner, "shares", str(OE), "-c", query)
    assert r.exit_code == 2
    assert "U.S. House (1)" in r.stderr and "U.S. House (2)" in r.stderr


def test_a_district_number_no_contest_has_is_refused(runner):
    r = invoke(runner, "shares", str(OE), "-c", "3")
    assert r.exit_code == 2 and "no contest matches '3'" in r.stderr

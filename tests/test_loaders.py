"""Each loader on the same made-up stations gives the same tally; bad input gives typed errors."""

from __future__ import annotations

import csv
import gzip
from decimal import Decimal

import pytest

from conftest import SAMPLES
from elect.core import build_report, load
from elect.core.errors import (
    CountError,
    DecodeError,
    FormatError,
    MissingColumnError,
    UnreadableFileError,
)
from elect.core.io import InputSource, detect_format

SAMPLE_FILES = ["stations-wide.csv", "stations-long.csv", "stations.json"]


def tally(report) -> dict:
    d = report.to_dict()
    return {
        "summary": {k: d["summary"][k] for k in ("registered", "ballots_cast", "invalid", "valid")},
        "turnout": d["summary"]["turnout_pct"],
        "shares": [(s["option_id"], s["votes"], s["share_pct"]) for s in d["shares"]],
        "highest": [(r["name"], r["turnout_pct"]) for r in d["turnout"]["highest"]],
        "lowest": [(r["name"], r["turnout_pct"]) for r in d["turnout"]["lowest"]],
        "abroad": {
            k: d["diaspora"][k] for k in ("stations", "countries", "registered", "ballots_cast")
        },
        "abroad_options": d["diaspora"]["options"],
    }


@pytest.fixture(scope="module")
def tallies():
    return {name: tally(build_report(load(SAMPLES / name))) for name in SAMPLE_FILES}


def test_detected_formats():
    assert [detect_format(InputSource.from_path(SAMPLES / f)) for f in SAMPLE_FILES] == [
        "wide",
        "long",
        "json",
    ]


def test_every_layout_gives_the_same_tally(tallies):
    first = tallies["stations-wide.csv"]
    for name in SAMPLE_FILES[1:]:
        assert tallies[name] == first, name


def test_sample_tally_values(tallies):
    t = tallies["stations-wide.csv"]
    assert t["summary"] == {
        "registered": 16202,
        "ballots_cast": 10426,
        "invalid": 132,
        "valid": 10294,
    }
    assert t["turnout"] == 64.35
    assert t["shares"][0] == ("alma_example", 6114, 59.39)
    rows = list(csv.DictReader(open(SAMPLES / "stations-wide.csv", encoding="utf-8")))
    abroad = [r for r in rows if r["abroad"] == "yes"]
    assert t["abroad"] == {
        "stations": len(abroad),
        "countries": len({r["country"] for r in abroad}),
        "registered": sum(int(r["registered"]) for r in abroad),
        "ballots_cast": sum(int(r["ballots_cast"]) for r in abroad),
    }
    assert t["abroad"]["stations"] == 2
    assert t["highest"][0] == ("North", 73.79)
    assert "Abroad" not in [n for n, _ in t["highest"] + t["lowest"]]


def test_station_rows_roll_up_to_regions():
    report = build_report(load(SAMPLES / "stations-wide.csv"), top=10)
    rows = {r.name: r for r in report.turnout.highest}
    north = rows["North"]
    assert north.origin == "computed"
    assert (north.registered, north.ballots_cast) == (5254, 3877)
    assert north.turnout == Decimal("73.79")


def test_gzip_and_stdin_bytes(tmp_path):
    data = (SAMPLES / "stations-wide.csv").read_bytes()
    gz = tmp_path / "s.csv.gz"
    gz.write_bytes(gzip.compress(data))
    a = build_report(load(gz)).to_dict()["shares"]
    b = build_report(load(InputSource.from_bytes(data))).to_dict()["shares"]
    assert a == b


def test_aliases_and_case_insensitive_headers(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("REGION,Electors,Voted,Spoiled,Ann,Bob\nX,100,80,4,50,26\nY,200,100,0,30,70\n")
    r = build_report(load(f))
    assert r.summary.totals.value("registered") == 300
    assert r.summary.totals.value("ballots_cast") == 180
    assert r.summary.totals.value("invalid") == 4
    assert {s.option_id: s.votes for s in r.shares} == {"ann": 80, "bob": 96}


def test_published_number_forms_are_read_with_a_note(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('region;registered;cast;A;B\nX;"1 200";1 000;600;400\n', encoding="utf-8")
    e = load(f)
    r = build_report(e)
    assert r.summary.totals.value("registered") == 1200
    assert any(n.code == "number-normalised" for n in e.notes)
    assert any(n.code == "delimiter" for n in e.notes)


def test_cp1251_is_detected(tmp_path):
    f = tmp_path / "ru.csv"
    f.write_bytes("регион,registered,cast,Иванов,Петров\nМосква,10,8,5,3\n".encode("cp1251"))
    e = load(f)
    assert e.contests[0].options[0].name == "Иванов"
    assert any(n.code == "encoding" for n in e.notes)


def test_aggregate_row_is_left_out(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text(
        "region,registered,cast,A,B\nX,100,80,50,30\nY,100,60,20,40\nTotal,200,140,70,70\n"
    )
    e = load(f)
    r = build_report(e)
    assert r.summary.totals.value("registered") == 200
    assert any(n.code == "aggregate-row" and n.line == 4 for n in e.notes)


@pytest.mark.parametrize(
    ("content", "error", "line", "column"),
    [
        (b"region,registered,A\nX,12x,5\n", CountError, 2, "registered"),
        (b"region,registered,A\nX,10,5\nY,-3,1\n", CountError, 3, "registered"),
        (b"region,registered,A\nX,10.5,5\n", CountError, 2, "registered"),
        (b"district,registered,A\nX,10,5\n", MissingColumnError, 1, None),
        (b"region,A,A\nX,1,2\n", FormatError, 1, "A"),
        (b"region,,A\nX,1,2\n", FormatError, 1, None),
        (b"region,registered,A\nX,10,5,7,8\n", FormatError, None, None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", DecodeError, None, None),
        (b"", FormatError, None, None),
        (b'{"contests": [', FormatError, 1, None),
        (b"just one column\nfoo\n", FormatError, 1, None),
    ],
)
def test_bad_input_raises_typed_errors(tmp_path, content, error, line, column):
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    with pytest.raises(error) as info:
        load(f)
    exc = info.value
    assert exc.file == str(f)
    if line is not None:
        assert exc.line == line
    if column is not None:
        assert exc.column == column
    assert exc.hint


def test_missing_file():
    with pytest.raises(UnreadableFileError) as info:
        load("/nonexistent/results.csv")
    assert "no such file" in info.value.one_line()


def test_numeric_district_codes_keep_their_zeros(tmp_path):
    # pandas infers a categorical's categories: codes that all look like numbers
    # would come back as numbers, "001" as 1.
    path = tmp_path / "codes.csv"
    path.write_text(
        "region,district,station,registered,ballots_cast,Alma\n"
        "01,001,0008,10,5,5\n"
        "01,002,0009,10,6,6\n"
    )
    units = load(str(path)).contests[0].units
    assert list(units["unit_id"]) == ["01/001/0008", "01/002/0009"]
    assert list(units["region"].astype(str)) == ["01", "01"]


def test_header_with_spaces_around_it_is_recognised(tmp_path):
    path = tmp_path / "spaced.csv"
    path.write_text(" region ,registered, Alma \nNorth,10,5\n")
    contest = load(str(path)).contests[0]
    assert list(contest.units["unit_id"]) == ["North"]
    assert [o.name for o in contest.options] == ["Alma"]


def test_long_file_with_only_a_header_is_a_clear_error(tmp_path):
    # Found by the loader fuzz test: an empty frame reached code that needs rows.
    path = tmp_path / "header-only.csv"
    path.write_bytes(b"\x01,precinct,\x02,candidate,vote")
    with pytest.raises(FormatError, match="no data rows"):
        load(str(path))


def test_station_labels_that_are_not_all_plain_numbers_stay_text(tmp_path):
    # "-1" is not a plain number, so the labels are not read as numbers first; they
    # must then be read as text, not inferred (which turned "0003" into 3).
    path = tmp_path / "labels.csv"
    path.write_text("region,station,registered,Alma\nR,-1,10,5\nR,0003,10,6\n")
    units = load(str(path)).contests[0].units
    assert list(units["unit_id"]) == ["R/-1", "R/0003"]


def test_long_labels_that_read_as_one_number_stay_two_units(tmp_path):
    # Station "0001" and station "1" are different stations; read as numbers they were
    # one, and their votes were added up. Region "01" kept as text, too.
    path = tmp_path / "long.csv"
    path.write_text(
        "region,district,station,option,votes\n"
        "01,001,0001,Alma,5\n01,001,0001,Bek,3\n01,001,1,Alma,2\n01,001,1,Bek,1\n"
    )
    contest = load(str(path)).contests[0]
    assert list(contest.units["unit_id"]) == ["01/001/0001", "01/001/1"]
    assert contest.votes.to_dict("records") == [
        {"alma": 5.0, "bek": 3.0},
        {"alma": 2.0, "bek": 1.0},
    ]


@pytest.mark.parametrize("chunk_rows", [1 << 20, 2])
def test_long_option_given_twice_for_a_unit_is_refused(tmp_path, monkeypatch, chunk_rows):
    from elect.core.io import long_fast
    from elect.core.io.long_rows import RepeatedRowsError

    monkeypatch.setattr(long_fast, "CHUNK_ROWS", chunk_rows)  # 2: the repeat is in another chunk
    path = tmp_path / "long.csv"
    path.write_text("region,station,option,votes\nR,1,Alma,5\nR,1,Bek,3\nR,2,Alma,2\nR,1,Alma,5\n")
    with pytest.raises(RepeatedRowsError) as err:
        load(str(path))
    assert err.value.line == 5 and "2 rows repeat" in err.value.message
    assert 'repeated = "sum"' in err.value.hint


def test_long_repeated_rows_summed_when_the_mapping_says_so(tmp_path):
    from elect.core.io import mapping_for

    path = tmp_path / "long.csv"
    path.write_text("region,station,option,votes\nR,1,Alma,5\nR,1,Bek,3\nR,2,Alma,2\nR,1,Alma,5\n")
    m = tmp_path / "m.toml"
    m.write_text(
        'layout = "long"\n[columns]\nunit = ["region", "station"]\noption = "option"\n'
        'votes = "votes"\n[rows]\nrepeated = "sum"\n'
    )
    election = load(str(path), format=mapping_for(str(m)))
    assert election.contests[0].votes["alma"].tolist() == [10.0, 2.0]
    (note,) = [n for n in election.notes if n.code == "repeated-rows"]
    assert note.severity == "warning" and note.line == 2

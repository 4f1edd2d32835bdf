"""elect results: per-unit votes, shares, leader, margin and turnout; sorting, filtering, formats."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from conftest import KZ2022, SAMPLES, SHARED, invoke
from elect.core.io import load
from elect.core.numbers import pct
from elect.core.results import pct_h, unit_results
from elect.core.results_query import filter_results, find_option, sort_results

WIDE = SAMPLES / "stations-wide.csv"
OE = SAMPLES / "openelections-general.csv"
RU2018 = SHARED / "corpus" / "russia-federal-kobak" / "2018.csv.zip"


def _wide(level="region"):
    return unit_results(load(WIDE).contests[0], level)


def test_regions_of_the_station_sample_add_up_and_round_half_up():
    res = _wide("region")
    rows = {r["unit_id"]: r for r in res.rows()}
    assert list(rows) == ["North", "South", "Capital City", "Abroad"]
    north = rows["North"]
    # N-1-001 + N-1-002 + N-2-001 + N-2-002
    assert north["registered"] == 1488 + 1816 + 425 + 1525 == 5254
    assert north["votes"] == {"alma_example": 2075, "bek_sample": 1103, "against_all": 632}
    assert north["valid"] == 3810
    assert north["shares_pct"] == {"alma_example": 54.46, "bek_sample": 28.95, "against_all": 16.59}
    assert Decimal("54.46") == pct(2075, 3810)
    assert north["leader"] == "alma_example" and north["runner_up"] == "bek_sample"
    assert north["margin_votes"] == 972 and north["margin_pp"] == 25.51
    assert north["turnout_pct"] == 73.79 and north["turnout_origin"] == "computed"
    assert rows["Abroad"]["abroad"] is True and rows["North"]["abroad"] is False


def test_vectorised_pct_equals_numbers_pct():
    import numpy as np

    nums = np.array([6456393, 1, 2, 5, 0, 12345, np.nan])
    dens = np.array([7940478, 3, 3, 8, 0, 12346, 10])
    got = pct_h(nums, dens)
    for n, d, h in zip(nums, dens, got, strict=True):
        want = pct(None if n != n else n, d)
        assert (want is None and h != h) or Decimal(int(h)).scaleb(-2) == want


def test_districts_are_named_without_their_region_and_keep_it():
    res = _wide("district")
    first = next(res.flat_rows())
    assert (first["unit_id"], first["name"], first["region"]) == ("North/N-1", "N-1", "North")
    assert first["share:alma_example"] == 59.25 and first["margin_pp"] == 36.17


def test_stations_sort_by_margin_and_filter_by_turnout():
    res = sort_results(filter_results(_wide("station"), ["turnout>80"]), "margin")
    names = [r["name"] for r in res.flat_rows()]
    assert names == ["S-2-002", "N-1-002", "N-2-001"]  # margins 43.90, 39.61, 19.94
    assert [r["turnout_pct"] for r in res.flat_rows()] == [89.77, 88.88, 81.65]


def test_sort_by_option_share_and_name_and_reverse():
    res = sort_results(_wide("region"), "share:bek")
    assert [r["name"] for r in res.flat_rows()][0] == "North"  # 28.95 %
    res = sort_results(_wide("region"), "name", reverse=True)
    assert [r["name"] for r in res.flat_rows()] == ["South", "North", "Capital City", "Abroad"]


def test_where_text_option_and_abroad():
    assert len(filter_results(_wide("station"), ["region~capital"])) == 2
    assert len(filter_results(_wide("station"), ["abroad"])) == 2
    assert len(filter_results(_wide("station"), ["!abroad", "leader=alma"])) == 10
    with pytest.raises(Exception, match="unknown field"):
        filter_results(_wide("station"), ["colour>3"])


def test_options_found_across_scripts():
    from elect.core.model import Option

    options = [Option("путин_владимир_владимирович", "Путин Владимир Владимирович")]
    assert find_option(options, "putin").id == "путин_владимир_владимирович"


def test_bundled_election_has_regional_turnout_but_no_regional_votes():
    res = unit_results(load(KZ2022).contests[0], "region")
    rows = {r["unit_id"]: r for r in res.rows()}
    assert len(rows) == 21
    assert rows["zhetysu"]["turnout_pct"] == 81.42
    assert rows["zhetysu"]["turnout_origin"] == "reported"
    assert rows["zhetysu"]["leader"] is None
    assert rows["abroad"]["turnout_pct"] == 88.47  # 11,360 of 12,841, from counts


def test_no_such_level_says_which_levels_there_are():
    from elect.core.errors import DataError

    with pytest.raises(DataError, match="no district level") as info:
        unit_results(load(KZ2022).contests[0], "district")
    assert info.value.hint == "levels in the file: region (21)"


def test_cli_table_json_ndjson_csv_markdown(runner):
    r = invoke(runner, "results", str(WIDE), "--by", "district", "--sort", "turnout")
    assert r.exit_code == 0, r.stderr
    assert "N-2" in r.stdout and "6 districts; sorted by turnout" in r.stdout
    doc = json.loads(invoke(runner, "results", str(WIDE), "--json").stdout)
    assert doc["kind"] == "results" and doc["level"] == "region" and doc["units"] == 4
    assert doc["rows"][0]["votes"]["alma_example"] == 2075
    nd = invoke(runner, "results", str(WIDE), "--by", "station", "-f", "ndjson").stdout
    assert len(nd.splitlines()) == 12 and json.loads(nd.splitlines()[0])["name"] == "N-1-001"
    rows = list(
        csv.DictReader(io.StringIO(invoke(runner, "results", str(WIDE), "-f", "csv").stdout))
    )
    assert rows[1]["name"] == "South" and rows[1]["share:alma_example"] == "60.82"
    md = invoke(runner, "results", str(WIDE), "-f", "markdown", "--top", "1").stdout
    assert md.count("\n") == 3 and "| North |" in md


def test_cli_long_list_shows_both_ends_with_a_count(runner, monkeypatch):
    import elect.cli.results_render as view

    monkeypatch.setattr(view, "PREVIEW", 2)
    monkeypatch.setattr(view, "LONG_LIST", 5)
    r = invoke(runner, "results", str(WIDE), "--by", "station", "--sort", "turnout")
    assert "… 8 more …" in r.stdout and "S-2-002" in r.stdout and "S-1-001" in r.stdout
    assert "N-2-002" not in r.stdout and "12 stations" in r.stdout


def test_cli_bad_filter_is_one_line_exit_2(runner):
    r = invoke(runner, "results", str(WIDE), "--where", "turnout>>9")
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("elect: error:")


def test_county_file_by_county_and_precinct(runner):
    r = invoke(runner, "results", str(OE), "-c", "governor", "--json")
    doc = json.loads(r.stdout)
    adams = doc["rows"][0]
    assert adams["name"] == "Adams" and adams["votes"]["ann_lee"] == 340 + 318 + 606
    r = invoke(runner, "results", str(OE), "-c", "governor", "--by", "station", "-f", "csv")
    assert r.stdout.count("\n") == 6  # header + 5 precincts


@pytest.mark.skipif(not RU2018.exists(), reason="needs the Russian corpus in ../shared")
def test_russian_stations_stream_and_count(runner):
    r = invoke(
        runner, "results", str(RU2018), "--preset", "ru-cec", "--by", "station",
        "--where", "turnout>=99.5", "-f", "ndjson",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert rows and all(row["turnout_pct"] >= 99.5 for row in rows)
    r = invoke(runner, "results", str(RU2018), "--preset", "ru-cec", "--json")
    doc = json.loads(r.stdout)
    assert doc["units"] == 87 and doc["base"] == "counted"


def test_no_unit_left_still_gives_the_columns(runner):
    r = invoke(runner, "results", str(WIDE), "--where", "turnout>99", "-f", "csv")
    assert r.stdout.splitlines() == [",".join(_wide().flat_columns())]
    assert next(_wide().flat_rows()).keys() == set(_wide().flat_columns())
    doc = json.loads(invoke(runner, "results", str(WIDE), "--where", "turnout>99", "--json").stdout)
    assert doc["rows"] == [] and doc["shown"] == 0 and doc["units"] == 4


def test_names_are_data_not_markup(runner, tmp_path):
    path = tmp_path / "markup.csv"
    path.write_text(
        "region,registered,ballots_cast,Ann [bold]Lee[/bold],Bo Park\n"
        "[red]North[/red],100,80,50,30\n"
        "South,100,60,20,40\n",
        encoding="utf-8",
    )
    r = invoke(runner, "results", str(path), "--sort", "name")
    assert r.exit_code == 0, r.stderr
    # Shown as written (the leader column gives the surname: "[bold]Lee[/bold]").
    assert "[red]North[/red]" in r.stdout and "[bold]Lee[/bold]" in r.stdout

"""elect forensics through the CLI: synthetic stations in CI, the Russian corpus when present."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import SHARED, invoke
from elect.core import forensics as fx

CORPUS = SHARED / "corpus" / "russia-federal-kobak"


@pytest.fixture(scope="module")
def stations_csv(tmp_path_factory):
    rng = np.random.default_rng(5)
    n = 400
    registered = rng.integers(200, 3000, n)
    issued = rng.binomial(registered, 0.6)
    invalid = rng.binomial(issued, 0.02)
    valid = issued - invalid
    leader = rng.binomial(valid, 0.55)
    other = valid - leader
    regions = np.where(np.arange(n) < 200, "East", "West")
    path = tmp_path_factory.mktemp("fx") / "stations.csv"
    lines = ["region,station,registered,ballots_cast,invalid,Leader,Other"]
    lines += [
        f"{regions[i]},{i},{registered[i]},{issued[i]},{invalid[i]},{leader[i]},{other[i]}"
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n")
    arrays = dict(registered=registered, issued=issued, valid=valid, invalid=invalid, leader=leader)
    return path, {k: v.astype(float) for k, v in arrays.items()}


def test_forensics_json_matches_the_core_statistics(runner, stations_csv):
    path, arrays = stations_csv
    r = invoke(runner, "forensics", str(path), "--json", "--replicates", "50", "--seed", "3")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["kind"] == "forensics" and doc["stations"] == 400
    assert doc["leader"]["name"] == "Leader"
    direct = fx.integer_percentages(**arrays, n_replicates=50, seed=3).to_dict()
    assert doc["integer_percentages"]["either"] == direct["either"]
    shp = fx.shpilkin_variant(**arrays, variant="cedar", seed=3).to_dict()
    assert doc["shpilkin"]["variant"]["name"] == "cedar"
    assert doc["shpilkin"]["anomalous_votes"] == shp["anomalous_votes"]
    assert doc["shpilkin"]["bootstrap_sd"] == shp["bootstrap_sd"] > 0
    assert doc["digits"]["last_digit"]["df"] == 9
    assert doc["parameters"]["seed"] == 3


def test_forensics_is_reproducible_and_by_region(runner, stations_csv):
    path, _ = stations_csv
    args = ["forensics", str(path), "--json", "--replicates", "40", "--by", "region"]
    a, b = invoke(runner, *args), invoke(runner, *args)
    assert a.stdout == b.stdout
    blocks = json.loads(a.stdout)["by_region"]
    assert {row["region"] for row in blocks[0]["rows"]} == {"East", "West"}


def test_forensics_table_says_what_it_measures(runner, stations_csv):
    path, _ = stations_csv
    r = invoke(runner, "forensics", str(path), "--replicates", "20")
    assert r.exit_code == 0, r.stderr
    assert "not proof of fraud" in r.stdout
    assert "Integer percentages" in r.stdout and "Shpilkin" in r.stdout


@pytest.mark.parametrize("width", ["50", "60", "100"])
def test_forensics_figures_stay_whole_in_a_narrow_terminal(
    runner, stations_csv, monkeypatch, width
):
    import re

    path, _ = stations_csv
    monkeypatch.setenv("COLUMNS", width)
    r = invoke(runner, "forensics", str(path), "--replicates", "20", "--by", "region")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(invoke(runner, "forensics", str(path), "--replicates", "20", "--json").stdout)
    ip = doc["integer_percentages"]
    for k in ("turnout", "leader", "either"):  # "mean ± sd" on one line, never split
        expected = f"{ip[k]['expected_mean']:,.1f} ± {ip[k]['expected_sd']:.1f}"
        assert expected in r.stdout, (width, expected)
    chi2 = f"χ² {doc['digits']['second_digit']['chi2']:.1f}"
    assert chi2 in r.stdout
    assert all(len(line) <= int(width) for line in r.stdout.splitlines())
    assert re.search(r"\b(East|West)\b.*\b200\b", r.stdout)  # a region row, whole


def test_forensics_needs_station_rows(runner):
    r = invoke(runner, "forensics")
    assert r.exit_code == 2
    assert "need station rows" in r.stderr


def test_unknown_leader_is_a_usage_error(runner, stations_csv):
    path, _ = stations_csv
    r = invoke(runner, "forensics", str(path), "--leader", "Nobody")
    assert r.exit_code == 2 and "--leader" in r.stderr


def test_russia_2018_with_the_preset(runner):
    path = CORPUS / "2018.csv.zip"
    if not path.exists():
        pytest.skip(f"{path} is absent: the Russian corpus lives in ../shared/corpus")
    r = invoke(
        runner, "forensics", str(path), "--preset", "ru-cec", "--json", "--replicates", "200"
    )
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["leader"]["name"].startswith("Путин")
    either = doc["integer_percentages"]["either"]
    # Kobak et al.'s saved Monte-Carlo result for 2018: excess 1708.8 (SD 116.5).
    assert abs(either["excess"] - 1708.8) < 2 * 116.5
    # Shpilkin's published 2018 estimate: about 10 million (docs/forensics.md); ±15%.
    assert 8.5e6 < doc["shpilkin"]["anomalous_votes"] < 11.5e6

"""The fast paths for large files give what the plain paths give (issue 4, item 5)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import elect.core.io.long_fast as long_io
from elect.core.errors import ElectError
from elect.core.io import InputSource, detect_format, load
from elect.core.report import build_report
from elect.core.tally import leaf_mask

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def _general(path, monkeypatch) -> object:
    """The election as the general long loader reads it (no chunked fast path)."""
    with monkeypatch.context() as m:
        m.setattr(long_io, "applies", lambda *a: None)
        return load(path)


def _same_election(fast, slow) -> None:
    assert [n.to_dict() for n in fast.notes] == [n.to_dict() for n in slow.notes]
    assert len(fast.contests) == len(slow.contests)
    for a, b in zip(fast.contests, slow.contests, strict=True):
        assert a.options == b.options
        pd.testing.assert_frame_equal(a.units, b.units, check_dtype=False, check_categorical=False)
        for col in ("region", "district", "parent", "country"):
            assert list(a.units[col].cat.categories) == list(b.units[col].cat.categories)
        pd.testing.assert_frame_equal(a.votes, b.votes)


def _generated_long(tmp_path: Path, stations: int, *, text: bool = False) -> Path:
    """A long file (seven rows a station) in shuffled order; optionally text station labels."""
    rng = np.random.default_rng(7)
    rows = []
    for s in range(stations):
        region = f"R{rng.integers(0, 4)}"
        district = f"D{rng.integers(0, 3)}"
        label = f"S-{s:03d}" if text else str(1000 - s)
        abroad = "yes" if region == "R3" else "no"
        reg = int(rng.integers(100, 900))
        cast = int(reg * 0.6)
        invalid = int(rng.integers(0, 5))
        a = int(rng.integers(0, cast - invalid))
        votes = {"registered": reg, "ballots_cast": cast, "invalid": invalid}
        votes |= {"Alma": a, "Bek": cast - invalid - a}
        for option, v in votes.items():
            rows.append((region, district, label, abroad, option, v))
    frame = pd.DataFrame(
        rows, columns=["region", "district", "station", "abroad", "option", "votes"]
    )
    path = tmp_path / ("text.csv" if text else "long.csv")
    frame.sample(frac=1, random_state=3).to_csv(path, index=False)
    return path


def test_chunked_long_equals_general_path_on_the_sample(monkeypatch):
    path = SAMPLES / "stations-long.csv"
    _same_election(load(path), _general(path, monkeypatch))


@pytest.mark.parametrize("text", [False, True])
@pytest.mark.parametrize("chunk", [50, 1 << 19])
@pytest.mark.parametrize("halves", [True, False])
def test_chunked_long_equals_general_path_shuffled(tmp_path, monkeypatch, text, chunk, halves):
    # Shuffled rows: units split between chunks and scattered within them; with
    # ``halves`` the file is parsed in two pieces, as a large one is.
    path = _generated_long(tmp_path, 60, text=text)
    monkeypatch.setattr(long_io, "CHUNK_ROWS", chunk)
    monkeypatch.setattr(long_io, "HALVES_FROM", 0 if halves else 1 << 40)
    fast = load(path)
    _same_election(fast, _general(path, monkeypatch))
    report = build_report(fast).to_dict()
    assert report["summary"]["units"] == 60
    assert report["diaspora"]["present"] == ("R3" in set(fast.contests[0].units["region"]))


def test_chunked_long_names_a_bad_row_in_the_second_half(tmp_path, monkeypatch):
    path = _generated_long(tmp_path, 60)
    lines = path.read_text().splitlines()
    lines[250] = lines[250].rsplit(",", 1)[0] + ",-5"
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(long_io, "CHUNK_ROWS", 50)
    monkeypatch.setattr(long_io, "HALVES_FROM", 0)
    with pytest.raises(ElectError) as err:
        load(path)
    assert (err.value.line, err.value.column) == (251, "votes")
    assert "negative count -5" in str(err.value)


def test_long_with_a_total_option_takes_the_general_path(tmp_path, monkeypatch):
    path = tmp_path / "t.csv"
    path.write_text(
        "region,station,option,votes\nA,1,X,5\nA,1,Total Votes,5\nB,2,X,3\nB,2,Total Votes,3\n"
    )
    fast = load(path)
    _same_election(fast, _general(path, monkeypatch))
    assert [n.code for n in fast.notes] == ["total-option-row"]
    assert fast.contests[0].votes["x"].tolist() == [5.0, 3.0]


def test_numeric_station_labels_are_read_again_exactly(tmp_path):
    # Station numbers are read as numbers; the ids keep the text ("007", not "7").
    path = tmp_path / "w.csv"
    path.write_text("region,district,station,registered,X\nA,d,007,10,4\nA,d, 12 ,20,5\n")
    contest = load(path).contests[0]
    assert "unit_id" not in contest.unit_frame.columns  # not built until asked for
    report = build_report(load(path)).to_dict()
    assert report["summary"]["registered"] == 30
    assert contest.units["unit_id"].tolist() == ["A/d/007", "A/d/12"]
    assert contest.units["name"].tolist() == ["007", "12"]
    assert list(contest.units.columns[:2]) == ["unit_id", "name"]


def test_station_ids_of_a_file_changed_since_reading_are_refused(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("region,station,registered,X\nA,1,10,4\nA,2,20,5\n")
    contest = load(path).contests[0]
    path.write_text("region,station,registered,X\nA,1,10,4\nA,2,20,5\nA,3,1,1\n")
    with pytest.raises(ElectError, match="changed"):
        contest.units  # noqa: B018 - the labels are read here


def test_leaf_mask_is_cached_read_only_and_follows_new_units():
    contest = load(SAMPLES / "stations.json").contests[0]
    mask = leaf_mask(contest)
    assert leaf_mask(contest) is mask
    assert int(mask.sum()) == 12
    with pytest.raises(ValueError):
        mask[0] = True
    contest.keep_units(mask)
    assert len(contest.units) == len(contest.votes) == 12
    assert leaf_mask(contest).tolist() == [True] * 12


def test_jsonl_sample_reports_as_the_canonical_json():
    a = build_report(load(SAMPLES / "stations.jsonl")).to_dict()
    b = build_report(load(SAMPLES / "stations.json")).to_dict()
    assert a["election"]["input_format"] == "jsonl"
    for key in ("summary", "shares", "outcome", "turnout", "diaspora", "contest"):
        assert a[key] == b[key], key
    assert a["shares"][0]["name"] == "Alma Example" and a["shares"][0]["votes"] == 6114


def test_jsonl_units_equal_the_wide_csv():
    a = load(SAMPLES / "stations.jsonl").contests[0]
    b = load(SAMPLES / "stations-wide.csv").contests[0]
    pd.testing.assert_frame_equal(a.units, b.units)
    pd.testing.assert_frame_equal(a.votes, b.votes)
    assert [o.party for o in a.options] == ["Blue Party", "Green Party", None]


def test_jsonl_rows_needing_the_json_decoder(tmp_path):
    # An escape, a null and an object row: decoded line by line, same figures.
    header = {
        "format": "elect-stations",
        "columns": ["region", "station", "registered", "ballots_cast", "x", "y"],
        "options": [{"id": "x", "name": "X"}, {"id": "y", "name": "Y"}],
    }
    lines = [
        json.dumps(header),
        json.dumps(["Nor\\th", "1", 10, 8, 5, 3]),
        json.dumps(["South", "2", 20, None, 4, 4]),
        json.dumps({"region": "South", "station": "3", "registered": 5, "x": 1, "y": 0}),
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(lines) + "\n")
    election = load(path)
    units = election.contests[0].units
    assert units["unit_id"].tolist() == ["Nor\\th/1", "South/2", "South/3"]
    assert units["registered"].tolist() == [10.0, 20.0, 5.0]
    assert np.isnan(units["ballots_cast"].iloc[1])
    assert election.contests[0].votes["x"].tolist() == [5.0, 4.0, 1.0]


def test_jsonl_is_detected_and_a_bad_row_named(tmp_path):
    header = {"format": "elect-stations", "columns": ["region", "x"], "options": [{"id": "x"}]}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(header) + '\n["A", 1]\n["B", 2, 3]\n')
    assert detect_format(InputSource.from_path(path)) == "jsonl"
    with pytest.raises(ElectError) as err:
        load(path)
    assert err.value.line == 3
    assert detect_format(InputSource.from_path(SAMPLES / "stations.json")) == "json"


@pytest.mark.parametrize("chunk", [7, 1 << 19])
def test_chunked_long_blank_counts_and_absent_options_as_the_general_path(
    tmp_path, monkeypatch, chunk
):
    # A blank count is no number (the option's total unknown); an option with no row
    # in a station is not on its ballot (zero). Units split between chunks.
    rows = []
    for s in range(12):
        place = (f"R{s % 2}", f"D{s % 3}", str(s + 1))
        rows.append((*place, "Alma", 10 + s))
        if s % 3:  # Bek absent from every third station
            rows.append((*place, "Bek", 5))
        rows.append((*place, "Vera", "" if s == 4 else 2))
    frame = pd.DataFrame(rows, columns=["region", "district", "station", "option", "votes"])
    path = tmp_path / "blank.csv"
    frame.sample(frac=1, random_state=5).to_csv(path, index=False)
    monkeypatch.setattr(long_io, "CHUNK_ROWS", chunk)
    fast = load(path)
    _same_election(fast, _general(path, monkeypatch))
    votes = fast.contests[0].votes
    assert votes["bek"].tolist().count(0.0) == 4
    assert int(np.isnan(votes["vera"]).sum()) == 1

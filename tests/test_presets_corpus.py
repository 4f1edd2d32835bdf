"""The Russian CEC preset on the real station files: national figures as the CEC published.

Reads ../shared/corpus/russia-federal-kobak/ (data: Kobak, Shpilkin & Pshenichnikov,
from the CEC of Russia); skips where that folder is absent.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import invoke
from elect.core.io import load, mapping_for
from elect.core.report import build_report

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "russia-federal-kobak"

needs_corpus = pytest.mark.skipif(
    not (CORPUS / "2018.csv.zip").exists(),
    reason=f"Russian CEC corpus not found at {CORPUS} (shared data, not shipped with elect)",
)


def report(year: str, preset: str = "ru-cec"):
    election = load(CORPUS / f"{year}.csv.zip", format=mapping_for(preset=preset))
    return build_report(election)


def leader(rep):
    return rep.shares[0]


@needs_corpus
def test_2018_national_figures_match_the_cec():
    rep = report("2018")
    s = rep.summary
    assert s.totals.value("registered") == 109_008_428
    assert s.totals.value("ballots_cast") == 73_629_581  # issued: early + station + outside
    assert s.totals.value("invalid") == 791_258
    assert s.turnout == Decimal("67.54")
    assert rep.base == "counted"
    assert rep.base_total == 73_578_992  # valid + invalid
    top = leader(rep)
    assert top.name == "Путин Владимир Владимирович"
    assert top.votes == 56_430_712
    assert top.share == Decimal("76.69")
    assert rep.outcome.decision == "elected"
    assert s.stations == 97_699
    # 50,589 ballots were issued but not found in a box: not a disagreement.
    assert not [d for d in rep.discrepancies if d.field == "ballots_cast"]


@needs_corpus
def test_2018_stations_abroad_roll_up_to_their_region():
    rep = report("2018")
    d = rep.diaspora
    assert d.present
    assert d.units == ["99 Территория за пределами РФ"]
    assert d.stations == 393
    regions = {r.name for r in rep.turnout.highest + rep.turnout.lowest}
    assert "99 Территория за пределами РФ" not in regions  # listed apart, not ranked
    assert rep.turnout.ranked == 86


@needs_corpus
def test_2021_duma_party_list():
    rep = report("2021", "ru-cec-duma")
    assert rep.summary.turnout == Decimal("51.72")
    top = leader(rep)
    assert "ЕДИНАЯ РОССИЯ" in top.name
    assert top.share == Decimal("49.82")
    assert rep.outcome.decision == "plurality"


@needs_corpus
def test_2024_empty_rows_are_dropped_with_a_note():
    election = load(CORPUS / "2024.csv.zip", format=mapping_for(preset="ru-cec"))
    notes = [n for n in election.notes if n.code == "empty-rows"]
    assert len(notes) == 1 and notes[0].message.startswith("2268 row(s)")
    rep = build_report(election)
    assert rep.summary.stations == 91_946
    assert rep.summary.turnout == Decimal("75.40")  # file only: no DEG, as the README says
    assert leader(rep).share == Decimal("86.81")


@needs_corpus
@pytest.mark.parametrize(
    ("year", "name", "share"),
    [
        ("2004", "Путин Владимир Владимирович", "71.31"),
        ("2008", "Медведев Дмитрий Анатольевич", "70.28"),
        ("2012", "Путин Владимир Владимирович", "63.60"),
        ("2020", "ДА", "78.15"),
    ],
)
def test_other_years_read_with_the_same_preset(year, name, share):
    rep = report(year)
    assert leader(rep).name == name
    assert leader(rep).share == Decimal(share)


@needs_corpus
def test_cli_report_with_preset(runner):
    result = invoke(runner, "report", str(CORPUS / "2018.csv.zip"), "--preset", "ru-cec", "--json")
    assert result.exit_code == 0, result.stderr
    import json

    doc = json.loads(result.stdout)
    assert doc["summary"]["turnout_pct"] == 67.54
    putin = doc["shares"][0]
    assert putin["votes"] == 56_430_712 and putin["share_pct"] == 76.69
    assert doc["diaspora"]["stations"] == 393


@needs_corpus
def test_preset_that_does_not_fit_names_file_and_field(runner):
    result = invoke(
        runner, "report", str(CORPUS / "2018.csv.zip"), "--preset", "openelections-wide"
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "2018.csv.zip:1" in line and "preset 'openelections-wide' does not fit" in line
    assert "\n" not in line


@needs_corpus
def test_validate_2018_with_the_preset(runner):
    # Ballots issued but not counted are fine; six stations counted more than they issued.
    result = invoke(
        runner, "validate", str(CORPUS / "2018.csv.zip"), "--preset", "ru-cec", "--json"
    )
    import json

    (f,) = json.loads(result.stdout)["files"]
    assert f["rows"] == 97_699
    assert f["checks"]["ballots-dont-add-up"]["count"] == 6
    assert "option-spelled-two-ways" not in f["checks"]  # the protocol lines are not options

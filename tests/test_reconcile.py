"""elect reconcile: the 2022 figures as five sources, each kind of slip classified."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from conftest import FIXTURES
from elect.cli.main import app
from elect.core.errors import SelectionError
from elect.core.io import load
from elect.core.reconcile import classify, reconcile, source_role

REC = FIXTURES / "reconcile"
NAMES = ("cec", "kazinform", "exitpoll", "breakinglatest", "agency-handmade")
FILES = [REC / f"{n}.json" for n in NAMES]


@pytest.fixture(scope="module")
def result():
    roles = [source_role(f.read_bytes()) for f in FILES]
    return reconcile([load(f) for f in FILES], roles)


def _faults(result):
    return {(r.key, d.source): (d.kind, d.value) for r, d in result.faults}


def test_roles_come_from_the_documents():
    assert [source_role(f.read_bytes()) for f in FILES] == [
        "official",
        "media",
        "exit_poll",
        "media",
        "media",
    ]
    assert source_role(b'{"election": {"official": true}}') == "official"
    assert source_role(b'{"election": {}}') is None


def test_every_fault_is_classified(result):
    assert _faults(result) == {
        ("kz.votes.kazhyken", "kazinform"): ("digit_typo", D(300907)),
        ("kz.votes.abden", "kazinform"): ("rounding", D(206000)),
        ("kz.votes.tokayev", "agency-handmade"): ("transposition", D(6456339)),
        ("kz.registered", "agency-handmade"): ("magnitude", D(1195346)),
        ("kz.votes.auesbayev", "agency-handmade"): ("row_shift", D(168731)),
        ("kyzylorda.turnout_pct", "agency-handmade"): ("row_shift", D("79.28")),
        ("kz.shares_pct.tokayev", "breakinglatest"): ("exit_poll_quoted", D("82.45")),
        ("kz.shares_pct.tokayev", "agency-handmade"): ("rounding", D("81.3")),
        ("kz.ballots_cast", "agency-handmade"): ("unexplained", D(8412000)),
    }
    assert result.counts() == {
        "digit_typo": 1,
        "transposition": 1,
        "rounding": 2,
        "magnitude": 1,
        "row_shift": 2,
        "exit_poll_quoted": 1,
        "unexplained": 1,
    }


def test_consensus_is_the_official_value(result):
    rows = {r.key: r for r in result.rows}
    kazhyken = rows["kz.votes.kazhyken"]
    assert (kazhyken.consensus, kazhyken.basis) == (D(200907), "official")
    assert kazhyken.values == {
        "cec": D(200907),
        "kazinform": D(300907),
        "exitpoll": None,
        "breakinglatest": None,
        "agency-handmade": D(200907),
    }


def test_exit_poll_figures_are_estimates_not_faults(result):
    rows = {r.key: r for r in result.rows}
    (est,) = [d for d in rows["kz.turnout_pct"].disagreements]
    assert (est.source, est.kind, est.value, est.fault) == (
        "exitpoll",
        "exit_poll_estimate",
        D("68.7"),
        False,
    )


def test_equal_values_printed_differently_agree(result):
    rows = {r.key: r for r in result.rows}
    against = rows["kz.shares_pct.against_all"]
    assert against.values["agency-handmade"] == D("5.80") and against.values["cec"] == D("5.8")
    assert [d.source for d in against.disagreements] == ["exitpoll"]


def test_units_are_matched_across_spellings(result):
    rows = {r.key: r for r in result.rows}
    assert rows["almaty_city.turnout_pct"].values["agency-handmade"] == D("28.72")
    assert rows["kostanay.turnout_pct"].disagreements == []
    assert result.notes == []


def test_majority_without_an_official_source():
    roles = ["media", "media", "exit_poll", "media", "media"]
    r = reconcile([load(f) for f in FILES], roles)
    rows = {x.key: x for x in r.rows}
    kazhyken = rows["kz.votes.kazhyken"]
    assert (kazhyken.consensus, kazhyken.basis) == (D(200907), "majority")
    assert [(d.source, d.kind) for d in kazhyken.disagreements] == [("kazinform", "digit_typo")]
    tok = rows["kz.shares_pct.tokayev"]  # 81.31 / 82.45 / 81.3: no majority
    assert (tok.consensus, tok.basis) == (None, "none")


@pytest.mark.parametrize(
    "value, consensus, kind",
    [
        ("300907", "200907", "digit_typo"),
        ("81.13", "81.31", "transposition"),
        ("206000", "206206", "rounding"),
        ("206200", "206206", "rounding"),
        ("5.8", "5.83", "rounding"),
        ("206", "206206", "magnitude"),
        ("64563930", "6456393", "magnitude"),
        ("123456", "200907", "unexplained"),
    ],
)
def test_classify(value, consensus, kind):
    assert classify(D(value), D(consensus))[0] == kind


def test_classify_prefers_row_shift_and_exit_poll():
    assert classify(D(5), D(6), neighbours=[("b", D(5))]) == (
        "row_shift",
        "5 belongs to the neighbouring row b",
    )
    assert classify(D("82.45"), D("81.31"), exit_poll=[D("82.45")])[0] == "exit_poll_quoted"


def test_one_source_is_not_enough():
    with pytest.raises(SelectionError, match="at least two"):
        reconcile([load(FILES[0])], ["official"])


# -- CLI -------------------------------------------------------------------------


def test_cli_reconcile_json_exits_1_on_faults(runner):
    res = runner.invoke(app, ["reconcile", *map(str, FILES), "--json"])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["schema_version"] == 2 and doc["kind"] == "reconcile"
    assert doc["faults"] == 9
    assert [s["role"] for s in doc["sources"]] == [
        "official",
        "media",
        "exit_poll",
        "media",
        "media",
    ]
    (row,) = [r for r in doc["rows"] if r["key"] == "kz.votes.kazhyken"]
    assert row["consensus"] == 200907
    assert row["disagreements"] == [
        {
            "source": "kazinform",
            "value": 300907,
            "kind": "digit_typo",
            "detail": "digit 1 is 3 instead of 2",
        }
    ]
    assert "9 disagreements" in res.stderr


def test_cli_reconcile_table(runner):
    res = runner.invoke(app, ["reconcile", *map(str, FILES)])
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert any("300,907" in x and "200,907" in x and "digit_typo" in x for x in lines)
    assert any("breakinglatest" in x and "exit_poll_quoted" in x for x in lines)
    res = runner.invoke(app, ["reconcile", *map(str, FILES), "--all"])
    assert "Every figure" in res.stdout


def test_cli_official_flag_overrides_and_agreement_exits_0(runner):
    cec, kazinform = str(FILES[0]), str(FILES[1])
    res = runner.invoke(app, ["reconcile", cec, cec, "--official", cec])
    assert res.exit_code == 0
    assert "agree" in res.stdout
    res = runner.invoke(app, ["reconcile", kazinform, cec, "--official", kazinform, "--json"])
    doc = json.loads(res.stdout)
    (row,) = [r for r in doc["rows"] if r["key"] == "kz.votes.kazhyken"]
    assert row["consensus"] == 300907  # the file named --official sets the consensus


def test_role_is_part_of_the_loaded_election():
    from elect.core.io import load

    assert [load(str(f)).role for f in FILES] == [source_role(f.read_bytes()) for f in FILES]

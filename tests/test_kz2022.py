"""The bundled 2022 Kazakhstan election: the figures the CEC published must come out."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conftest import KZ2022, SHARED
from elect.core import build_report, bundled_path, load


@pytest.fixture(scope="module")
def report():
    return build_report(load(KZ2022))


def test_bundled_path_is_the_fixture():
    assert bundled_path().read_bytes() == KZ2022.read_bytes()


def test_winner_and_majority(report):
    o = report.outcome
    assert o.winner == "tokayev"
    assert o.winner_share == Decimal("81.31")
    assert o.decision == "elected" and o.majority_met is True
    assert o.runner_up == "dairabayev"
    assert o.margin_votes == 6456393 - 271641
    assert o.margin_pp == Decimal("77.89")


def test_shares_of_valid_votes_include_against_all(report):
    shares = {r.option_id: (r.votes, r.share) for r in report.shares}
    assert report.base_total == 7940478
    assert shares["tokayev"] == (6456393, Decimal("81.31"))
    assert shares["against_all"] == (460484, Decimal("5.80"))
    assert shares["dairabayev"] == (271641, Decimal("3.42"))
    assert shares["abden"] == (206206, Decimal("2.60"))
    assert shares["kazhyken"] == (200907, Decimal("2.53"))
    assert shares["auesbayev"] == (176116, Decimal("2.22"))
    assert shares["tursynbekova"] == (168731, Decimal("2.12"))
    assert [r.option_id for r in report.shares][:2] == ["tokayev", "against_all"]


def test_other_bases():
    election = load(KZ2022)
    cast = {r.option_id: r.share for r in build_report(election, base="cast").shares}
    assert cast["tokayev"] == Decimal("77.79")  # 6,456,393 / 8,300,046
    reg = {r.option_id: r.share for r in build_report(election, base="registered").shares}
    assert reg["tokayev"] == Decimal("54.01")


def test_turnout_and_origins(report):
    s = report.summary
    assert s.turnout == Decimal("69.44")
    assert s.totals.value("registered") == 11953465
    assert s.totals.value("ballots_cast") == 8300046
    assert s.valid == 7940478
    assert s.totals.counts["invalid"].value == 359568
    assert s.totals.counts["invalid"].origin == "derived"
    assert s.totals.counts["registered"].origin == "reported"
    assert report.discrepancies == []


def test_turnout_extremes_leave_abroad_out(report):
    t = report.turnout
    assert [(r.unit_id, r.turnout) for r in t.highest] == [
        ("zhetysu", Decimal("81.42")),
        ("kyzylorda", Decimal("81.07")),
        ("turkistan", Decimal("80.37")),
    ]
    assert [(r.unit_id, r.turnout) for r in t.lowest] == [
        ("almaty_city", Decimal("28.72")),
        ("astana", Decimal("48.60")),
        ("shymkent", Decimal("59.79")),
    ]
    assert t.ranked == 20
    assert all(r.origin == "reported" for r in t.highest + t.lowest)
    assert [r.unit_id for r in t.abroad] == ["abroad"]
    # The README's point: the unweighted mean of regional turnouts is not the national one.
    assert t.unweighted_mean == Decimal("71.96")


def test_diaspora(report):
    d = report.diaspora
    assert d.present
    assert (d.registered, d.ballots_cast) == (12841, 11360)
    assert d.turnout == Decimal("88.47")
    assert (d.stations, d.countries) == (68, 53)
    assert d.share_of_ballots == Decimal("0.14")
    assert d.options is None  # per-option results abroad were not published


def test_every_source_cited_in_the_fixture_is_listed():
    doc = json.loads(KZ2022.read_text(encoding="utf-8"))
    listed = {s["id"] for s in doc["election"]["sources"]}
    cited = set()
    for unit in doc["contests"][0]["units"]:
        for ids in unit.get("sources", {}).values():
            cited.update(ids)
    assert cited and cited <= listed


def test_fixture_is_built_from_the_shared_data():
    data = SHARED / "data" / "kz2022"
    if not data.exists():
        pytest.skip(f"{data} is absent: cannot rebuild the fixture from the CEC figures")
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_kz2022", KZ2022.parents[1] / "tests" / "tools" / "build_kz2022.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build(data) == json.loads(KZ2022.read_text(encoding="utf-8"))

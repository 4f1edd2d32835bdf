"""elect compare: 2019 → 2022 through the lineage, preliminary → final, names and lineage."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conftest import FIXTURES, KZ2022
from elect.cli.main import app
from elect.core.compare import compare, match_options
from elect.core.errors import FormatError, MissingColumnError
from elect.core.io import load
from elect.core.io.canonical import election_from_document
from elect.core.lineage import read_lineage
from elect.core.model import Option
from elect.core.names import fold, name_key

KZ2019 = FIXTURES / "kz-2019-presidential.json"
PRELIM = FIXTURES / "kz-2022-presidential-preliminary.json"
LINEAGE = FIXTURES / "kz-region-lineage.csv"


@pytest.fixture(scope="module")
def kz():
    return compare(load(KZ2019), load(KZ2022), lineage=read_lineage(LINEAGE))


def _region(result, label_start):
    (hit,) = [r for r in result.regions if r.label.startswith(label_start)]
    return hit


# -- names and lineage ----------------------------------------------------------


@pytest.mark.parametrize(
    "variants, key",
    [
        (["Zhetysu", "Jetisu", "Zhetisu", "Жетісу", "Zhetysu (Jetisu) Region"], "zhetysu"),
        (["Karaganda", "Karagandy", "Карагандинская область", "Қарағанды облысы"], "karaganda"),
        (["Nur-Sultan", "Astana (city)", "г. Нур-Султан", "Астана қаласы"], "astana"),
        (["Kostanay", "Kostanai oblast", "Қостанай облысы"], "kostanay"),
        (["Almaty City", "г. Алматы", "Алматы қаласы"], "almaty_city"),
        (["Almaty Region", "Алматинская область", "Алматы облысы"], "almaty_region"),
    ],
)
def test_alias_table_folds_spellings_and_scripts(variants, key):
    assert {name_key(v) for v in variants} == {key}


def test_bare_almaty_is_neither_the_city_nor_the_region():
    assert name_key("Almaty") not in ("almaty_city", "almaty_region")


def test_fold_merges_transliteration_and_word_order():
    assert fold("Kassym-Jomart Tokayev") == fold("Токаев Касым-Жомарт")
    assert fold("Auesbayev") == fold("Auyesbaev")


def test_read_lineage_groups_the_kazakh_regions():
    lin = read_lineage(LINEAGE)
    assert (lin.later_label, lin.earlier_label) == ("region_2022", "region_2019")
    groups = {tuple(g.earlier): g for g in lin.groups()}
    assert groups[("east_kazakhstan",)].later == ["abai", "east_kazakhstan"]
    assert groups[("east_kazakhstan",)].relation == "split"
    assert groups[("nur_sultan",)].relation == "renamed"
    assert groups[("akmola",)].relation == "same"
    assert len(groups) == 17


def test_lineage_merge_and_errors(tmp_path):
    f = tmp_path / "l.csv"
    f.write_text("new,old,relation\nx,a,merged\nx,b,merged\n", encoding="utf-8")
    (g,) = read_lineage(f).groups()
    assert (g.earlier, g.later, g.relation) == (["a", "b"], ["x"], "merged")
    f.write_text("new,old,relation\nx,a,moved\n", encoding="utf-8")
    with pytest.raises(FormatError, match="unknown relation 'moved'"):
        read_lineage(f)
    f.write_text("p,q,relation\nx,a,same\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match="earlier election"):
        read_lineage(f)


def test_options_match_by_id_then_name_or_alias():
    a = [Option("t1", "Kassym-Jomart Tokayev"), Option("k", "Amirzhan Kosanov")]
    b = [Option("tok", "K.-J. Tokaev", aliases=("Токаев Касым-Жомарт",)), Option("k", "Kosanov")]
    pairs = {p.key: (p.b.id if p.b else None, p.matched_by) for p in match_options(a, b)}
    assert pairs == {"t1": ("tok", "name"), "k": ("k", "id")}


# -- 2019 → 2022 on the bundled data --------------------------------------------


def test_tokayev_share_2019_to_2022(kz):
    (tok,) = [o for o in kz.options if o.key == "tokayev"]
    assert (tok.votes_a, tok.votes_b) == (6539715, 6456393)
    assert tok.votes_change == -83322
    assert (tok.share_a, tok.share_b) == (Decimal("70.96"), Decimal("81.31"))
    assert tok.pp == Decimal("10.35")


def test_options_on_one_ballot_only(kz):
    present = {o.key: o.present for o in kz.options}
    assert present["against_all"] == "b_only"
    assert present["kosanov"] == "a_only"
    assert sum(p == "both" for p in present.values()) == 1


def test_national_turnout_and_counts(kz):
    n = kz.nation
    assert (n.a.turnout, n.b.turnout) == (Decimal("77.54"), Decimal("69.44"))
    assert n.turnout_change == Decimal("-8.10")
    assert n.count_change("ballots_cast") == 8300046 - 9274110
    assert (n.a.turnout_origin, n.b.turnout_origin) == ("computed", "computed")


def test_renamed_capital_compares_reported_turnout(kz):
    cap = _region(kz, "Nur-Sultan")
    assert (cap.relation, cap.matched_by) == ("renamed", "lineage")
    assert (cap.a.turnout, cap.b.turnout) == (Decimal("68.9"), Decimal("48.60"))
    assert cap.turnout_change == Decimal("-20.30")
    assert cap.a.turnout_origin == cap.b.turnout_origin == "reported"


def test_split_region_is_not_averaged(kz):
    east = _region(kz, "East Kazakhstan")
    assert east.relation == "split"
    assert east.a.ids == ["east_kazakhstan"] and east.b.ids == ["abai", "east_kazakhstan"]
    assert east.b.turnout is None and east.turnout_change is None
    assert east.b.reported_turnout == [Decimal("80.18"), Decimal("79.49")]
    assert "not averaged" in east.notes[0]


def test_every_unit_is_paired_through_the_lineage(kz):
    assert kz.unmatched_a == [] and kz.unmatched_b == []
    assert len(kz.regions) == 18  # 17 lineage groups + abroad (paired by id)
    abroad = _region(kz, "Abroad")
    assert abroad.count_change("registered") == 12841 - 15349


def test_without_lineage_units_are_paired_by_name_and_unpaired_listed():
    r = compare(load(KZ2019), load(KZ2022))
    cap = _region(r, "Nur-Sultan")
    assert cap.matched_by == "name"  # through the alias table: Nur-Sultan = Astana
    assert {u["id"] for u in r.unmatched_b} == {"abai", "zhetysu", "ulytau"}
    assert r.unmatched_a == []


def _doc(units, options=("x", "y"), date="2024-01-01"):
    return {
        "election": {"name": "t", "date": date},
        "contests": [{"options": [{"id": o} for o in options], "units": units}],
    }


def test_units_match_by_code_then_name_and_sum_counts_in_a_merge(tmp_path):
    a = election_from_document(
        _doc(
            [
                {"id": "n", "level": "nation"},
                {"id": "r1", "name": "North", "level": "region", "parent": "n", "code": "07",
                 "registered": 100, "ballots_cast": 50, "votes": {"x": 30, "y": 20}},
                {"id": "r2", "name": "Жетісу", "level": "region", "parent": "n",
                 "registered": 100, "ballots_cast": 80, "votes": {"x": 40, "y": 40}},
                {"id": "r3", "name": "South", "level": "region", "parent": "n",
                 "registered": 300, "ballots_cast": 150, "votes": {"x": 50, "y": 100}},
            ]
        ),
        name="a.json",
    )  # fmt: skip
    b = election_from_document(
        _doc(
            [
                {"id": "n", "level": "nation"},
                {"id": "q1", "name": "Northern", "level": "region", "parent": "n", "code": "07",
                 "registered": 110, "ballots_cast": 44, "votes": {"x": 22, "y": 22}},
                {"id": "q2", "name": "Jetisu Region", "level": "region", "parent": "n",
                 "registered": 90, "ballots_cast": 90, "votes": {"x": 45, "y": 45}},
                {"id": "q3", "name": "Greater South", "level": "region", "parent": "n",
                 "registered": 400, "ballots_cast": 200, "votes": {"x": 100, "y": 100}},
            ],
            date="2025-01-01",
        ),
        name="b.json",
    )  # fmt: skip
    lin = tmp_path / "l.csv"
    lin.write_text("unit_2025,unit_2024,relation\nq3,r3,same\n", encoding="utf-8")
    r = compare(a, b, lineage=read_lineage(lin))
    how = {tuple(x.a.ids): (x.matched_by, tuple(x.b.ids)) for x in r.regions}
    assert how == {
        ("r1",): ("code", ("q1",)),
        ("r2",): ("name", ("q2",)),
        ("r3",): ("lineage", ("q3",)),
    }
    north = _region(r, "North")
    assert north.turnout_change == Decimal("-10.00")
    (x,) = [o for o in north.options if o.key == "x"]
    assert (x.share_a, x.share_b, x.pp) == (Decimal("60.00"), Decimal("50.00"), Decimal("-10.00"))
    assert r.nation.a.registered == 500 and r.nation.b.registered == 600
    assert r.revision is False


# -- preliminary → final ---------------------------------------------------------


def test_preliminary_to_final_lists_every_changed_figure_both_ways():
    r = compare(load(PRELIM), load(KZ2022))
    assert r.revision is True
    changes = {(c.unit, c.field): (c.a, c.b, c.delta) for c in r.changes}
    assert changes == {
        ("Kazakhstan", "votes.tokayev"): (6456392, 6456393, 1),
        ("Kazakhstan", "invalid"): (359569, 359568, -1),  # a count that went down
    }
    assert r.compared_figures == 34


# -- CLI -------------------------------------------------------------------------


def test_cli_compare_json_2019_2022(runner):
    res = runner.invoke(
        app, ["compare", str(KZ2019), str(KZ2022), "--lineage", str(LINEAGE), "--json"]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema_version"] == 2 and doc["kind"] == "compare"
    (tok,) = [o for o in doc["options"] if o["key"] == "tokayev"]
    assert (tok["share_a_pct"], tok["share_b_pct"], tok["change_pp"]) == (70.96, 81.31, 10.35)
    assert doc["nation"]["change"]["turnout_pp"] == -8.1
    assert doc["unmatched"] == {"a": [], "b": []}
    assert res.stderr == ""


def test_cli_compare_table_shows_swing_and_split(runner):
    res = runner.invoke(app, ["compare", str(KZ2019), str(KZ2022), "--lineage", str(LINEAGE)])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "▲ +10.35 pp" in out and "▼ -8.10 pp" in out
    assert "80.18% / 79.49% r" in out and "not combinable" in out
    assert "Against all [B only]" in out


def test_cli_compare_without_lineage_warns_about_unpaired_units(runner):
    res = runner.invoke(app, ["compare", str(KZ2019), str(KZ2022)])
    assert res.exit_code == 0
    assert "3 only in B" in res.stderr
    assert "Only in B, not compared: Abai Region (abai)" in res.stdout


def test_cli_compare_prelim_final_table(runner):
    res = runner.invoke(app, ["compare", str(PRELIM), str(KZ2022)])
    assert res.exit_code == 0
    assert "Changed figures (2 of 34)" in res.stdout
    assert "▼ -1" in res.stdout and "▲ +1" in res.stdout


def test_cli_compare_missing_lineage_file_exits_2(runner, tmp_path):
    res = runner.invoke(
        app, ["compare", str(KZ2019), str(KZ2022), "--lineage", str(tmp_path / "no.csv")]
    )
    assert res.exit_code == 2
    assert "cannot read lineage file" in res.stderr and res.stdout == ""

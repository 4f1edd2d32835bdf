"""Column mappings (``--map FILE``): matching headers, sums, dropped rows, abroad, errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import invoke
from elect.core.errors import CountError, FormatError, MissingColumnError, SelectionError
from elect.core.io import load, load_mapping, mapping_for
from elect.core.io.mapping import mapping_from_dict, resolve
from elect.core.io.mapping_toml import mapping_toml
from elect.core.report import build_report

HEADER = (
    "Область,Комиссия,Участок,Число избирателей в списке,Выдано досрочно,Выдано в день,"
    "Выдано вне,Недействительных,Иванов,Петров,ссылка\n"
)
ROWS = [
    "Север,Т1,1,100,5,50,5,2,40,18,http://a\n",
    "Север,Т1,2,200,0,100,0,4,60,36,http://b\n",
    "Юг,Т2,1,300,10,140,0,6,100,44,http://c\n",
    "За рубежом,Т9,1,50,0,20,0,0,5,15,http://d\n",
    "Итого,,,650,15,310,5,12,205,113,\n",
    "Юг,Т2,2,,,,,,,,\n",
    "Тестовый участок,Т0,1,1,0,1,0,0,1,0,x\n",
]
MAP = """
[columns]
region = "Область"
district = { prefix = "Комисс" }
station = { regex = '^Участ' }
registered = { prefix = "Число избирателей" }
ballots_cast = { prefix = "Выдано", sum = true }
invalid = "Недействительных"

[options]
columns = "rest"
exclude = ["ссылка"]

[rows]
drop_empty = true
drop = [{ column = "region", prefix = "Тестовый" }]

[abroad]
column = "region"
values = ["За рубежом"]

[rules]
share_base = "counted"
"""


@pytest.fixture
def files(tmp_path):
    data = tmp_path / "protocol.csv"
    data.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    mapping = tmp_path / "protocol.toml"
    mapping.write_text(MAP, encoding="utf-8")
    return data, mapping


def test_mapping_reads_sums_drops_and_abroad(files):
    data, mapping = files
    election = load(data, format=load_mapping(mapping))
    contest = election.contests[0]
    assert [o.name for o in contest.options] == ["Иванов", "Петров"]
    rep = build_report(election)
    t = rep.summary.totals
    assert t.value("registered") == 650
    assert t.value("ballots_cast") == 330  # 60 + 100 + 150 + 20, the three "Выдано" lines
    assert t.value("invalid") == 12
    assert rep.base == "counted" and rep.base_total == 205 + 113 + 12
    assert rep.shares[0].name == "Иванов" and rep.shares[0].share == Decimal("62.12")
    assert rep.summary.stations == 4
    assert rep.diaspora.present and rep.diaspora.units == ["За рубежом"]
    assert rep.diaspora.registered == 50
    codes = {n.code: n for n in election.notes}
    assert codes["empty-rows"].line == 7
    assert codes["aggregate-row"].line == 6  # "Итого"
    assert codes["rows-dropped"].line == 8
    assert contest.units["unit_id"].iloc[0] == "Север/Т1/1"
    assert contest.units["district"].iloc[2] == "Юг/Т2"


def test_cli_map_option(files, runner):
    data, mapping = files
    result = invoke(runner, "shares", str(data), "--map", str(mapping), "--json")
    assert result.exit_code == 0, result.stderr
    import json

    doc = json.loads(result.stdout)
    assert doc["base"] == "counted" and doc["base_total"] == 330
    assert doc["shares"][0]["share_pct"] == 62.12


def test_explicit_base_beats_the_mapping(files, runner):
    data, mapping = files
    result = invoke(runner, "shares", str(data), "--map", str(mapping), "--base", "valid", "--json")
    assert result.exit_code == 0, result.stderr
    import json

    assert json.loads(result.stdout)["base_total"] == 318


def test_missing_column_is_one_line_naming_file_and_field(files, runner):
    data, mapping = files
    mapping.write_text(MAP.replace('invalid = "Недействительных"', 'invalid = "Испорчено"'))
    with pytest.raises(MissingColumnError) as info:
        load(data, format=load_mapping(mapping))
    exc = info.value
    assert exc.file == str(data) and exc.line == 1 and exc.column == "invalid"
    assert "no column matches invalid (Испорчено)" in exc.message
    result = invoke(runner, "report", str(data), "--map", str(mapping))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Испорчено" in result.stderr


def test_single_field_matching_several_columns_is_an_error(files):
    data, mapping = files
    mapping.write_text(MAP.replace("sum = true", "sum = false"))
    with pytest.raises(FormatError, match="matches 3 columns"):
        load(data, format=load_mapping(mapping))


def test_text_in_a_component_column_names_the_row(tmp_path):
    lines = [HEADER]
    for i in range(60_000):
        lines.append(f"Север,Т1,{i},100,5,50,5,2,40,18,x\n")
    lines[48_212] = "Север,Т1,48212,100,5,пять,5,2,40,18,x\n"  # file line 48,213
    data = tmp_path / "big.csv"
    data.write_text("".join(lines), encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAP)
    with pytest.raises(CountError) as info:
        load(data, format=load_mapping(mapping))
    exc = info.value
    assert (exc.file, exc.line, exc.column) == (str(data), 48_213, "Выдано в день")
    assert "'пять'" in exc.message


def test_row_numbers_stay_right_after_dropped_rows(tmp_path):
    data = tmp_path / "p.csv"
    rows = ROWS[:4] + ["Юг,Т2,2,,,,,,,,\n", "Юг,Т2,3,10,x,1,0,0,1,0,\n"]  # lines 6, 7
    data.write_text(HEADER + "".join(rows), encoding="utf-8")
    mapping = tmp_path / "m.toml"
    mapping.write_text(MAP)
    with pytest.raises(CountError) as info:
        load(data, format=load_mapping(mapping))
    assert info.value.line == 7


def test_extends_a_preset_and_bad_mappings(tmp_path):
    m = mapping_from_dict({"extends": "ru-cec", "rules": {"majority": "plurality"}}, source="x")
    assert m.rules["share_base"] == "counted" and m.rules["majority"] == "plurality"
    with pytest.raises(FormatError, match="unknown field 'voters'"):
        mapping_from_dict({"columns": {"voters": "a"}}, source="x.toml")
    with pytest.raises(FormatError, match="unknown share_base"):
        mapping_from_dict({"rules": {"share_base": "all"}}, source="x.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns\nregion = 1")
    with pytest.raises(FormatError, match="invalid TOML"):
        load_mapping(bad)
    with pytest.raises(SelectionError, match="unknown preset"):
        mapping_for(preset="nope")
    with pytest.raises(SelectionError, match="both a mapping file and a preset given"):
        mapping_for(map_file=str(bad), preset="ru-cec")


def test_suggested_toml_round_trips(files):
    data, mapping = files
    resolved = resolve(load_mapping(mapping), HEADER.strip().split(","), str(data))
    text = mapping_toml(resolved)
    import tomllib

    again = mapping_from_dict(tomllib.loads(text), source="again")
    assert resolve(again, HEADER.strip().split(","), "f").columns == resolved.columns


def test_inspect_shows_roles_rows_and_a_mapping(files, runner):
    import json

    data, mapping = files
    result = invoke(runner, "inspect", str(data), "--map", str(mapping), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "wide" and doc["rows"] == 7 and doc["delimiter"] == ","
    roles = {c["header"]: c["role"] for c in doc["columns"]}
    assert roles["Выдано досрочно"] == "ballots_cast"
    assert roles["Иванов"] == "option" and roles["ссылка"] == "ignored"
    assert roles["Область"] == "region"
    assert 'invalid = "Недействительных"' in doc["suggested_mapping"]


@pytest.mark.parametrize(("issued", "ballots", "expected"), [
    (True, 100, []),  # 3 ballots issued were not put in a box: fine
    (True, 90, ["ballots_cast"]),  # more counted than issued: never fine
    (False, 100, ["ballots_cast"]),  # ballots cast must equal votes + invalid
])  # fmt: skip
def test_ballots_cast_issued_rule(tmp_path, issued, ballots, expected):
    data = tmp_path / "r.csv"
    data.write_text(f"region,issued,spoilt,Alma,Bek\nNorth,{ballots},2,60,35\n")
    rules = "[rules]\nballots_cast_issued = true\n" if issued else ""
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[columns]\nregion = "region"\nballots_cast = "issued"\ninvalid = "spoilt"\n'
        '[options]\ncolumns = "rest"\n' + rules
    )
    report = build_report(load(str(data), format=load_mapping(str(mapping))))
    assert [d.field for d in report.discrepancies] == expected


def test_ballots_cast_issued_must_be_true_or_false(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nregion = "region"\n[rules]\nballots_cast_issued = "yes"\n')
    with pytest.raises(FormatError, match="ballots_cast_issued must be true or false"):
        load_mapping(str(mapping))

"""The command line: exit codes, stdout and stderr apart."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, invoke
from elect.core import build_report, load
from elect.core.io import bundled_path


def test_report_bundled_default(runner):
    r = invoke(runner, "report")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Kassym-Jomart Tokayev" in out and "81.31%" in out
    assert "elected in the first round" in out
    assert "6,456,393" in out and "5.80%" in out
    assert "69.44%" in out and "11,953,465" in out
    assert "81.42%" in out and "28.72%" in out
    assert "88.47%" in out and "11,360" in out and "12,841" in out
    assert r.stderr == ""


def test_report_json_equals_core(runner):
    r = invoke(runner, "report", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["schema_version"] == 2
    expected = build_report(load(bundled_path())).to_dict()
    # The CLI names the bundled file by its fixture name, not the install path.
    expected["election"]["file"] = doc["election"]["file"]
    assert doc == expected


def test_format_json_same_as_json_flag(runner):
    a = invoke(runner, "report", "--json").stdout
    b = invoke(runner, "report", "--format", "json").stdout
    assert a == b


def test_elect_format_env(runner, monkeypatch):
    monkeypatch.setenv("ELECT_FORMAT", "json")
    r = invoke(runner, "shares")
    assert json.loads(r.stdout)["kind"] == "shares"


@pytest.mark.parametrize("command", ["shares", "turnout", "diaspora"])
def test_section_commands_json(runner, command):
    r = invoke(runner, command, "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["kind"] == command and doc["schema_version"] == 2


def test_shares_json_values(runner):
    doc = json.loads(invoke(runner, "shares", "--json").stdout)
    first = doc["shares"][0]
    assert (first["option_id"], first["votes"], first["share_pct"]) == ("tokayev", 6456393, 81.31)
    assert doc["outcome"]["decision"] == "elected"


def test_turnout_top(runner):
    doc = json.loads(invoke(runner, "turnout", "--top", "5", "--json").stdout)
    assert len(doc["turnout"]["highest"]) == 5
    assert doc["turnout"]["lowest"][0]["name"] == "Almaty (city)"
    assert doc["national_turnout_pct"] == 69.44


def test_diaspora_json(runner):
    d = json.loads(invoke(runner, "diaspora", "--json").stdout)["diaspora"]
    assert (d["stations"], d["countries"], d["turnout_pct"]) == (68, 53, 88.47)


def test_stdin_dash(runner):
    data = (SAMPLES / "stations-wide.csv").read_text(encoding="utf-8")
    r = invoke(runner, "report", "-", "--json", input=data)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["election"]["file"] == "<stdin>"


def test_force_input_layout(runner):
    r = invoke(runner, "shares", str(SAMPLES / "stations-long.csv"), "--format", "long", "--json")
    assert r.exit_code == 0
    r = invoke(runner, "shares", str(SAMPLES / "stations-long.csv"), "-I", "wide")
    assert r.exit_code == 2
    assert "no ballot-option columns" in r.stderr or "region" in r.stderr


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"region,registered,A\nX,12x,5\n", ":2, column 'registered': not a number: '12x'"),
        (b"district,registered,A\nX,1,2\n", ":1: missing required column 'region'"),
        (b"\x00\x01\x02binary", "binary data"),
        (b'{"contests": [', "invalid JSON"),
    ],
)
def test_bad_input_one_line_exit_2(runner, tmp_path, content, needle):
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    r = invoke(runner, "report", str(f))
    assert r.exit_code == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert str(f) in lines[0] and needle in lines[0]
    assert "hint:" in lines[0]
    assert "Traceback" not in r.stderr
    assert f.read_bytes() == content  # never modified


def test_missing_file_exit_2(runner):
    r = invoke(runner, "report", "/no/such/file.csv")
    assert r.exit_code == 2
    assert "/no/such/file.csv: no such file" in r.stderr


def test_debug_shows_traceback(runner, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_bytes(b"region,registered,A\nX,12x,5\n")
    r = invoke(runner, "--debug", "report", str(f))
    assert r.exit_code != 0
    assert r.exception is not None  # raised, not translated


def test_usage_errors_exit_2(runner):
    assert invoke(runner, "report", "--format", "yaml").exit_code == 2
    assert invoke(runner, "report", "--base", "everyone").exit_code == 2
    assert invoke(runner, "turnout", "--top", "0").exit_code == 2
    assert invoke(runner, "nonsense").exit_code == 2


def test_version(runner):
    r = invoke(runner, "--version")
    assert r.exit_code == 0 and r.stdout.startswith("elect ")


def test_quiet_silences_notes(runner, tmp_path):
    f = tmp_path / "a.csv"
    f.write_text("region,registered,cast,A,B\nX,100,80,50,30\nTotal,100,80,50,30\n")
    loud = invoke(runner, "shares", str(f))
    assert "aggregate row" in loud.stderr
    quiet = invoke(runner, "-q", "shares", str(f))
    assert quiet.stderr == "" and quiet.exit_code == 0


def test_schema_validates_bundled_fixture(runner):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(invoke(runner, "schema").stdout)
    doc = json.loads(bundled_path().read_text(encoding="utf-8"))
    jsonschema.validate(doc, schema)
    jsonschema.validate(json.loads((SAMPLES / "stations.json").read_text()), schema)


@pytest.mark.parametrize("command", ["report", "shares", "turnout", "diaspora"])
def test_json_outputs_match_their_schemas(runner, command):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(invoke(runner, "schema", "--output", command).stdout)
    for args in ([], [str(SAMPLES / "stations-wide.csv")]):
        doc = json.loads(invoke(runner, command, *args, "--json").stdout)
        jsonschema.validate(doc, schema)


def test_machine_formats(runner):
    csv_out = invoke(runner, "shares", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("option_id,name,party,kind,votes,share_pct")
    assert csv_out[1].startswith("tokayev,Kassym-Jomart Tokayev,")
    nd = invoke(runner, "shares", "--format", "ndjson").stdout.splitlines()
    assert len(nd) == 7 and json.loads(nd[0])["option_id"] == "tokayev"
    md = invoke(runner, "shares", "--format", "markdown").stdout.splitlines()
    assert md[0].startswith("| option_id |") and len(md) == 9


def test_output_file_is_written_atomically(runner, tmp_path):
    out = tmp_path / "report.json"
    r = invoke(runner, "report", "--json", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    assert json.loads(out.read_text())["outcome"]["winner"] == "tokayev"
    table = tmp_path / "shares.txt"
    invoke(runner, "shares", "-o", str(table))
    assert "Kassym-Jomart Tokayev" in table.read_text() and "\x1b[" not in table.read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_refuses_to_overwrite_an_input(runner, tmp_path):
    src = tmp_path / "in.csv"
    data = (SAMPLES / "stations-wide.csv").read_bytes()
    src.write_bytes(data)
    r = invoke(runner, "report", str(src), "--json", "-o", str(src))
    assert r.exit_code == 2 and "refusing to overwrite an input" in r.stderr
    assert src.read_bytes() == data


def test_failed_run_leaves_no_output_file(runner, tmp_path):
    out = tmp_path / "out.json"
    r = invoke(runner, "report", "/no/such.csv", "--json", "-o", str(out))
    assert r.exit_code == 2 and not out.exists()


def test_csv_output_is_spreadsheet_safe(runner, tmp_path):
    f = tmp_path / "evil.csv"
    f.write_text("region,registered,cast,=HYPERLINK(1),+Bob\nX,10,8,5,3\n")
    out = invoke(runner, "shares", str(f), "--format", "csv").stdout.splitlines()
    assert out[1].startswith("hyperlink_1,'=HYPERLINK(1),")
    assert ",5," in out[1]  # numbers stay numbers
    assert out[2].startswith("bob,'+Bob,")


def test_internal_error_has_its_own_exit_code(runner, monkeypatch):
    import elect.core.report as core_report

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(core_report, "build_report", broken)
    r = invoke(runner, "report")
    assert r.exit_code == 70
    assert "internal error: RuntimeError: boom" in r.stderr and "--debug" in r.stderr
    assert "Traceback" not in r.stderr


def test_json_lines_through_every_door(runner):
    jsonl = str(SAMPLES / "stations-wide.csv").replace("stations-wide.csv", "stations.jsonl")
    forced = json.loads(invoke(runner, "shares", jsonl, "-I", "jsonl", "--json").stdout)
    wide = json.loads(invoke(runner, "shares", str(SAMPLES / "stations-wide.csv"), "--json").stdout)

    def tally(doc):
        return [(s["option_id"], s["votes"], s["share_pct"]) for s in doc["shares"]]

    assert tally(forced) == tally(wide)
    v = invoke(runner, "validate", jsonl, "--json")
    assert v.exit_code == 0 and json.loads(v.stdout)["files"][0]["status"] == "valid"
    i = json.loads(invoke(runner, "inspect", jsonl, "--json").stdout)
    assert (i["format"], i["rows"]) == ("jsonl", 12)


@pytest.mark.parametrize("file", [None, str(SAMPLES / "stations-wide.csv")])
def test_turnout_lists_the_units_abroad_apart(runner, file):
    args = ["turnout"] + ([file] if file else [])
    doc = json.loads(invoke(runner, *args, "--json").stdout)
    abroad = doc["turnout"]["abroad"]
    assert abroad and all(r["turnout_pct"] is not None for r in abroad)
    out = invoke(runner, *args).stdout
    table = out[out.index("Abroad (not ranked)") :]
    for r in abroad:
        assert r["name"] in table and f"{r['turnout_pct']:.2f}%" in table
    ranked = {r["unit_id"] for r in doc["turnout"]["highest"] + doc["turnout"]["lowest"]}
    assert not ranked & {r["unit_id"] for r in abroad}
    assert "listed apart, never ranked" in out and "(see Diaspora)" not in out

"""elect validate: the core (validate_paths, the catalogue) and the command."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from elect.cli.main import app
from elect.cli.validate import checks_markdown
from elect.core.checks import CHECKS, discover, validate_paths
from elect.core.errors import SelectionError

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "fixtures" / "invalid"
VALID = INVALID / "valid-stations.csv"
KZ = ROOT / "fixtures" / "kz-2022-presidential.json"
HEADER = "region,district,station,registered,ballots_cast,invalid,Alma,Bek\n"
runner = CliRunner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def codes(result) -> dict[str, int]:
    return dict(result.files[0].counts)


# -- the catalogue ---------------------------------------------------------------------


def test_codes_are_unique_and_well_formed() -> None:
    seen = [c.code for c in CHECKS]
    assert len(seen) == len(set(seen))
    for c in CHECKS:
        assert c.severity in ("error", "warning", "info")
        assert c.template.startswith("{file}")
        assert c.title and c.description.endswith(".")


def test_docs_page_is_generated_from_the_catalogue() -> None:
    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert page == checks_markdown(), (
        "docs/checks.md is stale: run `elect validate --list-checks --format markdown "
        "> docs/checks.md`"
    )
    for c in CHECKS:
        assert f"### `{c.code}`" in page, f"{c.code} is undocumented"


def test_list_checks_json_is_the_catalogue() -> None:
    result = runner.invoke(app, ["validate", "--list-checks", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["schema_version"], doc["kind"]) == (2, "checks")
    assert [d["code"] for d in doc["checks"]] == [c.code for c in CHECKS]
    assert doc["checks"][0]["template"] == CHECKS[0].template


def test_list_checks_table() -> None:
    result = runner.invoke(app, ["validate", "--list-checks"])
    assert result.exit_code == 0
    assert "turnout-over-100" in result.stdout
    assert "ballots-dont-add-up" in result.stdout


# -- one pass finds everything ---------------------------------------------------------


def test_every_bad_cell_in_one_pass(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "many.csv",
        HEADER
        + "N,1,001,100,60,0,40,20\n"
        + "N,1,002,1OO,60,0,40,20\n"  # letter O
        + "N,1,003,100,-6,0,40,20\n"
        + "N,1,004,100,60,0.5,40,20\n"
        + "N,1,005,100,60,0,x,20\n"
        + "N,1,006,100,60,0,40\n"  # short row
        + "N,1,007,100,60,0,40,20,9\n",  # long row
    )
    r = validate_paths([str(p)])
    f = r.files[0]
    assert f.status == "invalid"
    assert f.counts == {
        "non-numeric-count": 2,
        "negative-count": 1,
        "fractional-count": 1,
        "wrong-width": 2,
        "checks-skipped": 1,
    }
    lines = {(x.code, x.line, x.field) for x in f.findings}
    assert ("non-numeric-count", 3, "registered") in lines
    assert ("non-numeric-count", 6, "Alma") in lines
    assert ("negative-count", 4, "ballots_cast") in lines
    assert ("fractional-count", 5, "invalid") in lines
    assert {x.line for x in f.findings if x.code == "wrong-width"} == {7, 8}
    unit = next(x.unit for x in f.findings if x.code == "negative-count")
    assert unit == "N/1/003"


def test_lines_count_quoted_line_breaks(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "quoted.csv",
        HEADER + 'N,"1\nsecond line",001,100,60,0,40,20\nN,1,002,100,160,0,40,20\n',
    )
    f = validate_paths([str(p)]).files[0]
    (x,) = [x for x in f.findings if x.code == "turnout-over-100"]
    assert x.line == 4  # the first row spans lines 2-3
    assert x.values == {"ballots_cast": 160, "registered": 100, "turnout": 160.0}


def test_arithmetic_over_many_rows_counts_all_and_shows_the_cap(tmp_path: Path) -> None:
    rows = [
        f"N,1,{i:03d},100,{120 if i % 2 else 60},0,{120 if i % 2 else 40},20\n" for i in range(50)
    ]
    # odd rows: cast 120 > registered 100, and 120 + 20 != 120
    p = write(tmp_path, "many.csv", HEADER + "".join(rows))
    f = validate_paths([str(p)], max_examples=3).files[0]
    assert f.counts["turnout-over-100"] == 25
    assert f.counts["ballots-dont-add-up"] == 25
    shown = [x for x in f.findings if x.code == "turnout-over-100"]
    assert [x.line for x in shown] == [3, 5, 7]
    d = f.to_dict()
    assert d["checks"]["turnout-over-100"] == {"count": 25, "shown": 3}


def test_select_and_ignore(tmp_path: Path) -> None:
    p = write(tmp_path, "a.csv", HEADER + "N,1,001,100,120,0,100,20\nN,1,002,100,0,0,0,0\n")
    both = validate_paths([str(p)]).files[0].counts
    assert {"turnout-over-100", "zero-ballots"} <= set(both)
    only = validate_paths([str(p)], select=["zero-ballots"]).files[0].counts
    assert only == {"zero-ballots": 1}
    skipped = validate_paths([str(p)], ignore=["zero-ballots,turnout-over-100"]).files[0].counts
    assert "zero-ballots" not in skipped and "turnout-over-100" not in skipped
    with pytest.raises(SelectionError, match="no-such-check"):
        validate_paths([str(p)], select=["no-such-check"])


def test_bundled_election_is_valid() -> None:
    r = validate_paths([str(KZ)])
    f = r.files[0]
    assert f.status == "valid"
    # Ballots cast minus valid votes is 4.33% of ballots: worth a warning, not an error.
    assert f.counts == {"invalid-above-3pct": 1}
    assert r.exit_code() == 0
    assert r.exit_code(strict=True) == 1


def test_discover_walks_directories_and_globs(tmp_path: Path) -> None:
    (tmp_path / "sub" / ".hidden").mkdir(parents=True)
    for name in ("a.csv", "sub/b.csv.gz", "sub/c.json", "notes.md", "sub/.hidden/d.csv"):
        (tmp_path / name).write_bytes(b"x")
    found = [Path(p).relative_to(tmp_path).as_posix() for p in discover([str(tmp_path)])]
    assert found == ["a.csv", "sub/b.csv.gz", "sub/c.json"]
    assert discover([str(tmp_path / "*.csv")]) == [str(tmp_path / "a.csv")]
    assert discover(["-"]) == ["-"]
    # A pattern or a directory that matches nothing is a usage error, not "0 files".
    with pytest.raises(SelectionError, match="matches no file"):
        discover([str(tmp_path / "nothing-*.csv")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SelectionError, match="no result files"):
        discover([str(tmp_path / "empty")])


def test_parallel_run_gives_the_same_report(tmp_path: Path) -> None:
    names = sorted(p.name for p in INVALID.iterdir())
    for n in names:
        shutil.copy(INVALID / n, tmp_path / n)
    one = validate_paths([str(tmp_path)], jobs=1).to_dict()
    two = validate_paths([str(tmp_path)], jobs=2).to_dict()
    assert one == two
    assert one["totals"]["files"] == len(names)


def test_inputs_are_never_touched(tmp_path: Path) -> None:
    copy = tmp_path / "in.csv"
    shutil.copy(INVALID / "duplicate-row.csv", copy)
    before = (copy.read_bytes(), copy.stat().st_mtime_ns)
    validate_paths([str(copy)])
    assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_json_report_shape() -> None:
    r = validate_paths([str(INVALID / "turnout-over-100.csv"), str(VALID)])
    d = r.to_dict()
    assert d["schema_version"] == 2
    assert d["kind"] == "validate"
    assert d["valid"] is False
    assert d["totals"] == {
        "files": 2,
        "valid": 1,
        "invalid": 1,
        "unreadable": 0,
        "errors": 1,
        "warnings": 0,
        "notes": 0,
    }
    (x,) = d["files"][0]["findings"]
    assert x["code"] == "turnout-over-100"
    assert x["severity"] == "error"
    assert x["location"] == {
        "line": 4,
        "path": None,
        "contest": None,
        "unit": "South/S-1/003",
        "field": None,
    }
    assert x["values"] == {"ballots_cast": 600, "registered": 500, "turnout": 120.0}
    assert x["message"].endswith("ballots cast 600 exceed registered 500 (turnout 120.00%)")


def test_json_file_that_does_not_load_is_placed_by_its_path_not_a_line(tmp_path) -> None:
    # A canonical JSON file has no lines: the loader's JSON path is the finding's path and
    # location.line stays null (it was once the path, "$.contests", a string where the
    # contract promises a number).
    doc = json.loads(KZ.read_text(encoding="utf-8"))
    doc["contests"] = 5
    f = write(tmp_path, "contests-not-a-list.json", json.dumps(doc))
    result = runner.invoke(app, ["validate", str(f), "--json"])
    assert result.exit_code == 1, result.output
    [res] = json.loads(result.stdout)["files"]
    [x] = [x for x in res["findings"] if x["code"] == "unloadable"]
    assert x["location"]["line"] is None
    assert x["location"]["path"] == "$.contests"
    schema = json.loads(runner.invoke(app, ["schema", "--output", "validate"]).stdout)
    jsonschema.validate(json.loads(result.stdout), schema)
    assert x["message"].startswith(f"{f}:$.contests: must be array, not integer 5")


# -- the command -----------------------------------------------------------------------


def test_cli_valid_file_exits_0_with_a_status_table() -> None:
    result = runner.invoke(app, ["validate", str(VALID)])
    assert result.exit_code == 0
    assert "valid" in result.stdout and "wide-csv" in result.stdout
    assert result.stderr.strip() == (
        "1 file(s): 1 valid, 0 invalid, 0 unreadable; 0 error(s), 0 warning(s), 0 note(s)"
    )


def test_cli_findings_grouped_by_file_and_check() -> None:
    result = runner.invoke(app, ["validate", str(INVALID / "share-mismatch.json")])
    assert result.exit_code == 1
    out = result.stdout
    assert "share-mismatch error: Reported percentage does not match its count (2)" in out
    assert "share_pct.bek reported 31.0% but 300 / 1000 = 30.00%" in out
    assert "1 invalid" in result.stderr


def test_cli_json_equals_core_report() -> None:
    files = [str(INVALID / "ballots-dont-add-up.csv"), str(VALID)]
    result = runner.invoke(app, ["validate", *files, "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == validate_paths(files).to_dict()


def test_cli_ndjson_one_finding_per_line() -> None:
    result = runner.invoke(
        app, ["validate", str(INVALID / "share-mismatch.json"), str(VALID), "-f", "ndjson"]
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["code"] for x in lines] == ["share-mismatch", "share-mismatch"]
    assert {x["location"]["unit"] for x in lines} == {"nation"}


def test_cli_strict_fails_on_warnings() -> None:
    f = str(INVALID / "turnout-above-95.csv")
    assert runner.invoke(app, ["validate", f]).exit_code == 0
    assert runner.invoke(app, ["validate", f, "--strict"]).exit_code == 1


def test_cli_unreadable_is_exit_2_and_the_rest_still_runs(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.csv")
    result = runner.invoke(
        app, ["validate", missing, str(INVALID / "turnout-over-100.csv"), "--json"]
    )
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [f["status"] for f in doc["files"]] == ["unreadable", "invalid"]
    assert doc["files"][0]["findings"][0]["message"] == f"{missing}: cannot read: no such file"


def test_cli_stdin() -> None:
    data = (INVALID / "turnout-over-100.csv").read_bytes()
    result = runner.invoke(app, ["validate", "-", "--json"], input=data)
    assert result.exit_code == 1
    (f,) = json.loads(result.stdout)["files"]
    assert f["file"] == "<stdin>"
    assert set(f["checks"]) == {"turnout-over-100"}


def test_cli_usage_errors_exit_2() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert "no files to validate" in result.stderr
    result = runner.invoke(app, ["validate", str(VALID), "--select", "bogus"])
    assert result.exit_code == 2
    assert "unknown check code(s) for select: bogus" in result.stderr
    assert result.stdout == ""


def test_cli_reference_reconciles_totals() -> None:
    result = runner.invoke(
        app,
        [
            "validate",
            str(INVALID / "reference-mismatch.json"),
            "--reference",
            str(INVALID / "reference-official.json"),
            "--json",
        ],
    )
    assert result.exit_code == 1
    f = json.loads(result.stdout)["files"][0]
    gaps = {
        (x["location"]["unit"], x["location"]["field"]): x["values"]["gap"] for x in f["findings"]
    }
    assert gaps == {
        ("(nation)", "ballots_cast"): 100,
        ("(nation)", "votes.Alma"): 100,
        ("North", "ballots_cast"): 100,
        ("North", "votes.Alma"): 100,
    }


def test_cli_reference_unreadable_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["validate", str(VALID), "--reference", str(tmp_path / "nope.json")]
    )
    assert result.exit_code == 2
    assert "nope.json" in result.stderr


# -- fast paths give the same findings as the slow ones -----------------------------------

MESSY = (
    HEADER
    + "North,N-1,001,100,60,1,30,29\n"
    + "\n"
    + "North,N-1,002,100,60\n"
    + "North,N-1,003,100,60,1,30,29,7,7\n"
    + "  ,  ,  \n"
    + "Total,,,300,180,3,90,87\n"
    + "North, N-1 , 001 ,100,60,1,30,29\n"
    + "South,S-1,7,x,1.5,-1,30,29\n"
    + "South,S-1,0042,100,60,1,30,29\n"
    + "North,N-1,002,100,61,1,31,29\n"
)


def _findings(path: Path, **kw) -> list[dict]:
    return [
        f.to_dict() for f in validate_paths([str(path)], max_examples=0, **kw).files[0].findings
    ]


@pytest.mark.parametrize("variant", ["lf", "crlf", "semicolon", "cp1251", "no-final-newline"])
def test_byte_width_pass_agrees_with_the_csv_module(tmp_path: Path, variant: str) -> None:
    text, enc = MESSY, "utf-8"
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "semicolon":
        text = text.replace(",", ";")
    elif variant == "cp1251":
        text, enc = text.replace("North", "Север"), "cp1251"
    elif variant == "no-final-newline":
        text = text.rstrip("\n")
    fast = tmp_path / "fast.csv"
    fast.write_bytes(text.encode(enc))
    # The same rows with one quoted cell: the quote sends the pass through the csv module.
    slow = tmp_path / "slow.csv"
    slow.write_bytes(text.replace("Total", '"Total"', 1).encode(enc))
    forced = {"encoding": "cp1251"} if enc == "cp1251" else {}
    got = _findings(fast, **forced)
    want = _findings(slow, **forced)
    for f in got + want:
        f["file"] = f["message"] = None
    assert got == want
    found = {f["code"] for f in got}
    assert {"wrong-width", "blank-row", "duplicate-row", "duplicate-unit"} <= found
    assert {"aggregate-row", "non-numeric-count", "leading-zeros-lost"} <= found
    (width,) = [f for f in got if f["code"] == "wrong-width" and f["values"]["width"] == 10]
    assert width["location"]["line"] == 5


def test_byte_width_pass_steps_aside_for_quotes_and_bare_carriage_returns(tmp_path: Path) -> None:
    from elect.core.checks.widths import byte_widths

    def widths(data: bytes):
        return byte_widths(io.BytesIO(data), "utf-8", ",", 10_000)

    got = widths(b"a,b,c\n1,2,3\n1,2\n\n")
    assert got is not None
    assert (got.header, got.rows, got.odd) == (["a", "b", "c"], 3, [(1, 2, False), (2, 0, True)])
    assert widths(b'a,b\n"1",2\n') is None
    assert widths(b"a,b\r1,2\r") is None
    assert widths(b"a,b\n\xff,2\n") is None  # not UTF-8: the csv pass names the line
    assert byte_widths(io.BytesIO(b"a,b\n1,2\n"), "utf-16", ",", 10) is None


def test_text_columns_are_stripped_and_tested_once_per_value() -> None:
    import pandas as pd

    from elect.core.checks.text import TextColumn

    s = pd.Series([" a", "a", None, "Total ", "  ", "b"], dtype=str)
    col = TextColumn.of(s)
    assert list(col.values()) == ["a", "a", "", "Total", "", "b"]
    assert len(col.cats) == 4  # a, "", Total, b: the stripped values merge
    assert list(col.aggregates()) == [False, False, False, True, False, False]
    h = col.hashes()
    assert h[0] == h[1] and h[2] == h[4] and h[0] != h[5]
    rows = TextColumn.of(s, distinct=False)
    assert list(rows.values()) == list(col.values())
    assert list(TextColumn.of(pd.Series([1.5, None, 2.0])).values()) == ["1.5", "", "2.0"]
    # A Cyrillic letter variant that re.IGNORECASE folds into "в": still an aggregate.
    assert TextColumn.of(pd.Series(["\u1c80сего"], dtype=str)).aggregates().tolist() == [True]


def test_large_file_scanned_beside_its_load_gives_the_same_report(
    tmp_path: Path, monkeypatch
) -> None:
    from elect.core.checks import run

    p = tmp_path / "big.csv"
    p.write_text(MESSY + "".join(f"East,E-{i % 7},{i + 100},100,60,1,30,29\n" for i in range(3000)))
    alone = validate_paths([str(p)], max_examples=0, jobs=1).to_dict()
    monkeypatch.setattr(run, "SPLIT_MIN_BYTES", 0)
    beside = validate_paths([str(p)], max_examples=0, jobs=2).to_dict()
    assert beside == alone
    assert alone["files"][0]["checks"]["duplicate-row"]["count"] == 1


def test_cli_output_file_gets_the_report_and_stdout_stays_empty(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = runner.invoke(
        app, ["validate", str(INVALID / "turnout-over-100.csv"), "--json", "-o", str(out)]
    )
    assert r.exit_code == 1
    assert r.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["kind"] == "validate"
    assert doc["totals"]["errors"] == 1
    md = tmp_path / "checks.md"
    r = runner.invoke(app, ["validate", "--list-checks", "--format", "markdown", "-o", str(md)])
    assert r.exit_code == 0 and r.stdout == ""
    assert md.read_text(encoding="utf-8") == checks_markdown()


def test_cli_output_file_kept_when_a_file_is_unreadable(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    missing = str(tmp_path / "missing.csv")
    r = runner.invoke(app, ["validate", missing, str(VALID), "--json", "-o", str(out)])
    assert r.exit_code == 2
    assert r.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [f["status"] for f in doc["files"]] == ["unreadable", "valid"]


def test_cli_output_never_over_an_input() -> None:
    r = runner.invoke(app, ["validate", str(VALID), "-o", str(VALID)])
    assert r.exit_code == 2
    assert "refusing to overwrite an input file" in r.stderr


@pytest.mark.parametrize("plain", [True, False])
def test_file_above_the_model_limit_gets_the_streaming_pass_only(
    tmp_path: Path, monkeypatch, plain: bool
) -> None:
    # Stands in for a file larger than memory: above the limit no path holds the
    # counts; the structural checks still run, in chunks, and the skip is reported.
    from elect.core.checks import run

    monkeypatch.setattr(run, "MAX_MODEL_BYTES", 50)
    path = tmp_path / "big.csv"
    path.write_text("region,station,registered,ballots_cast,Alma\nR,1,10,12,12\nR,1,10,9,9\n")
    (f,) = validate_paths([str(path)], jobs=1, plain=plain).files
    codes = [x.code for x in f.findings]
    assert "duplicate-unit" in codes  # structural: still found
    assert "turnout-over-100" not in codes  # arithmetic: needs the model, skipped
    assert "checks-skipped" in codes


def test_validate_with_a_mapping(tmp_path: Path) -> None:
    data = tmp_path / "uik.csv"
    data.write_text(
        "oblast_name,uik_no,voters,issued,spoilt,Alma,Bek\n"
        "North,1,100,80,2,50,27\n"  # 1 ballot issued and not counted: fine when issued
        "North,2,100,90,1,60,30\n"  # 91 counted of 90 issued: an error either way
        "North,2,100,70,0,40,30\n"  # station 2 again
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[columns]\nregion = "oblast_name"\nstation = "uik_no"\nregistered = "voters"\n'
        'ballots_cast = "issued"\ninvalid = "spoilt"\n[options]\ncolumns = "rest"\n'
        "[rules]\nballots_cast_issued = true\n"
    )
    result = CliRunner().invoke(app, ["validate", str(data), "--map", str(mapping), "--json"])
    assert result.exit_code == 1, result.stderr
    (f,) = json.loads(result.stdout)["files"]
    found = {(x["code"], x["location"]["line"]) for x in f["findings"]}
    assert found == {("ballots-dont-add-up", 3), ("duplicate-unit", 4)}
    assert f["format"] == "wide-csv (m)"  # the mapping named after its file
    # Without the mapping the file has no region column.
    plain = CliRunner().invoke(app, ["validate", str(data), "--json"])
    codes = [x["code"] for x in json.loads(plain.stdout)["files"][0]["findings"]]
    assert "missing-column" in codes


def test_validate_with_a_mapping_that_does_not_fit(tmp_path: Path) -> None:
    data = tmp_path / "r.csv"
    data.write_text("region,Alma\nNorth,5\n")
    result = CliRunner().invoke(app, ["validate", str(data), "--preset", "ru-cec", "--json"])
    assert result.exit_code == 1, result.stderr
    (f,) = json.loads(result.stdout)["files"]
    assert [x["code"] for x in f["findings"]][:1] == ["missing-column"]
    assert f["status"] == "invalid"

"""elect validate: the core (validate_paths, the catalogue) and the command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from elect.cli.main import app
from elect.core.checks import CHECKS, checks_markdown, discover, validate_paths
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
    assert [d["code"] for d in doc] == [c.code for c in CHECKS]
    assert doc[0]["template"] == CHECKS[0].template


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
    assert discover([str(tmp_path / "nothing-*.csv")]) == [str(tmp_path / "nothing-*.csv")]
    assert discover(["-"]) == ["-"]


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
    assert d["schema_version"] == 1
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
    assert "unknown check code(s) for --select: bogus" in result.stderr
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

"""The corpus of broken files: each file through the CLI must give exactly its findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from elect.cli.main import app
from elect.core.checks import BY_CODE

INVALID = Path(__file__).resolve().parent.parent / "fixtures" / "invalid"
EXPECTED = json.loads((INVALID / "expected.json").read_text(encoding="utf-8"))
EXIT = {"valid": 0, "invalid": 1, "unreadable": 2}
runner = CliRunner()


def _run(args: list[str]):
    return runner.invoke(app, ["validate", *args, "--json", "--max-examples", "0"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gives_its_findings(name: str) -> None:
    exp = EXPECTED[name]
    args = [str(INVALID / a) if a.endswith(".json") else a for a in exp.get("args", [])]
    result = _run([str(INVALID / name), *args])
    assert result.exit_code == EXIT[exp["status"]], result.stderr
    doc = json.loads(result.stdout)
    (f,) = doc["files"]
    assert f["status"] == exp["status"]
    got = {c for c in f["checks"] if BY_CODE[c].severity != "info"}
    assert got == set(exp["codes"])
    notes = {c for c in f["checks"] if BY_CODE[c].severity == "info"}
    assert notes == set(exp["notes"])
    if "line" in exp:
        first = next(x for x in f["findings"] if x["severity"] != "info")
        assert first["location"]["line"] == exp["line"]
    for x in f["findings"]:
        assert x["file"] == str(INVALID / name)
        assert x["message"].startswith(str(INVALID / name))


def test_the_corpus_names_every_check_it_expects() -> None:
    named = {c for e in EXPECTED.values() for c in e["codes"] + e["notes"]}
    assert named == set(BY_CODE), "every check needs a broken file in fixtures/invalid"


def test_each_check_has_a_file_that_produces_it_alone_or_with_its_companions() -> None:
    # A file is named after the check it demonstrates.
    for name, exp in EXPECTED.items():
        stem = name.split(".")[0]
        if stem in BY_CODE and BY_CODE[stem].severity != "info":
            assert stem in exp["codes"], name


def test_whole_corpus_in_one_run() -> None:
    result = _run([str(INVALID)])
    assert result.exit_code == 2  # the truncated archive is unreadable
    doc = json.loads(result.stdout)
    by_name = {Path(f["file"]).name: f for f in doc["files"]}
    # The sidecar is found too (a .json file): a JSON document that is no election.
    assert set(by_name) == set(EXPECTED) | {"expected.json"}
    assert set(by_name["expected.json"]["checks"]) == {"unloadable"}
    for name, exp in EXPECTED.items():
        if "args" in exp:
            continue  # needs --reference
        assert by_name[name]["status"] == exp["status"], name
        got = {c for c in by_name[name]["checks"] if BY_CODE[c].severity != "info"}
        assert got == set(exp["codes"]), name
    t = doc["totals"]
    assert t["files"] == len(by_name)
    assert t["unreadable"] == 1
    assert t["valid"] + t["invalid"] + t["unreadable"] == t["files"]
    assert "1 unreadable" in result.stderr

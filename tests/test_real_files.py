"""Real result files, read right or refused (issue 12).

Each file in tests/real/data was published by someone else (OpenElections, MEDSL,
the Massachusetts Secretary of the Commonwealth, Poland's PKW, Greece's Interior
Ministry via a scraper, Germany's Bundeswahlleiter); tests/real/README.md gives
their provenance and the certified figures with sources. tests/real/manifest.toml
holds, for each, the file's own sums (checked independently by
tests/real/check_manifest.py) and the certified figures where found.

Every file either reports those figures exactly, with its winner and the rule that
was applied, or is refused with exit 2 and one line naming the place and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import tomllib

from conftest import invoke
from elect.core.checks.catalogue import BY_CODE

REAL = Path(__file__).resolve().parent / "real"
MANIFEST = {
    Path(f["path"]).name: f
    for f in tomllib.loads((REAL / "manifest.toml").read_text(encoding="utf-8"))["file"]
}

# How each file is asked for: the contest, and the mapping or rule a user would add.
# The rule's source is what the headline names.
HOW: dict[str, tuple[list[str], str]] = {
    "openelections-ga-2016-county.csv.gz": (["-c", "president"], "layout openelections"),
    "openelections-ga-2024-county.csv.gz": (["-c", "president"], "layout openelections"),
    "openelections-ga-2024-precinct.csv.gz": (["-c", "president"], "layout openelections"),
    "openelections-ga-2021-precinct.csv.gz": (["-c", "u.s. senate"], "layout openelections"),
    "openelections-de-2012-precinct.csv.gz": (["-c", "president"], "layout openelections"),
    "openelections-ny-2016-county.csv.gz": (["-c", "president"], "layout openelections"),
    "openelections-vt-2016-town.csv.gz": (["-c", "president"], "layout openelections"),
    "openelections-nh-2016-town.csv.gz": (
        ["-c", "president", "--map", str(REAL / "maps" / "openelections-nh-2016.toml")],
        "mapping openelections-nh-2016.toml",
    ),
    "openelections-oh-2016-county.csv.gz": (["-c", "president"], "layout openelections"),
    "openelections-pa-2016-county.csv.gz": (["-c", "president"], "layout openelections"),
    # A wide file with no rule in it: a US presidential race, by plurality.
    "masos-ma-2016-precinct.csv.gz": (["--rule", "plurality"], "--rule"),
    "medsl-nh-2018-precinct.csv.gz": (["-c", "governor"], "layout medsl"),
    "medsl-de-2018-precinct.csv.gz": (["-c", "us senate"], "layout medsl"),
    "medsl-mt-2018-precinct.csv.gz": (["-c", "us senate"], "layout medsl"),
    "pkw-poland-2023-gmina.csv.gz": (
        ["--map", str(REAL / "maps" / "pkw-sejm-2023.toml")],
        "mapping pkw-sejm-2023.toml",
    ),
    "ypes-greece-2015-district.csv.gz": (
        ["--map", str(REAL / "maps" / "ypes-greece-2015.toml")],
        "mapping ypes-greece-2015.toml",
    ),
}
# Units with rows but no number at all are left out with a warning: PKW lists Iraq and
# Lebanon (abroad) with every count blank.
EMPTY_UNITS = {"pkw-poland-2023-gmina.csv.gz": 2}
# Files elect refuses as they are, and the words of the refusal.
REFUSED = {
    "openelections-nh-2016-town.csv.gz": (
        ":1952, column 'votes': not a number",
        ["-c", "president"],
    ),
    "bundeswahlleiter-germany-2017-wahlkreis.csv.gz": (":1: line 1 is a comment", []),
    "ypes-greece-2015-district.csv.gz": (":1: missing required column 'region'", []),
}


def _report(runner, name: str, args: list[str]):
    result = invoke(runner, "report", str(REAL / "data" / name), *args, "--json")
    return result


@pytest.mark.parametrize("name", sorted(HOW))
def test_real_file_gives_its_figures(runner, name):
    entry = MANIFEST[name]
    args, source = HOW[name]
    result = _report(runner, name, args)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    votes = {s["name"]: s["votes"] for s in doc["shares"]}
    for candidate, expected in entry["votes"].items():
        # elect trims names ("ΝΕΑ ΔΗΜΟΚΡΑΤΙΑ " in the Greek header)
        assert votes.get(candidate.strip() or "(unnamed)") == expected, candidate
    for candidate, certified in entry.get("certified_votes", {}).items():
        if entry["figures_source"] == "certified":
            assert votes[candidate.strip()] == certified, candidate
    outcome = doc["outcome"]
    assert outcome["winner_name"] == entry["winner"]
    assert outcome["decision"] == "plurality"
    assert outcome["rule_source"].startswith(source)
    assert doc["summary"]["units"] == entry["units"] - EMPTY_UNITS.get(name, 0)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_real_file_refused_with_the_place_and_a_hint(runner, name):
    words, args = REFUSED[name]
    result = invoke(runner, "report", str(REAL / "data" / name), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert name in line and words in line and "hint:" in line


def test_every_real_file_is_covered():
    assert set(MANIFEST) == set(HOW) | set(REFUSED)
    # Refused as they are, read right with the mapping beside them.
    assert set(REFUSED) - set(HOW) == {"bundeswahlleiter-germany-2017-wahlkreis.csv.gz"}


def test_certified_figures_that_differ_are_explained():
    for name, entry in MANIFEST.items():
        certified = entry.get("certified_votes", {})
        differs = any(entry["votes"].get(k) != v for k, v in certified.items())
        assert differs == (entry["figures_source"] == "file"), name
        if differs:
            assert entry["reason"], name


def _map_args(args: list[str]) -> list[str]:
    """The mapping among a file's arguments (validate takes --map, not -c or --rule)."""
    return args[args.index("--map") : args.index("--map") + 2] if "--map" in args else []


def _mapped(name: str) -> bool:
    return "--map" in HOW.get(name, ([], ""))[0]


@pytest.mark.parametrize(
    ("name", "mapped"),
    [(n, False) for n in sorted(MANIFEST)] + [(n, True) for n in sorted(MANIFEST) if _mapped(n)],
)
def test_report_and_validate_agree(runner, name, mapped):
    """What report refuses, validate finds as an error; what report leaves out (aggregate
    rows), validate lists; what report reads clean, validate passes."""
    args = _map_args(HOW.get(name, ([], ""))[0]) if mapped else []
    path = str(REAL / "data" / name)
    how = HOW.get(name, ([], ""))[0]
    contest = how[how.index("-c") : how.index("-c") + 2] if "-c" in how else []
    report = invoke(runner, "report", path, *contest, *args)
    validate = invoke(runner, "validate", path, *args, "--json")
    doc = json.loads(validate.stdout)
    jsonschema.validate(doc, json.loads(invoke(runner, "schema", "--output", "validate").stdout))
    (result,) = doc["files"]
    errors = {c for c in result["checks"] if BY_CODE[c].severity == "error"}
    assert report.exit_code in (0, 2)
    if report.exit_code == 2:
        assert errors, report.stderr
    else:  # an error validate finds in a file report reads is a warning of report's
        assert not errors or "warning: " in report.stderr, errors
    if report.exit_code == 0:
        said = sum("aggregate" in line for line in report.stderr.splitlines())
        assert result["checks"].get("aggregate-row", {}).get("count", 0) == said


INSPECTED = {
    # file: (unit key, contest key, vote modes)
    "openelections-de-2012-precinct.csv.gz": (
        ["county", "election_district"],
        ["office", "district"],
        ["election_day", "absentee"],
    ),
    "openelections-ga-2024-county.csv.gz": (
        ["county", "precinct"],
        ["office", "district"],
        ["election_day_votes", "advanced_votes", "absentee_by_mail_votes", "provisional_votes"],
    ),
    "medsl-de-2018-precinct.csv.gz": (
        ["county_name", "jurisdiction_name", "precinct"],
        ["office", "district", "special"],
        ["mode"],
    ),
}


@pytest.mark.parametrize("name", sorted(INSPECTED))
def test_inspect_shows_the_interpretation_and_its_mapping_reproduces_it(runner, tmp_path, name):
    path = str(REAL / "data" / name)
    result = invoke(runner, "inspect", path, "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    unit_key, contest_key, modes = INSPECTED[name]
    how = doc["interpretation"]
    assert (how["unit_key"], how["contest_key"], how["vote_modes"]) == (
        unit_key,
        contest_key,
        modes,
    )
    assert how["rule"] == "plurality" and how["rule_source"].startswith("layout ")
    assert all(c["reason"] for c in doc["columns"])
    mapping = tmp_path / "suggested.toml"
    mapping.write_text(doc["suggested_mapping"], encoding="utf-8")
    args, _ = HOW[name]
    first = json.loads(_report(runner, name, args).stdout)
    again = _report(runner, name, [*args, "--map", str(mapping)])
    assert again.exit_code == 0, again.stderr
    second = json.loads(again.stdout)
    assert second["shares"] == first["shares"]
    assert second["outcome"]["rule_source"] == "mapping suggested.toml"

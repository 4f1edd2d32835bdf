"""elect convert: NIST ERR v2 output valid against the official schemas, and round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import KZ2022, SAMPLES, invoke

DATA = Path(__file__).parent / "data"
XSD = DATA / "nist" / "NIST_V2_election_results_reporting.xsd"
JSON_SCHEMA = DATA / "nist" / "NIST_V2_election_results_reporting.json"
INPUTS = [
    KZ2022,
    SAMPLES / "stations-wide.csv",
    SAMPLES / "stations-long.csv",
    SAMPLES / "openelections-general.csv",
    DATA / "clarity" / "ga-2021-01-05-detailxml.zip",
    DATA / "clarity" / "clarify_precinct.xml",
    DATA / "nist" / "post_election_sample_feed_precincts.xml",
    DATA / "nist" / "ballot_measure_contest_sample_feed_with_results.xml",
]


@pytest.fixture(scope="module")
def xsd():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(XSD))


@pytest.fixture(scope="module")
def json_validator():
    import jsonschema

    schema = json.loads(JSON_SCHEMA.read_text())
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def convert(runner, src: Path, to: str, out: Path, *extra: str) -> Path:
    res = invoke(
        runner, "convert", str(src), "--to", to, "-o", str(out), "--date", "2024-11-05", *extra
    )
    assert res.exit_code == 0, res.output
    return out


@pytest.mark.parametrize("src", INPUTS, ids=lambda p: p.name)
def test_xml_output_validates_against_the_nist_xsd(runner, tmp_path, xsd, src):
    out = convert(runner, src, "nist-xml", tmp_path / "out.xml")
    errors = list(xsd.iter_errors(str(out)))
    assert errors == [], str(errors[0])[:2000]


@pytest.mark.parametrize("src", INPUTS, ids=lambda p: p.name)
def test_json_output_validates_against_the_nist_json_schema(runner, tmp_path, json_validator, src):
    out = convert(runner, src, "nist-json", tmp_path / "out.json")
    doc = json.loads(out.read_text())
    errors = sorted(json_validator.iter_errors(doc), key=lambda e: list(e.path))
    assert errors == [], (errors[0].message[:500], list(errors[0].path))
    assert doc["@type"] == "ElectionResults.ElectionReport"


OTHER = ("over_votes", "under_votes")  # NIST OtherCounts: named by kind, with no vote types


def figures(runner, path: Path) -> list[dict]:
    """Per contest: the units, the votes of every option, the counts and the outcome."""
    res = invoke(runner, "contests", str(path), "--json")
    assert res.exit_code == 0, res.output
    out = []
    for row in json.loads(res.stdout)["contests"]:
        doc = json.loads(invoke(runner, "report", str(path), "-c", row["id"], "--json").stdout)
        by_type = invoke(
            runner, "shares", str(path), "-c", row["id"], "--by", "vote-type", "--json"
        )
        out.append(
            {
                "units": row["units"],
                "votes": sorted(
                    (r["kind"] if r["kind"] in OTHER else r["name"], r["votes"])
                    for r in doc["shares"]
                ),
                "summary": {
                    k: doc["summary"][k] for k in ("registered", "ballots_cast", "invalid", "valid")
                },
                "decision": (doc["outcome"]["winner_name"], doc["outcome"]["margin_votes"]),
                "by_type": sorted(
                    (r["name"], sorted(r["by_type"].values(), key=str))
                    for r in json.loads(by_type.stdout)["options"]
                    if r["kind"] not in OTHER
                )
                if by_type.exit_code == 0
                else None,
            }
        )
    return out


@pytest.mark.parametrize("to", ["nist-xml", "nist-json"])
@pytest.mark.parametrize(
    "name", ["stations-wide.csv", "stations-long.csv", "openelections-general.csv"]
)
def test_round_trip_csv_to_err_to_elect_gives_the_same_figures(runner, tmp_path, name, to):
    src = SAMPLES / name
    out = convert(runner, src, to, tmp_path / f"out.{to[5:]}")
    before, after = figures(runner, src), figures(runner, out)
    assert after == before
    assert any(c["votes"] for c in before)


def test_round_trip_of_the_bundled_election_keeps_the_national_figures(runner, tmp_path):
    out = convert(runner, KZ2022, "nist-xml", tmp_path / "kz.xml")
    doc = json.loads(invoke(runner, "report", str(out), "--json").stdout)
    s = doc["summary"]
    assert (s["registered"], s["ballots_cast"], s["invalid"], s["valid"]) == (
        11953465,
        8300046,
        359568,
        7940478,
    )
    assert doc["outcome"]["winner_name"] == "Kassym-Jomart Tokayev"
    assert doc["outcome"]["margin_votes"] == 6184752
    # NIST has a decision rule but no threshold: Kazakhstan's majority rule survives.
    assert doc["outcome"]["rule"] == "absolute"
    assert doc["outcome"]["decision"] == "elected"


def test_round_trip_of_a_clarity_feed(runner, tmp_path):
    src = DATA / "clarity" / "ga-2021-01-05-detail.xml"
    out = convert(runner, src, "nist-json", tmp_path / "ga.json")
    assert figures(runner, out) == figures(runner, src)
    doc = json.loads(
        invoke(runner, "report", str(out), "-c", "US Senate (Loeffler)", "--json").stdout
    )
    assert doc["summary"]["reporting"]["reported"] == 2656
    assert doc["contest"]["id"] == "10100"  # kept as an ExternalIdentifier (elect-id)


def test_convert_needs_a_date(runner, tmp_path):
    src = tmp_path / "r.csv"
    src.write_text("region,registered,ballots_cast,invalid,Ann,Bob\nNorth,10,8,0,5,3\n")
    res = invoke(runner, "convert", str(src))
    assert res.exit_code == 2
    assert "NIST ERR needs the election date" in res.output and "--date" in res.output


def test_convert_rejects_an_unknown_target(runner):
    res = invoke(runner, "convert", "--to", "pdf")
    assert res.exit_code == 2
    assert "unknown target format 'pdf'" in res.output


def test_convert_to_stdout_is_namespaced_xml(runner):
    res = invoke(runner, "convert", str(KZ2022))
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("<?xml")
    assert 'xmlns="http://itl.nist.gov/ns/voting/1500-100/v2"' in res.stdout
    assert "<VendorApplicationId>elect " in res.stdout

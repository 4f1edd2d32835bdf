"""The JSON contract: every command's --json validates against its published schema,
carries schema_version, uses snake_case keys, and equals what the core API returns."""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES, SAMPLES, invoke

jsonschema = pytest.importorskip("jsonschema")

OE = str(SAMPLES / "openelections-general.csv")
KZ19, KZ22 = (
    str(FIXTURES / "kz-2019-presidential.json"),
    str(FIXTURES / "kz-2022-presidential.json"),
)
LINEAGE = str(FIXTURES / "kz-region-lineage.csv")
RECONCILE = sorted(str(p) for p in (FIXTURES / "reconcile").glob("*.json"))

CASES = {
    "report": ["report"],
    "shares": ["shares", str(SAMPLES / "stations-long.csv")],
    "turnout": ["turnout", str(SAMPLES / "stations.json")],
    "diaspora": ["diaspora", str(SAMPLES / "stations-wide.csv")],
    "contests": ["contests", OE],
    "checks": ["validate", "--list-checks"],
    "vote_types": ["shares", OE, "-c", "president", "--by", "vote-type"],
    "compare": ["compare", KZ19, KZ22, "--lineage", LINEAGE],
    "reconcile": ["reconcile", *RECONCILE],
    "inspect": ["inspect", str(SAMPLES / "stations-wide.csv")],
    "results": ["results", str(SAMPLES / "stations-wide.csv"), "--by", "district"],
    "validate": ["validate", str(SAMPLES)],
}

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
# Keys that are data (option ids, vote types, region ids), not part of the contract's names.
DATA_KEYS = {
    "votes",
    "by_type",
    "share_pct_by_type",
    "shares_pct",
    "by_kind",
    "origin",
    "values",  # reconcile: one value per source, keyed by the source's name
    "checks",  # validate: findings counted per check code (codes are kebab-case slugs)
}


def snake_case_keys(doc, path="$"):
    if isinstance(doc, dict):
        for k, v in doc.items():
            assert SNAKE.match(k), f"{path}.{k} is not snake_case"
            if k not in DATA_KEYS:
                snake_case_keys(v, f"{path}.{k}")
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:3]):
            snake_case_keys(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_schema(runner, name):
    r = invoke(runner, *CASES[name], "--json")
    assert r.exit_code in (0, 1), r.stderr
    doc = json.loads(r.stdout)
    schema = json.loads(invoke(runner, "schema", "--output", name).stdout)
    jsonschema.validate(doc, schema)
    assert isinstance(doc, dict) and doc["schema_version"] == 2 and doc["kind"] == name
    snake_case_keys(doc)


def test_several_contests_give_one_object_with_a_contests_list(runner):
    """report --json on a file of several contests: the contests document, not an array."""
    doc = json.loads(invoke(runner, "report", OE, "--json").stdout)
    jsonschema.validate(doc, json.loads(invoke(runner, "schema", "--output", "contests").stdout))
    assert doc["kind"] == "contests" and len(doc["contests"]) == 4


def test_every_output_kind_has_a_schema_and_a_case():
    from elect.core.schema import OUTPUTS

    assert set(OUTPUTS) == set(CASES) | {"forensics"}


def test_forensics_output_matches_schema(runner, tmp_path):
    import numpy as np

    rng = np.random.default_rng(1)
    reg = rng.integers(300, 2000, 60)
    cast = rng.binomial(reg, 0.6)
    lead = rng.binomial(cast, 0.5)
    f = tmp_path / "s.csv"
    f.write_text(
        "region,station,registered,ballots_cast,invalid,A,B\n"
        + "".join(
            f"R{i % 3},{i},{reg[i]},{cast[i]},0,{lead[i]},{cast[i] - lead[i]}\n" for i in range(60)
        )
    )
    doc = json.loads(invoke(runner, "forensics", str(f), "--json", "--replicates", "20").stdout)
    jsonschema.validate(doc, json.loads(invoke(runner, "schema", "--output", "forensics").stdout))


def test_cli_json_equals_core_api(runner):
    from elect.core import build_report, load, select_contest
    from elect.core.compare import compare
    from elect.core.lineage import read_lineage

    wide = SAMPLES / "stations-wide.csv"
    cli = json.loads(invoke(runner, "report", str(wide), "--json").stdout)
    assert cli == build_report(load(wide)).to_dict()
    e = load(OE)
    cli = json.loads(invoke(runner, "report", OE, "-c", "governor", "--json").stdout)
    assert cli == build_report(e, select_contest(e, "governor")).to_dict()
    cli = json.loads(invoke(runner, "compare", KZ19, KZ22, "--lineage", LINEAGE, "--json").stdout)
    api = compare(load(KZ19), load(KZ22), lineage=read_lineage(LINEAGE)).to_dict()
    assert cli == api


@pytest.mark.parametrize("section", ["shares", "turnout", "diaspora"])
def test_section_json_equals_core_api(runner, section):
    from elect.core import build_report, load

    wide = SAMPLES / "stations-wide.csv"
    cli = json.loads(invoke(runner, section, str(wide), "--json").stdout)
    assert cli == build_report(load(wide)).section(section)
    assert cli["kind"] == section and cli["election"]["file"] == str(wide)

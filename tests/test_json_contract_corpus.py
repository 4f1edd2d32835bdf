"""The JSON contract on real files: every command's --json on every file of tests/real
(read as tests/test_real_files.py reads it) and on the bundled election is one object
with schema_version and kind, and validates against the schema `elect schema --output
KIND` publishes (validate's document is checked where tests/test_real_files.py runs
it on the same files, so as not to read each file twice). A command that cannot run on a file refuses with exit 2, one line on
stderr and nothing on stdout."""

from __future__ import annotations

import json
from functools import cache

import pytest
from test_real_files import HOW, REAL

from conftest import invoke

jsonschema = pytest.importorskip("jsonschema")

# Each command, and what it is given beside the file and the file's own arguments.
COMMANDS = {
    "report": [],
    "shares": [],
    "turnout": [],
    "diaspora": [],
    "results": [],
    "contests": [],
    "inspect": [],
    "compare": [],  # the file against itself: every change is zero
    "forensics": ["--replicates", "20"],
}
# Options that take a value, so that a dropped option drops its value too.
VALUED = {"-c", "--contest", "--map", "--preset", "--rule", "--base"}


@cache
def _accepted(command: str) -> frozenset[str]:
    """The option names COMMAND takes (a file's arguments are passed where they fit)."""
    import typer.main

    from elect.cli.main import app

    group = typer.main.get_command(app)
    params = group.commands[command].params  # type: ignore[attr-defined]
    return frozenset(name for p in params for name in getattr(p, "opts", []))


def _fitting(command: str, args: list[str]) -> list[str]:
    out, i = [], 0
    while i < len(args):
        width = 2 if args[i] in VALUED else 1
        if args[i] in _accepted(command) and not (command == "contests" and args[i] == "-c"):
            out += args[i : i + width]
        i += width
    return out


@cache
def _schema(kind: str) -> dict:
    from typer.testing import CliRunner

    return json.loads(invoke(CliRunner(), "schema", "--output", kind).stdout)


def _check(runner, argv: list[str]) -> None:
    result = invoke(runner, *argv, "--json")
    if result.exit_code == 2:
        assert result.stdout == "", argv
        (line,) = [x for x in result.stderr.splitlines() if x.startswith("elect: error:")]
        assert "hint:" in line, line
        return
    assert result.exit_code in (0, 1), (argv, result.stderr[-500:])
    doc = json.loads(result.stdout)
    assert isinstance(doc, dict) and doc["schema_version"] == 2, argv
    jsonschema.validate(doc, _schema(doc["kind"]))
    if argv[0] in ("report", "shares", "turnout", "diaspora", "results", "compare", "contests"):
        assert doc["kind"] in (argv[0], "contests"), argv


@pytest.mark.parametrize("name", sorted(HOW))
def test_every_command_json_on_real_files_matches_its_schema(runner, name):
    path = str(REAL / "data" / name)
    args, _ = HOW[name]
    for command, extra in COMMANDS.items():
        files = [path, path] if command == "compare" else [path]
        _check(runner, [command, *files, *_fitting(command, args), *extra])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_json_on_the_bundled_election_matches_its_schema(runner, command):
    from elect.core.io import bundled_path

    files = [str(bundled_path())] * 2 if command == "compare" else []
    _check(runner, [command, *files, *COMMANDS[command]])

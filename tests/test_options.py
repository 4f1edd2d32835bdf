"""Options are defined once: every command that reads a results file takes the same
input options, and an option means the same thing wherever it appears (issue 17)."""

from __future__ import annotations

import pytest
import typer.main

from elect.cli.command import (
    CONTEST_OPTION,
    DECIDES_OPTION,
    OUTPUT_GROUP,
    SHARES_OPTION,
    SOURCE_GROUP,
)
from elect.cli.main import app

COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]

# Commands that read a results file; schema is the only one that reads none.
READING = set(COMMANDS) - {"schema"}
# Commands that pick one contest of a file (validate and inspect look at whole files).
PICKING = READING - {"validate", "inspect"}
# Commands that show shares (the denominator matters) and that decide an outcome.
SHOWING_SHARES = {"report", "shares", "diaspora", "results"}
DECIDING = {"report", "shares", "contests", "compare"}
# schema's --output names a kind of output; convert's output is the report --to names.
NO_OUTPUT_GROUP = {"schema", "convert"}


def _options(name: str) -> dict[str, object]:
    return {p.name: p for p in COMMANDS[name].params if p.name is not None}


@pytest.mark.parametrize("name", sorted(READING))
def test_every_reading_command_takes_the_source_options(name):
    missing = set(SOURCE_GROUP) - set(_options(name))
    assert not missing, f"elect {name} lacks {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(PICKING))
def test_every_command_showing_a_contest_takes_contest(name):
    assert set(CONTEST_OPTION) <= set(_options(name)), f"elect {name} lacks --contest"


@pytest.mark.parametrize("name", sorted(SHOWING_SHARES))
def test_commands_showing_shares_take_base(name):
    assert set(SHARES_OPTION) <= set(_options(name)), f"elect {name} lacks --base"


@pytest.mark.parametrize("name", sorted(DECIDING))
def test_commands_deciding_take_rule(name):
    assert set(DECIDES_OPTION) <= set(_options(name)), f"elect {name} lacks --rule"


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - NO_OUTPUT_GROUP))
def test_every_command_takes_the_output_options(name):
    missing = set(OUTPUT_GROUP) - set(_options(name))
    assert not missing, f"elect {name} lacks {sorted(missing)}"


SHARED = {*OUTPUT_GROUP, *SOURCE_GROUP, *CONTEST_OPTION, *SHARES_OPTION, *DECIDES_OPTION}


def _form(p) -> tuple:
    return (tuple(p.opts), tuple(p.secondary_opts), getattr(p, "help", None), p.default)


def test_a_shared_option_means_the_same_everywhere():
    """Same parameter → same flags, help and default in every command that takes it."""
    forms: dict[str, dict[tuple, list[str]]] = {}
    for cmd_name, cmd in COMMANDS.items():
        if cmd_name == "schema":
            continue  # its --output names a kind of output: see NO_OUTPUT_GROUP
        for p in cmd.params:
            if p.name in SHARED:
                forms.setdefault(p.name, {}).setdefault(_form(p), []).append(cmd_name)
    assert set(forms) == SHARED
    differing = {name: list(f.values()) for name, f in forms.items() if len(f) != 1}
    assert differing == {}


def test_no_flag_means_two_things():
    """A flag spelled the same in two commands is the same parameter (schema's old
    --output apart)."""
    owner: dict[str, set[str]] = {}
    for cmd_name, cmd in COMMANDS.items():
        for p in cmd.params:
            for flag in getattr(p, "opts", []):
                if flag.startswith("-") and not (cmd_name == "schema" and flag == "--output"):
                    owner.setdefault(flag, set()).add(str(p.name))
    shared_flags = {flag: names for flag, names in owner.items() if names & SHARED}
    assert {f: n for f, n in shared_flags.items() if len(n) != 1} == {}


def _readme_list(label: str) -> set[str]:
    """The commands README's option paragraph names after LABEL, up to the full stop."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    para = " ".join(text[text.index("Options come in groups") :].split("\n\n")[0:2][1].split())
    tail = para[para.index(label) + len(label) :]
    names = tail[: tail.index(".")]
    return {w for w in re.findall(r"[a-z]+", names)}


def test_readme_names_the_commands_each_group_is_on():
    assert _readme_list("on every command that shows a contest:") == PICKING
    assert _readme_list("(the share denominator) on") == SHOWING_SHARES
    assert _readme_list("(how the contest is decided) on") == DECIDING

"""README's claims about options, checked against the commands' real parameters.

README's "Options come in groups" list names, per group, the flags and the commands that
take them; every flag a bullet names must be a parameter of every command it says takes
it (tests/test_options.py checks the command lists of the Contest bullet)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _bullet(title: str) -> str:
    start = README.index(f"- **{title}**", README.index("Options come in groups"))
    ends = [e for e in (README.find("\n- **", start + 1), README.find("\n\n", start)) if e > 0]
    return README[start : min(ends)]


def _flags(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text))


def _options(command: str | None) -> set[str]:
    import typer.main

    from elect.cli.main import app

    group = typer.main.get_command(app)
    params = group.params if command is None else group.commands[command].params
    return {name for p in params for name in getattr(p, "opts", [])}


def _commands() -> set[str]:
    import typer.main

    from elect.cli.main import app

    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


OUTPUT_ON = _commands() - {"convert", "schema"}
INPUT_ON = _commands() - {"schema"}


def test_the_bullets_name_the_flags():
    assert _flags(_bullet("Output")) == {"--json", "--format", "--output"}
    assert _flags(_bullet("Input")) == {
        "--input-format",
        "--encoding",
        "--map",
        "--preset",
        "--sheet",
    }


@pytest.mark.parametrize("command", sorted(OUTPUT_ON))
def test_every_command_but_convert_and_schema_takes_the_output_flags(command):
    assert _flags(_bullet("Output")) - _options(command) == set()


@pytest.mark.parametrize("command", sorted(INPUT_ON))
def test_every_reading_command_takes_the_input_flags(command):
    assert _flags(_bullet("Input")) - _options(command) == set()


def test_the_global_options_are_before_the_command():
    claimed = _flags(_bullet("Global"))
    assert claimed == {"--quiet", "--debug", "--max-bytes", "--version"}
    assert claimed <= _options(None)

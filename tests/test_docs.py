"""Docs that cannot drift: the CLI reference is generated from --help; every option has help."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import ROOT


def _generator():
    spec = importlib.util.spec_from_file_location(
        "gen_cli_reference", ROOT / "tests" / "tools" / "gen_cli_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    gen = _generator()
    assert (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8") == gen.build(), (
        "docs/cli-reference.md is stale: run python tests/tools/gen_cli_reference.py"
    )


def test_every_command_and_option_has_help_with_an_example():
    from typer.main import get_command

    from elect.cli.main import app

    group = get_command(app)
    for name, command in group.commands.items():
        assert command.help and "Example" in command.help, f"{name} has no example in its help"
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"{name} {param.opts} has no help text"


@pytest.mark.parametrize("name", ["report", "shares", "turnout", "diaspora", "contests"])
def test_readme_has_a_section_per_command(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"elect {name}" in readme


def test_readme_examples_are_real_output():
    spec = importlib.util.spec_from_file_location(
        "gen_readme_examples", ROOT / "tests" / "tools" / "gen_readme_examples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- example:" in text
    assert module.refresh(text) == text, (
        "README examples are stale: run python tests/tools/gen_readme_examples.py"
    )

"""Help shows literally what it says: no bracketed word is eaten as Rich markup
(``--plot`` said "(needs elect)" for "needs elect[plots]")."""

from __future__ import annotations

import re

import pytest

from conftest import invoke


def _commands():
    import typer.main

    from elect.cli.main import app

    return typer.main.get_command(app).commands  # type: ignore[attr-defined]


def _flat(text: str) -> str:
    """Help as words: the panel borders and line wrapping taken out."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", text)).strip()


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_option_help_is_shown_literally(runner, monkeypatch, name):
    monkeypatch.setenv("COLUMNS", "1000")  # one line per option: no wrapping to undo
    shown = _flat(invoke(runner, name, "--help").stdout)
    for param in _commands()[name].params:
        text = getattr(param, "help", None)
        if text:
            assert _flat(text) in shown, (name, param.name, text)


def test_the_plots_extra_is_named_in_help(runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")
    assert "needs elect[plots]" in invoke(runner, "report", "--help").stdout
    assert "needs elect[plots]" in invoke(runner, "forensics", "--help").stdout

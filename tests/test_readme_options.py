"""README's claims about options, checked against the commands' real parameters.

README "Options every reporting command shares" names the options; each reporting
command must take every one. The commands that do not yet are marked (strict xfail),
so the day they do, this file says to drop the mark (issue 17 item 1 gives every
reading command the same input options)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
REPORTING = (
    "report",
    "shares",
    "turnout",
    "diaspora",
    "results",
    "contests",
    "compare",
    "reconcile",
    "forensics",
)
# What each command lacks today of README's list (issue 17 item 1).
GAPS = {
    "turnout": {"--base"},
    "diaspora": {"--base"},
    "contests": {"--contest", "--base"},
    "compare": {"--base"},
    "reconcile": {"--base", "--map", "--preset"},
    "forensics": {"--base"},
}


def _claimed() -> set[str]:
    start = README.index("Options every reporting command shares")
    end = README.index("and the global", start)
    return set(re.findall(r"--[a-z][a-z-]+", README[start:end]))


def _options(command: str | None) -> set[str]:
    import typer.main

    from elect.cli.main import app

    group = typer.main.get_command(app)
    params = group.params if command is None else group.commands[command].params
    return {name for p in params for name in getattr(p, "opts", [])}


def test_the_claim_names_the_options():
    assert _claimed() == {
        "--json",
        "--format",
        "--output",
        "--contest",
        "--base",
        "--input-format",
        "--map",
        "--preset",
        "--encoding",
    }


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(
            c,
            marks=pytest.mark.xfail(strict=True, reason=f"lacks {sorted(GAPS[c])}: issue 17 #1"),
        )
        if c in GAPS
        else c
        for c in REPORTING
    ],
)
def test_every_reporting_command_takes_the_shared_options(command):
    assert _claimed() - _options(command) == set()


@pytest.mark.parametrize("command", sorted(GAPS))
def test_the_gaps_are_what_is_recorded(command):
    assert _claimed() - _options(command) == GAPS[command]


def test_the_global_options_are_before_the_command():
    start = README.index("and the global", README.index("Options every reporting command"))
    claimed = set(re.findall(r"--[a-z][a-z-]+", README[start : README.index("\n\n", start)]))
    assert claimed == {"--quiet", "--debug", "--max-bytes", "--version"}
    assert claimed <= _options(None)

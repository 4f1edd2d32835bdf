"""Shared test setup: deterministic terminal output and paths to the fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SAMPLES = FIXTURES / "samples"
SHARED = ROOT.parent / "shared"
KZ2022 = FIXTURES / "kz-2022-presidential.json"


@pytest.fixture(autouse=True)
def fixed_terminal(monkeypatch):
    """Rich output depends on the terminal: fix width and colour so goldens are stable."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("ELECT_FORMAT", raising=False)


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


def invoke(runner, *args, input=None):
    from elect.cli.main import app

    return runner.invoke(app, list(args), input=input)

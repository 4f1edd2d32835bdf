"""Golden outputs: the bundled report as JSON and as a table at a fixed terminal width.

Regenerate after an intended change with ``ELECT_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import SAMPLES, invoke

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "report-kz2022.json": ["report", "--json"],
    "report-kz2022.txt": ["report"],
    "report-stations-wide.txt": ["report", str(SAMPLES / "stations-wide.csv")],
    "shares-kz2022.csv": ["shares", "--format", "csv"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(runner, name):
    result = invoke(runner, *CASES[name])
    assert result.exit_code == 0, result.stderr
    out = result.stdout.replace(str(SAMPLES), "<samples>")
    path = GOLDEN / name
    if os.environ.get("ELECT_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")

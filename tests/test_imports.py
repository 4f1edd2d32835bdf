"""Start-up stays light: help, version and completion never import pandas."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from elect.cli.main import app
try:
    app({args!r})
except SystemExit:
    pass
heavy = sorted(m for m in ("pandas", "numpy") if m in sys.modules)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["report", "--help"]])
def test_help_does_not_import_pandas(args):
    proc = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "HEAVY:" in proc.stderr, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "HEAVY:", proc.stderr


def test_python_dash_m_elect():
    proc = subprocess.run(
        [sys.executable, "-m", "elect", "shares", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"tokayev"' in proc.stdout


def test_head_closing_the_pipe_is_quiet():
    """`elect report --json | head -1` must not print a BrokenPipeError."""
    proc = subprocess.run(
        f"{sys.executable} -m elect report --json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.strip() == "{"
    assert "Error" not in proc.stderr and "Traceback" not in proc.stderr


def test_shell_completion_answers_without_pandas():
    probe = (
        "import os, sys\n"
        "os.environ.update({'_ELECT_COMPLETE': 'complete_bash', 'COMP_WORDS': 'elect rep',"
        " 'COMP_CWORD': '1'})\n"
        "from elect.cli.main import app\n"
        "try:\n    app(prog_name='elect')\nexcept SystemExit:\n    pass\n"
        "print('HEAVY:' + ','.join(m for m in ('pandas', 'numpy') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["report"]
    assert proc.stderr.strip().splitlines()[-1] == "HEAVY:"

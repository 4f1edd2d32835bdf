"""Data piped in without `-` is not read quietly past: a one-line note says the bundled
election is reported and how to read standard input (a real pipe, so a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SAMPLES

NOTE = "note: reading the bundled election; use - to read standard input"
WIDE = (SAMPLES / "stations-wide.csv").read_bytes()


def _elect(*args: str, stdin=None, data: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "elect", *args],
        input=data,
        stdin=stdin,
        capture_output=True,
        timeout=120,
    )


def test_piped_data_without_dash_gets_the_note():
    proc = _elect("contests", "--json", data=WIDE)
    assert proc.returncode == 0
    assert proc.stderr.decode().strip().splitlines() == [NOTE]
    doc = json.loads(proc.stdout)
    assert doc["contests"][0]["total_votes"] == 7_940_478  # the bundled election, as said


def test_quiet_silences_the_note():
    proc = _elect("-q", "contests", "--json", data=WIDE)
    assert proc.returncode == 0 and NOTE not in proc.stderr.decode()


def test_dash_reads_the_pipe_without_a_note():
    proc = _elect("shares", "-", "--json", data=WIDE)
    assert proc.returncode == 0 and NOTE not in proc.stderr.decode()
    assert json.loads(proc.stdout)["base_total"] == 10_294


@pytest.mark.parametrize("how", ["devnull", "empty pipe"])
def test_no_note_without_data(how):
    if how == "devnull":
        proc = _elect("contests", "--json", stdin=subprocess.DEVNULL)
    else:
        proc = _elect("contests", "--json", data=b"")
    assert proc.returncode == 0 and NOTE not in proc.stderr.decode()

"""Terminal manners: NO_COLOR, FORCE_COLOR, TERM=dumb, COLUMNS, Cyrillic alignment, -q."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from conftest import invoke

ANSI = "\x1b["


def test_no_colour_when_piped_or_no_color(runner, monkeypatch):
    assert ANSI not in invoke(runner, "report").stdout  # NO_COLOR=1 from conftest
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    assert ANSI not in invoke(runner, "report").stdout  # not a terminal


def test_force_color_adds_colour_and_no_color_removes_it(runner, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI in invoke(runner, "report").stdout
    monkeypatch.setenv("TERM", "dumb")
    dumb = invoke(runner, "report").stdout
    assert "\x1b[3" not in dumb and "\x1b[9" not in dumb  # no colour codes on a dumb terminal


@pytest.mark.parametrize("width", [80, 60])
def test_tables_fit_the_width_and_numbers_stay_whole(runner, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    out = invoke(runner, "report").stdout
    assert max(cell_len(line) for line in out.splitlines()) <= width
    for number in ("6,456,393", "81.31%", "7,940,478", "11,953,465", "88.47%"):
        assert number in out


def test_cyrillic_names_align(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    f = tmp_path / "kk.csv"
    f.write_text(
        "region,registered,cast,Тоқаев,Барлығына қарсымын\n"
        "Жетісу облысы,1000,814,700,114\nАлматы қаласы,1000,287,200,87\n",
        encoding="utf-8",
    )
    out = invoke(runner, "shares", str(f)).stdout
    rows = [
        ln
        for ln in out.splitlines()
        if ln.startswith("  ") and ("Тоқаев" in ln or "Барлығына" in ln)
    ]
    assert len(rows) == 2
    # The percentage column ends at the same cell for both rows.
    ends = [cell_len(line[: line.index("%") + 1]) for line in rows]
    assert ends[0] == ends[1]


def test_quiet_leaves_only_the_result(runner, tmp_path):
    f = tmp_path / "a;b.csv"
    f.write_text("region;registered;cast;A;B\nX;1 000;800;500;300\nTotal;1000;800;500;300\n")
    loud = invoke(runner, "report", str(f))
    assert loud.stderr.strip()
    quiet = invoke(runner, "-q", "report", str(f))
    assert quiet.stderr == "" and quiet.stdout == loud.stdout

"""Tables at any width: names wrap and are never dropped, numbers are never cut, and
nothing runs past the terminal's edge. Each command's table is rendered at 40, 60, 80
and 120 columns; what must appear is taken from the same command's --json."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len

from conftest import FIXTURES, SAMPLES, invoke

KZ19, KZ22 = (
    str(FIXTURES / "kz-2019-presidential.json"),
    str(FIXTURES / "kz-2022-presidential.json"),
)
OE = str(SAMPLES / "openelections-general.csv")
WIDE = str(SAMPLES / "stations-wide.csv")
WIDTHS = (40, 60, 80, 120)


def _votes(n) -> str:
    return f"{n:,}"


def _pct(p) -> str:
    return f"{p:.2f}%"


def _shares(doc) -> tuple[list[str], list[str]]:
    rows = doc["shares"]
    return [r["name"] for r in rows], [_votes(r["votes"]) for r in rows] + [
        _pct(r["share_pct"]) for r in rows
    ]


def _turnout(doc) -> tuple[list[str], list[str]]:
    t = doc["turnout"]
    rows = t["highest"] + t["lowest"]
    return [r["name"] for r in rows], [_pct(r["turnout_pct"]) for r in rows]


def _diaspora(doc) -> tuple[list[str], list[str]]:
    d = doc["diaspora"]
    return [o["name"] for o in d["options"]], [_votes(o["abroad_votes"]) for o in d["options"]]


def _results(doc) -> tuple[list[str], list[str]]:
    rows = doc["rows"]
    return [r["name"] for r in rows], [_votes(r["registered"]) for r in rows]


def _contests(doc) -> tuple[list[str], list[str]]:
    rows = doc["contests"]
    return [r["name"] for r in rows], [_votes(r["total_votes"]) for r in rows]


def _compare(doc) -> tuple[list[str], list[str]]:
    """Below 80 columns compare leaves out its vote and share columns (and says so);
    the swing stays."""
    rows = doc["options"]
    names = [r["name"] for r in rows]
    numbers = [f"{r['change_pp']:+.2f} pp" for r in rows if r["change_pp"] is not None]
    return names, numbers


def _inspect(doc) -> tuple[list[str], list[str]]:
    return [c["header"] for c in doc["columns"]], [str(doc["rows"])]


CASES = {
    "report": (["report"], _shares),
    "shares": (["shares"], _shares),
    "turnout": (["turnout"], _turnout),
    "diaspora": (["diaspora", WIDE], _diaspora),
    "results": (["results", WIDE, "--by", "station"], _results),
    "contests": (["contests", OE], _contests),
    "compare": (["compare", KZ19, KZ22], _compare),
    "inspect": (["inspect", WIDE], _inspect),
}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_names_wrap_and_numbers_stay_whole(runner, monkeypatch, case, width):
    argv, expected = CASES[case]
    names, numbers = expected(json.loads(invoke(runner, *argv, "--json").stdout))
    assert names and numbers
    monkeypatch.setenv("COLUMNS", str(width))
    result = invoke(runner, *argv)
    assert result.exit_code in (0, 1), result.stderr
    out = result.stdout
    # inspect's suggested mapping is TOML to copy: printed as it is, never wrapped
    tables = out.split("# elect column mapping")[0]
    assert max(cell_len(line) for line in tables.splitlines()) <= width
    for name in names:
        for word in name.split():
            assert word in out, (word, name)
    for number in numbers:
        assert number in out, number


def test_the_installed_rich_has_what_the_layout_measures_with():
    # If a Rich release moves these, tables fall back to Rich's own layout (no crash), and
    # this test says the fitting has to be looked at again.
    from elect.cli.layout import RICH_INTERNALS

    assert RICH_INTERNALS


def test_without_rich_internals_a_table_is_drawn_as_rich_lays_it_out(monkeypatch):
    from rich.console import Console
    from rich.table import Table

    from elect.cli import layout

    table = Table("Name", "Votes")
    table.add_row("Alma Example of a rather long name", "1,234,567")
    monkeypatch.setattr(layout, "RICH_INTERNALS", False)
    console = Console(width=30, record=True, color_system=None)
    console.print(layout.Fitted(table))
    assert "Alma" in console.export_text()

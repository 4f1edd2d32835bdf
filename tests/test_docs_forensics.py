"""README.md and docs/forensics.md cannot drift from what elect prints.

Every reproduction table has an ``elect`` column and a ``command`` column. The
command is ``elect forensics FILE … --json | jq 'PATHS'``; this test runs the
elect part (on ../shared, skipping when a file is absent), evaluates the jq
paths (``.a.b, .c`` or ``.prefix | .a, .b``) and checks that the numbers in
the ``elect`` cell, in order, are those values as printed (same decimals; a
trailing "M" means millions).
"""

from __future__ import annotations

import json
import re
import shlex
from functools import cache

import pytest

from conftest import ROOT, SHARED

DOCS = ("README.md", "docs/forensics.md")
NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?(\s?M\b)?")


def _cells(line: str) -> list[str]:
    inner = line.strip().strip("|")
    parts = re.split(r"(?<!\\)\|", inner)
    return [p.strip().replace("\\|", "|") for p in parts]


def rows(doc: str) -> list[tuple[str, str, str]]:
    """(doc, elect cell, command) for every row of a table with both columns."""
    out = []
    header: list[str] | None = None
    for line in (ROOT / doc).read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set(cells) <= {"", "---", ":---", "---:"} or all(set(c) <= set("-:") for c in cells):
            continue
        if "elect" in header and "command" in header:
            out.append((doc, cells[header.index("elect")], cells[header.index("command")]))
    return out


ALL = [r for d in DOCS for r in rows(d)]


def test_every_reproduction_table_row_has_a_command():
    assert len(ALL) >= 15
    for doc, cell, command in ALL:
        assert command.startswith("`elect forensics ") and "| jq " in command, (doc, cell)
        assert NUMBER.search(cell), (doc, cell)


def parse(command: str) -> tuple[tuple[str, ...], list[list[str]]]:
    elect, jq = command.strip("`").split("| jq ", 1)
    args = tuple(shlex.split(elect)[1:])
    expr = shlex.split(jq)[-1]
    prefix: list[str] = []
    if "|" in expr:
        head, expr = expr.split("|", 1)
        prefix = [p for p in head.strip().split(".") if p]
    paths = [prefix + [p.strip('"') for p in e.strip().split(".") if p] for e in expr.split(",")]
    return args, paths


@cache
def run(args: tuple[str, ...]) -> dict:
    from typer.testing import CliRunner

    from elect.cli.main import app

    for a in args:
        if a.startswith("../shared/"):
            path = SHARED / a[len("../shared/") :]
            if not path.exists():
                pytest.skip(f"{path} is absent: the corpus lives in ../shared")
    r = CliRunner().invoke(app, list(args))
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _printed(text: str, value: float) -> str:
    millions = "M" in text
    num = text.replace("M", "").strip().replace(",", "").replace("−", "-")
    decimals = len(num.split(".")[1]) if "." in num else 0
    v = value / 1e6 if millions else value
    return f"{v:.{decimals}f}"


@pytest.mark.parametrize(("doc", "cell", "command"), ALL, ids=[f"{d}:{c[:40]}" for d, c, _ in ALL])
def test_documented_figure_is_what_elect_prints(doc, cell, command):
    args, paths = parse(command)
    assert "--json" in args, command
    doc_json = run(tuple(a if not a.startswith("../") else str(ROOT / a) for a in args))
    shown = [m.group(0) for m in NUMBER.finditer(cell)]
    assert len(shown) >= len(paths), (cell, paths)
    for text, path in zip(shown, paths, strict=False):
        value = doc_json
        for key in path:
            value = value[int(key)] if isinstance(value, list) else value[key]
        num = text.replace("M", "").strip().replace(",", "").replace("−", "-")
        assert num == _printed(text, float(value)), (
            f"{doc}: {cell!r} shows {text!r}; {' '.join(args)} prints "
            f"{_printed(text, float(value))} at {'.'.join(path)}"
        )

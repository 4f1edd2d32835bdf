"""The core speaks in its own terms: no CLI flag in its strings, a fix the CLI renders
as a flag (issue 17)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from typer.testing import CliRunner

from elect.cli.main import app
from elect.core.errors import ElectError

CORE = Path(__file__).resolve().parents[1] / "core"
FLAG = re.compile(r"--[a-z]")
ALLOWED: set[tuple[str, str]] = set()


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def test_no_flag_names_in_core_strings():
    found = []
    for path in sorted(CORE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and FLAG.search(node.value)
                and (path.name, node.value) not in ALLOWED
            ):
                found.append(f"{path.relative_to(CORE)}:{node.lineno}: {node.value[:60]!r}")
    assert found == []


def test_a_fix_is_data_in_core_and_a_flag_on_the_command_line(tmp_path):
    bad = tmp_path / "w.csv"
    bad.write_bytes("region,registered,A\nМосква,10,5\n".encode("cp1251") + b"\xff\xfe,1,2\n")
    from elect.core.io import load

    try:
        load(bad, encoding="utf-8")
    except ElectError as exc:
        assert exc.fix == ("encoding", "cp1251")
        assert "--" not in exc.one_line()
        assert exc.one_line().endswith("set encoding to cp1251)")
        assert exc.to_dict()["fix"] == {"setting": "encoding", "value": "cp1251"}
    else:
        raise AssertionError("a cp1251 file read as UTF-8 must be refused")
    result = CliRunner().invoke(app, ["report", str(bad), "--encoding", "utf-8"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("--encoding cp1251)")


def test_a_note_carries_its_fix_to_the_json_and_the_terminal(tmp_path):
    path = Path(__file__).resolve().parent / "real" / "data" / "medsl-nh-2018-precinct.csv.gz"
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(path), "-c", "governor", "--json"])
    assert result.exit_code == 0, result.stderr
    assert "layout medsl (header signature); to change: --preset none" in result.stderr
    import json

    notes = json.loads(result.stdout)["notes"]
    layout = [n for n in notes if n["message"] == "layout medsl (header signature)"]
    assert layout and layout[0]["fix"] == {"setting": "preset", "value": "none"}

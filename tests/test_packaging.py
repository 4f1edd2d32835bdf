"""The wheel holds one import package, elect: never bare cli/ or core/ in site-packages."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")


def test_every_package_folder_is_declared():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    declared = dict(config["package-dir"])
    assert set(config["packages"]) == set(declared)
    found = set()
    for top, name in (("cli", "elect.cli"), ("core", "elect.core"), ("fixtures", "elect.fixtures")):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top)
            found.add(".".join([name, *rel.parts]) if rel.parts else name)
    assert found <= set(declared), f"undeclared packages: {found - set(declared)}"


def test_wheel_contents(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        pytest.skip(f"wheel build unavailable here: {proc.stderr[-300:]}")
    (wheel,) = Path(tmp_path).glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not re.search(r"\.dist-info$", t)} == {"elect"}
    assert "elect/cli/main.py" in names
    assert "elect/core/tally.py" in names
    assert "elect/fixtures/kz-2022-presidential.json" in names
    assert not any(n.startswith("elect/tests/") for n in names)

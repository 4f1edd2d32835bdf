"""Every command on every hostile input, in-process (typer's CliRunner), two at a time.

The cases come from hostile_cases.py. One session fixture runs them all in a pool
of two forked workers (the CI machine has two cores); each case is then one test
that asserts what the run of its commands left behind:

- no exit 70 and no traceback;
- no raw control character (C0 but tab and newline, DEL, C1, bidi) on stdout or stderr;
- the exit code the case allows;
- every file that existed before the run is unchanged (bytes, mode, type);
- names injected into a file come out literally in JSON, and HTML/SVG exports hold
  no script, link or control character from them;
- peak memory of the worker under the cap.

The byte limit is set small (ELECT_MAX_BYTES=4M), so the bomb cases stop early.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path

import pytest
from hostile_cases import ROOT, Case, cases

CASES: list[Case] = cases()
BUNDLED = str(ROOT / "fixtures" / "kz-2022-presidential.json")
ENV = {"ELECT_MAX_BYTES": "4M", "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
MEMORY_CAP_KB = 1 << 20  # 1 GiB peak resident memory per worker
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
GENERIC = (
    ("report", "{t}"),
    ("report", "{t}", "--json"),
    ("shares", "{t}", "-f", "csv"),
    ("turnout", "{t}", "-f", "markdown"),
    ("diaspora", "{t}", "-f", "ndjson"),
    ("contests", "{t}"),
    ("validate", "{t}", "--json"),
    ("inspect", "{t}"),
    ("forensics", "{t}", "--replicates", "10"),
    ("compare", "{t}", "{b}"),
    ("reconcile", "{t}", "{b}"),
)


def _snapshot(d: Path) -> dict[str, tuple]:
    out = {}
    for root, dirs, files in os.walk(d):
        for name in dirs + files:
            p = os.path.join(root, name)
            st = os.lstat(p)
            digest = None
            if stat.S_ISREG(st.st_mode) and st.st_mode & 0o444:
                with open(p, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            out[p] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), digest)
    return out


def _target(case: Case, d: Path) -> str:
    if case.target == "" or case.target.startswith("/"):
        return case.target
    if "{d}" in case.target:
        return case.target.replace("{d}", str(d))
    return str(d / case.target)


def _strings(doc) -> list[str]:
    stack, out = [doc], []
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return out


def run_case(index: int) -> tuple[str, list[str]]:
    """Run one case's commands; return what broke the contract (empty when nothing)."""
    import resource

    from typer.testing import CliRunner

    from elect.cli.main import app

    case = CASES[index]
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "case"
        d.mkdir()
        for name, data in case.files.items():
            p = d / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        (d / "pre-existing.txt").write_text("keep me")
        if case.setup:
            case.setup(d)
        target = _target(case, d)
        before = _snapshot(d)
        runner = CliRunner()
        for template in case.args or GENERIC:
            argv = [
                a.replace("{t}", target).replace("{d}", str(d)).replace("{b}", BUNDLED)
                for a in template
            ]
            argv = [a.replace("{n}", d.name) for a in argv]
            r = runner.invoke(app, argv, env=ENV)
            label = " ".join(template)
            out, err = r.stdout, r.stderr
            if r.exit_code == 70 or not (
                r.exception is None or isinstance(r.exception, SystemExit)
            ):
                problems.append(f"{label}: exit {r.exit_code} {r.exception!r} {err[-300:]}")
            if "Traceback" in out + err:
                problems.append(f"{label}: traceback")
            for stream, text in (("stdout", out), ("stderr", err)):
                m = CONTROL.search(text)
                if m:
                    problems.append(f"{label}: raw control {m.group()!r} on {stream}")
            if "💀" in out + err:
                problems.append(f"{label}: :skull: became an emoji")
            checked = case.args or (("report", "{t}"),)
            if template in checked and r.exit_code not in case.expect:
                problems.append(
                    f"{label}: exit {r.exit_code}, expected {case.expect}: {err[-200:]}"
                )
            if case.names and template == ("report", "{t}", "--json") and r.exit_code == 0:
                values = _strings(json.loads(out))
                for name in case.names:
                    if name not in values and not any(name in v for v in values):
                        problems.append(f"{label}: {name!r} not kept exactly in JSON")
        for export in ("out.html", "out.svg"):
            p = d / export
            if p.exists():
                text = p.read_text(encoding="utf-8")
                for bad in ("<script>", 'href="https://evil.example"', "\x1b"):
                    if bad in text:
                        problems.append(f"--export {export}: holds {bad!r}")
                if CONTROL.search(text.replace("\n", "")):
                    problems.append(f"--export {export}: raw control character")
        after = _snapshot(d)
        for path, state in before.items():
            if after.get(path) != state:
                problems.append(f"pre-existing {os.path.relpath(path, d)!r} changed")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if peak > MEMORY_CAP_KB:
        problems.append(f"peak memory {peak // 1024} MB over the cap")
    return case.id, problems


@pytest.fixture(scope="session")
def outcomes() -> dict[str, list[str]]:
    """All cases, run by two forked workers (in-process CLI runs, separate processes)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = 2 if (os.cpu_count() or 1) > 1 else 1
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return dict(pool.map(run_case, range(len(CASES)), chunksize=4))


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=False, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_input(case: Case, outcomes) -> None:
    assert outcomes[case.id] == []


def test_the_generator_covers_every_class() -> None:
    kinds = {}
    for c in CASES:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    assert len(CASES) >= 300, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES)
    for kind in ("csv", "numbers", "json", "jsonl", "compressed", "paths", "outputs", "injection"):
        assert kinds.get(kind, 0) >= 10, kinds

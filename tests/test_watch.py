"""elect report --watch: re-renders on change, survives a half-written file, Ctrl-C is 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

HEADER = "region,registered,ballots_cast,invalid,Ann,Bob\n"


def write_atomic(path, text):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def wait_for(proc_out_path, needle, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if needle in proc_out_path.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.05)
    return False


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_watch_follows_a_file_that_is_replaced(tmp_path):
    results = tmp_path / "results.csv"
    write_atomic(results, HEADER + "North,1000,500,0,300,200\nSouth,1000,,,,\n")
    out = tmp_path / "out.txt"
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    with open(out, "w") as sink:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "elect",
                "report",
                str(results),
                "--watch",
                "--interval",
                "0.05",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            # A shell that starts the test run in the background ignores SIGINT, and
            # Python then never turns Ctrl-C into KeyboardInterrupt: restore it.
            preexec_fn=_default_sigint,
        )
        try:
            assert wait_for(out, "Units reporting: 1 of 2"), out.read_text()
            # Version 2: the second region reports; Ann's share moves.
            write_atomic(results, HEADER + "North,1000,500,0,300,200\nSouth,1000,600,0,200,400\n")
            assert wait_for(out, "Units reporting: 2 of 2"), out.read_text()
            # A half-written file (cut mid-row): the last good view stays, and says so.
            results.write_text(HEADER + "North,1000,500,0,300,200\nSouth,1000,6")
            assert wait_for(out, "could not read the file"), out.read_text()
            # Version 3: a correction that lowers a count (counts do not only grow).
            write_atomic(results, HEADER + "North,1000,500,10,290,200\nSouth,1000,600,0,200,400\n")
            assert wait_for(out, "-10 votes"), out.read_text()
        finally:
            proc.send_signal(signal.SIGINT)
            code = proc.wait(timeout=30)
    text = out.read_text()
    assert code == 130
    assert "Ann ▼" in text or "Ann ▲" in text
    assert "Traceback" not in text
    assert results.read_text().startswith(HEADER)  # never modified by elect


def test_watch_needs_a_file(runner):
    from conftest import invoke

    r = invoke(runner, "report", "--watch")
    assert r.exit_code == 2 and "--watch needs a file" in r.stderr

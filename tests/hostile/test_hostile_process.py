"""Hostile environments that need a real process: FIFOs, signals, stdin, memory.

The in-process runner (test_hostile_inputs.py) cannot open a FIFO without a
writer, send Ctrl-C, give stdin a real file, or measure one run's memory; these
tests run ``python -m elect`` and wait for it with ``os.wait4`` (peak RSS).
No assertion depends on timing.
"""

from __future__ import annotations

import gzip
import io
import lzma
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("FIFOs, /proc and signals as on Linux", allow_module_level=True)

from hostile_cases import HEADER, ROOT, wide

ELECT = [sys.executable, "-m", "elect"]
MEMORY_CAP_KB = 1 << 20  # 1 GiB
CONTROL_FREE = dict(os.environ, COLUMNS="100", NO_COLOR="1", TERM="dumb")


def run(args, *, stdin=None, cwd=None, env=None):
    """Run elect; return (exit code, stdout, stderr, peak RSS in KB)."""
    proc = subprocess.Popen(
        [*ELECT, *args],
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env or CONTROL_FREE,
    )
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, out.decode(), err.decode(), usage.ru_maxrss


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(entry))
    return kids


def _bomb(kind: str, members: int) -> bytes:
    chunk = b"North,N-1,1,1000,700,10,400,290\n" * (1 << 17)  # 4 MB
    head = HEADER.encode() + b"\n"
    comp = {"gz": gzip.compress, "xz": lzma.compress}.get(kind)
    if comp is None:
        import bz2

        comp = bz2.compress
    return comp(head) + comp(chunk) * members


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz"])
def test_ten_megabyte_bomb_is_refused_under_a_gigabyte(tmp_path: Path, kind: str) -> None:
    """Default limit: a ~10 MB bomb (terabytes of text for bz2/xz) ends in exit 2."""
    one = len(_bomb(kind, 1))
    path = tmp_path / f"bomb.csv.{kind}"
    path.write_bytes(_bomb(kind, max(2, min(10_000_000 // one, 4000))))
    for command in ("report", "validate"):
        code, out, err, peak = run([command, str(path)])
        assert code == 2, err
        assert "decompression bomb" in out + err or "limit" in out + err
        assert peak < MEMORY_CAP_KB, f"{command}: {peak // 1024} MB"
        assert "Traceback" not in out + err


def test_zip_bomb_is_refused_under_a_gigabyte(tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv.zip"
    chunk = b"North,N-1,1,1000,700,10,400,290\n" * (1 << 17)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("a.csv", "w") as w:
        w.write(HEADER.encode() + b"\n")
        for _ in range(64):  # 256 MB of text in a ~0.3 MB zip
            w.write(chunk)
    code, out, err, peak = run(["report", str(path)])
    assert code == 2 and "decompression bomb" in err, err
    assert peak < MEMORY_CAP_KB


def test_dev_zero_on_stdin_and_as_json_is_refused(tmp_path: Path) -> None:
    for args in (["report", "-"], ["report", "-I", "json", "-"], ["validate", "-"]):
        with open("/dev/zero", "rb") as zero:
            code, out, err, peak = run(args, stdin=zero)
        assert code == 2 and "binary data" in out + err, (args, err)
        assert peak < MEMORY_CAP_KB
    code, _, err, _ = run(["report", "-I", "json", "/dev/zero"])
    assert code == 2 and "binary data" in err


@pytest.mark.parametrize("limit", [None, "20M"])
def test_endless_text_on_stdin_stops_at_the_limit(limit) -> None:
    """The default limit too: a stream of endless text ends with the process under 1 GiB."""
    yes = subprocess.Popen(["yes", "North,N-1,1,1000,700,10,400,290"], stdout=subprocess.PIPE)
    env = dict(CONTROL_FREE)
    env.pop("ELECT_MAX_BYTES", None)
    if limit:
        env["ELECT_MAX_BYTES"] = limit
    code, _, err, peak = run(["report", "-"], stdin=yes.stdout, env=env)
    yes.kill()
    yes.wait()
    assert code == 2 and f"more than the limit of {'20' if limit else '512'} MiB" in err
    assert peak < MEMORY_CAP_KB


def test_fifo_and_process_substitution_are_read_as_streams(tmp_path: Path) -> None:
    data = wide(40)
    fifo = tmp_path / "results.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(data,))
    writer.start()
    code, out, err, _ = run(["report", str(fifo), "--json"])
    writer.join()
    assert code == 0, err
    assert '"votes": 16000' in out  # Alma: 400 votes at 40 stations
    src = tmp_path / "in.csv"
    src.write_bytes(data)
    proc = subprocess.run(
        ["bash", "-c", f'"$0" -m elect shares <(cat "{src}") --json', sys.executable],
        capture_output=True,
        text=True,
        env=CONTROL_FREE,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"votes": 16000' in proc.stdout


def test_ctrl_c_while_waiting_on_a_fifo_is_130_and_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "nobody-writes.csv"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [*ELECT, "report", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # The process blocks opening the FIFO: wait until it sleeps there, then interrupt.
    _until(lambda: _fifo_wait(proc.pid), proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate()
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["elect: interrupted (nothing was written)"]


def test_ctrl_c_during_parallel_validation_is_130_without_worker_tracebacks(
    tmp_path: Path,
) -> None:
    for i in range(12):
        (tmp_path / f"f{i:02d}.csv").write_bytes(wide(40))
    fifo = tmp_path / "stuck.csv"
    os.mkfifo(fifo)  # named on its own: a worker reads it as a stream and waits
    files = sorted(str(p) for p in tmp_path.glob("f*.csv"))
    proc = subprocess.Popen(
        [*ELECT, "validate", "-j", "2", *files, str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )
    _until(lambda: any(_fifo_wait(k) for k in _children(proc.pid)), proc)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    out, err = proc.communicate()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.strip().splitlines() == ["elect: interrupted (nothing was written)"]


def _until(ready, proc, polls: int = 3000) -> None:
    """Poll until READY (a process asleep on the FIFO); bounded, so a kernel that hides
    wchan cannot hang the test run (the signal is then sent after the last poll)."""
    for _ in range(polls):
        if ready() or proc.poll() is not None:
            return
        time.sleep(0.01)


def _fifo_wait(pid: int) -> bool:
    """Whether PID sleeps opening a FIFO that has no other end (Linux wchan)."""
    try:
        with open(f"/proc/{pid}/wchan") as f:
            return f.read() in ("wait_for_partner", "pipe_read", "fifo_open")
    except OSError:
        return False


def test_stdin_redirected_from_the_output_file_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "input.csv"
    data = wide(40)
    src.write_bytes(data)
    with open(src, "rb") as f:
        code, _, err, _ = run(["report", "-", "-o", str(src)], stdin=f)
    assert code == 2 and "refusing to overwrite an input" in err
    assert src.read_bytes() == data


def test_output_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = io.BytesIO()
    reader = threading.Thread(target=lambda: got.write(fifo.read_bytes()))
    reader.start()
    code, _, err, _ = run(
        [
            "shares",
            str(ROOT / "fixtures" / "samples" / "stations-wide.csv"),
            "--json",
            "-o",
            str(fifo),
        ]
    )
    reader.join()
    assert code == 0, err
    assert b'"shares"' in got.getvalue()
    assert fifo.is_fifo()  # still a FIFO: never replaced by a regular file


def test_closed_pipe_is_quiet() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m elect report --json | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert proc.stdout == "{" and proc.stderr == ""

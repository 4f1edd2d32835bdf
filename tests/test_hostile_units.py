"""The pieces behind the hostile-input guarantees, one by one (tests/hostile/ runs them whole)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import invoke


def test_names_are_shown_escaped_dropped_for_export_and_exact_in_json():
    from elect.cli.names import cell, dropped, for_export, json_text, shown, visible

    name = "\x1b]0;pwned\x07[link=https://evil.example]N[/link]\x9b2J\u202e"
    assert visible(name) == "\\x1b]0;pwned\\x07[link=https://evil.example]N[/link]\\x9b2J\\u202e"
    assert dropped(name) == "]0;pwned[link=https://evil.example]N[/link]2J"
    assert cell(name).plain == visible(name)  # a Text: the markup stays literal
    with for_export():
        assert shown(name) == dropped(name)
    assert shown(name) == visible(name)
    text = json_text(json.dumps({"n": name}, ensure_ascii=False))
    assert "\x9b" not in text and "\u202e" not in text and "\x1b" not in text
    assert json.loads(text)["n"] == name


def test_markdown_and_csv_cells_cannot_carry_markup_or_controls(runner, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('region,"<b>A</b>|x",B\nN\x1b[2J,1,2\n', encoding="utf-8")
    md = invoke(runner, "shares", str(src), "-f", "markdown").stdout
    assert "\\<b\\>A\\</b\\>\\|x" in md and "\x1b" not in md
    csv_out = invoke(runner, "turnout", str(src), "-f", "csv").stdout
    assert "\x1b" not in csv_out


def test_new_output_gets_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path):
    from elect.cli.context import Run
    from elect.cli.output import write_bytes

    old = os.umask(0o027)
    try:
        write_bytes(Run(), str(tmp_path / "new.txt"), b"one")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    kept = tmp_path / "kept.txt"
    kept.write_bytes(b"old")
    kept.chmod(0o604)
    write_bytes(Run(), str(kept), b"new")
    assert kept.read_bytes() == b"new" and stat.S_IMODE(kept.stat().st_mode) == 0o604


def test_a_symlink_is_followed_and_a_device_written_through(tmp_path):
    from elect.cli.context import Run
    from elect.cli.output import OutputError, write_bytes

    target = tmp_path / "target.txt"
    target.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_bytes(Run(), str(link), b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    write_bytes(Run(), "/dev/null", b"nothing")  # never replaced by a regular file
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    with pytest.raises(OutputError, match="is a directory"):
        write_bytes(Run(), str(tmp_path), b"x")
    with pytest.raises(OutputError, match="empty file name"):
        write_bytes(Run(), "", b"x")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_disk_full_is_one_line_and_exit_2(runner):
    r = invoke(runner, "report", "--json", "-o", "/dev/full")
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "elect: error: /dev/full: cannot write: no space left on the device (hint: nothing "
        "was changed; free space, fix permissions or choose another path)"
    ]


def test_output_checked_against_map_and_reference(runner, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[columns]\nregion = "region"\n')
    r = invoke(runner, "report", "--map", str(mapping), "-o", str(mapping))
    assert r.exit_code == 2 and "refusing to overwrite an input" in r.stderr
    assert mapping.read_text() == '[columns]\nregion = "region"\n'


def test_sizes_for_max_bytes():
    from elect.core.limits import parse_size

    assert parse_size("500M") == 500 << 20
    assert parse_size("2G") == 2 << 30
    assert parse_size("1.5GiB") == 3 << 29
    assert parse_size("1000") == 1000
    for bad in ("lots", "0", "-1G", "1Q"):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_max_bytes_refuses_a_larger_input(runner):
    r = invoke(runner, "--max-bytes", "1K", "report", "--json")
    assert r.exit_code == 2 and "larger than the limit of 1 KiB" in r.stderr


def test_the_byte_limit_travels_with_each_input_not_the_process(tmp_path):
    import gzip

    from elect.core import load
    from elect.core.errors import InputTooLargeError

    rows = "".join(f"R{i % 3},{i},1000,600,10,400,190\n" for i in range(200))
    path = tmp_path / "stations.csv.gz"
    path.write_bytes(
        gzip.compress(b"region,station,registered,ballots_cast,invalid,A,B\n" + rows.encode())
    )
    with pytest.raises(InputTooLargeError, match="limit of 1 KiB"):
        load(path, max_bytes=1024)
    # Nothing stayed behind: the next read has the default limit.
    assert int(load(path).contests[0].votes["a"].sum()) == 200 * 400


def test_parallel_validation_keeps_the_byte_limit(runner, tmp_path):
    import gzip

    body = "region,station,registered,ballots_cast,invalid,A,B\nR1,1,1000,600,10,400,190\n"
    for i in range(8):  # enough files for the worker processes
        (tmp_path / f"s{i}.csv").write_text(body)
    big = body + "".join(f"R1,{i},1000,600,10,400,190\n" for i in range(2, 200))
    (tmp_path / "big.csv.gz").write_bytes(gzip.compress(big.encode()))
    r = invoke(runner, "--max-bytes", "2K", "validate", str(tmp_path), "--jobs", "2", "--json")
    doc = json.loads(r.stdout)
    assert r.exit_code == 2, r.stderr  # an unreadable input
    over = [f for f in doc["files"] if f["status"] != "valid"]
    assert [f["file"].rsplit("/", 1)[1] for f in over] == ["big.csv.gz"]
    assert "limit of 2 KiB" in json.dumps(over)


def test_windows_1251_with_latin_headers_is_detected_and_latin1_is_not():
    from elect.core.errors import DecodeError
    from elect.core.io.source import detect_encoding

    cik = "region;station;registered;Ivanov\r\nЖетысу;1;1000;400\r\nАлматы;2;900;300\r\n"
    assert detect_encoding(cik.encode("cp1251"), "f")[0] == "cp1251"
    with pytest.raises(DecodeError):
        detect_encoding("region,A\nRéunion,1\n".encode("latin-1"), "f")
    assert detect_encoding("Réunion".encode("latin-1"), "f", forced="latin-1")[0] == "latin-1"


def test_shape_errors_name_the_json_path_and_any_depth_is_walked():
    from elect.core.schema import ELECTION_DOCUMENT
    from elect.core.shape import ShapeError, check_shape

    with pytest.raises(ShapeError) as err:
        check_shape(
            {"contests": [{"options": [{"id": "a"}], "units": [{"id": 1.5}]}]}, ELECTION_DOCUMENT
        )
    assert err.value.path == "$.contests[0].units[0].id"
    deep: list = []
    node = deep
    for _ in range(100_000):
        node.append([])
        node = node[0]
    nested = {
        "$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}},
        "$ref": "#/$defs/n",
    }
    check_shape(deep, nested)  # an explicit stack: no RecursionError at 100,000 levels
    node.append(5)
    with pytest.raises(ShapeError, match="must be array"):
        check_shape(deep, nested)


def test_watch_output_file_gets_each_view(tmp_path):
    from elect.cli.command import Inputs
    from elect.cli.context import Run
    from elect.cli.render import full_report
    from elect.cli.watch import watch

    out = tmp_path / "view.txt"
    run = Run()
    run.use_output(str(out), [])

    def build(path):
        return Inputs().report(run, path)

    src = str(tmp_path / "in.csv")
    (tmp_path / "in.csv").write_text("region,registered,ballots_cast,A,B\nN,10,8,5,3\n")
    assert watch(run, src, build=build, render=full_report, interval=0.01, max_updates=1) == 0
    text = out.read_text(encoding="utf-8")
    assert "Units reporting: 1 of 1" in text and "62.50%" in text


def test_permission_denied_is_unreadable_in_words(runner, tmp_path, monkeypatch):
    """EACCES (tested by faking it: the test may run as root, who reads anything)."""
    import errno

    real_stat = os.stat
    locked = str(tmp_path / "locked.csv")
    (tmp_path / "locked.csv").write_text("region,A,B\nN,1,2\n")

    def fake_stat(path, *args, **kwargs):
        if str(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", fake_stat)
    r = invoke(runner, "report", locked)
    assert r.exit_code == 2
    assert "locked.csv: permission denied (hint: check the file's permissions)" in r.stderr
    ok = tmp_path / "ok.csv"
    ok.write_text("region,A,B\nN,1,2\n")
    r = invoke(runner, "validate", locked, str(ok), "--json")
    assert r.exit_code == 2
    files = {Path(f["file"]).name: f["status"] for f in json.loads(r.stdout)["files"]}
    assert files == {"locked.csv": "unreadable", "ok.csv": "valid"}

"""Issue 14: a long file parses only the columns it reads, and --contest picks its rows
before the checks that group rows by unit; neither changes a figure.

The narrow parse is decided from the bytes before the read (no quotes, every row
whole or blank, a line end at the end); otherwise every column is parsed. Both give
the same model, the same notes and the same errors.
"""

from __future__ import annotations

import json

import pytest

from conftest import invoke
from elect.core import load
from elect.core.errors import FormatError
from elect.core.io.source import InputSource
from elect.core.io.table import read_table

HEADER = "county,precinct,office,district,candidate,votes,note,extra"


def _rows(quoted: bool = False) -> list[str]:
    rows = []
    for p in range(1, 5):
        for office, cands in (("Governor", "AB"), ("Senate", "CD")):
            for i, c in enumerate(cands):
                note = '"a, b"' if quoted and p == 1 else "x"
                rows.append(f"Adams,P{p},{office},,{c},{p * 10 + i},{note},{p}")
    return rows


def _write(tmp_path, lines: list[str], name: str = "f.csv", end: str = "\n"):
    path = tmp_path / name
    path.write_bytes((end.join([HEADER, *lines]) + end).encode())
    return path


def _table(path):
    return read_table(
        InputSource.from_path(path),
        encoding=None,
        text_columns=["county", "precinct", "candidate"],
        counts=["votes"],
        needed=["county", "precinct", "candidate", "votes"],
    )


def _summary(election) -> dict:
    return {c.name: {o: int(v) for o, v in c.votes.sum().items()} for c in election.contests}


def test_narrow_read_parses_only_the_needed_columns(tmp_path):
    path = _write(tmp_path, _rows())
    table = _table(path)
    assert list(table.frame.columns) == ["county", "precinct", "candidate", "votes"]
    assert table.headers == HEADER.split(",")


def test_no_byte_pass_when_every_column_is_needed(tmp_path, monkeypatch):
    from elect.core.io import table

    def no_pass(*args):
        raise AssertionError("the bytes were scanned for nothing")

    monkeypatch.setattr(table, "narrow_widths", no_pass)
    path = _write(tmp_path, _rows())
    frame = read_table(
        InputSource.from_path(path), encoding=None, text_columns=[], needed=HEADER.split(",")
    ).frame
    assert list(frame.columns) == HEADER.split(",")


def test_quotes_mean_every_column_is_parsed(tmp_path):
    path = _write(tmp_path, _rows(quoted=True))
    assert list(_table(path).frame.columns) == HEADER.split(",")


def test_no_final_line_end_means_every_column_is_parsed(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes("\n".join([HEADER, *_rows()]).encode())
    assert list(_table(path).frame.columns) == HEADER.split(",")


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_blank_rows_found_from_the_bytes_as_from_the_parse(tmp_path, end):
    rows = _rows()
    rows[3:3] = [",,,,,,,"]  # every cell empty: a blank row (line 5)
    rows[6:6] = [""]  # an empty line (line 8)
    rows[9:9] = [",,,,,,,9"]  # empty where elect reads, but not blank (line 11)
    path = _write(tmp_path, rows, end=end)
    narrow = _table(path)
    assert list(narrow.frame.columns) == ["county", "precinct", "candidate", "votes"]
    assert [i + 2 for i in narrow.blank.nonzero()[0]] == [5, 8]
    (note,) = [n for n in narrow.notes if n.code == "blank-rows"]
    assert (note.message, note.line) == ("2 blank row(s) skipped", 5)
    quoted = _write(tmp_path, [*rows, '"Adams",P9,Governor,,A,1,x,9'], name="q.csv", end=end)
    full = _table(quoted)
    assert len(full.frame.columns) == 8  # the quote: the whole parse
    assert [i + 2 for i in full.blank.nonzero()[0]] == [5, 8]


def test_short_and_long_rows_are_refused_with_their_line(tmp_path):
    short = _write(tmp_path, [*_rows()[:4], "Adams,P9,Governor,,A,1", *_rows()[4:]], "s.csv")
    with pytest.raises(FormatError) as exc:
        _table(short)
    assert exc.value.line == 6
    assert "row has 6 fields, the header has 8" in exc.value.message
    wide = _write(tmp_path, [*_rows()[:2], "Adams,P9,Governor,,A,1,x,9,9"], "w.csv")
    with pytest.raises(FormatError) as exc:
        _table(wide)
    assert exc.value.line == 4
    assert "saw 9" in exc.value.message


def test_same_election_from_the_narrow_and_the_whole_parse(tmp_path):
    plain = load(_write(tmp_path, _rows(), "plain.csv"))
    quoted = load(_write(tmp_path, _rows(quoted=True), "quoted.csv"))
    assert (
        _summary(plain)
        == _summary(quoted)
        == {
            "Governor": {"a": 100, "b": 104},
            "Senate": {"c": 100, "d": 104},
        }
    )


# -- --contest picks its rows before repeated rows and vote modes are checked ----------


def test_repeated_rows_in_another_contest_do_not_refuse_the_picked_one(tmp_path, runner):
    rows = _rows()
    rows.append(rows[-1])  # a Senate row given twice (line 18)
    path = _write(tmp_path, rows)
    r = invoke(runner, "report", str(path), "-c", "governor", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["contest"]["name"] == "Governor"
    assert {o["name"]: o["votes"] for o in doc["shares"]} == {"A": 100, "B": 104}
    r = invoke(runner, "report", str(path), "-c", "senate")
    assert r.exit_code == 2
    assert "1 row(s) repeat a unit, contest and option" in r.stderr
    assert ":18:" in r.stderr


def test_mode_notes_count_the_picked_contest(tmp_path):
    header = "county,precinct,office,candidate,mode,votes\n"
    lines = []
    for p in range(1, 4):
        for office in ("Governor", "Senate"):
            for c in "AB":
                lines += [f"Adams,P{p},{office},{c}{office[0]},TOTAL,10"]
                lines += [f"Adams,P{p},{office},{c}{office[0]},ELECTION DAY,7"]
                lines += [f"Adams,P{p},{office},{c}{office[0]},ABSENTEE,3"]
    path = tmp_path / "modes.csv"
    path.write_text(header + "\n".join(lines) + "\n")
    whole = load(path)
    picked = load(path, contest="senate")
    (note,) = [n for n in whole.notes if n.code == "mode-total"]
    assert note.message.startswith("12 unit option(s) give a TOTAL row")
    (note,) = [n for n in picked.notes if n.code == "mode-total"]
    assert note.message.startswith("6 unit option(s) give a TOTAL row")
    assert [c.name for c in picked.contests] == ["Senate"]
    assert _summary(picked) == {"Senate": {"as": 30, "bs": 30}}
    assert _summary(whole)["Senate"] == _summary(picked)["Senate"]


def test_a_contest_named_by_no_rows_is_refused_before_the_checks(tmp_path, runner):
    rows = _rows()
    rows.append(rows[-1])  # the repeat does not matter: no contest is picked
    r = invoke(runner, "report", str(_write(tmp_path, rows)), "-c", "mayor")
    assert r.exit_code == 2
    assert "no contest matches 'mayor'" in r.stderr
    assert "Governor; Senate" in r.stderr


def test_blank_parent_rows_are_aggregates_whatever_the_contest_picked(tmp_path):
    # The statewide contest's rows have a blank county among named ones elsewhere in
    # the file: aggregate rows, left out with and without --contest.
    rows = _rows() + [",Statewide,Treasurer,,E,50,x,0", ",Statewide,Treasurer,,F,40,x,0"]
    rows += ["Adams,P1,Treasurer,,E,5,x,1", "Adams,P1,Treasurer,,F,4,x,1"]
    path = _write(tmp_path, rows)
    whole = _summary(load(path))["Treasurer"]
    assert whole == _summary(load(path, contest="treasurer"))["Treasurer"] == {"e": 5, "f": 4}


def test_undecodable_bytes_past_the_head_are_refused_on_the_narrow_path(tmp_path, runner):
    rows = [f"Adams,P{i},Governor,,A,{i},x,1" for i in range(20_000)]
    rows.append("Adams,P\xff,Governor,,B,2,x,1")  # past the 64 KiB the encoding is sniffed on
    path = tmp_path / "late.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("latin-1"))
    r = invoke(runner, "report", str(path))
    assert r.exit_code == 2
    assert "undecodable bytes for utf-8 past the start of the file" in r.stderr

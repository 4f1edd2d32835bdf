"""The reader's one-read path reads exactly what the general reader reads.

:func:`~elect.core.io.plain_table.read_plain` is a fast path inside the one reader:
on every file it takes, its typed columns must equal the general reader's
(:func:`~elect.core.io.table.read_table`, with the counts typed by
:func:`~elect.core.io.counts.count_column`), cell for cell; a file the general
reader refuses it must never take. Seeded random tables (``_table`` of
test_validate_plain.py), mutated, in both encodings and several delimiters, are
read both ways, whole and in chunks.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from test_validate_plain import write_random_table

from elect.core.errors import ElectError
from elect.core.io import plain_table
from elect.core.io.counts import count_column
from elect.core.io.plain_table import read_plain
from elect.core.io.source import InputSource
from elect.core.io.table import read_table


def _general(path: Path, text_columns: list[str]):
    return read_table(InputSource.from_path(str(path)), encoding=None, text_columns=text_columns)


def _fast(path: Path):
    table = read_plain(InputSource.from_path(str(path)))
    if table.problem is not None:
        return table, None
    chunks = list(table.chunks())
    return table, (None if table.problem is not None else chunks)


def _agree(path: Path) -> bool:
    """Asserts the two readings agree; True when the fast path took the file."""
    table, chunks = _fast(path)
    if chunks is None:
        return False
    layout = table.layout
    header = [h.strip('"') for h in layout.header]
    ids = {header[i] for i in layout.ids.values()}
    try:
        general = _general(path, sorted(ids))
    except ElectError as exc:  # pragma: no cover - the assertion's message
        raise AssertionError(f"the fast path took a file the reader refuses: {exc}") from exc
    frame = general.frame
    assert general.delimiter == layout.delimiter
    assert list(general.headers) == header
    assert len(frame) == table.rows == sum(c.size for c in chunks)
    for i in [*layout.counts.values(), *layout.options]:
        fast = np.concatenate([c.numbers[i] for c in chunks])
        full = count_column(frame, header[i], file=str(path), notes=[])
        assert fast.dtype == np.int64
        assert np.array_equal(fast.astype(np.float64), full), header[i]
    for i in layout.ids.values():
        fast = np.concatenate([c.names[i] for c in chunks]).tolist()
        full = frame[header[i]].fillna("").tolist()
        assert fast == full, header[i]
        joined = "".join("\x00" + "\x00".join(c.names[i]) + "\x00" for c in chunks)
        assert joined == "".join(c.joined[i] for c in chunks)
    return True


@pytest.mark.parametrize("reading", ["whole", "chunks"])
def test_fast_path_reads_what_the_reader_reads(tmp_path: Path, monkeypatch, reading) -> None:
    if reading == "chunks":  # the large-file path, on chunks of 7 rows
        monkeypatch.setattr(plain_table, "WHOLE_BYTES", 0)
        monkeypatch.setattr(plain_table, "CHUNK_ROWS", 7)
    rnd = random.Random(1207)
    taken = 0
    cases = 300
    for case in range(cases):
        path = tmp_path / f"case{case}.csv"
        write_random_table(rnd, path, [",", ",", ";", "\t", "|"])
        taken += _agree(path)
    # The comparison means something only if the fast path took many of the files.
    assert taken >= cases // 3, taken


def test_quoted_fields_and_a_total_row(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        '"region","station","registered","Alma","Bek"\n'
        '"North","1","100","60","40"\n"South","2","90","50","31"\n"Total","","190","110","71"\n'
    )
    assert _agree(path)
    table, chunks = _fast(path)
    assert chunks[0].numbers[table.layout.options[1]].tolist() == [40, 31, 71]
    assert chunks[0].names[table.layout.ids["station"]].tolist() == ["1", "2", ""]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("North,1,100,60,40\n\n", "row width"),
        ("North,1,100,60,040\n", "a value not written the plain way"),
        ("North,1,100,60, 40\n", "a value not written the plain way"),
        ("North,1,100,60,4e1\n", "a count that is not a whole number"),
        ("North,1,100,60,-40\n", "a count out of range"),
        ("North,1,100,60,9007199254740992\n", "a count out of range"),
        ('"North, East",1,100,60,40\n', "row width"),
    ],
)
def test_cells_not_written_plainly_are_a_problem(tmp_path: Path, body: str, problem) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("region,station,registered,Alma,Bek\n" + body)
    table, chunks = _fast(path)
    assert chunks is None
    assert table.problem == problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"region,station,Alma\nN,1,5\n", None),
        (b"region,station,Alma\nN,1,5\x00\n", "NUL"),
        (b"region,station,Alma\rN,1,5\r", "a CR that does not end a line"),
        (b"region,station,Alma\nN,1,5\n".decode().encode("utf-16"), "UTF-16"),
        (b"region,station,Alma", "one line"),
        (b"region,station,Alma\n", "no data rows"),
        (b"region,station,office,Alma\nN,1,P,5\n", "column role office"),
    ],
)
def test_decided_up_front(tmp_path: Path, data: bytes, problem) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    table = read_plain(InputSource.from_path(str(path)))
    assert table.problem == problem
    assert (table.layout is None) == (problem is not None)

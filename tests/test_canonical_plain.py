"""The columnar reading of plain units (canonical_bytes → canonical_blocks →
canonical_plain) gives what the exact reading gives, or declines and the record
decoder reads the contest: same frames, same errors, either way."""

from __future__ import annotations

import gzip
import json
import random

import numpy as np
import pandas as pd
import pytest
from test_canonical_fast import _same, read_both, record_calls

from elect.core.errors import FormatError
from elect.core.io import (
    canonical,
    canonical_blocks,
    canonical_fast,
    canonical_plain,
    canonical_stream,
)
from elect.core.io.canonical_blocks import Words, block_bounds, memory_blocks, read_plain_units
from elect.core.io.canonical_bytes import NotColumnar, _eight_digits, _leading_digits
from elect.core.io.source import InputSource, file_stamp
from elect.core.units import UnitTable

OPTIONS = ["alma", "bek", "a_candidate_with_a_rather_long_identifier", "против_всех"]


def _document(seed: int, stations: int = 400, same_keys: bool = False) -> dict:
    """A random plain election: every field a unit may have, in any order (SAME_KEYS:
    every station with the same keys in the same order, as writers usually give them,
    so that blocks are read by their shape)."""
    if same_keys:
        return _uniform(seed, stations)
    rng = random.Random(seed)
    units: list[dict] = [{"id": "nation", "name": "Nation", "level": "nation"}]
    regions = [f"Region {i:02d}" for i in range(1, rng.randint(2, 6))]
    for r in regions:
        units.append({"id": r, "name": r, "level": "region", "parent": "nation", "abroad": False})
    units.append({"id": "Abroad", "level": "region", "parent": "nation", "abroad": True})
    districts = []
    for r in [*regions, "Abroad"]:
        for d in range(rng.randint(1, 4)):
            did = f"{r}/Округ {d}" if d % 2 else f"{r}/D{d}"
            districts.append(did)
            units.append(
                {"id": did, "name": "" if d == 3 else f"D{d}", "level": "district", "parent": r}
            )
    big = 2**53
    for i in range(stations):
        parent = rng.choice(districts + regions[:1])
        unit: dict = {"id": f"{parent}/{i}" + ("x" * rng.choice([0, 0, 5, 30])), "parent": parent}
        if rng.random() < 0.9:
            unit["level"] = "station"
        if rng.random() < 0.8:
            unit["name"] = rng.choice([str(i), "", f"Школа № {i}", "a" * 40])
        for k in ("registered", "ballots_cast", "invalid", "stations", "countries"):
            p = rng.random()
            if p < 0.75 or k == "registered":
                unit[k] = rng.choice([rng.randint(0, 3000), rng.randint(0, 10**12), big, 0])
            elif p < 0.85:
                unit[k] = None
        for k, choices in (
            ("mission", ["Consulate", None, ""]),
            ("country", ["DE", "TR", None]),
            ("code", ["C1", f"C{i}", None]),
            ("note", ["checked", None]),
        ):
            if rng.random() < 0.3:
                unit[k] = rng.choice(choices)
        if rng.random() < 0.2:
            unit["abroad"] = rng.random() < 0.5
        if rng.random() < 0.95:
            votes = {o: rng.choice([rng.randint(0, 900), None, 10**15]) for o in OPTIONS}
            for o in rng.sample(OPTIONS, rng.randint(0, 1)):
                del votes[o]
            unit["votes"] = dict(rng.sample(list(votes.items()), len(votes)))
        units.append(dict(rng.sample(list(unit.items()), len(unit))))
    contests = [
        {
            "id": "main",
            "office": "President",
            "options": [{"id": o, "name": o.title()} for o in OPTIONS],
            "units": units,
        }
    ]
    if seed % 3 == 0:  # a second contest, read on its own
        contests.append(
            {"id": "second", "options": [{"id": "x"}], "units": [{"id": "only", "votes": {"x": 3}}]}
        )
    return {"format": "elect-election", "format_version": 1, "election": {}, "contests": contests}


def _uniform(seed: int, stations: int) -> dict:
    rng = random.Random(seed)
    doc = _document(seed, stations=0)
    units = doc["contests"][0]["units"]
    parents = [u["id"] for u in units if u.get("level") == "district"]
    optional = rng.sample(["mission", "country", "code", "note", "abroad", "stations"], 3)
    for i in range(stations):
        unit = {"id": f"{rng.choice(parents)}/{i}", "name": rng.choice([str(i), "", "Школа"])}
        unit["level"] = "station"
        unit["parent"] = unit["id"].rsplit("/", 1)[0]
        for k in ("registered", "ballots_cast", "invalid"):
            unit[k] = rng.choice([rng.randint(0, 3000), None, 2**53, 10**12])
        for k in optional:
            unit[k] = {
                "mission": rng.choice(["Consulate", ""]),
                "country": rng.choice(["DE", "Türkiye"]),
                "code": f"C{i}",
                "note": None,
                "abroad": rng.random() < 0.5,
                "stations": rng.choice([1, None]),
            }[k]
        unit["votes"] = {o: rng.choice([rng.randint(0, 900), None]) for o in OPTIONS}
        if seed % 2:  # votes before the counts
            unit = {"votes": unit.pop("votes"), **unit}
        units.append(unit)
    return doc


def _compact(doc: dict) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


@pytest.fixture(params=[True, False], ids=["shapes", "no-shapes"])
def plain_reads(monkeypatch, request):
    """The contests the columnar reading took (and, in ``shaped``, how many blocks were
    read by their shape); small documents take the fast path, in small blocks. Every
    test using it runs with blocks read by their shape and without."""
    monkeypatch.setattr(canonical, "_FAST_MIN_BYTES", 0)
    monkeypatch.setattr(canonical_blocks, "BLOCK", 4096)  # many blocks, cut everywhere
    monkeypatch.setattr(canonical_blocks, "SHAPES", request.param)
    return PlainReads(
        record_calls(monkeypatch, canonical_plain, "plain_tables"),
        record_calls(monkeypatch, canonical_blocks, "read_shaped"),
    )


class PlainReads:
    """UNITS: the unit count of each contest the columns gave a table; SHAPED: how
    many blocks were read by their shape."""

    def __init__(self, tables: list, shaped: list) -> None:
        self._tables, self._shaped = tables, shaped

    @property
    def units(self) -> list[int]:
        return [args[0]["units"] for args, _ in self._tables]

    @property
    def shaped(self) -> int:
        return sum(out is not None for _, out in self._shaped)


def _load_both(tmp_path, monkeypatch, text: str | bytes, name: str = "e.json"):
    """The election (or error) by the fast reading, then by the exact one."""
    path = tmp_path / name
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return read_both(path, monkeypatch)


@pytest.mark.parametrize("same_keys", [False, True], ids=["any-keys", "same-keys"])
@pytest.mark.parametrize("seed", range(8))
def test_plain_units_read_as_the_exact_reading_reads_them(
    tmp_path, monkeypatch, plain_reads, seed, same_keys
):
    doc = _document(seed, same_keys=same_keys)
    fast, exact = _load_both(tmp_path, monkeypatch, _compact(doc))
    _same(fast, exact)
    # Every contest went by the columns, and the labels built on demand are the same.
    assert plain_reads.units == [len(c["units"]) for c in doc["contests"]]
    for cf, ce in zip(fast.contests, exact.contests, strict=True):
        assert cf.table.leaves.tolist() == ce.table.leaves.tolist()
    if same_keys and canonical_blocks.SHAPES:
        assert plain_reads.shaped > 10  # most blocks went by the shape
    if not canonical_blocks.SHAPES:
        assert plain_reads.shaped == 0


def test_compressed_input_is_read_from_memory_alike(tmp_path, monkeypatch, plain_reads):
    fast, exact = _load_both(tmp_path, monkeypatch, _compact(_document(5)), "e.json.gz")
    _same(fast, exact)
    assert plain_reads.units


@pytest.mark.parametrize(
    "change",
    [
        "pretty",
        "escape",
        "float",
        "text count",
        "negative",
        "too large",
        "leading zero",
        "duplicate key",
        "duplicate id",
        "unknown parent",
        "loop",
        "unknown key",
        "reported",
        "aliases",
        "null votes",
        "number id",
        "unknown level",
        "null abroad",
        "number name",
        "empty units",
        "braces in names",
        "truncated",
        "bad utf-8",
        "vote as text",
        "no id",
    ],
)
def test_other_units_are_declined_and_read_alike(tmp_path, monkeypatch, plain_reads, change):
    doc = _document(1, stations=60)
    units = doc["contests"][0]["units"]
    station = units[-1]
    station.setdefault("votes", {})
    text = None
    if change == "pretty":
        text = json.dumps(doc, indent=1)
    elif change == "escape":
        station["name"] = 'say "hi"'
    elif change == "float":
        station["registered"] = 1.5
    elif change == "text count":
        station["registered"] = "1,234"
    elif change == "negative":
        station["invalid"] = -3
    elif change == "too large":
        station["registered"] = 2**53 + 1
    elif change == "duplicate id":
        station["id"] = units[-2]["id"]
    elif change == "unknown parent":
        station["parent"] = "nowhere"
    elif change == "loop":
        units[1]["parent"] = units[1]["id"]
    elif change == "unknown key":
        station["colour"] = "red"
    elif change == "reported":
        station["reported"] = {"turnout_pct": 50}
    elif change == "aliases":
        station["aliases"] = ["x"]
    elif change == "null votes":
        station["votes"] = None
    elif change == "number id":
        station["id"] = 123456
    elif change == "unknown level":
        station["level"] = "ward"
    elif change == "null abroad":
        station["abroad"] = None
    elif change == "number name":
        station["name"] = 5
    elif change == "empty units":
        doc["contests"][0]["units"] = []
    elif change == "braces in names":  # a block cut may fall inside a name
        for i, u in enumerate(units):
            u["name"] = "x},{" * (i % 50)
    elif change == "vote as text":
        station["votes"]["alma"] = "12"
    elif change == "no id":
        del station["id"]
    if text is None:
        text = _compact(doc)
    if change == "leading zero":
        text = text.replace('"registered":', '"registered":0', 1)
    elif change == "duplicate key":
        text = text.replace('{"id":"Region 01"', '{"id":"Region 01","id":"Region 01"', 1)
    elif change == "truncated":
        text = text[: len(text) // 2]
    data = text.encode("utf-8")
    if change == "bad utf-8":
        data = data.replace("Школа".encode(), b"\xff\xfe", 1) if "Школа" in text else b"\xff" + data
    fast, exact = _load_both(tmp_path, monkeypatch, data)
    _same(fast, exact)
    if change not in ("braces in names",):
        assert not plain_reads.units or change == "duplicate key"


def test_a_file_changed_between_the_two_readings_is_refused(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(_compact(_document(2)), encoding="utf-8")
    src = InputSource.from_path(path)
    stamp = file_stamp(src)
    doc, units = canonical_fast.parse(src.read_all(), src.name, src, stamp)
    assert units.raw is None  # a plain file is read again, not held
    with path.open("ab") as f:
        f.write(b" ")
    units.read.add(0)
    with pytest.raises(FormatError, match="changed while elect was reading it"):
        units.columns(0, OPTIONS)


def test_blocks_cut_between_units_only(monkeypatch):
    monkeypatch.setattr(canonical_blocks, "BLOCK", 10)
    raw = b'[{"id":"a"},{"id":"b"},{"id":"c"}]'
    bounds = block_bounds(raw, 1, len(raw) - 1)
    assert [raw[a:b] for a, b in bounds] == [b'{"id":"a"},{"id":"b"}', b'{"id":"c"}']
    columns = read_plain_units(memory_blocks(raw, 0, len(raw)), ["x"], len(raw))
    assert columns["id"].strings() == ["a", "b", "c"]
    # A cut inside the text "b},{c" leaves blocks with an odd number of quotes: declined.
    raw = b'[{"id":"a"},{"id":"b},{c"},{"id":"d"}]'
    blocks = [raw[a:b] for a, b in block_bounds(raw, 1, len(raw) - 1)]
    assert any(b.count(b'"') % 2 for b in blocks)
    with pytest.raises(NotColumnar):
        read_plain_units(memory_blocks(raw, 0, len(raw)), ["x"], len(raw))


def test_numbers_of_every_length_parse_exactly():
    rng = np.random.default_rng(7)
    values = [0, 7, 10, 99_999_999, 100_000_000, 2**53, *rng.integers(0, 2**53, 500).tolist()]
    text = b"".join(str(v).encode() + b"," for v in values) + b"\0" * 16
    buf = np.frombuffer(text, np.uint8)
    words = np.ndarray((len(text) - 7,), dtype="<u8", buffer=buf, strides=(1,)).copy()
    starts = np.cumsum([0, *[len(str(v)) + 1 for v in values[:-1]]])
    first = words[starts]
    length = _leading_digits(first)
    more = length == 8
    length[more] += _leading_digits(words[starts[more] + 8])
    assert length.tolist() == [len(str(v)) for v in values]
    got = []
    for s, n in zip(starts.tolist(), length.tolist(), strict=True):
        if n <= 8:
            got.append(int(_eight_digits(words[[s]], np.array([n]))[0]))
        else:
            hi = int(_eight_digits(words[[s]], np.array([n - 8]))[0])
            got.append(hi * 10**8 + int(_eight_digits(words[[s + n - 8]], np.array([8]))[0]))
    assert got == values


def test_words_hash_alike_whatever_their_width():
    short = Words(np.array([[_w(b"Region 0")], [_w(b"1")]], dtype=np.uint64), np.array([9]))
    wide = Words(np.array([[_w(b"Region 0")], [_w(b"1")], [0]], dtype=np.uint64), np.array([9]))
    assert short.hashes().tolist() == wide.hashes().tolist()
    assert short.strings() == ["Region 01"] and short[0] == "Region 01"
    other = Words(np.array([[_w(b"Region 0")], [_w(b"2")]], dtype=np.uint64), np.array([9]))
    assert short.hashes().tolist() != other.hashes().tolist()
    assert canonical_plain.same_text(short, np.array([0]), wide, np.array([0]))
    assert not canonical_plain.same_text(short, np.array([0]), other, np.array([0]))


def _w(b: bytes) -> int:
    return int.from_bytes(b, "little")


def test_labels_are_built_for_the_rows_asked_only():
    ids = Words(np.array([[_w(b"a"), _w(b"b"), _w(b"c")]], dtype=np.uint64), np.array([1, 1, 1]))
    names = Words(np.array([[_w(b"A"), 0, _w(b"C")]], dtype=np.uint64), np.array([1, 0, 1]))
    label = canonical_plain.TextLabels(names, ids)
    frame = pd.DataFrame({"level": ["station"] * 3})
    assert label(frame).tolist() == ["A", "b", "C"]  # a unit without a name: its id
    kept = label.subset(np.array([False, True, True]))
    assert kept(frame.iloc[1:]).tolist() == ["b", "C"] and kept.at(0) == "b"
    table = UnitTable(frame, labels={"name": label}, leaves=[True, False, True])
    assert table.label_at("name", 1) == "b" and table.pending_labels == ("name",)
    assert table.leaves.tolist() == [True, False, True]
    assert table.subset(np.array([True, False, True])).frame["name"].tolist() == ["A", "C"]


MUTANTS = 150


def test_mutated_documents_are_read_or_refused_as_the_exact_reading_does(
    tmp_path, monkeypatch, plain_reads
):
    """A byte changed, dropped or added anywhere in a plain document: whatever the
    columnar reading does with it, the result (or error) is the exact reading's."""
    text = _compact(_document(4, stations=40, same_keys=True)).encode("utf-8")
    rng = random.Random(11)
    alphabet = b'{}[]:,"0123456789eE.-+ntrufals \\x\n'
    fast_ok = 0
    for _ in range(MUTANTS):
        at = rng.randrange(len(text))
        how = rng.randrange(3)
        byte = bytes([rng.choice(alphabet)])
        if how == 0:
            data = text[:at] + byte + text[at + 1 :]
        elif how == 1:
            data = text[:at] + text[at + 1 :]
        else:
            data = text[:at] + byte + text[at:]
        path = tmp_path / "m.json"
        path.write_bytes(data)
        results = read_both(path, monkeypatch)
        _same(*results)
        fast_ok += not isinstance(results[0], FormatError)
    # Some mutants still read (a changed digit, a changed letter in a name) and some
    # went by the columns.
    assert fast_ok and plain_reads.units
    assert plain_reads.shaped if canonical_blocks.SHAPES else not plain_reads.shaped


@pytest.mark.parametrize(
    "change",
    [
        "none",
        "units key elsewhere",
        "options after units",
        "two contests",
        "repeated key",
        "bom",
        "pretty",
        "long skeleton",
    ],
)
def test_one_pass_reading_agrees_with_the_skeleton_or_steps_aside(
    tmp_path, monkeypatch, plain_reads, change
):
    """A plain file is read in one pass (canonical_stream) only when the skeleton's
    decode agrees with where the units were cut and which options they were read with;
    otherwise it is read whole. Either way, the exact reading's result."""
    doc = _document(6, stations=50, same_keys=True)
    contest = doc["contests"][0]
    if change == "units key elsewhere":
        doc["election"] = {"units": ["x"], "name": "A units key that is not a contest's"}
    elif change == "options after units":
        contest["options"] = contest.pop("options")
    elif change == "two contests":
        second = json.loads(json.dumps(contest))
        second["id"] = "second"
        second["options"] = [{"id": o} for o in reversed(OPTIONS)]
        doc["contests"] = [contest, second]
    text = json.dumps(doc, indent=1) if change == "pretty" else _compact(doc)
    if change == "long skeleton":  # more bytes than a contest's head before its units
        monkeypatch.setattr(canonical_stream, "_MAX_GAP", 200)
    if change == "repeated key":
        text = text.replace('"office":"President"', '"office":"President","office":"P"', 1)
    if change == "bom":
        text = "\ufeff" + text
    streamed = record_calls(monkeypatch, canonical_stream, "stream_document")
    fast, exact = _load_both(tmp_path, monkeypatch, text)
    _same(fast, exact)
    took = [isinstance(out, tuple) for _, out in streamed]
    assert took == {"none": [True], "two contests": [True], "bom": []}.get(change, [False])

"""No input crashes elect: random and mutated files through the loaders and `elect validate`.

Whatever the bytes, `elect validate` ends with findings or a one-line error that
names the file (exit 0, 1 or 2), never a traceback; and the loaders return an
Election or raise an ElectError naming the file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from elect.cli.main import app
from elect.core.checks import validate_paths
from elect.core.errors import ElectError
from elect.core.io import InputSource, load

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [
    p.read_bytes()
    for p in sorted((ROOT / "fixtures" / "invalid").iterdir())
    if p.suffix in (".csv", ".json") and p.name != "expected.json"
] + [p.read_bytes() for p in sorted((ROOT / "fixtures" / "samples").iterdir())]
runner = CliRunner()
FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,  # never write into the repository
    derandomize=bool(os.environ.get("CI")),  # CI runs the same examples every time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

INSERTS = [
    b",", b";", b"\n", b'"', b"\x00", b"\xff\xfe", b"-1", b"1e999", b"NaN", b"Total",
    b"{", b"]", b"\r\n", b"1,5", b"\xa0", b"9" * 30,
]  # fmt: skip


@st.composite
def mutated(draw) -> bytes:
    """A real result file with bytes flipped, cut, duplicated or spliced in."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "cut", "insert", "dup", "truncate"]))
        i = draw(st.integers(0, len(data) - 1))
        if op == "flip":
            data[i] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[i : i + draw(st.integers(1, 40))]
        elif op == "insert":
            data[i:i] = draw(st.sampled_from(INSERTS))
        elif op == "dup":
            j = draw(st.integers(i, min(len(data), i + 200)))
            data[j:j] = data[i:j]
        else:
            del data[i:]
    return bytes(data)


def json_docs():
    leaf = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=8)
    )
    return st.recursive(
        leaf,
        lambda kids: st.one_of(
            st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=10), kids, max_size=5)
        ),
        max_leaves=30,
    )


tables = st.lists(
    st.lists(st.text(alphabet='0123456789,.-% aTé"\n', max_size=6), min_size=1, max_size=9),
    min_size=1,
    max_size=12,
).map(
    lambda rows: (
        "region,district,station,registered,ballots_cast,invalid,A,B\n"
        + "\n".join(",".join(r) for r in rows)
    ).encode()
)


def _loader_property(data: bytes) -> None:
    try:
        load(InputSource.from_bytes(data, name="fuzz.csv"))
    except ElectError as exc:
        assert "\n" not in exc.one_line()
        assert exc.file in (None, "fuzz.csv")


def _validate_property(data: bytes, suffix: str = ".csv") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / f"fuzz{suffix}"
        p.write_bytes(data)
        (f,) = validate_paths([str(p)], jobs=1).files
        assert f.status in ("valid", "invalid", "unreadable")
        for x in f.findings:
            assert x.message.startswith(str(p))
            assert "\n" not in x.message.replace("\\n", "")[: len(str(p)) + 1]
        result = runner.invoke(app, ["validate", str(p), "--json"])
        assert result.exit_code in (0, 1, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.stderr
        assert json.loads(result.stdout)["files"][0]["file"] == str(p)
        assert result.stderr.count("\n") == 1  # the one-line summary


@FUZZ
@given(st.binary(max_size=2000))
def test_validate_random_bytes(data: bytes) -> None:
    _validate_property(data)


@FUZZ
@given(mutated())
def test_validate_mutated_result_files(data: bytes) -> None:
    _validate_property(data, ".json" if data[:1] in (b"{", b"[") else ".csv")


@FUZZ
@given(json_docs())
def test_validate_arbitrary_json(doc) -> None:
    _validate_property(json.dumps(doc).encode(), ".json")


@FUZZ
@given(tables)
def test_validate_random_tables(data: bytes) -> None:
    _validate_property(data)


@FUZZ
@given(st.one_of(st.binary(max_size=2000), mutated(), tables))
def test_loaders_random_and_mutated(data: bytes) -> None:
    _loader_property(data)


@FUZZ
@given(json_docs())
def test_loaders_arbitrary_json(doc) -> None:
    _loader_property(json.dumps(doc).encode())


EDGE_CASES = {
    "empty": b"",
    "bom only": b"\xef\xbb\xbf",
    "deep json": b"[" * 100_000 + b"]" * 100_000,
    "truncated json": b'{"contests": [{"units": [',
    "huge int": b'{"contests": [{"options": [{"id": "a"}], "units": [{"id": "x", "votes": {"a": '
    + b"9" * 5000
    + b"}}]}]}",
    "nan": b'{"contests": [{"options": [{"id": "a"}], "units": [{"id": "x", "votes": {"a": NaN}}]}]}',
    "column bomb": (",".join(f"c{i}" for i in range(1_000_000)) + "\n").encode(),
    "nul": b"region,a,b\x00\n1,2,3\n",
    "utf16 cut": b"\xff\xfer\x00e\x00g",
    "one huge field": b'region,a,b\n"' + b"x" * 300_000 + b'",1,2\n',
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_validate_edge_inputs(name: str) -> None:
    data = EDGE_CASES[name]
    _validate_property(data, ".json" if data[:1] in (b"{", b"[") else ".csv")


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_loader_edge_inputs(name: str) -> None:
    _loader_property(EDGE_CASES[name])

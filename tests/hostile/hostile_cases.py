"""The hostile inputs: a generator of bad files, names, paths and outputs (issue 13).

:func:`cases` returns one :class:`Case` per input. A case is a set of files written
into a fresh folder and the file elect is pointed at; the runners
(``test_hostile_inputs.py`` in-process, ``test_hostile_process.py`` in
subprocesses) run every command on it and check the contract: no traceback, no
exit 70, no change to any file that was there before, no raw control character
on stdout, memory under a cap.

Cases the CSV reader rewrite (another branch) will fix carry ``xfail``.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "fixtures" / "samples"
CSV_REWRITE = "CSV reader rewrite"

HEADER = "region,district,station,registered,ballots_cast,invalid,Alma,Bek"
ROW = "North,N-1,{i},1000,700,10,400,290"


def wide(rows: int = 40, header: str = HEADER, row: str = ROW, end: str = "\n") -> bytes:
    lines = [header] + [row.format(i=i, r=("North", "South")[i % 2]) for i in range(rows)]
    return (end.join(lines) + end).encode()


@dataclass
class Case:
    id: str
    kind: str
    files: dict[str, bytes] = field(default_factory=dict)
    target: str = "input.csv"  # the FILE argument, relative to the case folder
    xfail: str | None = None
    expect: tuple[int, ...] = (0, 1, 2)  # allowed exit codes of the load commands
    names: tuple[str, ...] = ()  # injected names the output must show literally
    args: tuple[tuple[str, ...], ...] = ()  # instead of the generic commands ({d} = folder)
    setup: Callable[[Path], None] | None = None  # special files: links, sockets, modes


def _csv_cases() -> list[Case]:
    out = []
    add = out.append
    add(Case("csv-empty", "csv", {"input.csv": b""}, expect=(1, 2)))
    add(Case("csv-header-only", "csv", {"input.csv": (HEADER + "\n").encode()}))
    add(Case("csv-one-column", "csv", {"input.csv": b"region\nNorth\n"}, expect=(1, 2)))
    add(Case("csv-blank-lines", "csv", {"input.csv": b"\n\n\n" + wide(3)}))
    add(Case("csv-whitespace", "csv", {"input.csv": b"   \n \t \n"}, expect=(1, 2)))
    add(Case("csv-bom", "csv", {"input.csv": b"\xef\xbb\xbf" + wide(5)}))
    add(Case("csv-double-bom", "csv", {"input.csv": b"\xef\xbb\xbf\xef\xbb\xbf" + wide(5)}))
    add(Case("csv-utf16", "csv", {"input.csv": wide(5).decode().encode("utf-16")}))
    add(Case("csv-utf16-nobom", "csv", {"input.csv": wide(5).decode().encode("utf-16-le")}))
    add(Case("csv-latin1", "csv", {"input.csv": "region,A,B\nRéunion,1,2\n".encode("latin-1")}))
    add(Case("csv-cp1251", "csv", {"input.csv": "регион;А;Б\r\nСевер;1;2\r\n".encode("cp1251")}))
    add(Case("csv-nul-middle", "csv", {"input.csv": wide(5)[:60] + b"\x00" + wide(5)[60:]}))
    add(Case("csv-unterminated-quote", "csv", {"input.csv": wide(3) + b'"North,1,2,3\n'}))
    add(Case("csv-quote-in-field", "csv", {"input.csv": wide(3) + b'No"rth,N,1,1,1,0,1,0\n'}))
    add(Case("csv-dup-header", "csv", {"input.csv": wide(3, HEADER + ",Alma")}))
    add(Case("csv-blank-header", "csv", {"input.csv": wide(3, HEADER.replace("Bek", ""))}))
    add(Case("csv-mixed-delims", "csv", {"input.csv": b"region;A,B\nN;1,2\n"}))
    add(Case("csv-tab", "csv", {"input.csv": wide(5).replace(b",", b"\t")}))
    add(Case("csv-pipe", "csv", {"input.csv": wide(5).replace(b",", b"|")}))
    add(
        Case(
            "csv-huge-field",
            "csv",
            {"input.csv": wide(2) + b"N" * (200 << 10) + b",1,1,1,1,0,1,0\n"},
        )
    )
    add(
        Case(
            "csv-many-columns",
            "csv",
            {
                "input.csv": wide(
                    2, HEADER + "".join(f",c{i}" for i in range(400)), ROW + ",1" * 400
                )
            },
        )
    )
    add(Case("csv-only-commas", "csv", {"input.csv": b",,,,\n,,,,\n"}, expect=(1, 2)))
    add(Case("csv-crlf", "csv", {"input.csv": wide(5, end="\r\n")}))
    add(
        Case(
            "csv-mixed-line-ends",
            "csv",
            {"input.csv": wide(3) + wide(3, end="\r\n")[len(HEADER) + 2 :]},
        )
    )
    add(Case("csv-total-row", "csv", {"input.csv": wide(3) + b"Total,,,3000,2100,30,1200,870\n"}))
    add(Case("csv-binary-garbage", "csv", {"input.csv": bytes(range(256)) * 4}, expect=(1, 2)))
    add(Case("csv-png", "csv", {"input.csv": b"\x89PNG\r\n\x1a\n" + bytes(200)}, expect=(1, 2)))
    add(Case("csv-long-line-no-newline", "csv", {"input.csv": b"a," * 200000}, expect=(1, 2)))
    add(Case("csv-long-option", "csv", {"input.csv": wide(3, HEADER + ",X" * 1, ROW + ",1")}))
    # The CSV reader's own items (issue 13 items 2 and 6).
    for name, data, expect in (
        ("csv-short-row", wide(3) + b"South,S-1,9,100,50\n", (1, 2)),
        ("csv-long-row", wide(3) + b"South,S-1,9,100,50,1,20,29,7,7\n", (1, 2)),
        ("csv-cr-only", wide(5, end="\r"), (0, 1)),
        ("csv-cr-only-station", wide(40, end="\r"), (0, 1)),
        ("csv-header-80k", wide(3, HEADER + ",Z" + "z" * 80_000, ROW + ",1"), (0, 1)),
        ("csv-newline-in-header", wide(3, HEADER.replace("Bek", '"Bek\nSample"')), (0, 1)),
        ("csv-count-2p53-plus-1", wide(3) + b"South,S-1,9,9007199254740993,50,1,20,29\n", (1, 2)),
    ):
        add(Case(name, "csv", {"input.csv": data}, expect=expect))
    return out


NUMBERS = [
    "9007199254740993",
    "9007199254740992",
    "1e308",
    "inf",
    "-inf",
    "nan",
    "NaN",
    "-0",
    "-5",
    "1.5",
    "0.1",
    "1,5",
    "1 000",
    "1\u00a0000",
    "1\u202f000",
    "1.000.000",
    "1,000,000",
    "1'000",
    "12%",
    "1e3",
    "0x10",
    "+5",
    "٣٤٥",
    "１２３",
    "",
    " ",
    "—",
    "-",
    "n/a",
    "?",
    "1" * 400,
    "1" * 5000,
    "1e-400",
    "1.0",
    "007",
    "1_000",
    "½",
    "Ⅻ",
    "true",
    "[1]",
    "'5'",
    '"5"',
    "5 votes",
    "=1+1",
    "@SUM(A1)",
    "\x1b[2J5",
]


def _number_cases() -> list[Case]:
    out = []
    for i, value in enumerate(NUMBERS):
        cell = value.replace('"', '""')
        cell = f'"{cell}"' if any(c in value for c in ',"\n') else cell
        data = wide(3) + f"South,S-1,99,1000,{cell},10,400,290\n".encode()
        # Exactness of 2**53 + 1 in a CSV count is asserted by csv-count-2p53-plus-1.
        out.append(Case(f"number-{i:02d}", "numbers", {"input.csv": data}))
    return out


def _compress(kind: str, data: bytes) -> bytes:
    if kind == "gz":
        return gzip.compress(data)
    if kind == "bz2":
        return bz2.compress(data)
    if kind == "xz":
        return lzma.compress(data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.csv", data)
    return buf.getvalue()


def _bomb(kind: str, size: int = 32 << 20) -> bytes:
    """Text that expands ~1000-fold: members (gzip, bz2, xz streams) concatenated."""
    chunk = b"North,N-1,1,1000,700,10,400,290\n" * (4 << 20 >> 5)
    head = HEADER.encode() + b"\n"
    if kind == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, z.open("a.csv", "w") as w:
            w.write(head)
            for _ in range(size // len(chunk)):
                w.write(chunk)
        return buf.getvalue()
    member = _compress(kind, chunk)
    return _compress(kind, head) + member * (size // len(chunk))


def _compressed_cases() -> list[Case]:
    out = []
    # large: beyond the 64 KB sniff in few rows (reconcile is slow on thousands of units)
    small, large = wide(20), wide(160, HEADER + ",note", ROW + "," + "x" * 480)
    for kind in ("gz", "bz2", "xz", "zip"):
        name = f"input.csv.{kind}"
        for label, data in (("small", small), ("large", large)):
            c = _compress(kind, data)
            flipped = bytearray(c)
            for i in range(len(c) // 2, min(len(c) // 2 + 40, len(c) - 30)):
                flipped[i] ^= 0x5A
            for sub, blob in (
                ("ok", c),
                ("truncated", c[: len(c) * 2 // 3]),
                ("corrupt", bytes(flipped)),
            ):
                out.append(Case(f"z-{kind}-{label}-{sub}", "compressed", {name: blob}, name))
        out.append(Case(f"z-{kind}-bomb", "compressed", {name: _bomb(kind)}, name, expect=(1, 2)))
        out.append(
            Case(
                f"z-{kind}-magic-only",
                "compressed",
                {name: _compress(kind, b"")[:4]},
                name,
                expect=(1, 2),
            )
        )
        out.append(
            Case(f"z-{kind}-empty", "compressed", {name: _compress(kind, b"")}, name, expect=(1, 2))
        )
        out.append(
            Case(
                f"z-{kind}-binary",
                "compressed",
                {name: _compress(kind, bytes(5000))},
                name,
                expect=(1, 2),
            )
        )
    z = _compress("zip", large)
    enc = bytearray(z)
    enc[6] |= 1
    cd = z.rfind(b"PK\x01\x02")
    enc[cd + 8] |= 1
    d64 = bytearray(z)
    d64[8] = 9
    d64[cd + 10] = 9
    two = io.BytesIO()
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.csv", small)
        zf.writestr("b.csv", small)
    empty = io.BytesIO()
    zipfile.ZipFile(empty, "w").close()
    for label, blob in (
        ("encrypted", bytes(enc)),
        ("deflate64", bytes(d64)),
        ("two-members", two.getvalue()),
        ("no-members", empty.getvalue()),
    ):
        out.append(
            Case(
                f"z-zip-{label}",
                "compressed",
                {"input.csv.zip": blob},
                "input.csv.zip",
                expect=(1, 2),
            )
        )
    out.append(
        Case(
            "z-gz-of-gz",
            "compressed",
            {"input.csv.gz": gzip.compress(gzip.compress(small))},
            "input.csv.gz",
            expect=(1, 2),
        )
    )
    return out


def cases() -> list[Case]:
    from hostile_json import json_cases, jsonl_cases
    from hostile_more import injection_cases, output_cases, path_cases

    return [
        *_csv_cases(),
        *_number_cases(),
        *json_cases(),
        *jsonl_cases(),
        *_compressed_cases(),
        *path_cases(),
        *output_cases(),
        *injection_cases(),
    ]

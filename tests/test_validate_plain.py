"""The one-read path for plain station tables gives exactly the full pass's findings.

``validate_plain`` is an optimisation: on every file it accepts, the report must
equal the full pass's (structural scan, loader, model checks), finding for
finding; on every other file it must step aside. Seeded random tables, with
findings planted and with mutations that must send them to the full pass, are
run through both.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_loaders import FUZZ, mutated, tables

from elect.core.checks.plain import validate_plain
from elect.core.checks.run import Options, validate_path
from elect.core.io import plain_table as plain
from elect.core.io.source import InputSource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

ID_HEADERS = {
    "region": ["region", "Region", "oblast", " region "],
    "district": ["district", "District", "rayon"],
    "station": ["station", "Station", "precinct", "station_id"],
}
COUNT_HEADERS = {
    "registered": ["registered", "Registered voters", "electors"],
    "ballots_cast": ["ballots_cast", "Ballots cast", "turnout_votes"],
    "invalid": ["invalid", "Invalid ballots", "spoiled"],
}
OPTION_NAMES = [
    "Tokayev", "Tokaev", "Against all", "against_all", "Alma B", "Alma-B", "Bek",
    "Жиенкулова", "Кошанов", "yes", "no", "blank", "Other", "write-in", "Putin", "Grudinin",
]  # fmt: skip
REGIONS = ["Almaty", "Astana", "Жетісу", "Abai region", "01", "1", "North Kazakhstan", "R 7"]


def _table(rnd: random.Random) -> tuple[list[str], list[list[str]]]:
    roles = ["region"] + [r for r in ("district", "station") if rnd.random() < 0.7]
    counts = [r for r in COUNT_HEADERS if rnd.random() < 0.8]
    options = rnd.sample(OPTION_NAMES, rnd.randint(1, 4))
    header = [rnd.choice(ID_HEADERS[r]) for r in roles]
    header += [rnd.choice(COUNT_HEADERS[c]) for c in counts] + options
    n = rnd.randint(1, 40)
    digits = rnd.random() < 0.3
    rows = []
    for k in range(n):
        reg = rnd.randint(0, 3000)
        cast = rnd.randint(0, reg) if reg else 0
        inv = rnd.randint(0, max(0, cast // 20))
        votes = _split(rnd, cast - inv, len(options))
        if rnd.random() < 0.1:  # plant an arithmetic or plausibility finding
            kind = rnd.choice(["add", "over", "full", "zero", "one", "invalid"])
            if kind == "add":
                votes[0] += rnd.randint(1, 9)
            elif kind == "over":
                cast = reg + rnd.randint(1, 50)
            elif kind == "full":
                cast = reg
            elif kind == "zero":
                cast, inv, votes = 0, 0, [0] * len(options)
            elif kind == "one":
                votes = [cast - inv] + [0] * (len(options) - 1)
            else:
                inv = cast // 5
        ids = {
            "region": rnd.choice(REGIONS),
            "district": f"D{k % 5}" if not digits else str(k % 7).zfill(rnd.choice([1, 3])),
            "station": str(k).zfill(rnd.choice([1, 4]))
            if digits
            else rnd.choice([f"S-{k:04d}", f"УИК №{k}", f"Station {k}"]),
        }
        figures = {"registered": reg, "ballots_cast": cast, "invalid": inv}
        row = [ids[r] for r in roles] + [str(figures[c]) for c in counts]
        rows.append(row + [str(v) for v in votes])
    sums = [str(sum(int(r[j]) for r in rows)) for j in range(len(roles), len(header))]
    if n >= 3 and rnd.random() < 0.1:  # a unit that is the sum of all the others
        rows.append([f"Z{k}" for k in range(len(roles))] + sums)
    if rnd.random() < 0.15:  # a total row, as exports end, blank below the region
        name = rnd.choice(["Total", "TOTAL", "Итого", "Grand total", " Total ", "Totalville"])
        at = rnd.randrange(len(roles))
        rows.append([name if k == at else "" for k in range(len(roles))] + sums)
    quoting = rnd.random()
    if quoting < 0.15:  # names quoted, as many exports write them
        rows = [[f'"{c}"' if not c.isdigit() else c for c in r] for r in rows]
    elif quoting < 0.25:  # every field and the header quoted
        rows = [[f'"{c}"' for c in r] for r in rows]
        header = [f'"{h}"' for h in header]
    order = list(range(len(header)))
    rnd.shuffle(order)
    return [header[i] for i in order], [[r[i] for i in order] for r in rows]


def _fits_cp1251(text: str) -> bool:
    try:
        text.encode("cp1251")
    except UnicodeEncodeError:
        return False
    return True


def _split(rnd: random.Random, total: int, parts: int) -> list[int]:
    cuts = sorted(rnd.randint(0, max(total, 0)) for _ in range(parts - 1))
    edges = [0, *cuts, max(total, 0)]
    return [edges[i + 1] - edges[i] for i in range(parts)]


def write_random_table(rnd: random.Random, path, delimiters: list[str]) -> str:
    """A seeded random table (mutated 40% of the time) written to PATH, in Windows-1251
    a fifth of the time when it fits; returns its text."""
    header, rows = _table(rnd)
    sep = rnd.choice(delimiters)
    text = sep.join(header) + "\n" + "".join(sep.join(r) + "\n" for r in rows)
    if rnd.random() < 0.4:
        text = rnd.choice(MUTATIONS)(text)
    encoding = "cp1251" if rnd.random() < 0.2 and _fits_cp1251(text) else "utf-8"
    path.write_bytes(text.encode(encoding))
    return text


MUTATIONS = [
    lambda t: t.replace("\n", "\r\n"),
    lambda t: "\ufeff" + t,
    lambda t: t + "\n",
    lambda t: t.rstrip("\n"),
    lambda t: t.replace(",", ",,", 1),
    lambda t: _cell(t, lambda v: ""),
    lambda t: _cell(t, lambda v: " " + v),
    lambda t: _cell(t, lambda v: v + " "),
    lambda t: _cell(t, lambda v: "+" + v if v.isdigit() else v),
    lambda t: _cell(t, lambda v: "0" + v if v.isdigit() else v),
    lambda t: _cell(t, lambda v: v + ".0" if v.isdigit() else v),
    lambda t: _cell(t, lambda v: "-" + v if v.isdigit() else v),
    lambda t: _cell(t, lambda v: "1e3" if v.isdigit() else v),
    lambda t: _cell(t, lambda v: "NaN"),
    lambda t: _cell(t, lambda v: "Total"),
    lambda t: _cell(t, lambda v: "Итого"),
    lambda t: _cell(t, lambda v: "A/B"),
    lambda t: _cell(t, lambda v: '"' + v + '"'),
    lambda t: _cell(t, lambda v: "9" * 17 if v.isdigit() else v),
    lambda t: _cell(t, lambda v: "9" * 30 if v.isdigit() else v),
    lambda t: _duplicate_line(t),
    lambda t: t.replace("\n", "\n\n", 2),
    lambda t: t.replace("\n", "\nx,y\n", 1),
    lambda t: _cell(t, lambda v: f'"{v}, {v}"'),
    lambda t: _cell(t, lambda v: f'"{v}""x"'),
    lambda t: _cell(t, lambda v: f'"{v}\n{v}"'),
    lambda t: _cell(t, lambda v: f'"{v}'),
]


def _cell(text: str, change) -> str:
    lines = text.split("\n")
    rnd = random.Random(len(text))
    k = rnd.randint(1, max(1, len(lines) - 2))
    cells = lines[k].split(",")
    j = rnd.randrange(len(cells))
    cells[j] = change(cells[j])
    lines[k] = ",".join(cells)
    return "\n".join(lines)


def _duplicate_line(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    return "\n".join([*lines, lines[-1]]) + "\n" if len(lines) > 1 else text


def _both(path: Path, **opts) -> tuple[dict, dict]:
    fast = validate_path(str(path), Options(**opts)).to_dict()
    full = validate_path(str(path), Options(plain=False, **opts)).to_dict()
    return fast, full


@pytest.mark.parametrize("reading", ["whole", "chunks"])
def test_generated_tables_agree(tmp_path: Path, monkeypatch, reading: str) -> None:
    if reading == "chunks":  # the large-file reader, on chunks of 7 rows
        monkeypatch.setattr(plain, "WHOLE_BYTES", 0)
        monkeypatch.setattr(plain, "CHUNK_ROWS", 7)
    rnd = random.Random(20221120)
    taken = with_findings = 0
    cases = 400
    for case in range(cases):
        path = tmp_path / f"case{case}.csv"
        # delimiters as publishers and spreadsheets write them
        text = write_random_table(rnd, path, [",", ",", ",", ";", "\t"])
        fast, full = _both(path)
        assert fast == full, f"case {case}:\n{text}"
        if validate_plain(InputSource.from_path(str(path))) is not None:
            taken += 1
            with_findings += bool(fast["findings"])
    # The comparison means something only if the plain path ran, on files with findings.
    print(f"plain path on {taken} of {cases} files, {with_findings} with findings")
    assert taken >= cases // 3, taken
    assert with_findings >= 30, with_findings


def test_options_agree(tmp_path: Path) -> None:
    rnd = random.Random(7)
    for case in range(60):
        header, rows = _table(rnd)
        path = tmp_path / f"o{case}.csv"
        path.write_text(",".join(header) + "\n" + "".join(",".join(r) + "\n" for r in rows))
        for opts in (
            {"max_examples": 1},
            {"select": ("ballots-dont-add-up", "turnout-100")},
            {"ignore": ("zero-ballots", "one-option-all-votes")},
        ):
            fast, full = _both(path, **opts)
            assert fast == full


def _corpus() -> list[Path]:
    files = [*(FIXTURES / "invalid").iterdir(), *(FIXTURES / "samples").iterdir()]
    return sorted(f for f in files if f.name != "expected.json")


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_fixture_corpus_agrees(path: Path) -> None:
    fast, full = _both(path)
    assert fast == full


def test_plain_table_takes_the_one_read_path(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        "region,district,station,registered,ballots_cast,invalid,Alma,Bek\n"
        "North,D1,001,100,80,2,50,28\n"
        "North,D1,2,100,100,0,60,40\n"  # turnout 100%, and "2" lost its zeros
        "South,D2,003,50,40,1,29,10\n"
    )
    done = validate_plain(InputSource.from_path(str(path)))
    assert done is not None
    col, rows = done
    assert rows == 3
    found = {(f.code, f.line, f.unit) for f in col.findings}
    assert ("turnout-100", 3, "North/D1/2") in found
    assert ("leading-zeros-lost", 3, None) in found
    assert len(col.findings) == 2


@pytest.mark.parametrize(
    "body",
    [
        "Total,D1,1,100,80,2,50,28\n",  # an aggregate name
        "North,D1,1,100,80,2,50,28\nNorth,D1,1,100,80,2,50,28\n",  # a duplicate
        '"North, East",D1,1,100,80,2,50,28\n',  # a quoted comma
        '"North ""East""",D1,1,100,80,2,50,28\n',  # an escaped quote
        "North,D1,1,100,80,2,50.5,28\n",  # a fraction
        "North,D1,1,100,80,2,50,28\n\n",  # a blank line
        "North ,D1,1,100,80,2,50,28\n",  # an untrimmed name
    ],
)
def test_anything_else_takes_the_full_pass(tmp_path: Path, body: str) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("region,district,station,registered,ballots_cast,invalid,Alma,Bek\n" + body)
    assert validate_plain(InputSource.from_path(str(path))) is None


@FUZZ
@given(st.one_of(mutated(), tables))
def test_fuzzed_tables_agree(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(data)
        fast, full = _both(path)
        assert fast == full


@pytest.mark.parametrize("reading", ["whole", "chunks"])
def test_spreadsheet_export_takes_the_one_read_path(tmp_path: Path, monkeypatch, reading) -> None:
    # Excel's "CSV UTF-8": a byte-order mark and Windows line ends, reported as notes.
    if reading == "chunks":
        monkeypatch.setattr(plain, "WHOLE_BYTES", 0)
        monkeypatch.setattr(plain, "CHUNK_ROWS", 2)
    path = tmp_path / "export.csv"
    path.write_bytes(
        b"\xef\xbb\xbfregion,station,registered,ballots_cast,Alma,Bek\r\n"
        b"North,1,100,100,60,40\r\nNorth,2,100,80,50,31\r\nSouth,3,90,45,25,20\r\n"
    )
    done = validate_plain(InputSource.from_path(str(path)))
    assert done is not None
    codes = [f.code for f in done[0].findings]
    assert sorted(codes) == [
        "ballots-dont-add-up",
        "encoding-normalised",
        "line-ends-normalised",
        "turnout-100",
    ]
    fast, full = _both(path)
    assert fast == full


@pytest.mark.parametrize("reading", ["whole", "chunks"])
def test_windows_1251_semicolon_file_takes_the_one_read_path(
    tmp_path: Path, monkeypatch, reading
) -> None:
    # As Russian and Kazakh commissions often publish: Windows-1251, ";"-delimited.
    if reading == "chunks":
        monkeypatch.setattr(plain, "WHOLE_BYTES", 0)
        monkeypatch.setattr(plain, "CHUNK_ROWS", 2)
    path = tmp_path / "cik.csv"
    path.write_bytes(
        "region;station;registered;ballots_cast;invalid;Иванов;Петров\r\n"
        "Алматы;1;1000;600;10;400;190\r\nАлматы;2;800;800;0;500;300\r\n"
        "Астана;3;900;500;20;300;180\r\n".encode("cp1251")
    )
    done = validate_plain(InputSource.from_path(str(path)))
    assert done is not None
    codes = sorted(f.code for f in done[0].findings)
    assert codes == [
        "delimiter-normalised",
        "encoding-normalised",
        "invalid-above-3pct",
        "line-ends-normalised",
        "turnout-100",
    ]
    fast, full = _both(path)
    assert fast == full

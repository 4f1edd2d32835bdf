"""Spreadsheets in (through the CSV reader) and out (results as a typed workbook)."""

from __future__ import annotations

import json
import sys
import zipfile

import pytest

from conftest import SAMPLES, invoke
from elect.core.io import load

calamine = pytest.importorskip("python_calamine")
xlsxwriter = pytest.importorskip("xlsxwriter")

PKW = SAMPLES / "pl-pkw-2018-sejmiki-woj.xlsx"
PKW_MAP = SAMPLES / "pl-pkw-2018-sejmiki.toml"
WIDE = SAMPLES / "stations-wide.csv"


def test_real_commission_workbook_reads_like_csv(runner):
    """PKW's 2018 regional assembly results by voivodeship, read through the wide loader."""
    r = invoke(runner, "results", str(PKW), "--map", str(PKW_MAP), "--json")
    assert r.exit_code == 0, r.stderr
    assert "read xlsx sheet '2018-sejmiki-woj'" in r.stderr
    doc = json.loads(r.stdout)
    rows = {row["name"]: row for row in doc["rows"]}
    assert len(rows) == 16
    dolnoslaskie = rows["dolnośląskie"]
    assert dolnoslaskie["registered"] == 2275468
    assert dolnoslaskie["ballots_cast"] == 1208354
    assert dolnoslaskie["votes"]["kw_prawo_i_sprawiedliwość"] == 320908
    # The committees' votes add up to PKW's "Liczba głosów ważnych" (valid votes).
    assert dolnoslaskie["valid"] == 1124817
    assert dolnoslaskie["shares_pct"]["kw_prawo_i_sprawiedliwość"] == 28.53  # 320908/1124817
    assert rows["podkarpackie"]["leader"] == "kw_prawo_i_sprawiedliwość"
    assert doc["election"]["input_format"].endswith("(from xlsx)")


def _commission_workbook(path):
    """Title rows, a header over two rows with merged cells, merged regions, text numbers."""
    book = xlsxwriter.Workbook(str(path))
    cover = book.add_worksheet("Cover")
    cover.write("A1", "Results of the 2024 presidential election")
    ws = book.add_worksheet("By district")
    ws.merge_range("A1:G1", "Presidential election 2024: results by district")
    ws.write("A2", "Central Election Commission, final protocol")
    ws.merge_range("A4:A5", "region")
    ws.merge_range("B4:B5", "district")
    for col, head in zip("CDE", ("registered", "ballots_cast", "invalid"), strict=True):
        ws.merge_range(f"{col}4:{col}5", head)
    ws.merge_range("F4:G4", "Votes for")
    ws.write("F5", "Alma Example")
    ws.write("G5", "Bek Sample")
    ws.merge_range("A6:A7", "North")
    data = [
        ("N-1", "3 304", 2318, 43, "1 348", 525),
        ("N-2", 1950, 1559, 24, 727, 578),
    ]
    for r, row in enumerate(data, start=5):
        for c, v in enumerate(row, start=1):
            (ws.write_string if isinstance(v, str) else ws.write_number)(r, c, v)
    ws.write("A8", "South")
    for c, v in enumerate(("S-1", 2196, 879, 7, 415, 290), start=1):
        ws.write(7, c, v)
    ws.write("A10", "Source: CEC. Figures are final.")
    book.close()


def test_title_rows_merged_cells_and_numbers_stored_as_text(runner, tmp_path):
    path = tmp_path / "cec.xlsx"
    _commission_workbook(path)
    election = load(path)
    codes = [n.code for n in election.notes]
    assert "spreadsheet-title-rows" in codes and "spreadsheet-footnotes" in codes
    assert "spreadsheet-header" in codes
    contest = election.contests[0]
    assert [o.name for o in contest.options] == ["Votes for Alma Example", "Votes for Bek Sample"]
    r = invoke(runner, "results", str(path), "--by", "district", "-f", "csv")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[1].startswith("North/N-1,N-1,district,North,False,3304,2318,43,")
    assert lines[2].startswith("North/N-2,N-2,district,North,")  # region merged down
    assert lines[3].startswith("South/S-1,S-1,district,South,")
    assert "the workbook also has 'Cover'" in r.stderr
    r = invoke(runner, "results", str(path), "--json")
    north = json.loads(r.stdout)["rows"][0]
    assert north["votes"] == {"votes_for_alma_example": 1348 + 727, "votes_for_bek_sample": 1103}


def test_sheet_by_name_and_number_and_bad_sheet(runner, tmp_path):
    path = tmp_path / "cec.xlsx"
    _commission_workbook(path)
    for sheet in ("By district", "2", "by DISTRICT"):
        r = invoke(runner, "results", str(path), "--sheet", sheet, "-f", "csv")
        assert r.exit_code == 0, (sheet, r.stderr)
    r = invoke(runner, "results", str(path), "--sheet", "3")
    assert r.exit_code == 2 and "1=Cover, 2=By district" in r.stderr
    r = invoke(runner, "results", str(path), "--sheet", "Cover")
    assert r.exit_code == 2 and "holds no table" in r.stderr
    r = invoke(runner, "results", str(WIDE), "--sheet", "1")
    assert r.exit_code == 2 and "not a spreadsheet" in r.stderr


def test_results_workbook_written_and_read_back(runner, tmp_path):
    out = tmp_path / "results.xlsx"
    r = invoke(runner, "results", str(WIDE), "--by", "district", "--sort", "margin", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    book = calamine.CalamineWorkbook.from_path(str(out))
    assert book.sheet_names == ["Results", "Options", "About"]
    rows = book.get_sheet_by_name("Results").to_python()
    head, first = rows[0], rows[1]
    assert head[:3] == ["unit_id", "name", "level"] and "Alma Example %" in head
    record = dict(zip(head, first, strict=True))
    assert record["name"] == "C-1"  # widest margin: 42.91 pp
    assert record["registered"] == 1910.0 and isinstance(record["registered"], float)
    assert record["Alma Example %"] == 66.8 and record["margin_pp"] == 42.91
    assert record["abroad"] is False
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in sheet and 'ySplit="1"' in sheet
    about = dict(book.get_sheet_by_name("About").to_python())
    assert about["Sorted by"] == "margin" and about["Level"] == "district"
    # The workbook elect wrote reads back through the same reader as any other.
    r = invoke(runner, "inspect", str(out))
    assert r.exit_code == 0 and "Alma Example %" in r.stdout


def test_xlsx_needs_a_file_name(runner):
    r = invoke(runner, "results", "-f", "xlsx")
    assert r.exit_code == 2 and "-o results.xlsx" in r.stderr


def test_without_calamine_says_how_to_get_it(runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    r = invoke(runner, "report", str(PKW), "--map", str(PKW_MAP))
    assert r.exit_code == 2 and "pip install 'elect[excel]'" in r.stderr


def _ods(path, rows):
    """A minimal OpenDocument spreadsheet, written by hand (no writer library needed)."""

    def cell(v):
        if isinstance(v, int):
            return (
                f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
        )

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Results">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )


def test_ods_and_stdin(runner, tmp_path):
    path = tmp_path / "cec.ods"
    _ods(
        path,
        [
            ["Results of the vote"],
            ["region", "registered", "ballots_cast", "Alma Example", "Bek Sample"],
            ["North", "5 254", "3877", 2075, 1103],
            ["South", 5276, 3164, 1908, 847],
        ],
    )
    r = invoke(runner, "results", str(path), "--json")
    assert r.exit_code == 0, r.stderr
    assert "read ods sheet 'Results'" in r.stderr and "1 title row(s)" in r.stderr
    north = json.loads(r.stdout)["rows"][0]
    assert north["registered"] == 5254 and north["shares_pct"]["alma_example"] == 65.29
    r = invoke(runner, "results", "-", "-f", "csv", input=path.read_bytes())
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[2].startswith("South,South,region,False,5276,3164,")

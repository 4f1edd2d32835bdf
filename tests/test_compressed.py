"""Compressed inputs are read as streams, never unpacked to disk."""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile

import pytest

from conftest import SAMPLES, invoke
from elect.core.errors import FormatError
from elect.core.io import load
from elect.core.report import build_report

WIDE = SAMPLES / "stations-wide.csv"


def summary(path):
    rep = build_report(load(path))
    t = rep.summary.totals
    return (
        t.value("registered"),
        t.value("ballots_cast"),
        [(r.option_id, r.votes) for r in rep.shares],
    )


def _zip(path, data, members=("stations.csv",)):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for m in members:
            z.writestr(m, data)


@pytest.mark.parametrize(
    ("suffix", "pack", "label"),
    [
        (".gz", gzip.compress, "gzip"),
        (".bz2", bz2.compress, "bz2"),
        (".xz", lzma.compress, "xz"),
        (".zip", None, "zip"),
    ],
)
def test_each_compression_gives_the_plain_tally(tmp_path, suffix, pack, label):
    data = WIDE.read_bytes()
    path = tmp_path / f"stations.csv{suffix}"
    if pack is None:
        _zip(path, data)
    else:
        path.write_bytes(pack(data))
    assert summary(path) == summary(WIDE)
    assert load(path).input_format == f"wide-csv+{label}"
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing unpacked


def test_compression_is_sniffed_not_taken_from_the_name(tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes(gzip.compress(WIDE.read_bytes()))
    assert summary(path) == summary(WIDE)


def test_zip_with_two_members_is_refused(tmp_path, runner):
    path = tmp_path / "two.zip"
    _zip(path, WIDE.read_bytes(), ("a.csv", "b.csv"))
    with pytest.raises(FormatError, match="holds 2 files"):
        load(path)
    result = invoke(runner, "report", str(path))
    assert result.exit_code == 2 and "holds 2 files" in result.stderr


def test_truncated_gzip_is_a_clear_error(tmp_path, runner):
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(gzip.compress(WIDE.read_bytes() * 50)[:300])
    result = invoke(runner, "report", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert str(path) in result.stderr


def test_compressed_with_preset_mapping(tmp_path):
    from elect.core.io import mapping_for

    header = (
        'region,tik,uik,"Число избирателей, включенных в список избирателей",'
        '"Число избирательных бюллетеней, выданных избирателям, проголосовавшим досрочно",'
        '"Число избирательных бюллетеней, выданных в помещении для голосования",'
        '"Число избирательных бюллетеней, выданных вне помещения для голосования",'
        "Число недействительных избирательных бюллетеней,"
        "Число действительных избирательных бюллетеней,Иванов,Петров,url\n"
    )
    rows = "Область,ТИК,1,100,1,60,2,3,60,40,20,u\nТерритория за пределами РФ,ТИК,2,10,0,5,0,0,5,5,0,u\n"
    path = tmp_path / "ru.csv.xz"
    path.write_bytes(lzma.compress((header + rows).encode("utf-8")))
    rep = build_report(load(path, format=mapping_for(preset="ru-cec")))
    assert rep.summary.totals.value("ballots_cast") == 68
    assert rep.base_total == 68
    assert rep.diaspora.stations == 1

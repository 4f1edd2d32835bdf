"""Exports for publication: Rich HTML/SVG/text export and matplotlib PNGs."""

from __future__ import annotations

import sys

import pytest

from conftest import invoke


def test_export_svg_html_txt(runner, tmp_path):
    for suffix, marker in ((".svg", "<svg"), (".html", "<html"), (".txt", "Kassym-Jomart")):
        out = tmp_path / f"report{suffix}"
        r = invoke(runner, "-q", "report", "--export", str(out))
        assert r.exit_code == 0, r.stderr
        text = out.read_text(encoding="utf-8")
        assert marker in text
        assert "81.31" in text and "Zhetysu" in text


def test_export_unknown_kind(runner, tmp_path):
    r = invoke(runner, "report", "--export", str(tmp_path / "r.pdf"))
    assert r.exit_code == 2 and ".html, .svg or .txt" in r.stderr


def test_plots_are_png(runner, tmp_path):
    pytest.importorskip("matplotlib")
    for kind in ("shares", "turnout"):
        out = tmp_path / f"chart-{kind}.png"  # the kind comes from --chart, not the name
        r = invoke(runner, "-q", "report", "--plot", str(out), "--chart", kind)
        assert r.exit_code == 0, r.stderr
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_says_how_to_get_it(runner, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if not installed
    r = invoke(runner, "report", "--plot", str(tmp_path / "shares.png"))
    assert r.exit_code == 2
    assert "pip install 'elect[plots]'" in r.stderr
    assert not (tmp_path / "shares.png").exists()


def test_plot_refuses_a_name_that_is_not_an_image(runner, tmp_path):
    shares = tmp_path / "shares.csv"
    shares.write_text("region,a,b\nNorth,1,2\n")
    r = invoke(runner, "report", str(shares), "--plot", str(shares))
    assert r.exit_code == 2 and "not an image file name" in r.stderr
    assert shares.read_text() == "region,a,b\nNorth,1,2\n"


def test_plot_chart_kind_is_an_option(runner, tmp_path):
    r = invoke(runner, "report", "--plot", str(tmp_path / "a.png"), "--chart", "pie")
    assert r.exit_code == 2 and "--chart 'pie': unknown chart" in r.stderr
    two = ["--plot", str(tmp_path / "a.png"), "--plot", str(tmp_path / "b.png")]
    r = invoke(runner, "report", *two)
    assert r.exit_code == 2 and "say which chart each draws" in r.stderr
    assert not list(tmp_path.iterdir())


def test_export_and_output_cannot_share_a_file(runner, tmp_path):
    out = tmp_path / "r.txt"
    r = invoke(runner, "report", "-o", str(out), "--export", str(out))
    assert r.exit_code == 2 and "name the same file" in r.stderr
    assert not out.exists()

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
    for name in ("shares.png", "turnout.png"):
        out = tmp_path / name
        r = invoke(runner, "-q", "report", "--plot", str(out))
        assert r.exit_code == 0, r.stderr
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_without_matplotlib_says_how_to_get_it(runner, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import fails as if not installed
    r = invoke(runner, "report", "--plot", str(tmp_path / "shares.png"))
    assert r.exit_code == 2
    assert "pip install 'elect[plots]'" in r.stderr
    assert not (tmp_path / "shares.png").exists()


def test_plot_needs_a_known_chart_name(runner, tmp_path):
    r = invoke(runner, "report", "--plot", str(tmp_path / "pie.png"))
    assert r.exit_code == 2 and "shares*.png or turnout*.png" in r.stderr

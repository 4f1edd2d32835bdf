"""Choropleth maps: GeoJSON reading and joining, projections, and the SVG paths and fills."""

from __future__ import annotations

import json
import re
import sys

import pytest

from conftest import SAMPLES, invoke
from elect.core.geo import _centre_longitude, join_units, projection_for, read_geojson

WIDE = SAMPLES / "stations-wide.csv"
GEO = SAMPLES / "stations-regions.geojson"


def test_read_geojson_keeps_polygons_and_counts_the_rest():
    features, skipped = read_geojson(GEO)
    assert [f.properties["NAME"] for f in features] == ["North", "South", "Capital City", "West"]
    assert skipped == 1  # the Point
    assert len(features[1].polygons) == 2 and len(features[2].polygons[0]) == 2  # hole


def test_a_key_given_twice_in_the_boundaries_is_refused(runner, tmp_path):
    text = GEO.read_text(encoding="utf-8")
    doubled = text.replace('"NAME":', '"NAME": "Ghost", "NAME":', 1)
    assert doubled != text
    geo = tmp_path / "doubled.geojson"
    geo.write_text(doubled, encoding="utf-8")
    line = doubled[: doubled.index('"Ghost"')].count("\n") + 1
    out = tmp_path / "m.svg"
    r = invoke(runner, "results", str(WIDE), "--geo", str(geo), "--choropleth", str(out))
    assert r.exit_code == 2
    assert f'doubled.geojson:{line}: duplicated key "NAME" in an object' in r.stderr
    assert not out.exists()


def test_join_picks_the_matching_property_and_lists_what_is_left():
    features, _ = read_geojson(GEO)
    units = [
        {"unit_id": "North", "name": "North"},
        {"unit_id": "South", "name": "South"},
        {"unit_id": "Capital City", "name": "capital  CITY"},
        {"unit_id": "Abroad", "name": "Abroad", "abroad": True},
        {"unit_id": "East", "name": "East"},
    ]
    join = join_units(units, features, None)
    assert join.key == "NAME"
    assert join.matches == {0: 0, 1: 1, 2: 2}
    assert join.unmatched_units == ["East"] and join.abroad == ["Abroad"]
    assert join.unmatched_features == ["West"]


def test_join_by_name_uses_the_alias_table():
    from elect.core.geo import Feature

    square = [[[(0, 0), (1, 0), (1, 1), (0, 0)]]]
    features = [Feature(0, {"shapeName": "Abay oblysy"}, square)]
    join = join_units([{"unit_id": "abai", "name": "Abai Region"}], features, None)
    assert join.matches == {0: 0}


def test_projection_suits_the_extent_and_the_antimeridian():
    features, _ = read_geojson(GEO)
    assert projection_for(features).name == "Albers equal-area conic"
    assert abs(_centre_longitude([170.0, 179.0, -179.0, -170.0])) == pytest.approx(180.0)
    assert _centre_longitude([20.0, 40.0]) == pytest.approx(30.0)


def _svg(runner, tmp_path, *args):
    pytest.importorskip("matplotlib")
    out = tmp_path / "map.svg"
    r = invoke(runner, "results", str(WIDE), "--geo", str(GEO), "--choropleth", str(out), *args)
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    paths = dict(
        re.findall(r'<g id="(unit-[^"]+)">\s*<path [^>]*?style="fill: (#[0-9a-f]{6})', text)
    )
    return r, text, paths


def test_svg_has_one_path_per_matched_unit_with_the_winner_fill(runner, tmp_path):
    from elect.cli.maps import nice_breaks, winner_fill

    r, text, paths = _svg(runner, tmp_path)
    assert sorted(paths) == ["unit-Capital_City", "unit-North", "unit-South"]
    # Alma Example leads everywhere (blue #0072B2). Lead shares 54.46 (North), 60.82 (South)
    # and 66.80 (Capital City) fall in the classes 50-55, 60-65 and 65-70 of four, mixed
    # 60 %, 20 % and 0 % towards white.
    assert nice_breaks(54.46, 66.80, classes=4) == [50, 55, 60, 65, 70]
    assert paths == {
        "unit-North": "#99c7e0",
        "unit-South": "#338ec1",
        "unit-Capital_City": "#0072b2",
    }
    assert winner_fill(0, 0, 4, False) == ("#99c7e0", "")
    assert text.count('id="feature-') == 1  # West: a feature with no unit, drawn grey
    assert "features with no unit (drawn grey): West" in r.stderr
    assert "abroad, not drawn: Abroad" in r.stderr


def test_svg_turnout_classes(runner, tmp_path):
    from elect.cli.maps import nice_breaks

    _, _, paths = _svg(runner, tmp_path, "--colour-by", "turnout")
    # North 73.79, South 59.97, Capital City 65.34 → classes 55-60, 65-70, 70-75.
    assert nice_breaks(59.97, 73.79) == [55, 60, 65, 70, 75]
    assert len(set(paths.values())) == 3


def test_greyscale_map_has_only_greys(runner, tmp_path):
    _, _, paths = _svg(runner, tmp_path, "--greyscale")
    for fill in paths.values():
        assert fill[1:3] == fill[3:5] == fill[5:7]


def test_png_and_errors(runner, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "map.png"
    r = invoke(runner, "-q", "results", str(WIDE), "--geo", str(GEO), "--choropleth", str(out))
    assert r.exit_code == 0 and out.read_bytes()[:4] == b"\x89PNG"
    r = invoke(runner, "results", str(WIDE), "--choropleth", str(tmp_path / "m.png"))
    assert r.exit_code == 2 and "--geo" in r.stderr
    r = invoke(runner, "results", str(WIDE), "--geo", str(GEO), "--choropleth", "m.pdf")
    assert r.exit_code == 2 and ".png or .svg" in r.stderr
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "Topology"}))
    r = invoke(runner, "results", str(WIDE), "--geo", str(bad), "--choropleth", str(out))
    assert r.exit_code == 2 and "FeatureCollection" in r.stderr


def test_map_without_matplotlib_says_how_to_get_it(runner, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "m.png"
    r = invoke(runner, "results", str(WIDE), "--geo", str(GEO), "--choropleth", str(out))
    assert r.exit_code == 2 and "pip install 'elect[plots]'" in r.stderr


def test_report_draws_the_regional_view(runner, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "regions.svg"
    r = invoke(runner, "report", str(WIDE), "--geo", str(GEO), "--choropleth", str(out))
    assert r.exit_code == 0, r.stderr
    assert out.read_text(encoding="utf-8").count('<g id="unit-') == 3


def test_bundled_election_maps_turnout_by_name_variants(runner, tmp_path):
    """No votes by region in the bundled file: the winner map falls back to turnout."""
    pytest.importorskip("matplotlib")
    from elect.cli.maps import nice_breaks

    # The file's spellings differ from the election's: Abai Region, Almaty (city), Astana (city).
    labels = ("Abay oblysy", "Almaty qalasy", "Nur-Sultan")
    feats = []
    for i, label in enumerate(labels):
        ring = [[60 + i, 45], [61 + i, 45], [61 + i, 46], [60 + i, 46], [60 + i, 45]]
        feats.append(
            {
                "type": "Feature",
                "properties": {"shapeName": label},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    geo = tmp_path / "kz.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    out = tmp_path / "kz.svg"
    r = invoke(runner, "report", "--geo", str(geo), "--choropleth", str(out))
    assert r.exit_code == 0, r.stderr
    assert "3 of 21 units joined" in r.stderr and "coloured by turnout" in r.stderr
    assert "units with no feature: Akmola Region" in r.stderr
    text = out.read_text(encoding="utf-8")
    assert {"unit-abai", "unit-almaty_city", "unit-astana"} <= set(
        re.findall(r'id="(unit-[^"]+)"', text)
    )
    assert nice_breaks(28.72, 80.18) == [20, 40, 60, 80, 100]

"""Boundaries for maps: GeoJSON read with the standard library, joined to units, projected.

Only Polygon and MultiPolygon geometries are drawn (other geometries are counted and
reported). Units are joined to features by a property (``--geo-key``); by default by
the property whose values match the most unit names or ids, names compared as
:func:`elect.core.names.name_key` compares them (so "Abay oblysy" finds "Abai Region").
Every unit without a feature and every feature without a unit is listed, never
dropped in silence; units abroad have no place on a map and are listed apart.

The projection suits the extent: an equal-area Albers conic with standard parallels
at 1/6 and 5/6 of the latitude span for a country or a continent, a cylindrical
equal-area one near the equator, and an equirectangular one scaled at the mean
latitude for a city or a county. Longitudes are centred on the middle of the extent,
so a country across the 180th meridian (Russia) stays in one piece.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, SelectionError
from .names import name_key

Ring = list[tuple[float, float]]


class GeoError(InputError):
    """A boundary file that cannot be read as GeoJSON polygons."""


@dataclass
class Feature:
    index: int
    properties: dict[str, Any]
    polygons: list[list[Ring]]  # each polygon: exterior ring, then holes


@dataclass
class Join:
    key: str  # the feature property used
    matches: dict[int, int]  # unit row → feature index
    unmatched_units: list[str] = field(default_factory=list)
    unmatched_features: list[str] = field(default_factory=list)
    abroad: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def read_geojson(path: str | Path) -> tuple[list[Feature], int]:
    """The polygon features of a GeoJSON file, and how many other geometries it had."""
    from .io.json_keys import check_keys, decoded_keys

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
        doc = json.loads(text)
    except FileNotFoundError:
        raise GeoError(
            "no such file",
            file=str(path),
            hint="check the path of the boundaries file",
            fix=("geo", "FILE.geojson"),
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeoError(
            f"not a GeoJSON file: {exc}",
            file=str(path),
            hint="give a .geojson FeatureCollection (ogr2ogr -f GeoJSON converts shapefiles)",
        ) from None
    # One rule for every JSON elect reads: a key given twice is refused, not the last kept.
    check_keys(text, decoded_keys(doc), str(path))
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        items = doc.get("features") or []
    elif isinstance(doc, dict) and doc.get("type") == "Feature":
        items = [doc]
    else:
        raise GeoError(
            "not a GeoJSON FeatureCollection",
            file=str(path),
            hint="TopoJSON and bare geometries are not read; convert with mapshaper or ogr2ogr",
        )
    features, skipped = [], 0
    for i, item in enumerate(items):
        geom = (item or {}).get("geometry") or {}
        polygons = _polygons(geom)
        if not polygons:
            skipped += 1
            continue
        features.append(Feature(i, dict(item.get("properties") or {}), polygons))
    if not features:
        raise GeoError(
            "no Polygon or MultiPolygon features",
            file=str(path),
            hint="a choropleth needs areas; points and lines cannot be coloured",
        )
    return features, skipped


def _polygons(geom: dict) -> list[list[Ring]]:
    kind = geom.get("type")
    # Any JSON value: a missing or malformed "coordinates" raises below and yields no polygon.
    coords: Any = geom.get("coordinates")
    try:
        if kind == "Polygon":
            return [[_ring(r) for r in coords]]
        if kind == "MultiPolygon":
            return [[_ring(r) for r in poly] for poly in coords]
        if kind == "GeometryCollection":
            return [p for g in geom.get("geometries") or [] for p in _polygons(g)]
    except (TypeError, ValueError, IndexError):
        return []
    return []


def _ring(coords) -> Ring:
    return [(float(pt[0]), float(pt[1])) for pt in coords]


def _key(value) -> str:
    return name_key(str(value)) if value not in (None, "") else ""


def join_units(units: list[dict[str, Any]], features: list[Feature], key: str | None) -> Join:
    """Match units (dicts with unit_id, name, abroad) to features by a property."""
    keys = [key] if key else _candidate_keys(features)
    if key and not any(key in f.properties for f in features):
        have = sorted({k for f in features for k in f.properties})
        raise SelectionError(
            f"no feature has the property {key!r}",
            hint=f"properties: {', '.join(have[:15])}",
        )
    best: Join | None = None
    for k in keys:
        join = _join_on(units, features, k)
        if best is None or len(join.matches) > len(best.matches):
            best = join
    assert best is not None
    return best


def _candidate_keys(features: list[Feature]) -> list[str]:
    seen: dict[str, None] = {}
    for f in features:
        for k, v in f.properties.items():
            if isinstance(v, (str, int)) and not isinstance(v, bool):
                seen.setdefault(k, None)
    return list(seen) or ["name"]


def _join_on(units: list[dict[str, Any]], features: list[Feature], key: str) -> Join:
    by_value: dict[str, int] = {}
    for f in features:
        v = _key(f.properties.get(key))
        if v:
            by_value.setdefault(v, f.index)
    join = Join(key, {})
    used: dict[int, str] = {}
    for row, unit in enumerate(units):
        label = str(unit.get("name") or unit.get("unit_id"))
        if unit.get("abroad"):
            join.abroad.append(label)
            continue
        hit = None
        for candidate in (unit.get("name"), unit.get("unit_id"), unit.get("code")):
            hit = by_value.get(_key(candidate))
            if hit is not None:
                break
        if hit is None:
            join.unmatched_units.append(label)
        elif hit in used:
            join.duplicates.append(f"{label} (same feature as {used[hit]})")
        else:
            used[hit] = label
            join.matches[row] = hit
    for f in features:
        if f.index not in used:
            join.unmatched_features.append(str(f.properties.get(key, f"feature #{f.index + 1}")))
    return join


@dataclass
class Projection:
    name: str
    lon0: float
    lat0: float
    fn: Any

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return self.fn(lon, lat)


def projection_for(features: list[Feature]) -> Projection:
    """A projection suited to the extent of FEATURES (see the module docstring)."""
    lons = sorted({round(x, 3) for f in features for p in f.polygons for x, _ in p[0]})
    lats = [y for f in features for p in f.polygons for _, y in p[0]]
    lon0 = _centre_longitude(lons)
    rel = [(x - lon0 + 540) % 360 - 180 for x in lons]
    lat_min, lat_max = min(lats), max(lats)
    lat0 = (lat_min + lat_max) / 2
    lon_span, lat_span = max(rel) - min(rel), lat_max - lat_min
    rad = math.radians

    def centred(lon: float) -> float:
        return rad((lon - lon0 + 540) % 360 - 180)

    if lon_span < 4 and lat_span < 3:
        k = math.cos(rad(lat0))
        return Projection(
            "equirectangular", lon0, lat0, lambda lon, lat: (centred(lon) * k, rad(lat))
        )
    phi1, phi2 = rad(lat_min + lat_span / 6), rad(lat_max - lat_span / 6)
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    if abs(n) < 0.1:  # near the equator: cylindrical equal-area at the mean latitude
        k = math.cos(rad(lat0))
        return Projection(
            "cylindrical equal-area",
            lon0,
            lat0,
            lambda lon, lat: (centred(lon) * k, math.sin(rad(lat)) / k),
        )
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(max(c - 2 * n * math.sin(rad(lat0)), 0.0)) / n

    def albers(lon: float, lat: float) -> tuple[float, float]:
        theta = n * centred(lon)
        rho = math.sqrt(max(c - 2 * n * math.sin(rad(lat)), 0.0)) / n
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)

    return Projection("Albers equal-area conic", lon0, lat0, albers)


def _centre_longitude(lons: list[float]) -> float:
    """The middle of the shortest arc holding every longitude (the 180th meridian aware)."""
    if not lons:
        return 0.0
    wrapped = sorted(((x + 180) % 360) - 180 for x in lons)
    gaps = [(wrapped[i + 1] - wrapped[i], i) for i in range(len(wrapped) - 1)]
    gaps.append((wrapped[0] + 360 - wrapped[-1], len(wrapped) - 1))
    gap, i = max(gaps)
    start = wrapped[(i + 1) % len(wrapped)]
    span = 360 - gap
    return ((start + span / 2 + 180) % 360) - 180

"""Choropleth maps of per-unit results through matplotlib (the ``plots`` extra), PNG or SVG.

Colour by winner (a colour per leading option, lighter where the lead share is
lower), by turnout or by one option's share (a single-hue scale in five classes).
``--greyscale`` draws grey levels with a hatch per leader, so the map survives a
black-and-white page. Each unit is one path (``id="unit-ID"`` in the SVG).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from elect.core.errors import ElectError

from .common import UsageError
from .context import Run

# Okabe-Ito: told apart by people with colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")
LIGHTEST = 0.6  # the smallest lead share class is mixed this far towards white
NO_DATA = "#d9d9d9"


class MissingPlotsError(ElectError):
    """matplotlib is not installed."""


def bundled_boundaries() -> Path | None:
    """The Kazakhstan 2022 regions shipped with elect, when a licensed file is bundled."""
    from importlib.resources import files

    p = Path(str(files("elect.fixtures").joinpath("kz-2022-regions.geojson")))
    return p if p.exists() else None


def draw_map(
    run: Run, res, election, target: str, *, geo, geo_key, colour_by, greyscale, bundled
) -> None:
    from elect.core.geo import join_units, read_geojson

    suffix = Path(target).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise UsageError(f"--choropleth {target!r}: unknown kind", hint="name a .png or .svg file")
    if geo is None:
        geo = bundled_boundaries() if bundled else None
        if geo is None:
            raise UsageError(
                "--choropleth needs boundaries",
                hint="give --geo FILE.geojson (README 'Maps' says where to get them)",
            )
    plt = _pyplot()
    features, skipped = read_geojson(geo)
    rows = list(res.flat_rows())
    join = join_units(rows, features, geo_key)
    _tell_join(run, join, len(rows), skipped, Path(str(geo)).name)
    fills, legend, what = _fills(run, res, rows, join, colour_by, greyscale)
    fig = _figure(plt, features, rows, join, fills)
    ax = fig.axes[0]
    _legends(ax, legend)
    level = {"region": "region", "district": "district", "station": "station"}[res.level]
    ax.set_title(f"{election.name}: {what} by {level}", fontsize=11, loc="left")
    from .plots import _source_line

    _source_line(fig, election)
    fig.text(0.99, 0.01, f"Boundaries: {Path(str(geo)).name}", fontsize=7, color="0.35", ha="right")
    _save(run, plt, fig, target, suffix, [election.file, str(geo)])


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:
        raise MissingPlotsError(
            "--choropleth needs matplotlib, which is not installed",
            hint="pip install 'elect[plots]'",
        ) from exc
    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "elect"  # the same SVG for the same data
    import matplotlib.pyplot as plt

    return plt


def _tell_join(run: Run, join, units: int, skipped: int, geo_name: str) -> None:
    run.notice(
        f"map: {len(join.matches)} of {units} units joined to {geo_name} by property {join.key!r}",
        "dim",
    )
    if join.abroad:
        run.notice(f"map: abroad, not drawn: {', '.join(join.abroad)}", "dim")
    if join.unmatched_units:
        run.notice(f"map: units with no feature: {', '.join(join.unmatched_units)}", "yellow")
    if join.unmatched_features:
        run.notice(
            f"map: features with no unit (drawn grey): {', '.join(join.unmatched_features)}",
            "yellow",
        )
    if join.duplicates:
        run.notice(f"map: one feature for two units: {', '.join(join.duplicates)}", "yellow")
    if skipped:
        run.notice(f"map: {skipped} feature(s) without polygons left out", "yellow")


def _mix(hex_colour: str, tint: float) -> str:
    """HEX_COLOUR mixed towards white by TINT (0 = as is, 1 = white)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * tint):02x}" for c in (r, g, b))


def tint(level: int, levels: int) -> float:
    """How far class LEVEL of LEVELS is mixed towards white (the top class: not at all)."""
    return 0.0 if levels < 2 else LIGHTEST * (1 - level / (levels - 1))


def winner_fill(order: int, level: int, levels: int, greyscale: bool) -> tuple[str, str]:
    """Fill and hatch of a unit won by the ORDER-th leader, lead share in class LEVEL."""
    if greyscale:
        grey = round(255 * (0.38 + 0.5 * tint(level, levels) / LIGHTEST))
        return f"#{grey:02x}{grey:02x}{grey:02x}", HATCHES[order % len(HATCHES)]
    return _mix(PALETTE[order % len(PALETTE)], tint(level, levels)), ""


def _fills(run: Run, res, rows, join, colour_by: str, greyscale: bool):
    """Per matched row: (fill, hatch); the legend entries; what the map shows."""
    key = colour_by.strip().lower()
    if key == "winner" and not any(rows[i]["leader"] or rows[i]["tie"] for i in join.matches):
        run.notice("map: no votes per option by unit in this file; coloured by turnout", "yellow")
        key = "turnout"
    fills: dict[int, tuple[str, str]] = {}
    legend: list[tuple[str, str, str, str, str]] = []  # fill, hatch, label, kind, group
    if key == "winner":
        leaders = [o for o in res.options if any(rows[i]["leader"] == o.id for i in join.matches)]
        order = {o.id: i for i, o in enumerate(leaders)}
        shares = [rows[i]["leader_share_pct"] for i in join.matches if rows[i]["leader"]]
        edges = nice_breaks(min(shares), max(shares), classes=4) if shares else [0.0, 100.0]
        levels = len(edges) - 1
        for i in join.matches:
            row = rows[i]
            if row["tie"]:
                fills[i] = ("#ffffff", "xx")
            elif row["leader"]:
                level = _class(row["leader_share_pct"], edges)
                fills[i] = winner_fill(order[row["leader"]], level, levels, greyscale)
        for o in leaders:
            fill, hatch = winner_fill(order[o.id], levels - 1, levels, greyscale)
            if greyscale:  # the hatch tells the leaders apart: show it on a light swatch
                fill = winner_fill(0, 0, levels, True)[0]
            legend.append((fill, hatch, o.name, "key", "Leader"))
        for level in range(levels):
            label = f"{edges[level]:g}–{edges[level + 1]:g}%"
            grey = winner_fill(0, level, levels, True)[0]
            fill = grey if greyscale else _mix("#808080", tint(level, levels))
            legend.append((fill, "", label, "shade", ""))
        if any(rows[i]["tie"] for i in join.matches):
            legend.append(("#ffffff", "xx", "tie", "key", "Leader"))
        what = "leader"
    else:
        if key == "turnout":
            column, what = "turnout_pct", "turnout"
        elif key.startswith("share:"):
            from elect.core.results_query import find_option

            option = find_option(res.options, colour_by.split(":", 1)[1])
            column, what = f"share:{option.id}", f"{option.name}'s share"
        else:
            raise UsageError(
                f"--colour-by {colour_by!r}: unknown", hint="winner, turnout or share:OPTION"
            )
        values = {i: rows[i][column] for i in join.matches if rows[i][column] is not None}
        if values:
            edges = nice_breaks(min(values.values()), max(values.values()))
            colours = _ramp(len(edges) - 1, greyscale)
            for i, v in values.items():
                fills[i] = (colours[_class(v, edges)], "")
            for c in range(len(edges) - 1):
                label = f"{edges[c]:g}–{edges[c + 1]:g}%"
                legend.append((colours[c], "", label, "key", what[:1].upper() + what[1:]))
    if join.unmatched_features:
        legend.append(("#f0f0f0", "", "not in the results", "key", what[:1].upper() + what[1:]))
    if any(i not in fills for i in join.matches):
        legend.append((NO_DATA, "///", "no data", "key", what[:1].upper() + what[1:]))
    return fills, legend, what


def nice_breaks(lo: float, hi: float, classes: int = 5) -> list[float]:
    """Class edges on round numbers (1, 2, 2.5 or 5 times a power of ten) covering lo..hi."""
    span = max(hi - lo, 1e-9)
    raw = span / classes
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    edges = [round(start + k * step, 6) for k in range(classes + 2)]
    while len(edges) > 2 and edges[-2] >= hi:
        edges.pop()
    return edges


def _class(v: float, edges: list[float]) -> int:
    for c in range(len(edges) - 1):
        if v < edges[c + 1]:
            return c
    return len(edges) - 2


def _ramp(n: int, greyscale: bool) -> list[str]:
    import matplotlib

    cmap = matplotlib.colormaps["Greys" if greyscale else "Blues"]
    return [matplotlib.colors.to_hex(cmap(0.15 + 0.8 * k / max(n - 1, 1))) for k in range(n)]


def _figure(plt, features, rows, join, fills):
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    from elect.core.geo import projection_for

    proj = projection_for(features)
    fig, ax = plt.subplots(figsize=(9, 6.5))
    by_feature = {f.index: f for f in features}
    drawn = set()
    for i, fi in join.matches.items():
        fill, hatch = fills.get(i, (NO_DATA, "///"))
        patch = PathPatch(
            _path(MPath, by_feature[fi], proj),
            facecolor=fill,
            hatch=hatch,
            edgecolor="white" if not hatch else "0.3",
            linewidth=0.5,
        )
        patch.set_gid("unit-" + _safe_id(rows[i]["unit_id"]))
        ax.add_patch(patch)
        drawn.add(fi)
    for f in features:
        if f.index not in drawn:
            patch = PathPatch(
                _path(MPath, f, proj), facecolor="#f0f0f0", edgecolor="white", linewidth=0.5
            )
            patch.set_gid(f"feature-{f.index}")
            ax.add_patch(patch)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.text(0.01, 0.035, f"Projection: {proj.name}", fontsize=6, color="0.5")
    return fig


def _path(MPath, feature, proj):
    verts, codes = [], []
    for polygon in feature.polygons:
        for k, ring in enumerate(polygon):
            if len(ring) < 3:
                continue
            pts = [proj(lon, lat) for lon, lat in ring]
            # Exterior anticlockwise, holes clockwise: the non-zero rule then leaves holes
            # open whatever winding the file used.
            if (_signed_area(pts) > 0) != (k == 0):
                pts.reverse()
            verts += pts + [pts[0]]
            codes += [MPath.MOVETO] + [MPath.LINETO] * (len(pts) - 1) + [MPath.CLOSEPOLY]
    return MPath(verts, codes)


def _signed_area(pts) -> float:
    return (
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True))
        / 2
    )


def _safe_id(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", str(text))


def _legends(ax, legend) -> None:
    """Beside the map: the main key, and the shading key under it when there is one.

    Figure legends (not axes ones), so that a tight bounding box keeps both whole.
    """
    main = [e for e in legend if e[3] != "shade"]
    shade = [e for e in legend if e[3] == "shade"]
    common = {
        "bbox_transform": ax.transAxes,
        "fontsize": 8,
        "title_fontsize": 8,
        "frameon": False,
        "alignment": "left",
    }
    fig = ax.figure
    if main:
        fig.legend(handles=_handles(main), title=main[0][4], loc="upper left",
                   bbox_to_anchor=(1.0, 1.0), **common)  # fmt: skip
    if shade:
        fig.legend(handles=_handles(shade), title="Lead share", loc="lower left",
                   bbox_to_anchor=(1.0, 0.0), **common)  # fmt: skip


def _handles(legend):
    import textwrap

    from matplotlib.patches import Patch

    legend = [(f, h, textwrap.fill(lbl, 30)) for f, h, lbl, *_ in legend]
    return [
        Patch(facecolor=f, hatch=h, edgecolor="0.4", linewidth=0.4, label=lbl)
        for f, h, lbl in legend
    ]


def _save(run: Run, plt, fig, target: str, suffix: str, inputs) -> None:
    import io

    from .output import check_not_input, write_bytes

    check_not_input(str(target), [*run.inputs, *(str(i) for i in inputs or [] if i)])
    buf = io.BytesIO()
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    if suffix == ".svg":
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    else:
        fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    write_bytes(run, str(target), buf.getvalue(), "--choropleth")

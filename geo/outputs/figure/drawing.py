"""What the figure draws on the map: land, graticule, reach regions and rings, paths, markers, scale bar,
legend keys; shapely geometries as matplotlib paths.

Examples
--------
>>> _nice(7_300.0), _nice(0.42)
(5000.0, 0.2)
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry.polygon import orient

from ...analysis.assessment import VERDICTS
from ...core.geodesy import HALF_MERIDIAN_KM
from ..formatting import KM_PER_UNIT, length, number, to_units
from ..style import PALETTE, VERDICT_COLORS
from .projection import Projection

__all__ = ["graticule", "draw_rings", "anchors", "draw_points", "scale_bar", "legend_handles", "to_path"]


def graticule() -> list:
    """Meridians and parallels every 30°, densified, in lon/lat."""
    lat, lon = np.linspace(-90, 90, 361), np.linspace(-180, 180, 721)
    return ([shapely.LineString(np.column_stack([np.full_like(lat, m), lat])) for m in range(-180, 180, 30)]
            + [shapely.LineString(np.column_stack([lon, np.full_like(lon, p)])) for p in (-60, -30, 0, 30, 60)])


def draw_rings(ax, proj, a, clip, units: str, fs) -> list:
    """Per site × missile: certain reach shaded, band lighter, nominal outline solid, a minimum
    range dotted around its hole. Returns the ring label requests: (outline x, y, text, style)."""
    az, labels = np.linspace(0.0, 360.0, 1441), []
    sites, missiles = a.sites, a.missiles
    edge_labels = len(sites) * len(missiles) <= 3

    def outline(si, km):
        s = sites[si]
        dist = np.minimum(a.reach_profile(si, km, az), HALF_MERIDIAN_KM)
        return proj.geodesic(s.lat, s.lon, az, dist)

    for si, s in enumerate(sites):
        for mi, m in enumerate(missiles):
            color = PALETTE[mi % len(PALETTE)]
            disc = _ring_region(proj, a, si, mi, m.certain_km, clip)
            ax.add_artist(PathPatch(to_path(disc), facecolor=color, alpha=0.16, edgecolor="none", zorder=2,
                                    gid=f"reach-{si}-{mi}"))
            if m.max_km > m.certain_km:
                band = shapely.difference(shapely.union_all(_ring_region(proj, a, si, mi, m.max_km, clip)),
                                          shapely.union_all(disc))
                ax.add_artist(PathPatch(to_path([band]), facecolor=color, alpha=0.07, edgecolor="none", zorder=2,
                                        gid=f"band-{si}-{mi}"))
            xy = outline(si, m.range_km)
            ax.plot(*xy, color=color, linewidth=1.6, zorder=3, gid=f"ring-{si}-{mi}")
            if si == 0:
                labels.append((*xy, f"{m.name} {length(m.range_km, units)}",
                               dict(color=color, fontsize=fs["ring"], fontweight="bold")))
            for km in sorted({m.certain_km, m.max_km} - {m.range_km}):
                xy = outline(si, km)
                ax.plot(*xy, color=color, linewidth=0.7, linestyle=(0, (4, 2)), zorder=3)
                if si == 0 and edge_labels:
                    labels.append((*xy, length(km, units), dict(color=color, fontsize=fs["ring"] - 1)))
            if m.min_range_km:
                xy = proj.geodesic(s.lat, s.lon, az, m.min_range_km)
                ax.plot(*xy, color=color, linewidth=0.8, linestyle=(0, (1, 1.5)), zorder=3, gid=f"minimum-{si}-{mi}")
    return labels


def anchors(a) -> list:
    """Where each target is drawn and labelled: a point or place itself; a whole country at its
    nearest point from the first site."""
    from ...catalog.tables import Place

    out = []
    for ti, t in enumerate(a.targets):
        ends = a.extremes(0, 0, ti) if a.sites and a.missiles else None
        out.append(t if ends is None else Place(t.name, ends[0].lat, ends[0].lon))
    return out


def _countries(ax, proj, a, clip) -> list:
    """Per country target: the part within reach of each site × missile shaded in the in-range colour,
    its nearest point (diamond, coloured by that point's verdict) and farthest point (hollow square)
    from each site. Returns the markers as (x, y data, size in points)."""
    marks = []
    for ti in (i for i, k in enumerate(a.target_kinds) if k == "country"):
        for si in range(len(a.sites)):
            for mi in range(len(a.missiles)):
                part = a.in_range_part(si, mi, ti)
                if part is not None and not part.is_empty:
                    ax.add_artist(PathPatch(to_path(proj.geometries([part], clip)),
                                            facecolor=VERDICT_COLORS["in range"], alpha=0.45,
                                            edgecolor=VERDICT_COLORS["in range"], linewidth=0.6, zorder=2.5,
                                            gid=f"in-range-part-{si}-{mi}-{ti}"))
            nearest, farthest = a.extremes(si, 0, ti)
            code = int(a.verdict_code[si, :, ti].min())
            for p, marker, face, gid in ((nearest, "D", VERDICT_COLORS[VERDICTS[code]], "nearest"),
                                         (farthest, "s", "none", "farthest")):
                xy = tuple(float(v) for v in proj.xy(p.lon, p.lat))
                ax.plot(*xy, marker=marker, markersize=6.0, color=face, markerfacecolor=face,
                        markeredgecolor="#222222", markeredgewidth=0.9, linestyle="none", zorder=5,
                        gid=f"{gid}-{si}-{ti}")
                marks.append((xy, 6.0))
    return marks


def draw_points(ax, proj, a, best, clip) -> list:
    """Geodesics from sites to targets (when few; to a country's nearest point), site triangles,
    target dots by verdict; a country as :func:`_countries` draws it.

    Returns the markers as (x, y data, size in points)."""
    sites, targets, kinds = a.sites, anchors(a), a.target_kinds
    n = len(targets)
    if len(sites) * n <= 12 or n <= 20:
        for si, s in enumerate(sites if len(sites) * n <= 12 else sites[:1]):
            for ti, t in enumerate(targets):
                # to a country's nearest point: the assessment's distance and bearing are that point's
                bearing, dist = float(a.bearing_deg[si, ti]), float(a.distance_km[si, ti])
                ax.plot(*proj.geodesic(s.lat, s.lon, bearing, np.linspace(0, dist, 200)),
                        color="#333333", linewidth=0.7, linestyle=(0, (1, 2)), zorder=3.5)
    dot = 7.0 if n <= 30 else 5.5 if n <= 100 else 4.5
    marks = []
    for s in sites:
        xy = tuple(float(v) for v in proj.xy(s.lon, s.lat))
        ax.plot(*xy, marker="^", markersize=8, color="black", markeredgecolor="white", zorder=5, gid="site")
        marks.append((xy, 8.0))
    for t, verdict, kind in zip(targets, best, kinds):
        if kind == "country":
            continue
        xy = tuple(float(v) for v in proj.xy(t.lon, t.lat))
        ax.plot(*xy, marker="o", markersize=dot, color=VERDICT_COLORS[VERDICTS[verdict]],
                markeredgecolor="#222222", markeredgewidth=0.8 if n <= 30 else 0.5, zorder=5, gid="target")
        marks.append((xy, dot))
    return marks + _countries(ax, proj, a, clip)


def _nice(value: float) -> float:
    """The largest 1, 2 or 5 × 10^n not above `value`."""
    p = 10.0 ** math.floor(math.log10(value))
    return max(m * p for m in (1.0, 2.0, 5.0) if m * p <= value)


def scale_bar(ax, proj, units: str, fs, map_w: float):
    """A scale bar at the lower left (true along every line through the centre); returns its box (pixels)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    span_units = to_units((x1 - x0) / 1000.0, units)
    step = _nice(span_units / 8.0)
    bar_m = 2 * step * KM_PER_UNIT[units] * 1000.0
    left, base = x0 + 0.04 * (x1 - x0), y0 + 0.045 * (y1 - y0)
    thick = 0.007 * (y1 - y0)
    for i, colour in enumerate(("#333333", "white")):
        ax.add_patch(Rectangle((left + i * bar_m / 2, base), bar_m / 2, thick, facecolor=colour,
                               edgecolor="#333333", linewidth=0.6, zorder=7, gid="scale-bar"))
    texts = []
    for i in range(3):
        text = number(i * step) + (f" {units}" if i == 2 else "")
        texts.append(ax.text(left + i * bar_m / 2, base + 1.8 * thick, text,
                             fontsize=fs["label"] - 1, ha="center", va="bottom", zorder=7, parse_math=False,
                             gid="scale-text"))
    texts.append(ax.text(left, base - 0.8 * thick, "true along lines through the centre", fontsize=fs["label"] - 2,
                         ha="left", va="top", color="#444444", zorder=7, parse_math=False, gid="scale-text"))
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    bx0, by0 = ax.transData.transform((left, base))
    bx1, _ = ax.transData.transform((left + bar_m, base))
    pad = 4 * ax.figure.dpi / 72
    return (min(bx0, *(b.x0 for b in boxes)) - pad, min(by0, *(b.y0 for b in boxes)) - pad,
            max(bx1, *(b.x1 for b in boxes)) + pad, max(b.y1 for b in boxes) + pad)


def legend_handles(missiles, verdicts_shown, units: str, *, countries: bool = False) -> list:
    """The legend keys: one per missile (with its band), the launch site, each verdict shown, a country's marks."""
    def label(m) -> str:
        band = (f" (band {number(to_units(m.certain_km, units))}–{length(m.max_km, units)})"
                if m.max_km > m.certain_km else "")
        return f"{m.name}: {length(m.range_km, units)}{band}"

    handles = [Patch(facecolor=PALETTE[i % len(PALETTE)], alpha=0.5, edgecolor=PALETTE[i % len(PALETTE)],
                     label=label(m)) for i, m in enumerate(missiles)]
    handles.append(Line2D([], [], marker="^", color="black", linestyle="none", label="launch site"))
    handles += [Line2D([], [], marker="o", color=VERDICT_COLORS[VERDICTS[v]], markeredgecolor="#222222",
                       linestyle="none", label=f"target {VERDICTS[v]}") for v in verdicts_shown]
    if countries:
        handles += [Patch(facecolor=VERDICT_COLORS["in range"], alpha=0.45, edgecolor=VERDICT_COLORS["in range"],
                          label="part of a country within range"),
                    Line2D([], [], marker="D", color="#777777", markeredgecolor="#222222", linestyle="none",
                           label="its nearest point"),
                    Line2D([], [], marker="s", color="none", markeredgecolor="#222222", linestyle="none",
                           label="its farthest point")]
    return handles


def _ring_region(proj, a, si: int, mi: int, km: float, clip) -> list:
    """The planar region within reach `km` of site `si` (less any dead zone), as the assessment has it:
    a true circle around the centre in the geodesic model of the site view, else the projected region."""
    site, m = a.sites[si], a.missiles[mi]
    km = min(km, HALF_MERIDIAN_KM)
    if isinstance(proj, Projection) and a.model == "geodesic" and (site.lat, site.lon) == (proj.lat, proj.lon):
        disc = shapely.Point(0, 0).buffer(km * 1000.0, quad_segs=360)
        if m.min_range_km:
            disc = disc.difference(shapely.Point(0, 0).buffer(m.min_range_km * 1000.0, quad_segs=360))
        return [disc.intersection(clip)]
    return proj.geometries([a.reach_region(si, mi, km)], clip)


def to_path(geoms) -> MplPath:
    """One compound matplotlib path of shapely polygons (exteriors CCW, holes CW) and lines."""
    paths = []
    for g in shapely.get_parts(np.asarray(geoms, dtype=object)):
        if isinstance(g, shapely.Polygon):
            g = orient(g, 1.0)
            paths += [MplPath(np.asarray(r.coords), closed=True) for r in (g.exterior, *g.interiors)]
        elif isinstance(g, shapely.LineString) and len(g.coords) > 1:
            paths.append(MplPath(np.asarray(g.coords)))
    return MplPath.make_compound_path(*paths) if paths else MplPath(np.empty((0, 2)))

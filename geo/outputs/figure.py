"""Print figures: range rings on an azimuthal equidistant map, saved as PNG, SVG or PDF.

The map is centred on the first launch site in the azimuthal equidistant projection
on WGS84 (PROJ ``aeqd``, Karney's geodesics): every distance from that site is true,
so its range rings are exact circles and its geodesics to the targets are straight.
Rings around other sites are projected from the exact lon/lat regions. Near the
antipode of the centre the projection degenerates (the antipode maps to the whole
rim), so nothing is drawn beyond 97% of half a meridian from the centre.

All text comes from the user's data and is printed literally (no mathtext: a name
with ``$`` stays as typed). Matplotlib is used without pyplot: no display needed.

Examples
--------
>>> from geo.catalog import default_catalog
>>> cat = default_catalog()
>>> fig = figure(cat.site("Chagang"), cat.missile("Hwasong-12"), cat.target("Guam"))
>>> fig.texts[0].get_text()
'Hwasong-12 range from Hoejung-ri missile operating base (Chagang)'
"""

from __future__ import annotations

import io
from functools import reduce
from pathlib import Path

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.textpath import text_to_path
from matplotlib.transforms import Bbox
from pyproj import Transformer
from shapely.geometry.polygon import orient

from ..catalog.countries import COUNTRIES_SOURCE, country_outlines
from ..errors import InputError
from .files import check_writable, write_atomic
from ..core.geodesy import HALF_MERIDIAN_KM, WGS84, inverse
from ..analysis.assessment import VERDICTS, as_assessment
from ..analysis.regions import reach_function, region
from ..analysis.scenario import MODEL_DESCRIPTIONS
from .style import PALETTE, VERDICT_COLORS
from ..core.rings import range_ring

__all__ = ["figure", "save_figure", "Projection", "FORMATS", "PALETTE", "VERDICT_COLORS", "CUT"]

#: File formats :func:`save_figure` writes.
FORMATS = ("png", "svg", "pdf")
#: Nothing is drawn farther from the centre than this fraction of half a meridian.
CUT = 0.97

_OCEAN, _LAND, _BORDER, _GRID = "#DCE9F2", "#F4F1EA", "#A09A90", "#9FB3C4"
# Labels sit on a soft white box (not a stroke effect, which would turn SVG/PDF text into paths).
_TEXT = dict(parse_math=False, annotation_clip=True, zorder=6, textcoords="offset points",
             bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.72))
# Text stays text in SVG and PDF; unhinted glyphs keep the same width at every PNG resolution.
_RC = {"svg.fonttype": "none", "svg.hashsalt": "rangemap", "pdf.fonttype": 42, "font.family": "DejaVu Sans",
       "text.hinting": "no_hinting"}


class Projection:
    """Azimuthal equidistant projection on WGS84 centred on (`lat`, `lon`), in metres.

    Examples
    --------
    >>> p = Projection(41.369883, 126.913631)
    >>> x, y = p.xy(144.92444, 13.58111)                         # Guam
    >>> round(float(np.hypot(x, y)) / 1000, 3)                  # its geodesic distance, km
    3540.258
    """

    def __init__(self, lat: float, lon: float):
        self.lat, self.lon = float(lat), float(lon)
        crs = f"+proj=aeqd +lat_0={self.lat!r} +lon_0={self.lon!r} +ellps=WGS84 +units=m +no_defs"
        self._fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        #: Radius, in metres, beyond which nothing is drawn, and the disc it bounds.
        self.cut_m = CUT * HALF_MERIDIAN_KM * 1000.0
        self.disc = shapely.Point(0.0, 0.0).buffer(self.cut_m, quad_segs=256)
        antipode_lon = self.lon - 180.0 if self.lon > 0 else self.lon + 180.0
        # Regions lose a cap around the antipode before projecting (it maps onto the whole rim).
        self._cap = range_ring(-self.lat, antipode_lon, 0.8 * (1.0 - CUT) * HALF_MERIDIAN_KM)

    def xy(self, lon, lat):
        """Project lon/lat (degrees, arrays or scalars) to x, y (metres)."""
        x, y = self._fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def lonlat(self, x, y):
        """Inverse projection: x, y (metres) to lon, lat (degrees)."""
        lon, lat = self._fwd.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                                       direction="INVERSE")
        return np.asarray(lon), np.asarray(lat)

    def geometries(self, geoms, clip, tolerance: float = 0.0) -> list:
        """Project lon/lat polygons or lines and clip them to `clip`, a planar polygon.

        Edges are densified to 0.5° after the cap around the antipode is cut out. Each
        projected polygon is rebuilt from its rings by the even-odd rule, so a region
        surrounding the antipode (whose hole then encloses its outline) comes out right.
        With a `tolerance` (metres) the result is simplified: detail finer than the
        printed line width only bloats SVG and PDF files.
        """
        geoms = np.asarray(geoms, dtype=object)
        geoms = np.where(shapely.intersects(geoms, self._cap), shapely.difference(geoms, self._cap), geoms)
        parts = shapely.get_parts(shapely.segmentize(geoms, 0.5))
        parts = shapely.transform(parts, lambda c: np.column_stack(self.xy(c[:, 0], c[:, 1])))
        for i, part in enumerate(parts):
            if isinstance(part, shapely.Polygon) and part.interiors:
                rings = [shapely.make_valid(shapely.Polygon(r)) for r in (part.exterior, *part.interiors)]
                parts[i] = reduce(shapely.symmetric_difference, rings)
            elif not part.is_valid:
                parts[i] = shapely.make_valid(part)
        out = shapely.intersection(parts, clip)
        out = out[~shapely.is_empty(out)]
        return list(shapely.simplify(out, tolerance) if tolerance else out)

    def geodesic(self, lat, lon, az, dist_km):
        """Points along geodesics from (`lat`, `lon`), projected; NaN beyond the cut radius.

        `az` (degrees) and `dist_km` broadcast: many azimuths at one distance trace a
        range ring, one azimuth at many distances traces a path.
        """
        az, dist = np.broadcast_arrays(np.asarray(az, dtype=float), np.asarray(dist_km, dtype=float))
        lons, lats, _ = WGS84.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, dist * 1000.0)
        x, y = self.xy(lons, lats)
        far = np.hypot(x, y) > self.cut_m
        return np.where(far, np.nan, x), np.where(far, np.nan, y)


def figure(sites, missiles=(), targets=(), *, title: str | None = None, width_in: float = 7.5,
           model: str = "geodesic") -> Figure:
    """A print-ready map of range rings around launch sites, with targets coloured by verdict.

    Parameters
    ----------
    sites, missiles, targets : Assessment, or sequence or single item
        An :class:`~geo.analysis.assessment.Assessment` (drawn as computed), or places and
        missiles: objects, catalog names, ``"LAT,LON"`` for places, or a range in km for a
        missile. The map is centred on the first site.
    title : str, optional
        By default "<missiles> range from <sites>".
    width_in : float
        Figure width in inches; the height follows from the legend and caption.
    model : {"geodesic", "rotating"}
        Reach model when `sites` is not an Assessment; under ``"rotating"`` the regions drawn
        are the rotating-Earth footprints the verdicts use.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; write it with :func:`save_figure`.

    Raises
    ------
    geo.errors.InputError
        For no site or no missile.
    geo.errors.NotFoundError
        For a name that matches nothing in the catalogs.
    """
    a = as_assessment(sites, missiles, targets, model=model, what="a figure")
    sites, missiles, targets = a.sites, a.missiles, a.targets
    proj = Projection(sites[0].lat, sites[0].lon)
    dist = [inverse(proj.lat, proj.lon, p.lat, p.lon).distance_km for p in (*sites, *targets)]
    reach = max(float(np.max(reach_function(a.model, s.lat, s.lon, m.max_km)(np.arange(0.0, 360.0, 1.0))))
                for s in sites for m in missiles)
    extent = 1000.0 * min(1.1 * max([reach + d for d in dist[:len(sites)]] + dist[len(sites):]),
                          1.03 * HALF_MERIDIAN_KM)
    with matplotlib.rc_context(_RC):
        return _draw(proj, a, title, width_in, extent)


def _draw(proj, a, title, width_in, extent) -> Figure:
    sites, missiles, targets = a.sites, a.missiles, a.targets
    best = [VERDICTS.index(a.best_verdict(ti)) for ti in range(len(targets))]
    handles = _legend_handles(missiles, sorted(set(best)))
    ncols = max(1, min(3, int((width_in - 0.5) * 72 / (4.2 * max(len(h.get_label()) for h in handles) + 30))))
    names = ", ".join(dict.fromkeys(m.name for m in missiles))
    noun = "" if all(m.name.endswith(" range") for m in missiles) else " ranges" if len(missiles) > 1 else " range"
    title = _wrap(title or f"{names}{noun} from {', '.join(s.name for s in sites)}", width_in - 0.5, 12, "bold")
    shading = ("Shaded: the reach every source agrees on; lighter: the band where sources disagree. "
               if any(m.max_km > m.certain_km for m in missiles) else "Shaded: within range. ")
    if a.model == "rotating":
        shading = "Reach on a rotating Earth (farther eastward, shorter westward). " + shading
    if any(m.min_range_km for m in missiles):
        shading += "Unshaded hole: under the minimum range. "
    sub = _wrap(f"{shading}Distances from {sites[0].name} are true to scale.", width_in - 0.5, 8)
    caption = _wrap(_caption(missiles, sites, targets, a.model), width_in - 0.5, 6.5)
    side, top = width_in - 0.5, 0.42 + 0.24 * len(title) + 0.15 * len(sub)
    legend_h = 0.18 * -(-len(handles) // ncols)
    height = top + side + 0.08 + legend_h + 0.06 + 0.125 * len(caption) + 0.15

    fig = Figure(figsize=(width_in, height))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.25 / width_in, (height - top - side) / height, side / width_in, side / height))
    ax.set(xlim=(-extent, extent), ylim=(-extent, extent), aspect="equal", xticks=[], yticks=[])
    for spine in ax.spines.values():
        spine.set(linewidth=0.6, color="#777777", visible=extent < proj.cut_m)
    clip = shapely.box(-extent, -extent, extent, extent).intersection(proj.disc)
    ax.add_artist(PathPatch(_path([clip]), facecolor=_OCEAN, edgecolor="#B5C4D1", linewidth=0.5, zorder=0))
    fine = 2.0 * extent / (side * 72.0 * 5.0)        # a fifth of a printed point
    ax.add_artist(PathPatch(_path(proj.geometries(country_outlines(), clip, fine)), facecolor=_LAND,
                            edgecolor=_BORDER, linewidth=0.35, zorder=1, gid="countries"))
    ax.add_artist(PathPatch(_path(proj.geometries(_graticule(), clip)), facecolor="none", edgecolor=_GRID,
                            linewidth=0.3, zorder=1.5, gid="graticule"))
    ring_labels = _rings(ax, proj, a, clip)
    point_labels = _points(ax, proj, sites, targets, best)
    _place_labels(fig, ax, point_labels + ring_labels)

    left = 0.25 / width_in
    fig.text(left, 1 - 0.22 / height, "\n".join(title), fontsize=12, fontweight="bold", va="top",
             linespacing=1.2, parse_math=False)
    fig.text(left, 1 - (0.34 + 0.24 * len(title)) / height, "\n".join(sub), fontsize=8, color="#444444",
             va="top", linespacing=1.3, parse_math=False)
    legend = fig.legend(handles=handles, loc="upper left", ncols=ncols, frameon=False, fontsize=7.5,
                        bbox_to_anchor=(left - 0.05 / width_in, (height - top - side - 0.06) / height),
                        handlelength=1.6, columnspacing=1.5, borderaxespad=0.0)
    for t in legend.get_texts():
        t.set_parse_math(False)
    fig.text(left, (0.15 + 0.125 * len(caption)) / height, "\n".join(caption), fontsize=6.5, color="#444444",
             va="top", linespacing=1.4, parse_math=False, gid="caption")
    return fig


def _graticule() -> list:
    """Meridians and parallels every 30°, densified, in lon/lat."""
    lat, lon = np.linspace(-90, 90, 361), np.linspace(-180, 180, 721)
    return ([shapely.LineString(np.column_stack([np.full_like(lat, m), lat])) for m in range(-180, 180, 30)]
            + [shapely.LineString(np.column_stack([lon, np.full_like(lon, p)])) for p in (-60, -30, 0, 30, 60)])


def _rings(ax, proj: Projection, a, clip) -> list:
    """Per site × missile: certain reach shaded, band lighter, nominal outline solid, a minimum
    range dotted around its hole; label requests."""
    az, labels = np.linspace(0.0, 360.0, 1441), []
    sites, missiles = a.sites, a.missiles
    edge_labels = len(sites) * len(missiles) <= 3

    def outline(s, km):
        dist = np.minimum(reach_function(a.model, s.lat, s.lon, km)(az), HALF_MERIDIAN_KM)
        return proj.geodesic(s.lat, s.lon, az, dist)

    for si, s in enumerate(sites):
        for mi, m in enumerate(missiles):
            color = PALETTE[mi % len(PALETTE)]
            disc = _ring_region(proj, a, si, mi, m.certain_km, clip)
            ax.add_artist(PathPatch(_path(disc), facecolor=color, alpha=0.16, edgecolor="none", zorder=2))
            if m.max_km > m.certain_km:
                band = shapely.difference(shapely.union_all(_ring_region(proj, a, si, mi, m.max_km, clip)),
                                          shapely.union_all(disc))
                ax.add_artist(PathPatch(_path([band]), facecolor=color, alpha=0.07, edgecolor="none", zorder=2))
            xy = outline(s, m.range_km)
            ax.plot(*xy, color=color, linewidth=1.6, zorder=3, gid=f"ring-{si}-{mi}")
            if si == 0:
                labels.append((False, _along(*xy), f"{m.name} {_km(m.range_km)}",
                               dict(color=color, fontsize=8, fontweight="bold")))
            for km in sorted({m.certain_km, m.max_km} - {m.range_km}):
                xy = outline(s, km)
                ax.plot(*xy, color=color, linewidth=0.7, linestyle=(0, (4, 2)), zorder=3)
                if si == 0 and edge_labels:
                    labels.append((False, _along(*xy), _km(km), dict(color=color, fontsize=7)))
            if m.min_range_km:
                xy = proj.geodesic(s.lat, s.lon, az, m.min_range_km)
                ax.plot(*xy, color=color, linewidth=0.8, linestyle=(0, (1, 1.5)), zorder=3, gid=f"minimum-{si}-{mi}")
    return labels


def _along(x, y) -> list:
    """Label positions along a ring every 5°, from its upper left onwards, rotated with the ring."""
    if not np.isfinite(x).any():
        return []
    centre, spots = np.array([np.nanmean(x), np.nanmean(y)]), []
    for i in range(20, len(x) - 1, 20):
        if np.isfinite([x[i - 1], x[i], x[i + 1]]).all():
            angle = np.degrees(np.arctan2(y[i + 1] - y[i - 1], x[i + 1] - x[i - 1]))
            where = np.degrees(np.arctan2(y[i] - centre[1], x[i] - centre[0]))
            spots.append((abs((where - 135.0 + 180.0) % 360.0 - 180.0), (x[i], y[i]), (0, 0),
                          dict(ha="center", va="center", rotation=(angle + 90.0) % 180.0 - 90.0)))
    return [spot[1:] for spot in sorted(spots, key=lambda s: s[0])]


def _points(ax, proj: Projection, sites, targets, best) -> list:
    """Geodesics from sites to targets, site triangles, target dots by verdict; label requests."""
    for s in sites if len(sites) * len(targets) <= 12 else sites[:1]:
        for t in targets:
            inv = inverse(s.lat, s.lon, t.lat, t.lon)
            ax.plot(*proj.geodesic(s.lat, s.lon, inv.bearing_deg, np.linspace(0, inv.distance_km, 200)),
                    color="#333333", linewidth=0.7, linestyle=(0, (1, 2)), zorder=3.5)
    around = [((7, 0), dict(ha="left", va="center")), ((-7, 0), dict(ha="right", va="center")),
              ((0, 7), dict(ha="center", va="bottom")), ((0, -8), dict(ha="center", va="top"))]
    labels, marks = [], []
    for s in sites:
        xy = proj.xy(s.lon, s.lat)
        marks += ax.plot(*xy, marker="^", markersize=8, color="black", markeredgecolor="white", zorder=5)
        labels.append((True, [(xy, *a) for a in around[::-1]], s.name, dict(fontsize=7.5)))
    for t, verdict in zip(targets, best):
        xy = proj.xy(t.lon, t.lat)
        marks += ax.plot(*xy, marker="o", markersize=7, color=VERDICT_COLORS[VERDICTS[verdict]],
                         markeredgecolor="#222222", markeredgewidth=0.8, zorder=5)
        label = f"{t.name}\n{_km(inverse(proj.lat, proj.lon, t.lat, t.lon).distance_km)}"
        labels.append((True, [(xy, *a) for a in around], label, dict(fontsize=7.5)))
    return [(True, [(m.get_xydata()[0], (0, 0), {})], None, {}) for m in marks] + labels


def _place_labels(fig, ax, requests) -> None:
    """Place labels greedily at the first candidate spot that overlaps nothing placed before.

    Each request is (required, candidates, text, style) with candidates (xy, offset
    in points, text options). A required label that fits nowhere takes its first spot;
    an optional one is left out. Text None reserves a marker's place.
    """
    renderer = fig.canvas.get_renderer()
    frame, taken = ax.get_window_extent(renderer), []
    for required, spots, text, style in requests:
        if text is None:
            x, y = ax.transData.transform(spots[0][0])
            taken.append(Bbox.from_extents(x - 5, y - 5, x + 5, y + 5))
            continue
        for k, (xy, offset, options) in enumerate(spots + (spots[:1] if required else [])):
            label = ax.annotate(text, xy, xytext=offset, **_TEXT, **style, **options)
            box = label.get_window_extent(renderer).padded(1.5)
            fits = frame.containsx(box.x0) and frame.containsx(box.x1) and frame.containsy(box.y0) \
                and frame.containsy(box.y1) and not any(box.overlaps(b) for b in taken)
            if fits or k == len(spots):
                taken.append(box)
                break
            label.remove()


def _legend_handles(missiles, verdicts_shown) -> list:
    handles = [Patch(facecolor=PALETTE[i % len(PALETTE)], alpha=0.5, edgecolor=PALETTE[i % len(PALETTE)],
                     label=f"{m.name}: {_km(m.range_km)}" + (f" (band {m.certain_km:,.0f}–{_km(m.max_km)})"
                                                            if m.max_km > m.certain_km else ""))
               for i, m in enumerate(missiles)]
    handles.append(Line2D([], [], marker="^", color="black", linestyle="none", label="launch site"))
    return handles + [Line2D([], [], marker="o", color=VERDICT_COLORS[VERDICTS[v]], markeredgecolor="#222222",
                             linestyle="none", label=f"target {VERDICTS[v]}") for v in verdicts_shown]


def _caption(missiles, sites, targets, model: str = "geodesic") -> str:
    """Every source, then the method."""
    def part(kind, rows):
        return f"{kind}: " + "; ".join(f"{r.name} — {r.source or 'source not given'}" for r in rows) + ". "
    return (part("Ranges", missiles) + part("Launch sites" if len(sites) > 1 else "Launch site", sites)
            + (part("Targets", targets) if targets else "")
            + f"Country outlines: {COUNTRIES_SOURCE}. Ranges are public estimates. Reach model: "
            f"{MODEL_DESCRIPTIONS[model]}; azimuthal equidistant projection centred on {sites[0].name}.")


def _ring_region(proj: Projection, a, si: int, mi: int, km: float, clip) -> list:
    """The planar region within reach `km` of site `si` (less any dead zone), as the assessment has it:
    a true circle around the centre in the geodesic model, else the projected region."""
    site, m = a.sites[si], a.missiles[mi]
    km = min(km, HALF_MERIDIAN_KM)
    if a.model == "geodesic" and (site.lat, site.lon) == (proj.lat, proj.lon):
        disc = shapely.Point(0, 0).buffer(km * 1000.0, quad_segs=360)
        if m.min_range_km:
            disc = disc.difference(shapely.Point(0, 0).buffer(m.min_range_km * 1000.0, quad_segs=360))
        return [disc.intersection(clip)]
    return proj.geometries([region(a.model, site.lat, site.lon, km, min_range_km=m.min_range_km)], clip)


def _path(geoms) -> MplPath:
    """One compound matplotlib path of shapely polygons (exteriors CCW, holes CW) and lines."""
    paths = []
    for g in shapely.get_parts(np.asarray(geoms, dtype=object)):
        if isinstance(g, shapely.Polygon):
            g = orient(g, 1.0)
            paths += [MplPath(np.asarray(r.coords), closed=True) for r in (g.exterior, *g.interiors)]
        elif isinstance(g, shapely.LineString) and len(g.coords) > 1:
            paths.append(MplPath(np.asarray(g.coords)))
    return MplPath.make_compound_path(*paths) if paths else MplPath(np.empty((0, 2)))


def _wrap(text: str, width_in: float, size: float, weight: str = "normal") -> list:
    """Break `text` into lines that fit `width_in` inches in DejaVu Sans at `size` points.

    Measured from the font outlines (text is drawn unhinted, so widths hold at any resolution).
    """
    font, lines = FontProperties(family=_RC["font.family"], size=size, weight=weight), []
    for word in text.split():
        line = f"{lines[-1]} {word}" if lines else word
        if lines and text_to_path.get_text_width_height_descent(line, font, ismath=False)[0] <= 71 * width_in:
            lines[-1] = line
        else:
            lines.append(word)
    return lines


def _km(km: float) -> str:
    return f"{km:,.0f} km"


def save_figure(fig: Figure, path, *, dpi: int = 200, fmt: str | None = None) -> Path:
    """Write `fig` to `path` as PNG, SVG or PDF, atomically (never half a file).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Typically from :func:`figure`.
    path : str or Path
        Output file; its folder must exist and be writable.
    dpi : int
        Resolution of the PNG.
    fmt : {"png", "svg", "pdf"}, optional
        File format; by default taken from the extension of `path`.

    Raises
    ------
    geo.errors.InputError
        For an unknown format or a path that cannot be written; no file is left behind.
    """
    path = check_writable(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise InputError(f"cannot write {path}: unknown format {fmt!r}; use a .png, .svg or .pdf file name")
    buf = io.BytesIO()
    metadata = {"png": {"Software": "rangemap"}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return write_atomic(path, buf.getvalue())

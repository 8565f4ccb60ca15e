"""Print figures: range rings on a map for pages and slides, saved as PNG, SVG or PDF.

Two views (``view``):

* ``"site"``: the azimuthal equidistant projection on WGS84 centred on the first launch
  site (PROJ ``aeqd``, Karney's geodesics). Every distance from that site is true, so its
  range rings are exact circles, its geodesics to the targets are straight, and a scale bar
  holds along every line through it. Rings around other sites are projected from the exact
  lon/lat regions. Near the antipode of the centre the projection degenerates (the antipode
  maps to the whole rim), so nothing is drawn beyond :data:`CUT` of half a meridian.
* ``"world"``: the Equal Earth projection (PROJ ``eqearth``, equal-area) of the whole
  globe. A ring wider than :data:`WORLD_VIEW_KM` leaves out only a cap around the antipode,
  which the site view would smear around its rim; a world map shows the whole reach and
  the whole out-of-range cap in one piece, with areas true (an orthographic globe shows half
  the Earth: a ring wider than a quarter meridian, 10,002 km, lies wholly on the hemisphere
  hidden from the site). The central meridian is chosen so that the map's edge crosses
  neither site, target nor ring where it can be helped. ``"auto"`` (the default) takes the
  world view for reaches of :data:`WORLD_VIEW_KM` and more.

Labels are placed so that none overlaps another, a marker, the scale bar or a leader line:
each label tries spots beside its marker, then farther out along a leader line; a label that
fits nowhere is left out and the caption counts it. The caption names each source once.
Sizes (:data:`SIZES`) fit slides and pages; distances are shown in km, mi or nmi.

All text comes from the user's data and is printed literally (no mathtext: a name
with ``$`` stays as typed). Matplotlib is used without pyplot: no display needed.

Examples
--------
>>> from geo.catalog import default_catalog
>>> cat = default_catalog()
>>> fig = figure(cat.site("Chagang"), cat.missile("Hwasong-12"), cat.target("Guam"))
>>> fig.texts[0].get_text()
'Hwasong-12 range from Hoejung-ri missile operating base (Chagang)'
>>> [round(float(v), 3) for v in figure("Chagang", "HS-12", size="16:9").get_size_inches()]
[13.333, 7.5]
"""

from __future__ import annotations

import io
import math
from functools import reduce
from pathlib import Path

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import text_to_path
from pyproj import Transformer
from shapely.geometry.polygon import orient

from ..analysis.assessment import VERDICTS, as_assessment
from ..analysis.regions import reach_function, region
from ..analysis.scenario import MODEL_DESCRIPTIONS
from ..analysis.unbounded import drawn_near_orbital
from ..catalog.countries import COUNTRIES_SOURCE, country_outlines
from ..core.geodesy import HALF_MERIDIAN_KM, WGS84, inverse
from ..core.rings import range_ring
from ..errors import InputError, InputTypeError
from ..validate import Labels, View
from .escape import check_record, check_text, xml_clean_bytes
from .files import check_writable, is_stdout, write_atomic
from .formatting import KM_PER_UNIT, check_units, length, number, to_units
from .style import PALETTE, VERDICT_COLORS

__all__ = ["figure", "save_figure", "Projection", "WorldProjection", "page_size", "check_dpi", "check_labels",
           "check_view", "FORMATS", "PALETTE", "VERDICT_COLORS", "CUT", "SIZES", "SIZE_NAMES", "LABELS", "VIEWS",
           "MAX_DPI", "MIN_DPI", "WIDTH_RANGE_IN", "WORLD_VIEW_KM"]

#: File formats :func:`save_figure` writes.
FORMATS = ("png", "svg", "pdf")
#: Nothing is drawn farther from the centre of the site view than this fraction of half a meridian.
CUT = 0.97
#: Page and slide sizes, inches, landscape (width, height): PowerPoint's 16:9 (13.333 × 7.5 in) and
#: 4:3, a square, ISO A4 (297 × 210 mm) and US Letter (11 × 8.5 in).
SIZES = {"16:9": (40 / 3, 7.5), "4:3": (10.0, 7.5), "square": (7.5, 7.5), "a4": (297 / 25.4, 210 / 25.4),
         "letter": (11.0, 8.5)}
_PORTRAIT_BY_DEFAULT = ("a4", "letter")
#: Every value ``size`` takes: ``"auto"`` (7.5 in wide, as tall as the content), a size, or a
#: size with ``-landscape`` or ``-portrait`` (slides default to landscape, pages to portrait).
SIZE_NAMES = ("auto", *(f"{n}{o}" for n in SIZES for o in ("", "-landscape", "-portrait")))
#: Which targets are labelled: every one, those some missile reaches (in range or possibly), none.
LABELS = Labels.values()
#: Map views: ``"site"`` (azimuthal equidistant on the first site), ``"world"`` (Equal Earth), or auto.
VIEWS = View.values()
#: Highest PNG resolution :func:`save_figure` writes, dots per inch (a 7.5 in figure: 9,000 px wide).
MAX_DPI = 1200
#: Lowest PNG resolution :func:`save_figure` writes, dots per inch (below it the fonts fail).
MIN_DPI = 10
#: Widths :func:`figure` draws with ``size="auto"``, inches.
WIDTH_RANGE_IN = (2.0, 50.0)
#: Reach (km) from which ``view="auto"`` draws the world: past it the site view's corners pass
#: the cut and the out-of-range cap around the antipode is stretched more than fourfold at its rim.
WORLD_VIEW_KM = 12_000.0

_OCEAN, _LAND, _BORDER, _GRID, _LEADER = "#DCE9F2", "#F4F1EA", "#A09A90", "#9FB3C4", "#555555"
# Labels sit on a soft white box (not a stroke effect, which would turn SVG/PDF text into paths).
_BOX_PAD = 0.12
_TEXT = dict(parse_math=False, annotation_clip=False, zorder=6, textcoords="offset points",
             bbox=dict(boxstyle=f"round,pad={_BOX_PAD}", facecolor="white", edgecolor="none", alpha=0.78))
# Text stays text in SVG and PDF; unhinted glyphs keep the same width at every PNG resolution.
_RC = {"svg.fonttype": "none", "svg.hashsalt": "rangemap", "pdf.fonttype": 42, "font.family": "DejaVu Sans",
       "text.hinting": "no_hinting"}
_MARGIN = 0.25           # page margin, inches


# --- options --------------------------------------------------------------------------

def page_size(size: str | None = "auto") -> tuple[float, float] | None:
    """(width, height) in inches of a named size, or None for ``"auto"``.

    >>> [round(v, 2) for v in page_size("a4")], [round(v, 2) for v in page_size("a4-landscape")]
    ([8.27, 11.69], [11.69, 8.27])
    >>> page_size("16:9-portrait")
    (7.5, 13.333333333333334)
    >>> page_size("A5")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: unknown size 'A5': choose auto, 16:9, 4:3, square, a4 or letter, optionally with -landscape or -portrait (e.g. a4-landscape)
    """
    if size is None or size == "auto":
        return None
    text = str(size).strip().lower()
    name, _, orientation = text.partition("-")
    if name not in SIZES or orientation not in ("", "landscape", "portrait"):
        raise InputError(f"unknown size {size!r}: choose auto, {', '.join(list(SIZES)[:-1])} or {list(SIZES)[-1]}, "
                         "optionally with -landscape or -portrait (e.g. a4-landscape)")
    w, h = SIZES[name]
    portrait = orientation == "portrait" or (not orientation and name in _PORTRAIT_BY_DEFAULT)
    return (h, w) if portrait else (w, h)


def check_dpi(dpi) -> float:
    """`dpi` if it is a resolution :func:`save_figure` writes (:data:`MIN_DPI` to :data:`MAX_DPI`).

    >>> check_dpi(300)
    300
    >>> check_dpi(5000)
    Traceback (most recent call last):
    ...
    geo.errors.InputError: dpi 5000 is more than 1200, the most a figure is written at (a 7.5 in wide figure at 1200 dpi is 9,000 px wide): use 1200 or less, or an SVG or PDF, which print sharp at any size
    """
    try:
        ok = isinstance(dpi, (int, float, np.number)) and not isinstance(dpi, bool) and math.isfinite(dpi)
    except TypeError:
        ok = False
    if not ok or not dpi > 0:
        raise InputError(f"dpi {dpi!r} is not a positive number of dots per inch: use e.g. 200 (at most {MAX_DPI})")
    if dpi < MIN_DPI:
        raise InputError(f"dpi {dpi:g} is less than {MIN_DPI}, the least a figure is written at: use {MIN_DPI} to "
                         f"{MAX_DPI}")
    if dpi > MAX_DPI:
        raise InputError(f"dpi {dpi:g} is more than {MAX_DPI}, the most a figure is written at (a 7.5 in wide "
                         f"figure at {MAX_DPI} dpi is {7.5 * MAX_DPI:,.0f} px wide): use {MAX_DPI} or less, or an "
                         "SVG or PDF, which print sharp at any size")
    return dpi


def _check_width(width_in) -> float:
    low, high = WIDTH_RANGE_IN
    if isinstance(width_in, (bool, np.bool_)) or not isinstance(width_in, (int, float, np.number)):
        raise InputTypeError(f"width_in {width_in!r} is not a number of inches")
    if not low <= float(width_in) <= high:
        raise InputError(f"width_in {width_in!r} must be between {low:g} and {high:g} inches")
    return float(width_in)


def check_labels(labels) -> str:
    """`labels` if it is one of :data:`LABELS`, else :class:`~geo.errors.InputError` listing them."""
    return Labels.get_value(labels)


def check_view(view) -> str:
    """`view` if it is one of :data:`VIEWS`, else :class:`~geo.errors.InputError` listing them."""
    return View.get_value(view)


# --- projections ------------------------------------------------------------------------

class _Planar:
    """A map projection of WGS84 lon/lat to metres through PROJ (``self._fwd``, set by subclasses)."""

    def xy(self, lon, lat):
        """Project lon/lat (degrees, arrays or scalars) to x, y (metres)."""
        x, y = self._fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def lonlat(self, x, y):
        """Inverse projection: x, y (metres) to lon, lat (degrees)."""
        lon, lat = self._fwd.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float),
                                       direction="INVERSE")
        return np.asarray(lon), np.asarray(lat)


class Projection(_Planar):
    """Azimuthal equidistant projection on WGS84 centred on (`lat`, `lon`), in metres.

    Examples
    --------
    >>> p = Projection(41.369883, 126.913631)
    >>> x, y = p.xy(144.92444, 13.58111)                         # Guam
    >>> round(float(np.hypot(x, y)) / 1000, 3)                  # its geodesic distance, km
    3540.258
    """

    name = "azimuthal equidistant"

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
        return _clipped(parts, clip, tolerance)

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


class WorldProjection(_Planar):
    """The Equal Earth projection on WGS84 (PROJ ``eqearth``, equal-area), centred on meridian `lon0`.

    Geometries are cut along the map's edge, the meridian opposite `lon0`, before projecting.

    Examples
    --------
    >>> w = WorldProjection(37.0)
    >>> x, y = w.xy([37.0, 126.91], [0.0, 41.37])
    >>> float(x[0]), bool(x[1] > 0 and y[1] > 0)
    (0.0, True)
    >>> round(w.frame.area / 1e12, 1)                            # km² in millions: the ellipsoid's area
    510.1
    """

    name = "Equal Earth"

    def __init__(self, lon0: float):
        self.lon0 = float((lon0 + 180.0) % 360.0 - 180.0)
        crs = f"+proj=eqearth +lon_0={self.lon0!r} +ellps=WGS84 +units=m +no_defs"
        self._fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        self._west = self.lon0 - 180.0 + 1e-7
        lat = np.linspace(-90.0, 90.0, 721)
        wx, wy = self.xy(np.full(lat.size, self._west), lat)
        ex, ey = self.xy(np.full(lat.size, self._west + 360.0 - 2e-7), lat[::-1])
        #: The outline of the globe on the map: everything drawn lies inside it.
        self.frame = shapely.Polygon(np.column_stack([np.r_[wx, ex], np.r_[wy, ey]]))
        self.width_m = float(ex.max() - wx.min())

    def geometries(self, geoms, clip, tolerance: float = 0.0) -> list:
        """Project lon/lat polygons or lines, cut at the map's edge meridian, and clip them to `clip`."""
        window = shapely.box(self._west, -90.0, self._west + 360.0 - 2e-7, 90.0)
        out = []
        for g in np.asarray(geoms, dtype=object).ravel():
            copies = [shapely.transform(g, lambda c, d=d: c + np.array([d, 0.0])) for d in (-360.0, 0.0, 360.0)]
            pieces = shapely.intersection(copies, window)
            pieces = pieces[~shapely.is_empty(pieces)]
            if len(pieces):
                out.extend(shapely.get_parts(shapely.union_all(pieces)))
        parts = np.asarray(out, dtype=object)
        if not len(parts):
            return []
        parts = shapely.get_parts(shapely.segmentize(parts, 0.5))
        parts = shapely.transform(parts, lambda c: np.column_stack(self.xy(c[:, 0], c[:, 1])))
        parts = np.where(shapely.is_valid(parts), parts, shapely.make_valid(parts))
        return _clipped(parts, clip, tolerance)

    def geodesic(self, lat, lon, az, dist_km):
        """Points along geodesics from (`lat`, `lon`), projected; NaN where the line crosses the map's edge."""
        az, dist = np.broadcast_arrays(np.asarray(az, dtype=float), np.asarray(dist_km, dtype=float))
        lons, lats, _ = WGS84.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, dist * 1000.0)
        x, y = self.xy(lons, lats)
        jump = np.abs(np.diff(x)) > 0.5 * self.width_m
        x, y = x.astype(float), y.astype(float)
        x[1:][jump], y[1:][jump] = np.nan, np.nan
        return x, y


def _clipped(parts, clip, tolerance: float) -> list:
    out = shapely.intersection(parts, clip)
    out = out[~shapely.is_empty(out)]
    return list(shapely.simplify(out, tolerance) if tolerance else out)


def _world_centre(a, reach_lines) -> float:
    """The central meridian of the world view: the map's edge (its opposite) should cross no site, target,
    ring outline or land where that can be helped; among equals, the first site lies nearest the centre."""
    def near_edge(lon0, lons, lats, weight, width=12.0):
        edge = np.abs((np.asarray(lons) - lon0) % 360.0 - 180.0)
        return float(np.sum(np.where(edge < width, weight * np.cos(np.radians(np.asarray(lats))), 0.0)))

    site_lon, site_lat = (np.array([getattr(s, k) for s in a.sites], dtype=float) for k in ("lon", "lat"))
    t_lon, t_lat = (np.array([getattr(t, k) for t in a.targets], dtype=float) for k in ("lon", "lat"))
    ring_lon = np.concatenate([line[0] for line in reach_lines] or [np.empty(0)])
    ring_lat = np.concatenate([line[1] for line in reach_lines] or [np.empty(0)])
    lats = np.arange(-60.0, 75.0, 2.0)
    best = None
    for lon0 in np.arange(-180.0, 180.0, 5.0):
        edge = np.full(lats.size, lon0 if lon0 <= 0 else lon0 - 360.0) + 180.0
        on_land = float(np.sum(shapely.contains_xy(_land(), edge, lats)))
        cost = (50.0 * near_edge(lon0, site_lon, site_lat, 1.0) + 10.0 * near_edge(lon0, t_lon, t_lat, 1.0)
                + 200.0 * near_edge(lon0, ring_lon, ring_lat, 1.0 / max(1, len(ring_lon))) + on_land)
        key = (round(cost, 6), abs((lon0 - site_lon[0] + 180.0) % 360.0 - 180.0))
        if best is None or key < best[0]:
            best = (key, float(lon0))
    return best[1]


_LAND_CACHE: list = []


def _land():
    """All land as one prepared geometry (the world view's choice of centre looks it up)."""
    if not _LAND_CACHE:
        land = shapely.union_all(country_outlines())
        shapely.prepare(land)
        _LAND_CACHE.append(land)
    return _LAND_CACHE[0]


# --- the figure ---------------------------------------------------------------------------

def figure(sites, missiles=(), targets=(), *, title: str | None = None, width_in: float = 7.5,
           model: str = "geodesic", size: str | None = "auto", units: str = "km", labels: str = "all",
           view: str = "auto") -> Figure:
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
        Figure width in inches with ``size="auto"``; the height follows from the content.
    model : {"geodesic", "rotating"}
        Reach model when `sites` is not an Assessment; under ``"rotating"`` the regions drawn
        are the rotating-Earth footprints the verdicts use.
    size : str
        ``"auto"``, or one of :data:`SIZES` with an optional ``-landscape`` / ``-portrait``
        (e.g. ``"16:9"``, ``"a4-landscape"``): the figure has exactly that size.
    units : {"km", "mi", "nmi"}
        Unit of every distance printed (ring labels, legend, target distances, scale bar).
    labels : {"all", "in-range", "none"}
        Which targets are labelled with their name and distance: all, those some missile
        reaches (in range or possibly in range), or none. Sites and rings are always named.
    view : {"auto", "site", "world"}
        ``"site"``: azimuthal equidistant centred on the first site; ``"world"``: Equal Earth;
        ``"auto"``: the world for reaches of :data:`WORLD_VIEW_KM` and more.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot; write it with :func:`save_figure`.

    Raises
    ------
    geo.errors.InputError
        For no site or no missile, an unknown size, unit, labels or view, a `width_in` outside
        :data:`WIDTH_RANGE_IN`, or control characters in the title or the scenario's text.
    geo.errors.NotFoundError
        For a name that matches nothing in the catalogs.
    """
    page, units = page_size(size), check_units(units)
    check_labels(labels), check_view(view)
    width_in = _check_width(width_in)
    if title is not None and not isinstance(title, str):
        raise InputError(f"title {title!r} is not text")
    check_text(title, "title", allow_breaks=True)
    a = as_assessment(sites, missiles, targets, model=model, what="a figure")
    for kind, items in (("site", a.sites), ("missile", a.missiles), ("target", a.targets)):
        for item in items:
            check_record(item, kind)          # an SVG cannot hold control characters
    sites, targets = a.sites, a.targets
    az = np.arange(0.0, 360.0, 1.0)
    reaches = [(s, reach_function(a.model, s.lat, s.lon, m.max_km)(az)) for s in sites for m in a.missiles]
    widest = max(float(np.max(r)) for _, r in reaches)
    if view == "auto":
        view = "world" if widest >= WORLD_VIEW_KM else "site"
    if view == "world":
        lines = []
        for s, r in reaches:
            lon, lat, _ = WGS84.fwd(np.full(az.size, s.lon), np.full(az.size, s.lat), az,
                                    np.minimum(r, HALF_MERIDIAN_KM) * 1000.0)
            lines.append((lon, lat))
        proj = WorldProjection(_world_centre(a, lines))
        x0, y0, x1, y1 = proj.frame.bounds
        pad = 0.01 * (x1 - x0)
        limits = ((x0 - pad, x1 + pad), (y0 - pad, y1 + pad))
    else:
        proj = Projection(sites[0].lat, sites[0].lon)
        dist = [inverse(proj.lat, proj.lon, p.lat, p.lon).distance_km for p in (*sites, *targets)]
        reach = max(float(np.max(r)) + d for (_, r), d in zip(reaches, np.repeat(dist[:len(sites)],
                                                                                 len(a.missiles))))
        extent = 1000.0 * min(1.1 * max([reach] + dist[len(sites):]), 1.03 * HALF_MERIDIAN_KM)
        limits = ((-extent, extent), (-extent, extent))
    with matplotlib.rc_context(_RC):
        return _draw(proj, a, limits, title=title, width_in=float(width_in), page=page, units=units,
                     labels=labels, slide=bool(page) and str(size).lower().startswith(("16:9", "4:3")))


def _draw(proj, a, limits, *, title, width_in, page, units, labels, slide) -> Figure:
    sites, missiles, targets = a.sites, a.missiles, a.targets
    world = isinstance(proj, WorldProjection)
    best = [VERDICTS.index(a.best_verdict(ti)) for ti in range(len(targets))]
    k = 1.2 if slide else 1.0                                  # slides are read from afar
    fs = dict(title=12 * k, sub=8 * k, legend=7.5 * k, caption=6.5 * k, label=7.5 * k, ring=8 * k)
    (x0, x1), (y0, y1) = limits
    aspect = (x1 - x0) / (y1 - y0)

    names = ", ".join(dict.fromkeys(m.name for m in missiles))
    noun = "" if all(m.name.endswith(" range") for m in missiles) else " ranges" if len(missiles) > 1 else " range"
    title = title or a.scenario.title or f"{names}{noun} from {', '.join(s.name for s in sites)}"
    sub = _subtitle(a, world)
    handles = _legend_handles(missiles, sorted(set(best)), units)

    legend_w = max(_text_width(h.get_label(), fs["legend"]) for h in handles) / 72 + 0.4 * k   # with the key
    W, H = page or (width_in, None)
    side = bool(page) and W / H >= 1.25 and aspect < 1.3
    tw = W - 2 * _MARGIN
    title_lines = _wrap(title, tw, fs["title"], "bold")
    title_h = 0.2 * k * len(title_lines)
    ph = fs["sub"] * 1.3 / 72

    def text_block(width, caption_text):
        sub_lines = _wrap(sub, width, fs["sub"])
        cap_lines = _wrap(caption_text, width, fs["caption"])
        widest = legend_w
        ncols = max(1, min(3, int(width // widest)))
        legend_h = fs["legend"] * 1.75 / 72 * -(-len(handles) // ncols)
        return sub_lines, cap_lines, ncols, legend_h

    # The caption counts the labels left out, known only after placing: lay out, place, then fill in.
    caption_text = _caption(a, units, world, proj, left_out=0)
    fig = Figure(figsize=(W, H or 10.0))
    FigureCanvasAgg(fig)
    if side:
        top = _MARGIN + title_h + 0.12
        map_h = H - top - _MARGIN
        map_w = min(map_h * aspect, 0.64 * W)
        for _ in range(12):
            col = W - 2 * _MARGIN - map_w - 0.3
            sub_lines, cap_lines, ncols, legend_h = text_block(col, caption_text)
            need = ph * len(sub_lines) + 0.15 + legend_h + 0.12 + fs["caption"] * 1.4 / 72 * (len(cap_lines) + 0.6)
            if need <= H - top - _MARGIN and legend_w <= col:
                break
            map_w *= 0.94
        if not world and map_h > map_w / aspect * 1.02:
            # Narrower than tall: the site view grows north and south to fill the height.
            grow = min(map_h * aspect / map_w, 1.03 * HALF_MERIDIAN_KM * 1000.0 / y1)
            y0, y1 = y0 * grow, y1 * grow
            aspect = (x1 - x0) / (y1 - y0)
        map_h = map_w / aspect
        ax_box = (_MARGIN, H - top - map_h, map_w, map_h)
        col_x, col_top = _MARGIN + map_w + 0.3, H - top
        layout = dict(col_x=col_x, col_top=col_top, col=col)
    else:
        sub_lines, cap_lines, ncols, legend_h = text_block(tw, caption_text)
        top = _MARGIN - 0.03 + title_h + 0.1 + ph * len(sub_lines) + 0.12
        bottom = 0.1 + legend_h + 0.08 + fs["caption"] * 1.4 / 72 * (len(cap_lines) + 0.6) + _MARGIN
        if H is None:
            map_w = tw
            H = top + map_w / aspect + bottom
            fig.set_size_inches(W, H)
        if page and not world and (H - top - bottom) > tw * 1.02:
            # A tall page: the site view grows north and south to fill it (the scale stays the same).
            grow = min((H - top - bottom) / tw, 1.03 * HALF_MERIDIAN_KM * 1000.0 / y1)
            y0, y1 = y0 * grow, y1 * grow
            aspect = (x1 - x0) / (y1 - y0)
        elif page and not world and (H - top - bottom) < tw * 0.98:
            # A wide page: it grows east and west instead.
            grow = min(tw / (H - top - bottom), 1.03 * HALF_MERIDIAN_KM * 1000.0 / x1)
            x0, x1 = x0 * grow, x1 * grow
            aspect = (x1 - x0) / (y1 - y0)
        map_w = min(tw, (H - top - bottom) * aspect)
        map_h = map_w / aspect
        if map_h < 1.0:
            raise InputError("the caption and legend leave no room for the map at this size: choose a larger --size")
        ax_box = ((W - map_w) / 2, H - top - map_h, map_w, map_h)
        layout = dict(below=H - top - map_h)

    ax = fig.add_axes((ax_box[0] / W, ax_box[1] / H, ax_box[2] / W, ax_box[3] / H))
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xticks=[], yticks=[])
    ax.set_aspect("equal", adjustable="datalim")
    for spine in ax.spines.values():
        spine.set(linewidth=0.6, color="#777777", visible=not world and x1 < proj.cut_m)
    if world:
        clip = proj.frame
    else:
        clip = shapely.box(x0, y0, x1, y1).intersection(proj.disc)
    ax.add_artist(PathPatch(_path([clip]), facecolor=_OCEAN, edgecolor="#B5C4D1", linewidth=0.5, zorder=0))
    fine = (x1 - x0) / (map_w * 72.0 * 5.0)        # a fifth of a printed point
    ax.add_artist(PathPatch(_path(proj.geometries(country_outlines(), clip, fine)), facecolor=_LAND,
                            edgecolor=_BORDER, linewidth=0.35, zorder=1, gid="countries"))
    ax.add_artist(PathPatch(_path(proj.geometries(_graticule(), clip)), facecolor="none", edgecolor=_GRID,
                            linewidth=0.3, zorder=1.5, gid="graticule"))
    ring_labels = _rings(ax, proj, a, clip, units, fs)
    marks = _points(ax, proj, sites, targets, best)

    placer = _Placer(fig, ax)
    for xy, size in marks:
        placer.block_marker(xy, size)
    if len(marks) > 1:
        placer.crowd = placer.to_px(np.array([xy for xy, _ in marks])).mean(axis=0)
    if not world:
        placer.block(_scale_bar(ax, proj, units, fs, map_w))
    left_out = _label(placer, ax, proj, a, best, ring_labels, units, labels, fs)

    caption_text = _caption(a, units, world, proj, left_out)
    left = _MARGIN / W
    fig.text(left, 1 - (_MARGIN - 0.03) / H, "\n".join(title_lines), fontsize=fs["title"], fontweight="bold",
             va="top", linespacing=1.2, parse_math=False)
    if side:
        sub_lines, cap_lines, ncols, legend_h = text_block(layout["col"], caption_text)
        y = layout["col_top"]
        x = layout["col_x"] / W
        fig.text(x, y / H, "\n".join(sub_lines), fontsize=fs["sub"], color="#444444", va="top",
                 linespacing=1.3, parse_math=False, gid="subtitle")
        y -= ph * len(sub_lines) + 0.15
        legend_anchor = (x - 0.05 / W, y / H)
        y -= legend_h + 0.12
        caption_y = y
    else:
        sub_lines, cap_lines, ncols, legend_h = text_block(tw, caption_text)
        fig.text(left, 1 - (_MARGIN - 0.03 + title_h + 0.1) / H, "\n".join(sub_lines), fontsize=fs["sub"],
                 color="#444444", va="top", linespacing=1.3, parse_math=False, gid="subtitle")
        legend_anchor = (left - 0.05 / W, (layout["below"] - 0.1) / H)
        caption_y = layout["below"] - 0.1 - legend_h - 0.08
    legend = fig.legend(handles=handles, loc="upper left", ncols=ncols, frameon=False, fontsize=fs["legend"],
                        bbox_to_anchor=legend_anchor, handlelength=1.6, columnspacing=1.5, borderaxespad=0.0)
    for t in legend.get_texts():
        t.set_parse_math(False)
    fig.text(layout["col_x"] / W if side else left, caption_y / H, "\n".join(cap_lines), fontsize=fs["caption"],
             color="#444444", va="top", linespacing=1.4, parse_math=False, gid="caption")
    return fig


def _subtitle(a, world: bool) -> str:
    missiles, site = a.missiles, a.sites[0].name
    banded = [m.name for m in missiles if m.max_km > m.certain_km]
    if banded:
        which = "" if len(banded) == len(missiles) else f" ({', '.join(banded)})"
        shading = f"Shaded: the reach every source agrees on; lighter: the band where sources disagree{which}. "
    else:
        shading = "Shaded: within range. "
    rings = "rings are the exact geodesic regions"
    if a.model == "rotating":
        from .text import ROTATING_REGIONS_TEXT

        shading = "Reach on a rotating Earth (farther eastward, shorter westward). " + shading
        rings = f"rings are {ROTATING_REGIONS_TEXT}"
        if drawn_near_orbital(a):
            from ..analysis.regions import UNBOUNDED_KM

            rings += (f"; where the model does not bound the range (near orbital, see below) they are drawn out to "
                      f"{number(UNBOUNDED_KM)} km")
    if any(m.min_range_km for m in missiles):
        shading += "Unshaded hole: under the minimum range. "
    if world:
        return (f"{shading}Equal-area world map: areas are true, distances are not to scale; {rings}. "
                f"Target distances from {site}.")
    if a.model == "rotating":
        return f"{shading}{rings[:1].upper() + rings[1:]}. Distances from {site} are true to scale."
    return f"{shading}Distances from {site} are true to scale."


def _graticule() -> list:
    """Meridians and parallels every 30°, densified, in lon/lat."""
    lat, lon = np.linspace(-90, 90, 361), np.linspace(-180, 180, 721)
    return ([shapely.LineString(np.column_stack([np.full_like(lat, m), lat])) for m in range(-180, 180, 30)]
            + [shapely.LineString(np.column_stack([lon, np.full_like(lon, p)])) for p in (-60, -30, 0, 30, 60)])


def _rings(ax, proj, a, clip, units: str, fs) -> list:
    """Per site × missile: certain reach shaded, band lighter, nominal outline solid, a minimum
    range dotted around its hole. Returns the ring label requests: (outline x, y, text, style)."""
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
            ax.add_artist(PathPatch(_path(disc), facecolor=color, alpha=0.16, edgecolor="none", zorder=2,
                                    gid=f"reach-{si}-{mi}"))
            if m.max_km > m.certain_km:
                band = shapely.difference(shapely.union_all(_ring_region(proj, a, si, mi, m.max_km, clip)),
                                          shapely.union_all(disc))
                ax.add_artist(PathPatch(_path([band]), facecolor=color, alpha=0.07, edgecolor="none", zorder=2,
                                        gid=f"band-{si}-{mi}"))
            xy = outline(s, m.range_km)
            ax.plot(*xy, color=color, linewidth=1.6, zorder=3, gid=f"ring-{si}-{mi}")
            if si == 0:
                labels.append((*xy, f"{m.name} {length(m.range_km, units)}",
                               dict(color=color, fontsize=fs["ring"], fontweight="bold")))
            for km in sorted({m.certain_km, m.max_km} - {m.range_km}):
                xy = outline(s, km)
                ax.plot(*xy, color=color, linewidth=0.7, linestyle=(0, (4, 2)), zorder=3)
                if si == 0 and edge_labels:
                    labels.append((*xy, length(km, units), dict(color=color, fontsize=fs["ring"] - 1)))
            if m.min_range_km:
                xy = proj.geodesic(s.lat, s.lon, az, m.min_range_km)
                ax.plot(*xy, color=color, linewidth=0.8, linestyle=(0, (1, 1.5)), zorder=3, gid=f"minimum-{si}-{mi}")
    return labels


def _points(ax, proj, sites, targets, best) -> list:
    """Geodesics from sites to targets (when few), site triangles, target dots by verdict.

    Returns the markers as (x, y data, size in points)."""
    n = len(targets)
    if len(sites) * n <= 12 or n <= 20:
        for s in sites if len(sites) * n <= 12 else sites[:1]:
            for t in targets:
                inv = inverse(s.lat, s.lon, t.lat, t.lon)
                ax.plot(*proj.geodesic(s.lat, s.lon, inv.bearing_deg, np.linspace(0, inv.distance_km, 200)),
                        color="#333333", linewidth=0.7, linestyle=(0, (1, 2)), zorder=3.5)
    dot = 7.0 if n <= 30 else 5.5 if n <= 100 else 4.5
    marks = []
    for s in sites:
        xy = tuple(float(v) for v in proj.xy(s.lon, s.lat))
        ax.plot(*xy, marker="^", markersize=8, color="black", markeredgecolor="white", zorder=5, gid="site")
        marks.append((xy, 8.0))
    for t, verdict in zip(targets, best):
        xy = tuple(float(v) for v in proj.xy(t.lon, t.lat))
        ax.plot(*xy, marker="o", markersize=dot, color=VERDICT_COLORS[VERDICTS[verdict]],
                markeredgecolor="#222222", markeredgewidth=0.8 if n <= 30 else 0.5, zorder=5, gid="target")
        marks.append((xy, dot))
    return marks


def _nice(value: float) -> float:
    """The largest 1, 2 or 5 × 10^n not above `value`."""
    p = 10.0 ** math.floor(math.log10(value))
    return max(m * p for m in (1.0, 2.0, 5.0) if m * p <= value)


def _scale_bar(ax, proj, units: str, fs, map_w: float):
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


class _Placer:
    """Label placement on one axes, in display pixels: boxes and leader lines taken so far."""

    def __init__(self, fig, ax):
        self.fig, self.ax = fig, ax
        self.renderer = fig.canvas.get_renderer()
        f = ax.get_window_extent(self.renderer)
        self.frame = (f.x0, f.y0, f.x1, f.y1)
        self.px = fig.dpi / 72.0
        self.boxes = np.empty((0, 4))
        self.points = np.empty((0, 2))
        #: Where the markers crowd (their mean, pixels): leader lines point away from it.
        self.crowd = np.array([(f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2])

    def to_px(self, xy):
        return np.asarray(self.ax.transData.transform(xy), dtype=float)

    def block(self, box) -> None:
        self.boxes = np.vstack([self.boxes, np.asarray(box, dtype=float).reshape(1, 4)])

    def block_marker(self, xy, size_pt: float) -> None:
        x, y = self.to_px(xy)
        r = (size_pt / 2 + 1.0) * self.px
        self.block((x - r, y - r, x + r, y + r))

    def free(self, boxes: np.ndarray) -> np.ndarray:
        """Which candidate boxes (K, 4) lie in the frame and clear of every box and leader line taken."""
        fx0, fy0, fx1, fy1 = self.frame
        ok = (boxes[:, 0] >= fx0) & (boxes[:, 1] >= fy0) & (boxes[:, 2] <= fx1) & (boxes[:, 3] <= fy1)
        if len(self.boxes):
            b = self.boxes
            hit = ((boxes[:, None, 0] < b[None, :, 2]) & (boxes[:, None, 2] > b[None, :, 0])
                   & (boxes[:, None, 1] < b[None, :, 3]) & (boxes[:, None, 3] > b[None, :, 1]))
            ok &= ~hit.any(axis=1)
        if len(self.points):
            p = self.points
            on = ((p[None, :, 0] > boxes[:, None, 0]) & (p[None, :, 0] < boxes[:, None, 2])
                  & (p[None, :, 1] > boxes[:, None, 1]) & (p[None, :, 1] < boxes[:, None, 3]))
            ok &= ~on.any(axis=1)
        return ok

    def leader_clear(self, start, end) -> tuple[bool, np.ndarray]:
        """Whether the segment from `start` to `end` (pixels) crosses no box taken; its sample points."""
        n = max(2, int(np.hypot(*(end - start)) / (2 * self.px)))
        pts = start + np.linspace(0.0, 1.0, n)[:, None] * (end - start)
        b = self.boxes
        inside = ((pts[:, None, 0] > b[None, :, 0]) & (pts[:, None, 0] < b[None, :, 2])
                  & (pts[:, None, 1] > b[None, :, 1]) & (pts[:, None, 1] < b[None, :, 3]))
        return not inside.any(), pts

    def measure(self, label) -> tuple[float, float]:
        """Width and height (pixels) of an unrotated label with its white box."""
        e = label.get_window_extent(self.renderer)
        pad = 2 * (_BOX_PAD * label.get_fontsize() + 1.0) * self.px
        return e.width + pad, e.height + pad


def _label(placer: _Placer, ax, proj, a, best, ring_labels, units, labels, fs) -> int:
    """Place the site, ring and target labels, in that order; returns how many target labels fit nowhere.

    Target labels go from where the markers crowd outward, each beside its marker if it fits
    there, else along a leader line, nearest spot first, pointing away from the crowd.
    """
    sites, targets = a.sites, a.targets
    for s in sites:
        request = _PointLabel(placer, ax, proj.xy(s.lon, s.lat), s.name, dict(fontsize=fs["label"]), 8.0)
        if not (request.place(placer, ax, far=False) or request.place(placer, ax, far=True)):
            request.label.remove()               # rare: markers all around; the caption names the site
    for x, y, text, style in ring_labels:
        _place_on_ring(placer, ax, x, y, text, style)
    if labels == "none":
        return 0
    dot = 7.0 if len(targets) <= 30 else 5.5 if len(targets) <= 100 else 4.5
    size = fs["label"] - (1.0 if len(targets) > 30 else 0.0)
    requests = [_PointLabel(placer, ax, proj.xy(t.lon, t.lat),
                            f"{t.name}\n{length(float(a.distance_km[0, ti]), units)}",
                            dict(fontsize=size), dot)
                for ti, t in enumerate(targets) if labels == "all" or best[ti] <= 1]
    # From where the markers crowd outward: inner labels lead out before outer ones wall them in.
    spread = [float(np.hypot(*(r.anchor - placer.crowd))) for r in requests]
    requests = [requests[i] for i in np.argsort(spread, kind="stable")]
    left_out = [r for r in requests if not (r.place(placer, ax, far=False) or r.place(placer, ax, far=True))]
    for r in left_out:
        r.label.remove()
    return len(left_out)


_NEAR = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))
# Beside the marker, slid along its side: (side x, side y, slide x, slide y) in half label sizes.
_SLIDES = ((1, 0, 0, 0.6), (1, 0, 0, -0.6), (-1, 0, 0, 0.6), (-1, 0, 0, -0.6), (0, 1, 0.6, 0), (0, 1, -0.6, 0),
           (0, -1, 0.6, 0), (0, -1, -0.6, 0))
_LEADER_PT = (12, 20, 30, 42, 56, 72, 90, 112, 138, 168, 200, 240, 290)


class _PointLabel:
    """One marker's label and the spots it may take: beside the marker, or out along a leader line."""

    def __init__(self, placer: _Placer, ax, xy, text, style, marker_pt: float):
        self.xy = tuple(float(v) for v in xy)
        self.label = ax.annotate(text, self.xy, xytext=(0, 0), ha="center", va="center", **_TEXT, **style)
        self.w, self.h = placer.measure(self.label)
        self.anchor = placer.to_px(self.xy)
        self.gap = (marker_pt / 2 + 1.5) * placer.px

    def _boxes(self, centres):
        w, h = self.w, self.h
        return np.column_stack([centres[:, 0] - w / 2, centres[:, 1] - h / 2, centres[:, 0] + w / 2,
                                centres[:, 1] + h / 2])

    def place(self, placer: _Placer, ax, *, far: bool) -> bool:
        """Take the first free spot beside the marker (or, with `far`, along a leader line)."""
        half = np.array([self.w / 2, self.h / 2])
        if not far:
            near = np.array(_NEAR, dtype=float)
            slides = np.array(_SLIDES, dtype=float)
            centres = np.concatenate([self.anchor + near * (self.gap + half),
                                      self.anchor + slides[:, :2] * (self.gap + half) + slides[:, 2:] * half])
        else:
            angles = np.radians(np.arange(0.0, 360.0, 10.0))
            away = np.arctan2(*(self.anchor - placer.crowd)[::-1])
            angles = angles[np.argsort(-np.cos(angles - away), kind="stable")]
            u = np.column_stack([np.cos(angles), np.sin(angles)])
            centres = np.concatenate([self.anchor + u * (self.gap + d * placer.px) + u * half for d in _LEADER_PT])
        boxes = self._boxes(centres)
        for k in np.flatnonzero(placer.free(boxes)):
            c = centres[k]
            offset = (c - self.anchor) / placer.px
            if far:
                toward = self.anchor - c
                # From the label's edge, where the leader leaves it, to the marker's edge.
                scale = min(self.w / 2 / abs(toward[0]) if toward[0] else np.inf,
                            self.h / 2 / abs(toward[1]) if toward[1] else np.inf)
                start, end = c + toward * scale, self.anchor - toward / np.hypot(*toward) * self.gap
                clear, points = placer.leader_clear(start, end)
                if not clear:
                    continue
                ax.add_line(Line2D(*_data_line(ax, end, start), color=_LEADER, linewidth=0.5, zorder=4.5,
                                   gid="leader"))
                placer.points = np.vstack([placer.points, points])
                side = np.sign(offset[0]) if abs(c[0] - self.anchor[0]) > self.w / 2 else 0
            else:
                side = (_NEAR[k] if k < len(_NEAR) else _SLIDES[k - len(_NEAR)])[0]
            self.label.xyann = (float(offset[0]), float(offset[1]))
            self.label.set_multialignment("left" if side > 0 else "right" if side < 0 else "center")
            placer.block(boxes[k])
            return True
        return False


def _data_line(ax, a_px, b_px):
    inv = ax.transData.inverted()
    (ax_, ay), (bx, by) = inv.transform(a_px), inv.transform(b_px)
    return [ax_, bx], [ay, by]


def _place_on_ring(placer: _Placer, ax, x, y, text, style) -> bool:
    """A ring label along its outline, rotated with it, at the first free spot from the upper left on."""
    if not np.isfinite(x).any():
        return False
    label = ax.annotate(text, (0.0, 0.0), xytext=(0, 0), ha="center", va="center", **_TEXT, **style)
    w, h = placer.measure(label)
    centre = np.array([np.nanmean(x), np.nanmean(y)])
    spots = []
    for i in range(20, len(x) - 1, 20):
        if np.isfinite([x[i - 1], x[i], x[i + 1]]).all():
            angle = np.degrees(np.arctan2(y[i + 1] - y[i - 1], x[i + 1] - x[i - 1]))
            where = np.degrees(np.arctan2(y[i] - centre[1], x[i] - centre[0]))
            spots.append((abs((where - 135.0 + 180.0) % 360.0 - 180.0), i, (angle + 90.0) % 180.0 - 90.0))
    if not spots:
        label.remove()
        return False
    spots.sort()
    ids = np.array([s[1] for s in spots])
    rot = np.radians([s[2] for s in spots])
    px = placer.to_px(np.column_stack([x[ids], y[ids]]))
    # The angle on paper: data and display share one scale (equal aspect).
    ww = np.abs(w * np.cos(rot)) + np.abs(h * np.sin(rot))
    hh = np.abs(w * np.sin(rot)) + np.abs(h * np.cos(rot))
    boxes = np.column_stack([px[:, 0] - ww / 2, px[:, 1] - hh / 2, px[:, 0] + ww / 2, px[:, 1] + hh / 2])
    free = np.flatnonzero(placer.free(boxes))
    if not len(free):
        label.remove()
        return False
    k = free[0]
    label.xy = (float(x[ids[k]]), float(y[ids[k]]))
    label.set_rotation(float(np.degrees(rot[k])))
    label.set_rotation_mode("anchor")
    placer.block(boxes[k])
    return True


def _legend_handles(missiles, verdicts_shown, units: str) -> list:
    def label(m) -> str:
        band = (f" (band {number(to_units(m.certain_km, units))}–{length(m.max_km, units)})"
                if m.max_km > m.certain_km else "")
        return f"{m.name}: {length(m.range_km, units)}{band}"

    handles = [Patch(facecolor=PALETTE[i % len(PALETTE)], alpha=0.5, edgecolor=PALETTE[i % len(PALETTE)],
                     label=label(m)) for i, m in enumerate(missiles)]
    handles.append(Line2D([], [], marker="^", color="black", linestyle="none", label="launch site"))
    return handles + [Line2D([], [], marker="o", color=VERDICT_COLORS[VERDICTS[v]], markeredgecolor="#222222",
                             linestyle="none", label=f"target {VERDICTS[v]}") for v in verdicts_shown]


def _sources(kind: str, plural: str, rows) -> str:
    """'Targets: Guam — FAA airport data · Tokyo and Osaka — X · 58 given without a source.'

    Each source is named once, with the rows it covers (by name up to three, else counted);
    rows without a source are counted in one phrase.
    """
    if not rows:
        return ""
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r.source.strip(), []).append(r.name)
    parts = []
    for source, names in groups.items():
        if not source:
            continue
        parts.append(f"{_names(names, plural)} — {source}")
    missing = groups.get("", [])
    if missing:
        parts.append(f"{_names(missing, plural)} — source not given" if len(missing) <= 3 else
                     f"{len(missing):,} {plural} given without a source")
    return f"{kind if len(rows) == 1 else plural.capitalize()}: " + " · ".join(parts) + ". "


def _names(names: list[str], plural: str) -> str:
    if len(names) > 3:
        return f"{len(names):,} {plural}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _caption(a, units: str, world: bool, proj, left_out: int) -> str:
    """Every source once, then the method."""
    where = (f"{proj.name} projection centred on {abs(proj.lon0):g}°{'E' if proj.lon0 >= 0 else 'W'}" if world
             else f"azimuthal equidistant projection centred on {a.sites[0].name}")
    skipped = (f"{left_out:,} target label{'s' if left_out != 1 else ''} left out for lack of room. "
               if left_out else "")
    unit = {"mi": "Distances in statute miles (1 mi = 1.609344 km). ",
            "nmi": "Distances in nautical miles (1 nmi = 1.852 km). "}.get(units, "")
    from .text import near_orbital_notes

    near = "".join(f" {n[:1].upper() + n[1:]}." for n in near_orbital_notes(a, units))
    return (_sources("Range", "ranges", a.missiles) + _sources("Launch site", "launch sites", a.sites)
            + _sources("Target", "targets", a.targets)
            + f"Country outlines: {COUNTRIES_SOURCE}. Ranges are public estimates. {unit}{skipped}Reach model: "
            f"{MODEL_DESCRIPTIONS[a.model]}; {where}.{near}")


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


def _text_width(text: str, size: float, weight: str = "normal") -> float:
    font = FontProperties(family=_RC["font.family"], size=size, weight=weight)
    return text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]


def _wrap(text: str, width_in: float, size: float, weight: str = "normal") -> list:
    """Break `text` into lines that fit `width_in` inches in DejaVu Sans at `size` points.

    Measured from the font outlines (text is drawn unhinted, so widths hold at any resolution).
    """
    lines: list[str] = []
    for word in text.split():
        line = f"{lines[-1]} {word}" if lines else word
        if lines and _text_width(line, size, weight) <= 71 * width_in:
            lines[-1] = line
        else:
            lines.append(word)
    return lines


def save_figure(fig: Figure, path, *, dpi: float = 200, fmt: str | None = None) -> Path:
    """Write `fig` to `path` as PNG, SVG or PDF, atomically (never half a file).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Typically from :func:`figure`.
    path : str or Path
        Output file; its folder must exist and be writable.
    dpi : float
        Resolution of the PNG, from :data:`MIN_DPI` to :data:`MAX_DPI`.
    fmt : {"png", "svg", "pdf"}, optional
        File format; by default taken from the extension of `path`.

    Raises
    ------
    geo.errors.InputError
        For an unknown format, a resolution outside :data:`MIN_DPI` to :data:`MAX_DPI`, or a
        path that cannot be written; no file is left behind. ``path="-"`` writes to standard output.
    """
    dpi = check_dpi(dpi)
    path = check_writable(path)
    fmt = (fmt or ("" if is_stdout(path) else path.suffix.lstrip("."))).lower()
    if fmt not in FORMATS:
        raise InputError(f"cannot write {path}: unknown format {fmt!r}; use a .png, .svg or .pdf file name")
    buf = io.BytesIO()
    metadata = {"png": {"Software": "rangemap"}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    data = buf.getvalue()
    return write_atomic(path, xml_clean_bytes(data) if fmt == "svg" else data)   # SVG: well-formed XML

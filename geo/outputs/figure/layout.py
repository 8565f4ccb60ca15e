"""The figure as a whole: view and extent, the page layout (map, title, subtitle, legend, caption) and the
order things are drawn and labelled in.

Examples
--------
>>> fig = figure("Chagang", "HS-12", "Guam")
>>> fig.texts[0].get_text()
'Hwasong-12 range from Hoejung-ri missile operating base (Chagang)'
"""

from __future__ import annotations

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from ...analysis.assessment import VERDICTS, as_assessment
from ...catalog.countries import country_outlines
from ...core.geodesy import HALF_MERIDIAN_KM, WGS84
from ...errors import InputError
from ..escape import check_record, check_text
from ..formatting import check_units
from .caption import caption, subtitle, wrap
from ..style import FIGURE_COLORS
from .drawing import draw_points, draw_rings, graticule, legend_handles, scale_bar, to_path
from .labels import Placer, place_labels
from .metrics import text_width
from .options import MARGIN_IN, RC, WORLD_VIEW_KM, check_labels, check_view, check_width, page_size
from .projection import Projection, WorldProjection, world_centre

__all__ = ["figure"]


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
    width_in = check_width(width_in)
    if title is not None and not isinstance(title, str):
        raise InputError(f"title {title!r} is not text")
    check_text(title, "title", allow_breaks=True)
    a = as_assessment(sites, missiles, targets, model=model, what="a figure")
    for kind, items in (("site", a.sites), ("missile", a.missiles), ("target", a.targets)):
        for item in items:
            check_record(item, kind)          # an SVG cannot hold control characters
    sites, targets = a.sites, a.targets
    az = np.arange(0.0, 360.0, 1.0)
    reaches = [(s, a.reach_profile(si, m.max_km, az)) for si, s in enumerate(sites) for m in a.missiles]
    widest = max(float(np.max(r)) for _, r in reaches)
    if view == "auto":
        view = "world" if widest >= WORLD_VIEW_KM else "site"
    if view == "world":
        lines = []
        for s, r in reaches:
            lon, lat, _ = WGS84.fwd(np.full(az.size, s.lon), np.full(az.size, s.lat), az,
                                    np.minimum(r, HALF_MERIDIAN_KM) * 1000.0)
            lines.append((lon, lat))
        proj = WorldProjection(world_centre(a, lines))
        x0, y0, x1, y1 = proj.frame.bounds
        pad = 0.01 * (x1 - x0)
        limits = ((x0 - pad, x1 + pad), (y0 - pad, y1 + pad))
    else:
        proj = Projection(sites[0].lat, sites[0].lon)
        # from the first site to each site, then to each target (a country: its nearest point)
        dist = ([a.site_distance_km(0, si) for si in range(len(sites))]
                + [float(a.distance_km[0, ti]) for ti in range(len(targets))])
        reach = max(float(np.max(r)) + d for (_, r), d in zip(reaches, np.repeat(dist[:len(sites)],
                                                                                 len(a.missiles))))
        extent = 1000.0 * min(1.1 * max([reach] + dist[len(sites):]), 1.03 * HALF_MERIDIAN_KM)
        limits = ((-extent, extent), (-extent, extent))
    with matplotlib.rc_context(RC):
        return _draw(proj, a, limits, title=title, width_in=float(width_in), page=page, units=units,
                     labels=labels, slide=bool(page) and str(size).lower().startswith(("16:9", "4:3")))


def _draw(proj, a, limits, *, title, width_in, page, units, labels, slide) -> Figure:
    """Lay out and draw the figure in `proj` within `limits` (data metres): map, labels, title, subtitle,
    legend and caption; the caption counts the labels left out, known only after placing them."""
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
    sub = subtitle(a, world)
    handles = legend_handles(missiles, sorted(set(best[ti] for ti, k in enumerate(a.target_kinds) if k != "country")),
                              units, countries="country" in a.target_kinds)

    legend_w = max(text_width(h.get_label(), fs["legend"]) for h in handles) / 72 + 0.4 * k   # with the key
    W, H = page or (width_in, None)
    side = bool(page) and W / H >= 1.25 and aspect < 1.3
    tw = W - 2 * MARGIN_IN
    title_lines = wrap(title, tw, fs["title"], "bold")
    title_h = 0.2 * k * len(title_lines)
    ph = fs["sub"] * 1.3 / 72

    def text_block(width, caption_text):
        sub_lines = wrap(sub, width, fs["sub"])
        cap_lines = wrap(caption_text, width, fs["caption"])
        widest = legend_w
        ncols = max(1, min(3, int(width // widest)))
        legend_h = fs["legend"] * 1.75 / 72 * -(-len(handles) // ncols)
        return sub_lines, cap_lines, ncols, legend_h

    # The caption counts the labels left out, known only after placing: lay out, place, then fill in.
    caption_text = caption(a, units, world, proj, left_out=0)
    fig = Figure(figsize=(W, H or 10.0))
    FigureCanvasAgg(fig)
    if side:
        top = MARGIN_IN + title_h + 0.12
        map_h = H - top - MARGIN_IN
        map_w = min(map_h * aspect, 0.64 * W)
        for _ in range(12):
            col = W - 2 * MARGIN_IN - map_w - 0.3
            sub_lines, cap_lines, ncols, legend_h = text_block(col, caption_text)
            need = ph * len(sub_lines) + 0.15 + legend_h + 0.12 + fs["caption"] * 1.4 / 72 * (len(cap_lines) + 0.6)
            if need <= H - top - MARGIN_IN and legend_w <= col:
                break
            map_w *= 0.94
        if not world and map_h > map_w / aspect * 1.02:
            # Narrower than tall: the site view grows north and south to fill the height.
            grow = min(map_h * aspect / map_w, 1.03 * HALF_MERIDIAN_KM * 1000.0 / y1)
            y0, y1 = y0 * grow, y1 * grow
            aspect = (x1 - x0) / (y1 - y0)
        map_h = map_w / aspect
        ax_box = (MARGIN_IN, H - top - map_h, map_w, map_h)
        col_x, col_top = MARGIN_IN + map_w + 0.3, H - top
        layout = dict(col_x=col_x, col_top=col_top, col=col)
    else:
        sub_lines, cap_lines, ncols, legend_h = text_block(tw, caption_text)
        top = MARGIN_IN - 0.03 + title_h + 0.1 + ph * len(sub_lines) + 0.12
        bottom = 0.1 + legend_h + 0.08 + fs["caption"] * 1.4 / 72 * (len(cap_lines) + 0.6) + MARGIN_IN
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
    colors = FIGURE_COLORS
    ax.add_artist(PathPatch(to_path([clip]), facecolor=colors["sea"], edgecolor="#B5C4D1", linewidth=0.5, zorder=0))
    fine = (x1 - x0) / (map_w * 72.0 * 5.0)        # a fifth of a printed point
    ax.add_artist(PathPatch(to_path(proj.geometries(country_outlines(), clip, fine)), facecolor=colors["land"],
                            edgecolor=colors["border"], linewidth=0.35, zorder=1, gid="countries"))
    ax.add_artist(PathPatch(to_path(proj.geometries(graticule(), clip)), facecolor="none",
                            edgecolor=colors["graticule"], linewidth=0.3, zorder=1.5, gid="graticule"))
    ring_labels = draw_rings(ax, proj, a, clip, units, fs)
    marks = draw_points(ax, proj, a, best, clip)

    placer = Placer(fig, ax)
    for xy, size in marks:
        placer.block_marker(xy, size)
    if len(marks) > 1:
        placer.crowd = placer.to_px(np.array([xy for xy, _ in marks])).mean(axis=0)
    if not world:
        placer.block(scale_bar(ax, proj, units, fs, map_w))
    left_out = place_labels(placer, ax, proj, a, best, ring_labels, units, labels, fs)

    caption_text = caption(a, units, world, proj, left_out)
    left = MARGIN_IN / W
    fig.text(left, 1 - (MARGIN_IN - 0.03) / H, "\n".join(title_lines), fontsize=fs["title"], fontweight="bold",
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
        fig.text(left, 1 - (MARGIN_IN - 0.03 + title_h + 0.1) / H, "\n".join(sub_lines), fontsize=fs["sub"],
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

"""One self-contained HTML report: summary, interactive map, print figure, table, assumptions, sources.

The report makes no network request: the interactive map is the offline map of
:mod:`geo.render` (Leaflet and country outlines inlined), embedded as an ``<iframe
srcdoc>`` so its scripts run sandboxed, apart from the report; the print figure of
:mod:`geo.figure` is an SVG (made smaller) inlined as a ``data:`` image. A Content-Security-Policy
forbids every fetch but ``data:`` images, so nothing can slip out. Every user string
(names, sources, notes, title) is HTML-escaped; nothing is a template. On paper the
interactive map is left out and the figure prints full width.

Examples
--------
>>> from geo.catalog import default_catalog
>>> cat = default_catalog()
>>> page = build_report([cat.site("Chagang")], [cat.missile("Hwasong-12")], [cat.target("Guam")])
>>> page.startswith("<!DOCTYPE html>"), "<iframe" in page, "<img src='data:image/svg+xml;" in page
(True, True, True)
"""

from __future__ import annotations

import datetime as _dt
import pathlib
import re
import urllib.parse

from .. import __version__
from ..catalog.tables import Missile
from . import escape
from .files import write_atomic
from .formatting import (NEAR_ORBITAL_TEXT, check_units, length, number, reach_cell, sectors_text, to_units,
                         verdict_text)
from .text import ROTATING_REGIONS_TEXT, near_orbital_notes, reader_note
from ..analysis.assessment import COUNTRY_VERDICTS, VERDICTS, Assessment, Check, as_assessment
from ..validate import Verdict
from ..analysis.scenario import MODEL_DESCRIPTIONS
from .style import VERDICT_COLORS

__all__ = ["build_report", "write_report", "report_rows", "reader_note"]

_VERDICT_TINTS = dict(zip(VERDICTS + COUNTRY_VERDICTS,
                          ("#FBE3E3", "#FEEBDC", "#EEF1F4", "#EFE3F4", "#FBE3E3", "#FBE3E3", "#EEF1F4")))
#: Verdicts that put a target (or some of a country) within reach, for the summary's count.
_REACHED = (Verdict.IN_RANGE, *COUNTRY_VERDICTS[:2])
CONFIDENCE_SCALE = {"H": "several consistent sources", "M": "one good source", "L": "weak",
                    "M-H": "between one good source and several consistent ones",
                    "L-M": "between weak and one good source"}
#: Only data: images may load; scripts and styles are inline (the map's, inside its frame).
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
       "font-src data:; base-uri 'none'; form-action 'none'")


def _e(value) -> str:
    return escape.html(value)


def _km(value: float, units: str = "km") -> str:
    """A distance given in km as a number in `units`, without the unit: ``'3,540'``."""
    return number(to_units(value, units))


def _signed(value: float, units: str = "km") -> str:
    return f"{to_units(value, units):+,.0f}".replace("-", "\u2212")


_UNIT_NOTES = {"mi": " · distances in statute miles (1 mi = 1.609344 km)",
               "nmi": " · distances in nautical miles (1 nmi = 1.852 km)"}
def report_rows(a: Assessment) -> list[list[list[Check]]]:
    """Every site × missile × target of assessment `a` as a :class:`~geo.analysis.assessment.Check`,
    nested in that order."""
    return [[[a.check(si, mi, ti) for ti in range(len(a.targets))] for mi in range(len(a.missiles))]
            for si in range(len(a.sites))]


def build_report(sites, missiles=(), targets=(), *, title: str | None = None, model: str = "geodesic",
                 generated: _dt.datetime | None = None, units: str = "km") -> str:
    """The whole report as one HTML document (a string).

    Parameters
    ----------
    sites, missiles, targets : Assessment, or sequence or single item
        An :class:`~geo.analysis.assessment.Assessment` (the map, figure and table all read
        it), or places and missiles: objects, catalog names, ``"LAT,LON"`` for places, or a
        range in km for a missile.
    title : str, optional
        By default "<missiles> from <sites>".
    model : {"geodesic", "rotating"}
        Reach model when `sites` is not an Assessment (see :mod:`geo.analysis.assessment`).
    generated : datetime, optional
        Time stamp printed in the report (default: now, UTC).
    units : {"km", "mi", "nmi"}
        Unit of the distances shown (the table's ``data-value`` attributes stay in km).

    Raises
    ------
    geo.errors.InputError
        For no site, no missile or an unknown model.
    """
    units = check_units(units)
    a = as_assessment(sites, missiles, targets, model=model, what="a report")
    sites, missiles, targets, model = a.sites, a.missiles, a.targets, a.model
    from .web.offline import embed_html
    from .web.page import build_map

    title = title or a.scenario.title or a.scenario.default_title()
    when = (generated or _dt.datetime.now(_dt.timezone.utc)).astimezone(_dt.timezone.utc)
    rows = report_rows(a)
    # Under the rotating model the table also gives the geodesic verdict, for comparison.
    geodesic = report_rows(a.geodesic()) if model == "rotating" else rows
    the_map = build_map(a, offline=True, units=units)
    body = "\n".join([
        f"<header><h1>{_e(title)}</h1>"
        f"<p class='meta'>Generated {when:%Y-%m-%d %H:%M} UTC by rangemap {_e(__version__)} · "
        f"reach model: {_e(model)} ({_e(MODEL_DESCRIPTIONS[model])}){_UNIT_NOTES.get(units, '')}</p></header>",
        _summary(sites, missiles, targets, rows, model, units),
        "<section class='map-block' id='map'><h2>Interactive map</h2>"
        + embed_html(the_map, width="100%", height="600px", title=f"Interactive map: {title}")
        + "<p class='note'>Hover or click rings, markers and paths for figures and sources. The map works "
          "offline; it is left out when printing (see the figure below).</p></section>",
        _figure(a, title, units),
        _table(rows, geodesic, targets, model, units),
        _assumptions(model, bool(targets), units, near_orbital_notes(a, units), "country" in a.target_kinds),
        _sources(sites, missiles, targets, units),
        f"<footer>Generated {when:%Y-%m-%d %H:%M} UTC by rangemap {_e(__version__)}. "
        "Range figures are public estimates: read the sources and assumptions above.</footer>",
    ])
    return (f"<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">\n"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>\n"
            f"<meta name='generator' content='rangemap {_e(__version__)}'>\n"
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n")


def write_report(report: str, path) -> pathlib.Path:
    """Write `report` (from :func:`build_report`) to `path` atomically; returns the path.

    Raises :class:`~geo.errors.InputError` when `path` cannot be written (no file is left).
    """
    return write_atomic(path, report)


# --- the parts ----------------------------------------------------------------------

def _names(items) -> str:
    names = [i.name for i in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _range_text(m: Missile, units: str = "km") -> str:
    text = f"nominal range {length(m.range_km, units)}"
    if m.max_km > m.certain_km:
        text += (f"; in range to {length(m.certain_km, units)}, possibly to {length(m.max_km, units)} "
                 "(sources disagree)")
    if m.min_range_km:
        text += f"; minimum range {length(m.min_range_km, units)}"
    return text


def _summary(sites, missiles, targets, rows, model, units) -> str:
    where = " on a rotating Earth" if model == "rotating" else ""
    items = []
    for si, s in enumerate(sites):
        for mi, m in enumerate(missiles):
            kind = f"{_e(m.type)}; " if m.type else ""
            head = f"From <b>{_e(s.name)}</b>, the <b>{_e(m.name)}</b> ({kind}{_e(_range_text(m, units))})"
            if not targets:
                items.append(f"<li>{head}: no targets given.</li>")
                continue
            checks = rows[si][mi]
            n_in = sum(c.verdict in _REACHED for c in checks)
            parts = []
            for verdict in VERDICTS + COUNTRY_VERDICTS:
                hits = [c for c in checks if c.verdict == verdict]
                if hits:
                    parts.append(f"{_badge(verdict)} " + ", ".join(_target_phrase(c, units) for c in hits))
            items.append(f"<li>{head} has {n_in} of {len(checks)} target{'s' if len(checks) != 1 else ''} "
                         f"in range{where}. {'; '.join(parts)}.</li>")
    return f"<section id='summary'><h2>Summary</h2><ul class='summary'>{''.join(items)}</ul></section>"


def _target_phrase(c: Check, units: str = "km") -> str:
    """'Guam at 3,540 km (margin +960 km, flight about 17 min)'; a country: 'Japan (whole country) at
    604-1,973 km (2.0% of its area; nearest point: margin +86 km, flight about 7 min)'."""
    if c.target_kind == "country":
        return _country_phrase(c, units)
    facts = []
    if c.near_orbital:
        facts.append(NEAR_ORBITAL_TEXT)
    elif c.verdict == Verdict.OUT_OF_RANGE:
        facts.append(f"{length(-c.margin_km, units)} beyond the {'reach' if c.model == 'rotating' else 'range'}")
    elif c.verdict != Verdict.TOO_CLOSE:
        facts.append(f"margin {_signed(c.margin_km, units)} {units}")
    if c.flight_time_min is not None and c.verdict != Verdict.TOO_CLOSE:
        facts.append(f"flight about {c.flight_time_min:.0f} min")
    return f"{_e(c.target.name)} at {length(c.distance_km, units)}" + (f" ({', '.join(facts)})" if facts else "")


def _country_phrase(c: Check, units: str) -> str:
    facts = [verdict_text(c.verdict, c.share).partition(" (")[2].rstrip(")")] if c.verdict == "part in range" else []
    if c.verdict != COUNTRY_VERDICTS[2] and not c.near_orbital and c.point_verdict != Verdict.TOO_CLOSE:
        facts.append(f"nearest point: margin {_signed(c.margin_km, units)} {units}"
                     + (f", flight about {c.flight_time_min:.0f} min" if c.flight_time_min is not None else ""))
    return (f"{_e(c.target.name)} (whole country) at {_km(c.distance_km, units)}-{length(c.farthest_km, units)}"
            + (f" ({_e('; '.join(facts))})" if facts else ""))


def _badge(verdict: str) -> str:
    return (f"<span class='verdict' style='background:{_VERDICT_TINTS[verdict]};"
            f"border-color:{VERDICT_COLORS[verdict]}'><span class='dot' style='background:"
            f"{VERDICT_COLORS[verdict]}'></span>{_e(verdict)}</span>")


def _figure(a: Assessment, title, units: str = "km") -> str:
    """The print figure as an inline SVG image."""
    from .figure import figure_bytes

    sites, missiles = a.sites, a.missiles
    svg = figure_bytes(a, "svg", title=title, units=units).getvalue()
    data = urllib.parse.quote(_minify_svg(svg.decode("utf-8")), safe=" /:=;,.-_()!*~+@$?")
    alt = f"Map of the range of {_names(missiles)} from {_names(sites)}"
    kind = "Reach on a rotating Earth" if a.model == "rotating" else "Geodesic range rings (non-rotating Earth)"
    return ("<section class='figure' id='figure'><h2>Map for print</h2><figure>"
            f"<img src='data:image/svg+xml;charset=utf-8,{data}' alt='{_e(alt)}'>"
            "<figcaption>Azimuthal equidistant projection centred on the first launch site: every distance "
            f"from it is true. {kind}. Right-click to save the figure as SVG.</figcaption></figure></section>")


_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _minify_svg(svg: str) -> str:
    """Matplotlib's SVG, smaller: no prolog or metadata; path data rounded to 0.1 pt (0.035 mm),
    repeated points and ``L`` commands dropped. Halves a figure with country outlines."""
    svg = re.sub(r"(?s)\A<\?xml.*?\?>\s*(<!DOCTYPE[^>]*>\s*)?", "", svg)
    svg = re.sub(r"(?s)<metadata>.*?</metadata>\s*", "", svg)
    return re.sub(r' d="([^"]*)"', lambda m: f' d="{_minify_path(m[1])}"', svg)


def _minify_path(d: str) -> str:
    tokens = _PATH_TOKEN.findall(d)
    if any(t.isalpha() and t not in "MLCQZz" for t in tokens):
        return d                                   # a command this does not know: leave it
    out, last, previous = [], None, None
    for token in tokens:
        if token.isalpha():
            out.append([token])
        else:
            text = f"{float(token):.1f}".rstrip("0").rstrip(".")
            out[-1].append("0" if text == "-0" else text)
    parts = []
    for command, *numbers in out:
        if command == "L" and numbers == last:
            continue
        joined = " ".join(numbers)
        parts.append(f" {joined}" if command == "L" and previous in ("L", "M") else command + joined)
        last, previous = numbers[-2:] or last, command
    return "".join(parts)


def _table(rows, geodesic, targets, model, units: str = "km") -> str:
    if not targets:
        return "<section id='table'><h2>Targets</h2><p>No targets given.</p></section>"
    rotating = model == "rotating"
    head = ["Site", "Missile", "Target", f"Distance ({units})",
            f"Reach toward target ({units}, rotating Earth)" if rotating else f"Range ({units}, nominal)",
            f"Margin ({units})", "Verdict" + (" (rotating Earth)" if rotating else "")]
    if rotating:
        head.append("Verdict (geodesic)")
    head.append("Flight time (min)")
    body = []
    for per_site, geo_site in zip(rows, geodesic):
        for per_missile, geo_missile in zip(per_site, geo_site):
            for c, g in zip(per_missile, geo_missile):
                nowrap = " nowrap" if len(c.missile.name) <= 16 else ""
                cells = [f"<td class='site'>{_e(c.site.name)}</td>",
                         f"<td class='missile{nowrap}'>{_e(c.missile.name)}</td>",
                         _target_td(c), _distance_td(c, units), _reach_td(c, units),
                         _reach_td(c, units, signed=True), _verdict_td(c)]
                if rotating:
                    cells.append(_verdict_td(g))
                if c.flight_time_min is None:
                    why = (reach_cell(c, short=True) if c.near_orbital else "beyond reach"
                           if c.verdict in (Verdict.OUT_OF_RANGE, COUNTRY_VERDICTS[2]) else "too close"
                           if c.point_verdict == Verdict.TOO_CLOSE else "no flight time from the model")
                    cells.append(f"<td class='time'>—<br><span class='small'>{_e(why)}</span></td>")
                else:
                    cells.append(f"<td class='time' data-free='{c.free_flight_min:.3f}' data-boost="
                                 f"'{c.boost_min:.3f}'>{c.flight_time_min:.1f}<br><span class='small'>"
                                 f"{c.free_flight_min:.1f} + {c.boost_min:.1f}</span></td>")
                body.append("<tr>" + "".join(cells) + "</tr>")
    note = ("Margin: range (under the rotating model, the reach toward the target) minus distance; positive "
            "means inside. Flight time: total, then its parts (coast + boost to thrust cut-off); "
            "estimates, see Assumptions; none is given beyond the reach.")
    if any(c.near_orbital for per_site in rows for per_missile in per_site for c in per_missile):
        note += (f" Near orbital: {NEAR_ORBITAL_TEXT.partition(': ')[2]} toward that target (the farthest shots "
                 "run on to the antipode or to orbit), so no reach or margin is given and the verdict is at "
                 "best \u201cpossibly in range\u201d.")
    return ("<section id='table'><h2>Every site, missile and target</h2><table class='checks'><thead><tr>"
            + "".join(f"<th scope='col' class='time'>{_e(h)}<br><span class='small'>free flight + boost</span></th>"
                      if h.startswith("Flight") else f"<th scope='col'>{_e(h)}</th>" for h in head)
            + "</tr></thead><tbody>"
            + "".join(body) + f"</tbody></table><p class='note'>{_e(note)}</p></section>")


def _target_td(c: Check) -> str:
    whole = "<br><span class='small'>whole country</span>" if c.target_kind == "country" else ""
    return f"<td class='target' data-kind='{_e(c.target_kind)}'>{_e(c.target.name)}{whole}</td>"


def _distance_td(c: Check, units: str) -> str:
    """The distance; a country's nearest point, and its farthest beneath."""
    if c.target_kind != "country":
        return _num(c.distance_km, _km(c.distance_km, units))
    return (f"<td class='num' data-value='{c.distance_km:.3f}' data-farthest='{c.farthest_km:.3f}'>"
            f"{_km(c.distance_km, units)}<br><span class='small'>nearest point; farthest "
            f"{_km(c.farthest_km, units)}</span></td>")


def _verdict_td(c: Check) -> str:
    share = "" if c.share is None else f" data-share='{c.share:.6f}'"
    text = verdict_text(c.verdict, c.share).partition(" (")[2].rstrip(")")
    small = f"<br><span class='small'>{_e(text)}</span>" if text else ""
    return f"<td class='v' data-verdict='{_e(c.verdict)}'{share}>{_badge(c.verdict)}{small}</td>"


def _num(value: float, text: str) -> str:
    return f"<td class='num' data-value='{value:.3f}'>{text}</td>"


def _reach_td(c: Check, units: str, *, signed: bool = False) -> str:
    """The reach (or margin) cell: the number, or "near orbital" (no ``data-value``) where the
    model does not bound the range; the note under the table says what that means."""
    if c.near_orbital:
        return f"<td class='num near-orbital' title='{_e(NEAR_ORBITAL_TEXT)}'>{_e(reach_cell(c, short=True))}</td>"
    value = c.margin_km if signed else c.range_km
    return _num(value, _signed(value, units) if signed else _km(value, units))


def _assumptions(model: str, has_targets: bool, units: str = "km", near_notes=(), countries: bool = False) -> str:
    from ..catalog.countries import COUNTRIES_SOURCE
    from ..core.rings import TOLERANCE_KM

    verdicts = ("<b>in range</b>: within the range every source agrees on (the nominal range, or the low "
                "end of the band where sources disagree); <b>possibly in range</b>: inside the band; "
                "<b>out of range</b>: beyond it; <b>too close</b>: under a known minimum range."
                + (" A whole country is an area: <b>all in range</b>, <b>part in range</b> (with the share of its "
                   "area within the nominal reach under the model; Natural Earth 1:50m outline) or <b>none in "
                   "range</b>; its distance, margin and flight time are those of its nearest point, and its "
                   "farthest point is given beneath." if countries else ""))
    rotating = ("Used here: the reach depends on the direction of fire. The nominal range fixes the burnout "
                "speed relative to the ground; the ground's eastward speed is added at launch and the Earth "
                "turns under the missile in flight (Keplerian minimum-energy free flight over a sphere), so "
                "eastward shots reach farther and westward shots less far. Each verdict compares the "
                "geodesic distance with the reach toward that target; the map and the figure draw this "
                "reach (the regions the verdicts use); the table gives the geodesic verdict beside it."
                + "".join(f" {_e(n[:1].upper() + n[1:])}." for n in near_notes)
                if model == "rotating" else
                "Not used in this report: the verdicts treat the range as the same in every direction "
                "(a non-rotating Earth). On a rotating Earth eastward shots reach farther and westward "
                "shots less far, by some percent; rangemap's rotating model (model=\"rotating\") shows it.")
    items = [
        ("Distances and rings", "Geodesic distances and bearings on the WGS84 ellipsoid (Karney's algorithm "
         + (f"via pyproj / PROJ). The regions drawn are {ROTATING_REGIONS_TEXT} (see Rotating Earth)."
            if model == "rotating" else
            f"via pyproj / PROJ). Range rings are the exact regions within the range: every point of the drawn "
            f"outline lies within {length(TOLERANCE_KM, units, 0 if units == 'km' else 1)} of the true geodesic "
            "circle.")),
        ("Ranges and verdicts", "Ranges are nominal maximum ranges from public estimates (see Sources); real "
         "reach also depends on payload, trajectory and the missile's condition. Where sources disagree a "
         f"band is given. {verdicts} Margin = range minus distance."),
        ("Flight times", "The class missile of the range (powered-flight model: a point mass with assumed "
         "stages, no drag) on the pitch programme of its maximum-range shot, its thrust cut off so that the "
         f"Kepler coast over a sphere of radius {length(6371, units)} lands on the target; at the edge of the "
         "reach that is its maximum-range shot. Estimates for orientation, not data about any one missile."
         + ("" if has_targets else " (No targets, so no flight times here.)")),
        ("Maps", "The interactive map uses Web Mercator, which cannot show latitudes beyond ±85.05°: rings "
         "reaching farther are clamped there. Rings are computed on the ellipsoid and drawn as such, never as "
         "Mercator circles. The print figure uses an azimuthal equidistant projection centred on the first "
         f"launch site. Country outlines: {COUNTRIES_SOURCE}, simplified on the interactive map."),
        ("Rotating Earth", rotating),
    ]
    return ("<section id='assumptions'><h2>Assumptions</h2><dl>"
            + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl></section>")


def _sources(sites, missiles, targets, units: str = "km") -> str:
    from ..catalog.countries import COUNTRIES_SOURCE

    def conf(c: str) -> str:
        return f"<abbr title='{_e(CONFIDENCE_SCALE.get(c, 'as given'))}'>{_e(c)}</abbr>" if c else "—"

    def src(text: str) -> str:
        return _e(text) if text else "<span class='missing'>not given</span>"

    missile_rows = "".join(
        f"<tr><td>{_e(m.name)}</td><td>{_e(m.type) or '—'}</td><td>{_e(_range_text(m, units))}</td>"
        f"<td>{src(m.source)}</td><td>{conf(m.confidence)}</td><td>{_e(reader_note(m.notes))}</td></tr>"
        for m in missiles)

    def places(rows) -> str:
        return "".join(f"<tr><td>{_e(p.name)}</td><td>{p.lat:.5f}, {p.lon:.5f}</td><td>{_e(p.country) or '—'}"
                       f"</td><td>{src(p.source)}</td><td>{conf(p.confidence)}</td>"
                       f"<td>{_e(reader_note(p.notes))}</td></tr>"
                       for p in rows)

    head = "<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>Source</th><th>Confidence</th><th>Notes</th></tr></thead>"
    parts = [f"<h3>Missiles</h3><table class='sources'>{head.format('Missile', 'Type', 'Range')}"
             f"<tbody>{missile_rows}</tbody></table>",
             f"<h3>Launch sites</h3><table class='sources'>{head.format('Site', 'Lat, lon (WGS84)', 'Country')}"
             f"<tbody>{places(sites)}</tbody></table>"]
    if targets:
        parts.append(f"<h3>Targets</h3><table class='sources'>{head.format('Target', 'Lat, lon (WGS84)', 'Country')}"
                     f"<tbody>{places(targets)}</tbody></table>")
    scale = "; ".join(f"<b>{_e(k)}</b> {_e(v)}" for k, v in CONFIDENCE_SCALE.items())
    parts.append(f"<h3>Other data</h3><ul><li>Country outlines: {_e(COUNTRIES_SOURCE)}.</li>"
                 "<li>Map software: Leaflet (BSD-2-Clause), inlined; no map tiles.</li></ul>"
                 f"<p class='note'>Confidence: {scale}.</p>")
    return "<section id='sources'><h2>Sources</h2>" + "".join(parts) + "</section>"


_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #F6F7F9; color: #1D232A;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 32px 40px; background: #FFF; min-height: 100vh;
  box-shadow: 0 0 0 1px #E3E6EA; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #E3E6EA; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta, .note, figcaption, footer { color: #56606B; font-size: 13px; }
.summary { padding-left: 20px; } .summary li { margin: 6px 0; }
.verdict { display: inline-block; white-space: nowrap; padding: 0 7px 0 5px; border: 1px solid; border-radius: 10px;
  font-size: 13px; line-height: 1.5; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px; vertical-align: 0; }
.rangemap-map { border: 1px solid #CDD3DA !important; border-radius: 4px; background: #DCE9F2; }
figure { margin: 0; } figure img { display: block; width: 100%; max-width: 760px; height: auto; margin: 0 auto;
  border: 1px solid #E3E6EA; }
figcaption { max-width: 760px; margin: 6px auto 0; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { padding: 5px 8px; border-bottom: 1px solid #E3E6EA; text-align: left; vertical-align: top; }
thead th { background: #EEF1F4; border-bottom: 2px solid #CDD3DA; font-weight: 600; }
tbody tr:nth-child(even) { background: #FAFBFC; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.time { font-variant-numeric: tabular-nums; text-align: right; }
table.checks td.site { min-width: 10em; } table.checks td.target { min-width: 8em; }
table.checks td.missile { min-width: 6.5em; }
td.v, .nowrap, .time .small { white-space: nowrap; }
table.checks .time { min-width: 6.5em; text-align: right; }
.small { color: #56606B; font-size: 12px; }
.missing { color: #B2182B; font-style: italic; }
table.sources td:nth-child(4) { min-width: 180px; }
dl dt { font-weight: 600; margin-top: 10px; } dl dd { margin: 2px 0 0 0; }
abbr { text-decoration: underline dotted; cursor: help; }
footer { margin-top: 32px; padding-top: 10px; border-top: 1px solid #E3E6EA; }
@page { margin: 16mm 14mm 18mm; }
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { background: #FFF; font-size: 10.5pt; line-height: 1.4; }
  main { max-width: none; padding: 0; box-shadow: none; min-height: 0; }
  h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 16pt; break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  .map-block, iframe { display: none !important; }
  figure img { max-width: none; width: 100%; border: 0; }
  figcaption { max-width: none; }
  .figure { break-inside: avoid; page-break-inside: avoid; }
  table { font-size: 9pt; }
  thead { display: table-header-group; }
  tr, li, dt, dd { break-inside: avoid; page-break-inside: avoid; }
  dt { break-after: avoid; page-break-after: avoid; }
  .verdict { font-size: 8.5pt; }
  .note, figcaption, footer, .small { font-size: 8.5pt; }
}
"""

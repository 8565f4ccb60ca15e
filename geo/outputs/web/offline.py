"""``geo.write_map``: any folium map as one HTML file that makes no network request.

folium's pages link their scripts and styles to CDNs (``m.save()`` keeps doing so). Here
every ``<script src>`` and ``<link rel="stylesheet">`` that folium, branca or a plugin put
in the page is replaced by the file itself, inline:

* Leaflet from the ``xstatic-leaflet`` package (its images, and the default marker's, as
  data: URLs);
* jQuery, Bootstrap (and Bootstrap 3's Glyphicons), Font Awesome, Leaflet.awesome-markers
  and leaflet.fullscreen from ``vendor/`` (copied from their npm packages by
  ``scripts/vendor_web_assets.py``, each beside its licence), fonts and images as data: URLs;
* folium's ``leaflet.awesome.rotate`` rules, written here.

A page asking for anything else (another plugin's script) is refused with an
:class:`~geo.errors.OutputError` naming it, rather than written half offline.

>>> import folium
>>> page = offline_html(folium.Map(tiles=None))
>>> "<script src=" in page, "<link rel=" in page, "jQuery v3.7.1" in page
(False, False, True)
"""

from __future__ import annotations

import base64
import functools
import html
import mimetypes
import pathlib
import re
from importlib import resources

from ...errors import InputError, OutputError
from .. import escape
from ..files import write_atomic
from .assets import asset, inlinable
from .basemap import leaflet_parts

__all__ = ["offline_html", "write_map", "embed_html", "ASSETS", "LICENCES", "css_length"]

#: What each asset folium or a plugin links to becomes: the URL's end -> a file of vendor/,
#: or one of "leaflet.js", "leaflet.css", "rotate.css" made here.
ASSETS = {
    "/leaflet@1.9.3/dist/leaflet.js": "leaflet.js",
    "/leaflet@1.9.3/dist/leaflet.css": "leaflet.css",
    "/jquery-3.7.1.min.js": "jquery-3.7.1.min.js",
    "/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
    "/bootstrap@5.2.2/dist/css/bootstrap.min.css": "bootstrap.min.css",
    "/bootstrap/3.0.0/css/bootstrap-glyphicons.css": "bootstrap-glyphicons.css",
    "/fontawesome-free@6.2.0/css/all.min.css": "fontawesome-all.min.css",
    "/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": "leaflet.awesome-markers.js",
    "/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": "leaflet.awesome-markers.css",
    "/folium/templates/leaflet.awesome.rotate.min.css": "rotate.css",
    "/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "Control.FullScreen.js",
    "/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "Control.FullScreen.css",
}
#: The licence beside each vendored file (``vendor/NAME.LICENSE.txt``).
LICENCES = {
    "jquery-3.7.1.min.js": "jquery", "bootstrap.bundle.min.js": "bootstrap", "bootstrap.min.css": "bootstrap",
    "bootstrap-glyphicons.css": "bootstrap-glyphicons", "fontawesome-all.min.css": "fontawesome",
    "leaflet.awesome-markers.js": "leaflet.awesome-markers", "leaflet.awesome-markers.css": "leaflet.awesome-markers",
    "Control.FullScreen.js": "leaflet.fullscreen", "Control.FullScreen.css": "leaflet.fullscreen",
}
_LINK = re.compile(r'<script src="(?P<js>[^"<>]*)"></script>|<link rel="stylesheet" href="(?P<css>[^"<>]*)"/>')


def offline_html(m) -> str:
    """The whole page of folium map (or figure) `m`, every script and style inline.

    Raises :class:`~geo.errors.InputError` for what is not a folium map, and
    :class:`~geo.errors.OutputError` for an asset with no offline copy.
    """
    root = _figure(m)
    page = root.render()
    unknown = []

    def inline(match: re.Match) -> str:
        url = html.unescape(match["js"] or match["css"])
        name = next((v for k, v in ASSETS.items() if url.endswith(k)), None)
        if name is None:
            unknown.append(url)
            return match[0]
        return _script(name) if match["js"] else f"<style>{_style(name)}</style>"

    page = _LINK.sub(inline, page)
    if unknown:
        raise OutputError(f"write_map has no offline copy of {', '.join(unknown)}: save this map with "
                          "m.save(path) (it loads them from the network), or leave out the plugin that asks for it")
    return page


def write_map(m, path) -> pathlib.Path:
    """Write folium map `m` as one offline HTML file, atomically (:func:`geo.outputs.files.write_atomic`:
    never over an input, nothing half-written); returns the path.

    >>> import folium, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.html"
    >>> write_map(folium.Map(tiles=None), out) == out, "cdn." in out.read_text(encoding="utf-8")
    (True, False)
    """
    return write_atomic(path, offline_html(m))


def embed_html(m, width="100%", height="600px", *, title: str = "Interactive range map") -> str:
    """An ``<iframe srcdoc="…">`` holding map `m` offline, to paste into another HTML page.

    The page is attribute-escaped into ``srcdoc``, so its scripts run isolated in the frame
    (``sandbox="allow-scripts"``: no access to the host page, no dialogs, no navigation of
    the host). `width` and `height` are CSS lengths (a number means pixels); anything else
    raises :class:`~geo.errors.InputError`.

    >>> import folium
    >>> snippet = embed_html(folium.Map(tiles=None), height=450)
    >>> snippet.startswith('<iframe class="rangemap-map"'), 'height:450px' in snippet, '<script' in snippet
    (True, True, False)
    """
    size = f"width:{css_length(width, 'width')};height:{css_length(height, 'height')}"
    return (f'<iframe class="rangemap-map" title="{escape.html(str(title))}" '
            f'style="{size};border:0;display:block" sandbox="allow-scripts" referrerpolicy="no-referrer" '
            f'srcdoc="{html.escape(offline_html(m), quote=True)}"></iframe>')


_CSS_LENGTH = re.compile(r"(\d+(\.\d+)?)(px|%|em|rem|vh|vw|cm|mm|in|pt)?")


def css_length(value, what: str) -> str:
    """`value` as a CSS length: a number is pixels; '600px', '100%', '40em' pass as they are."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return f"{value:g}px"
    text = str(value).strip()
    match = _CSS_LENGTH.fullmatch(text)
    if not match:
        raise InputError(f"{what} {value!r} is not a CSS length: give a number of pixels, or e.g. '600px' or '100%'")
    return text if match[3] else f"{text}px"


def _figure(m):
    from branca.element import Figure

    root = m.get_root() if hasattr(m, "get_root") else None
    if not isinstance(root, Figure):
        raise InputError(f"write_map writes a folium map (a folium.Map, e.g. from geo.build_map), "
                         f"not {type(m).__name__}")
    return root


@functools.lru_cache(maxsize=None)
def _script(name: str) -> str:
    if name == "leaflet.js":
        _, js, icons = leaflet_parts()
        # the default marker's images, inline: Leaflet would look for them beside its stylesheet
        fix = f"({asset('leaflet-icons.js').strip().rstrip(';')})({escape.json_for_script(icons)});"
        return f"<script>{js}</script>\n<script>{fix}</script>"
    return f"<script>{inlinable(name, _vendor_text(name))}</script>"


@functools.lru_cache(maxsize=None)
def _style(name: str) -> str:
    if name == "leaflet.css":
        return leaflet_parts()[0]
    if name == "rotate.css":
        return "".join(f".fa-rotate-{d}{{transform:rotate({d}deg)}}" for d in range(360))
    css = _vendor_text(name)
    css = re.sub(r',\s*url\([^)]*\.(ttf|woff|eot|svg)[^)]*\)\s*format\([^)]*\)', "", css)   # woff2 is enough
    return inlinable(name, re.sub(r"url\((['\"]?)([^)'\"]+)\1\)", _data_url, css))


def _data_url(match: re.Match) -> str:
    ref = match[2]
    if ref.startswith("data:"):
        return match[0]
    name = ref.split("?")[0].split("#")[0].rsplit("/", 1)[-1]
    data = _vendor().joinpath(name).read_bytes()          # a missing file: a bug of vendor_web_assets.py
    kind = {"woff2": "font/woff2", "svg": "image/svg+xml"}.get(name.rsplit(".", 1)[-1]) or mimetypes.guess_type(name)[0]
    return f"url(data:{kind};base64,{base64.b64encode(data).decode('ascii')})"


def _vendor():
    return resources.files(__package__).joinpath("vendor")


def _vendor_text(name: str) -> str:
    return _vendor().joinpath(name).read_text(encoding="utf-8")

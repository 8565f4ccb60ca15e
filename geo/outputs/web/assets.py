"""rangemap's own scripts and styles, registered once in a folium page's header, inline.

folium's plugins register their assets with ``JSCSSMixin``: links into the figure's header,
one per name. rangemap does the same with inline elements (never a CDN link), so a page
holds ``js/rangemap.js`` and ``js/rangemap.css`` once however many range layers it has.

>>> import folium
>>> m = folium.Map(tiles=None)
>>> register(m.get_root()); register(m.get_root())
>>> sum(name.startswith("rangemap_") for name in m.get_root().header._children)
2
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from branca.element import Element, Figure

__all__ = ["register", "asset", "inlinable", "Raw", "InlineScript", "InlineStyle"]


@functools.lru_cache(maxsize=None)
def asset(name: str) -> str:
    """The text of ``js/NAME`` (package data), checked to be inlinable."""
    return inlinable(name, resources.files(__package__).joinpath("js", name).read_text(encoding="utf-8"))


def inlinable(name: str, text: str) -> str:
    """`text` unchanged if it can sit inside a ``<script>`` or ``<style>`` element; else RuntimeError."""
    if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):    # what could end or re-open the element
        raise RuntimeError(f"{name} cannot be inlined in a page")
    return text


class Raw(Element):
    """Text put in the page as it is: never compiled as a Jinja template (folium compiles what its
    elements render), so it must already be escaped for where it goes."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs):
        return self.text


class InlineScript(Element):
    """A ``<script>`` holding `text` (already checked by :func:`inlinable`)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs):
        return f"<script>{self.text}</script>"


class InlineStyle(Element):
    """A ``<style>`` holding `text` (already checked by :func:`inlinable`)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs):
        return f"<style>{self.text}</style>"


def register(figure) -> None:
    """Put rangemap's script and stylesheet in `figure`'s header, once."""
    if not isinstance(figure, Figure):
        return
    header = figure.header
    if "rangemap_css" not in header._children:
        header.add_child(InlineStyle(asset("rangemap.css")), name="rangemap_css")
    if "rangemap_js" not in header._children:
        header.add_child(InlineScript(asset("rangemap.js")), name="rangemap_js")

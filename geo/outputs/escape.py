r"""Escaping for each medium, in one place: HTML, JavaScript, XML/SVG/KML, CSV cells, the terminal.

Text from users (names, sources, notes, titles, paths) reaches many media; each has its own
rule, and each rule lives here:

* :func:`html`: HTML text and attribute values (optionally braces too, for Jinja templates);
* :func:`js_literal`: a JSON literal safe anywhere inside an HTML ``<script>``;
* :func:`xml_text` and :func:`xml_clean`: XML 1.0 (SVG, KML), which cannot hold most control
  characters at all;
* :func:`csv_cell` and :func:`csv_frame`: spreadsheet cells that would run as formulas;
* :func:`terminal` and :func:`quote`: one line on a terminal, no escape sequences, no forged lines
  (they live in :mod:`geo.validate`, since error messages of every layer use them, and are
  importable from here too).

The door, :func:`~geo.validate.check_text` (control characters and lone surrogates in text a
user gives), is in :mod:`geo.validate` with every other input check.

>>> html("<b>Guam</b> & {{x}}", braces=True)
'&lt;b&gt;Guam&lt;/b&gt; &amp; &#123;&#123;x&#125;&#125;'
>>> csv_cell('=HYPERLINK("http://evil.example/")'), csv_cell("-12.5"), csv_cell("Guam")
('\'=HYPERLINK("http://evil.example/")', '-12.5', 'Guam')
>>> print(terminal("\x1b[31mred\x1b[0m\nrangemap: error: forged"))
\x1b[31mred\x1b[0m\nrangemap: error: forged
"""

from __future__ import annotations

import html as _html
import json
import re

from ..validate import (FREE_TEXT, check_record, check_text, control_character,  # noqa: F401  (moved to geo.validate)
                        describe_character, quote, terminal)

__all__ = ["html", "js_literal", "json_for_script", "xml_text", "xml_clean", "xml_clean_bytes", "csv_cell", "csv_frame",
           "csv_arrow", "terminal", "quote", "control_character", "check_text", "check_record", "describe_character", "FORMULA_STARTS", "FREE_TEXT"]

# What XML 1.0 cannot hold at all (DEL and C1 are allowed, if discouraged).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed number (or a pair of them, as in a coordinate name "-12.4000, 130.9000") is not a formula.
_SIGNED_NUMBER = re.compile(r"[+-]?\d[\d.]*(?:[eE][+-]?\d+)?(?:,\s*[+-]?\d[\d.]*)?")


def xml_clean(text: str) -> str:
    r"""`text` with what XML 1.0 cannot hold (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
    replaced by U+FFFD, the replacement character.

    >>> ascii(xml_clean("a\x00b\ud800c"))
    "'a\\ufffdb\\ufffdc'"
    """
    return _NOT_XML.sub("\ufffd", text)


def xml_clean_bytes(data: bytes) -> bytes:
    r""":func:`xml_clean` over a UTF-8 document (an SVG file), bytes in and out."""
    text = data.decode("utf-8", errors="surrogateescape")
    return xml_clean(text).encode("utf-8")


def xml_text(value) -> str:
    r"""Text for XML content or an attribute value: escaped and cleaned.

    >>> ascii(xml_text("<a href='x'>&\x00</a>"))
    "'&lt;a href=&#x27;x&#x27;&gt;&amp;\\ufffd&lt;/a&gt;'"
    """
    return _html.escape(xml_clean(str(value)), quote=True)


def html(value, *, braces: bool = False) -> str:
    r"""HTML-escape user text for element content or a quoted attribute value.

    Characters HTML cannot carry (control characters, lone surrogates) become U+FFFD. With
    `braces`, ``{`` and ``}`` become character references too: folium compiles its output
    as a Jinja template again.

    >>> html("<script>alert('x')</script>")
    '&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;'
    """
    text = _html.escape(xml_clean(str(value)), quote=True)
    return text.replace("{", "&#123;").replace("}", "&#125;") if braces else text


_JS_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&{}\u2028\u2029"}
_JS_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


def js_literal(value) -> str:
    r"""`value` as a JSON literal that is safe anywhere inside an HTML ``<script>``.

    ``<``, ``>``, ``&``, U+2028 and U+2029 are escaped, and so are braces inside
    strings: folium compiles the JavaScript it renders as a Jinja template again.
    A lone surrogate is written as its ``\u`` escape (the page stays valid UTF-8).

    >>> print(js_literal("</script>{{7*7}}\u2028"))
    "\u003c/script\u003e\u007b\u007b7*7\u007d\u007d\u2028"
    """
    text = json.dumps(value, ensure_ascii=False)
    text = _JS_STRING.sub(lambda string: string[0].translate(_JS_ESCAPES), text)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def _is_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) and not _SIGNED_NUMBER.fullmatch(text)


def csv_cell(value):
    r"""A CSV cell a spreadsheet will not run: text starting with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return gets a leading ``'`` (OWASP's advice). Numbers, and text that is only a signed
    number, keep their sign; anything that is not text passes unchanged.

    >>> csv_cell("@SUM(A1:A9)"), csv_cell(-3.5), csv_cell("+1")
    ("'@SUM(A1:A9)", -3.5, '+1')
    """
    if isinstance(value, str) and _is_formula(value):
        return "'" + value
    return value


def csv_frame(df):
    r"""A copy of the pandas DataFrame `df` with :func:`csv_cell` applied to its text columns
    (only to the cells that need it; numeric columns are untouched).

    >>> import pandas as pd
    >>> csv_frame(pd.DataFrame({"name": ["=1+1", "Guam"], "margin_km": [-3.0, 2.0]})).values.tolist()
    [["'=1+1", -3.0], ['Guam', 2.0]]
    """
    import numpy as np
    import pandas as pd

    out = {}
    for column in df.columns:
        values = df[column]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
            first = values.str[:1] if pd.api.types.is_string_dtype(values.dtype) else \
                values.map(lambda v: v[:1] if isinstance(v, str) else None)
            hit = first.isin(list("=+-@\t\r")).to_numpy(dtype=bool)     # vectorised for string columns
            if hit.any():
                rows = np.flatnonzero(hit)
                fixed = [csv_cell(v) for v in values.iloc[rows]]
                values = values.astype(object).copy()
                values.iloc[rows] = fixed
        out[column] = values
    return pd.DataFrame(out, index=df.index, copy=False)


_FORMULA_RE2 = r"^[=+\-@\t\r]"
_SIGNED_NUMBER_RE2 = r"^[+-]?\d[\d.]*(?:[eE][+-]?\d+)?(?:,\s*[+-]?\d[\d.]*)?$"


def csv_arrow(table):
    r""":func:`csv_frame` for a :class:`pyarrow.Table`, vectorised (millions of rows a second).

    >>> import pyarrow as pa
    >>> csv_arrow(pa.table({"name": ["-1", "-x", None], "km": [-1.0, 2.0, 3.0]})).to_pydict()
    {'name': ['-1', "'-x", None], 'km': [-1.0, 2.0, 3.0]}
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for col in table.columns:
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            hit = pc.fill_null(pc.match_substring_regex(col, _FORMULA_RE2), False)
            if pc.any(hit).as_py():
                number = pc.fill_null(pc.match_substring_regex(col, _SIGNED_NUMBER_RE2), False)
                hit = pc.and_(hit, pc.invert(number))
                col = pc.if_else(hit, pc.binary_join_element_wise(pa.scalar("'", col.type), col, pa.scalar("", col.type)), col)
        columns.append(col)
    return pa.table(columns, names=table.column_names)


def json_for_script(value) -> str:
    r"""`value` as JSON that is safe inside ``<script type="application/json">`` (and any ``<script>``).

    ``<``, ``>``, ``&``, U+2028 and U+2029 can only occur inside JSON strings, where their
    ``\uXXXX`` escapes mean the same.

    >>> print(json_for_script(["</script>&", "\u2028"]))
    ["\u003c/script\u003e\u0026","\u2028"]
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # lone surrogates cannot be written as UTF-8: JSON's own \uXXXX form keeps them
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m[0]):04x}", text.translate(_SCRIPT_JSON_ESCAPES))


_SCRIPT_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}

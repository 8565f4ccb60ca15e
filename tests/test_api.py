"""The public API: every exported name resolves, and importing geo stays light."""

import subprocess
import sys

import geo


def test_every_public_name_resolves():
    for name in geo.__all__:
        assert getattr(geo, name) is not None, name
    assert sorted(set(geo.__all__)) == sorted(geo.__all__)


def test_import_is_light():
    code = ("import sys, geo; print(sorted(m for m in ('folium', 'geopandas', 'pandas', 'matplotlib', 'shapely') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_errors_form_one_tree():
    assert issubclass(geo.InputError, (geo.RangemapError, ValueError))
    assert issubclass(geo.NotFoundError, (geo.RangemapError, LookupError))
    assert issubclass(geo.CatalogFileError, geo.InputError)

"""The public API: every exported name is what it says, whatever was imported before; importing geo is light."""

import importlib
import inspect
import pkgutil
import subprocess
import sys

import geo

#: What each public name must be: a class, a function, or a constant of the given type.
KINDS = {
    "Catalog": "class", "RangeLayer": "class", "Place": "class", "Missile": "class", "Scenario": "class", "Assessment": "class",
    "Check": "class", "RangemapError": "class", "InputError": "class", "NotFoundError": "class",
    "CatalogFileError": "class", "InputTypeError": "class", "OutputError": "class", "VERDICTS": tuple, "MODELS": tuple,
}


def _submodules():
    return sorted(m.name for m in pkgutil.walk_packages(geo.__path__, "geo."))


def test_every_submodule_imports_and_no_public_name_is_a_module():
    for name in _submodules():
        importlib.import_module(name)
    # importing every submodule must not have replaced a public function by a module of that name
    for name in geo.__all__:
        value = getattr(geo, name)
        kind = KINDS.get(name, "function")
        if kind == "class":
            assert inspect.isclass(value), name
        elif kind == "function":
            assert callable(value) and not inspect.ismodule(value) and not inspect.isclass(value) \
                and value.__doc__, name
        else:
            assert isinstance(value, kind), name
    assert sorted(set(geo.__all__)) == sorted(geo.__all__)


def test_public_functions_work_after_every_submodule_is_imported():
    for name in _submodules():
        importlib.import_module(name)
    cov = geo.coverage("Chagang", "HS-12")
    assert any(c.iso_a3 == "JPN" for c in cov.countries)
    assert geo.coverage("Chagang", "HS-12").covered_km2 == cov.covered_km2
    assert callable(geo.figure) and callable(geo.export) and callable(geo.footprint)


def test_no_public_name_equals_a_submodule_name_at_its_level():
    top_level = {m.name for m in pkgutil.iter_modules(geo.__path__)}
    assert not set(geo.__all__) & top_level


def test_arrays_work_where_the_readme_says_so():
    import numpy as np

    d = geo.distance_km(np.array([39.0, 40.0]), np.array([125.7, 126.0]), 13.58, 144.92)
    assert d.shape == (2,) and np.all(d > 3000)


def test_outputs_take_names_or_an_assessment():
    a = geo.assess(geo.Scenario.resolve(["Chagang"], ["HS-15"], ["Guam"]))
    for build in (geo.build_map, geo.figure):
        assert build(["Chagang"], ["HS-15"], ["Guam"]) is not None and build(a) is not None


def test_import_is_light():
    code = ("import sys, geo; print(sorted(m for m in ('folium', 'branca', 'jinja2', 'geopandas', 'pandas', "
            "'matplotlib', 'shapely', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_errors_form_one_tree():
    assert issubclass(geo.InputError, (geo.RangemapError, ValueError))
    assert issubclass(geo.NotFoundError, (geo.RangemapError, LookupError))
    assert issubclass(geo.CatalogFileError, geo.InputError)

"""The layers hold for every import in geo/, those inside function bodies included.

Layers, lowest first: the root modules ``geo/errors.py`` and ``geo/validate.py`` (every layer
may import them) < ``geo.core`` < ``geo.catalog`` < ``geo.analysis`` < ``geo.outputs`` <
``geo.cli``. A module may import its own layer and the layers below it, never one above, and
no two modules may import each other, directly or through others (an import inside a function
counts as much as one at the top). ``geo/__init__.py`` (the public facade, whose ``_LAZY`` table
names every layer) and ``geo/__main__.py`` are exempt.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "geo"

#: The layers, lowest first; a module's layer is that of its longest matching prefix.
LAYERS = {"geo.errors": 0, "geo.validate": 0, "geo.core": 1, "geo.catalog": 2, "geo.analysis": 3,
          "geo.outputs": 4, "geo.cli": 5}
EXEMPT = {"geo", "geo.__main__"}

#: Upward imports and cycles that are still there, as (importer, imported) module pairs. This list
#: may only shrink: a test fails when a listed exception no longer exists.
ALLOWED_UPWARD: set[tuple[str, str]] = set()
ALLOWED_CYCLES: set[tuple[str, ...]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _existing(name: str) -> str | None:
    """The deepest module of geo that ``name`` (a dotted name, maybe ending in an attribute) names."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _resolve(module: str, level: int, target: str | None) -> str:
    """The absolute name of ``from <level dots><target> import ...`` written in ``module``."""
    if level == 0:
        return target or ""
    base = module.split(".")
    if not _is_package(module):
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


@functools.lru_cache(maxsize=None)
def imports_of(module: str, source: str | None = None) -> list[tuple[int, str, str]]:
    """Every import of geo in ``module``: (line, imported module, the import as written)."""
    source = MODULES[module].read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(source)
    found, seen = [], set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node.level, node.module)
            names = [f"{base}.{alias.name}" for alias in node.names]
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            target = node.args[0].value
            level = len(target) - len(target.lstrip("."))
            names = [_resolve(module, level, target.lstrip(".")) if level else target]
        for name in names:
            if name.split(".")[0] != "geo" or name == "geo.__version__":  # the version string is no layer
                continue
            resolved = _existing(name)
            if resolved and resolved != module and (node.lineno, resolved) not in seen:
                seen.add((node.lineno, resolved))
                found.append((node.lineno, resolved, ast.get_source_segment(source, node) or name))
    return found


def layer_of(module: str) -> int | None:
    best = None
    for prefix, layer in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            if best is None or len(prefix) > len(best[0]):
                best = (prefix, layer)
    return None if best is None else best[1]


def upward_imports() -> list[tuple[str, str, str]]:
    """(importer, imported, 'file:line: import') for every import of a higher layer."""
    found = []
    for module in MODULES:
        if module in EXEMPT:
            continue
        own = layer_of(module)
        for line, target, text in imports_of(module):
            other = layer_of(target)
            if other is None or own is None or other > own:
                found.append((module, target, f"{MODULES[module].relative_to(ROOT)}:{line}: {text.splitlines()[0]}"))
    return found


def graph() -> dict[str, set[str]]:
    return {m: {t for _, t, _ in imports_of(m)} - EXEMPT for m in MODULES if m not in EXEMPT}


def cycles() -> list[tuple[str, ...]]:
    """Every strongly connected set of modules (Tarjan), each as a sorted tuple."""
    edges = graph()
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def _cycle_path(component: tuple[str, ...]) -> str:
    """One loop through the component, with the line of each import, for the message."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    while True:
        here = path[-1]
        steps = [(line, t) for line, t, _ in imports_of(here) if t in members]
        step = next(((line, t) for line, t in steps if t == start and len(path) > 1), None) or \
            next(((line, t) for line, t in steps if t not in seen), steps[0])
        path[-1] = f"{here} ({MODULES[here].relative_to(ROOT)}:{step[0]})"
        if step[1] in seen:
            return " → ".join(path + [step[1]])
        path.append(step[1])
        seen.add(step[1])


def test_the_test_sees_function_level_and_relative_imports():
    assert layer_of("geo.outputs.text") == 4 and layer_of("geo.errors") == 0 and layer_of("geo.cli.main") == 5
    assert _resolve("geo.catalog.tables", 2, "errors") == "geo.errors"
    assert _resolve("geo.catalog", 1, "tables") == "geo.catalog.tables"
    assert _resolve("geo.core.ballistics.loft", 2, "geodesy") == "geo.core.geodesy"
    source = ("from .formatting import length\n"
              "def f():\n    from ..analysis import assessment\n    import geo.core.rings as r\n"
              "    importlib.import_module('geo.catalog.places')\n    from .. import __version__\n")
    assert [(line, t) for line, t, _ in imports_of("geo.outputs.text", source)] == [
        (1, "geo.outputs.formatting"), (3, "geo.analysis.assessment"), (4, "geo.core.rings"), (5, "geo.catalog.places")]
    assert all(layer_of(m) is not None for m in MODULES if m not in EXEMPT), "a module outside every layer"


def test_no_module_imports_a_higher_layer():
    found = [(m, t, where) for m, t, where in upward_imports() if (m, t) not in ALLOWED_UPWARD]
    assert not found, "imports of a higher layer:\n" + "\n".join(where + f"  ({t})" for _, t, where in found)


def test_no_import_cycles():
    found = [c for c in cycles() if c not in ALLOWED_CYCLES]
    assert not found, "import cycles:\n" + "\n".join(_cycle_path(c) for c in found)


def test_the_allow_list_only_names_exceptions_that_still_exist():
    upward = {(m, t) for m, t, _ in upward_imports()}
    assert not ALLOWED_UPWARD - upward, f"fixed, remove from ALLOWED_UPWARD: {sorted(ALLOWED_UPWARD - upward)}"
    assert not ALLOWED_CYCLES - set(cycles()), f"fixed, remove from ALLOWED_CYCLES: {sorted(ALLOWED_CYCLES - set(cycles()))}"


def _readme_layout() -> dict[str, str]:
    """Module path → its row, for every ``name.py`` the README's layout table names."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    named = {}
    for row in table.splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].startswith("`geo/"):
            continue
        folder = cells[0].strip("`")
        for name in re.findall(r"`(\w+\.py)`", cells[1]):
            named[folder + name] = row
    return named


def test_the_readme_layout_names_every_module():
    modules = {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    named = {path for path in _readme_layout() if not path.endswith(("/__init__.py", "/__main__.py"))}
    assert not modules - named, f"modules missing from the README's layout table: {sorted(modules - named)}"
    assert not named - modules, f"the README's layout table names modules that do not exist: {sorted(named - modules)}"


# --- outputs only draw ------------------------------------------------------------------------

#: What computes numbers: an output that imports or calls one of these computes instead of drawing what
#: the Assessment holds. By name, wherever it is defined in geo. (``as_assessment`` stays allowed: the public
#: entry points that take names turn them into the one Assessment they draw.)
FORBIDDEN_IN_OUTPUTS = frozenset({
    "assess", "measure",                                                  # geo.analysis.assessment
    "reach_function",                                                     # geo.analysis.regions
    "rotating_reach", "rotating_reach_km",                                # geo.core.ballistics.rotating
    "reach", "trajectory", "fly", "max_range",                            # geo.core.powered (trajectories)
    "flight_time", "flight_time_min",                                     # geo.core.ballistics
    "inverse", "distance_km",                                             # geo.core.geodesy
})
#: Modules an output may not import at all (the powered-flight model flies trajectories).
FORBIDDEN_MODULES_IN_OUTPUTS = ("geo.core.powered",)
#: Outputs that still compute, as module names. This list may only shrink (it is empty: the live map's
#: flight-time tables live in geo/analysis/flight_tables.py); a test fails when a listed module no
#: longer computes.
ALLOWED_TO_COMPUTE: set[str] = set()


def computations_in(module: str, source: str | None = None) -> list[str]:
    """'file:line: what' for every forbidden import or call in ``module`` (function bodies included).

    A call counts by its name (``assess(...)``) or attribute (``geodesy.inverse(...)``); attributes
    that are only read (``a.distance_km[0, 1]``) are data the assessment holds, not computation.
    """
    where = MODULES[module].relative_to(ROOT) if source is None else module
    source = MODULES[module].read_text(encoding="utf-8") if source is None else source
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = _resolve(module, node.level, node.module)
            if base.startswith("geo"):
                found += [f"{where}:{node.lineno}: imports {alias.name} from {base}" for alias in node.names
                          if alias.name in FORBIDDEN_IN_OUTPUTS
                          or f"{base}.{alias.name}".startswith(FORBIDDEN_MODULES_IN_OUTPUTS)]
                if base.startswith(FORBIDDEN_MODULES_IN_OUTPUTS):
                    found.append(f"{where}:{node.lineno}: imports from {base}")
        elif isinstance(node, ast.Import):
            found += [f"{where}:{node.lineno}: imports {alias.name}" for alias in node.names
                      if alias.name.startswith(FORBIDDEN_MODULES_IN_OUTPUTS)]
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in FORBIDDEN_IN_OUTPUTS:
                found.append(f"{where}:{node.lineno}: calls {ast.get_source_segment(source, node.func)}")
    return found


def _outputs() -> list[str]:
    return [m for m in MODULES if m == "geo.outputs" or m.startswith("geo.outputs.")]


def test_the_computation_test_sees_imports_and_calls():
    source = ("from ..analysis.assessment import assess, as_assessment\n"
              "from ..core import powered\n"
              "def f(a):\n    from ..core.geodesy import inverse\n    x = a.distance_km[0, 1]\n"
              "    return powered.trajectory(a), geodesy.distance_km(1, 2, 3, 4), a.reach_profile(0, 1, [0])\n")
    found = [line.split(": ", 1)[1] for line in computations_in("geo.outputs.report", source)]
    assert found == ["imports assess from geo.analysis.assessment", "imports powered from geo.core",
                     "imports inverse from geo.core.geodesy", "calls powered.trajectory", "calls geodesy.distance_km"]


def test_outputs_only_draw():
    found = [line for m in _outputs() if m not in ALLOWED_TO_COMPUTE for line in computations_in(m)]
    assert not found, ("outputs that compute (the Assessment or an analysis function should hand them the "
                       "numbers):\n" + "\n".join(found))


def test_the_compute_allow_list_only_names_outputs_that_still_compute():
    fixed = sorted(m for m in ALLOWED_TO_COMPUTE if m not in MODULES or not computations_in(m))
    assert not fixed, f"no longer computing, remove from ALLOWED_TO_COMPUTE: {fixed}"

"""The scenario: typed launch sites, missiles (or bare ranges), targets and the reach model.

One resolver turns what a user gives — catalog names and aliases, ``"LAT,LON"``, ``(lat, lon)``
pairs, :class:`~geo.catalog.Place` and :class:`~geo.catalog.Missile` objects, ranges in km — into a
:class:`Scenario`. The command line and every public function go through it, so a name means
the same thing everywhere.

>>> s = Scenario.resolve("Chagang", ["HS-12", 3000], (13.58, 144.92), model="rotating")
>>> [m.name for m in s.missiles], s.targets[0].name, s.model
(['Hwasong-12', '3,000 km range'], '13.5800, 144.9200', 'rotating')
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..catalog.tables import Catalog, Missile, Named, Place, default_catalog
from ..catalog.targetsets import PlaceSet
from ..core.geodesy import check_lat, check_lon, check_range_km
from ..errors import InputError
from ..validate import Model

__all__ = ["Scenario", "MODELS", "MODEL_DESCRIPTIONS", "check_model", "as_place", "as_missile", "as_sites",
           "as_missiles", "as_scenario", "state_sites", "site_for"]

#: Reach models: ``"geodesic"`` (the range is a geodesic circle: non-rotating Earth) and
#: ``"rotating"`` (the range depends on the direction of fire; see :mod:`geo.core.ballistics`).
MODELS = Model.values()
#: One line per model, for captions and JSON: which model produced the numbers.
MODEL_DESCRIPTIONS = {
    "geodesic": "WGS84 geodesic (Karney); nominal range on a non-rotating Earth",
    "rotating": "rotating Earth: powered flight of the class missile (staged thrust, pitch-over, no drag; "
                "assumed stages calibrated to the nominal range) then a Kepler coast over a rotating sphere, "
                "reach toward the target; distance WGS84 geodesic (Karney)",
}


def check_model(model) -> str:
    """`model` if it is one of :data:`MODELS`, else :class:`~geo.errors.InputError` listing them.

    >>> check_model("sphere")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: unknown model 'sphere': choose one of geodesic, rotating
    """
    return Model.get_value(model)


def as_missile(missile, catalog: Catalog | None = None) -> Missile:
    """A :class:`Missile` from a catalog name, a Missile, or a range in km.

    >>> as_missile(4500).name, as_missile("KN-17").name, as_missile("France").name
    ('4,500 km range', 'Hwasong-12', 'M51')
    >>> as_missile("Israel")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: one missile class is needed here, and Israel → 2 missile classes: Jericho II, Jericho III: name one of them
    """
    if isinstance(missile, Missile):
        return missile
    if isinstance(missile, (int, float, np.number)) and not isinstance(missile, (bool, np.bool_)):
        km = float(check_range_km(missile))
        return Missile(f"{km:,.6g} km range", km, source="range given by the user")
    if not isinstance(missile, str):
        raise InputError(f"missile {missile!r} is neither a name nor a range in km: give e.g. 'Hwasong-12' or 4500")
    return _one((catalog or default_catalog()).missiles_named(missile), "missile class")


def _one(found: Named, what: str):
    """The one item a name means where one is needed (a state of one class or site is fine)."""
    if len(found.items) > 1:
        raise InputError(f"one {what} is needed here, and {found.note}: name one of them")
    return found.items[0]


def as_place(place, catalog: Catalog | None = None, kind: str = "target") -> Place:
    """A :class:`Place` from a catalog name, ``"LAT,LON"``, a ``(lat, lon)`` pair or a Place.

    >>> as_place((13.5, 144.8)).name
    '13.5000, 144.8000'
    >>> as_place("Chagang", kind="site").lat
    41.369883
    """
    if isinstance(place, Place):
        return place
    if isinstance(place, tuple) and len(place) == 2:
        if any(isinstance(v, (bool, np.bool_)) for v in place):
            raise InputError(f"{kind} {place!r}: True and False are not coordinates; give (lat, lon) in degrees")
        lat, lon = float(check_lat(place[0])), float(check_lon(place[1]))
        return Place(f"{lat:.4f}, {lon:.4f}", lat, lon, source="coordinates given by the user")
    if not isinstance(place, str):
        raise InputError(f"{kind} {place!r} is neither a name nor a (lat, lon) pair")
    catalog = catalog or default_catalog()
    return _one(catalog.sites_named(place), "launch site") if kind == "site" else catalog.target(place)


def as_missiles(missile, catalog: Catalog | None = None) -> Named:
    """The missiles `missile` means: a class (name, alias, object, range in km), or every class of
    a state named by ISO code or name (a class's own name or alias wins), with a note.

    >>> found = as_missiles("KP")
    >>> len(found.items), found.items[0].name, as_missiles(4500).items[0].name
    (16, 'Hwasong-5', '4,500 km range')
    """
    if isinstance(missile, str):
        return (catalog or default_catalog()).missiles_named(missile)
    return Named((as_missile(missile, catalog),))


def as_sites(site, catalog: Catalog | None = None) -> Named:
    """The launch sites `site` means: a site (name, alias, ``"LAT,LON"``, pair, object, place), or
    every catalog site of a state named by ISO code or name (a site's own name wins), with a note.

    >>> [s.name for s in as_sites("China").items]
    ['Jiuquan Satellite Launch Center', 'Taiyuan Satellite Launch Center']
    """
    if isinstance(site, str):
        return (catalog or default_catalog()).sites_named(site)
    return Named((as_place(site, catalog, kind="site"),))


def _as_targets(target, catalog: Catalog | None = None) -> Named:
    """A target, or a set of them (:func:`geo.cities`, :func:`geo.capitals`) with its note."""
    if isinstance(target, PlaceSet):
        return Named(tuple(target), target.note)
    return Named((as_place(target, catalog, kind="target"),))


def _items(items) -> list:
    pair = isinstance(items, tuple) and len(items) == 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in items)
    if pair or isinstance(items, (str, int, float, Place, Missile, PlaceSet)) or not hasattr(items, "__iter__"):
        items = [items]
    return list(items)


def _states(missile: Missile) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (missile.country or "").split(";") if c.strip())


def state_sites(code: str, catalog: Catalog | None = None) -> tuple[Place, ...]:
    """The catalog's launch sites of the state with ISO 3166-1 alpha-2 `code` (a site leased
    abroad, "Kazakhstan (leased by Russia)", counts for the state that uses it).

    >>> [s.name for s in state_sites("US")]
    ['Vandenberg Space Force Base']
    """
    return (catalog or default_catalog()).sites_of(code)


def site_for(missiles, catalog: Catalog | None = None) -> tuple[Place, str]:
    """The launch site for missiles named without one: the one catalog site of their own state,
    with a note saying so; never another state's site.

    The one rule for every command. Refuses (:class:`~geo.errors.InputError`, one line) when the
    missiles belong to no state or to different states, or when their state has no catalog site
    or several (listing them).

    >>> site, note = site_for([as_missile("Minuteman III")])
    >>> print(note)
    no --site given: drawing LGM-30G Minuteman III from Vandenberg Space Force Base, the catalog's launch site of United States
    >>> site_for([as_missile("Sarmat")])
    Traceback (most recent call last):
    ...
    geo.errors.InputError: no --site given and Russia has 3 launch sites in the catalog: Plesetsk Cosmodrome; Kapustin Yar test range; Baikonur Cosmodrome: name one with --site
    """
    from ..catalog.places import country_name

    missiles = [as_missile(m, catalog) for m in missiles]
    names = ", ".join(m.name for m in missiles)
    states = {_states(m) for m in missiles}
    if len(states) != 1 or not next(iter(states)):
        raise InputError(f"no --site given and {names} {'belong to different states' if len(states) > 1 else 'has no state in the catalog'}: "
                         "name a launch site with --site NAME or --site LAT,LON")
    codes = next(iter(states))
    sites = tuple(dict.fromkeys(s for c in codes for s in state_sites(c, catalog)))
    state = " or ".join(country_name(c) for c in codes)
    if len(sites) == 1:
        return sites[0], f"no --site given: drawing {names} from {sites[0].name}, the catalog's launch site of {state}"
    if not sites:
        raise InputError(f"no --site given and {state} has no launch site in the catalog: name one with "
                         "--site NAME or --site LAT,LON")
    raise InputError(f"no --site given and {state} has {len(sites)} launch sites in the catalog: "
                     f"{'; '.join(s.name for s in sites)}: name one with --site")


def _listed(items, convert) -> tuple:
    return tuple(convert(i) for i in _items(items))


def _expanded(items, convert, notes: list) -> tuple:
    """Every item `convert` gives (a :class:`~geo.catalog.tables.Named`), in order; what a state or a
    set adds is left out where it is already there. Notes of expansions and places go to `notes`."""
    out: list = []
    seen: set = set()
    for item in _items(items):
        named = convert(item)
        fresh = named.items if not named.note else [i for i in named.items if i not in seen]
        out.extend(fresh)
        seen.update(fresh)
        notes.extend([named.note] if named.note else [i.note for i in named.items if getattr(i, "note", "")])
    return tuple(out)


def as_scenario(sites, missiles, targets=(), catalog: Catalog | None = None):
    """Sites, missiles and targets as tuples of Place and Missile, from one item or a sequence of each.

    >>> sites, missiles, targets = as_scenario("Chagang", ["HS-12", 3000], (13.58, 144.92))
    >>> [s.name for s in sites], [m.name for m in missiles], [t.name for t in targets]
    (['Hoejung-ri missile operating base (Chagang)'], ['Hwasong-12', '3,000 km range'], ['13.5800, 144.9200'])
    """
    s = Scenario.resolve(sites, missiles, targets, catalog=catalog, require=False)
    return s.sites, s.missiles, s.targets


@dataclass(frozen=True)
class Scenario:
    """What to assess: launch sites × missiles × targets under one reach model.

    Build one with :meth:`resolve` from names or objects; :func:`geo.assess` turns it into an
    :class:`~geo.analysis.assessment.Assessment`.
    """

    sites: tuple[Place, ...]
    missiles: tuple[Missile, ...]
    targets: tuple[Place, ...] = ()
    model: str = "geodesic"
    title: str | None = None
    #: How names were resolved, for the user to read: a state's classes or sites, a target set,
    #: an ambiguous place ("North Korea → 16 missile classes: …", "London → London, United Kingdom …").
    notes: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def resolve(cls, sites, missiles, targets=(), *, model: str = "geodesic", title: str | None = None,
                catalog: Catalog | None = None, require: bool = True) -> Scenario:
        """A scenario from names, aliases, ``"LAT,LON"``, pairs, objects or ranges in km.

        Parameters
        ----------
        sites : str, tuple, Place, or a sequence of them
            A state's name or ISO code means all of its catalog sites (:func:`as_sites`).
        missiles : str, float, Missile, or a sequence of them
            A state's name or ISO code means all of its classes (:func:`as_missiles`).
        targets : str, tuple, Place, a set of places (:func:`geo.cities`, :func:`geo.capitals`), or a sequence of them
        model : {"geodesic", "rotating"}
        title : str, optional
        catalog : Catalog, optional
            Where names are looked up; the builtin catalogs by default.
        require : bool
            Raise :class:`~geo.errors.InputError` without a site or a missile.

        Examples
        --------
        >>> s = Scenario.resolve("Chagang", "KP", "Guam")
        >>> len(s.missiles), s.notes[0].split(":")[0]
        (16, 'KP → 16 missile classes of North Korea')
        >>> Scenario.resolve([], "HS-12")
        Traceback (most recent call last):
        ...
        geo.errors.InputError: no launch site given: name one (e.g. 'Chagang') or give LAT,LON
        """
        check_model(model)
        if title is not None and not isinstance(title, str):
            raise InputError(f"title {title!r} is not text")
        notes: list[str] = []
        out = cls(_expanded(sites, lambda s: as_sites(s, catalog), notes),
                  _expanded(missiles, lambda m: as_missiles(m, catalog), notes),
                  _expanded(targets, lambda t: _as_targets(t, catalog), notes), model, title, tuple(notes))
        if require and not out.sites:
            raise InputError("no launch site given: name one (e.g. 'Chagang') or give LAT,LON")
        if require and not out.missiles:
            raise InputError("no missile given: name one (e.g. 'Hwasong-12') or give a range in km")
        return out

    def default_title(self) -> str:
        """'<missiles> from <sites>', the title when none is given.

        >>> Scenario.resolve("Chagang", ["HS-12", "HS-15"]).default_title()
        'Hwasong-12 and Hwasong-15 from Hoejung-ri missile operating base (Chagang)'
        """
        return f"{_names(self.missiles)} from {_names(self.sites)}"


def _names(items) -> str:
    names = [i.name for i in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

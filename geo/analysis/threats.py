"""Who can reach a place? Every catalog launch site × missile class of the same state, assessed at once.

A missile is fired only from its own state's sites: a site's state is its catalog country (a
site leased abroad, such as Baikonur, "Kazakhstan (leased by Russia)", belongs to the state that
leases it), a missile's state its catalog ``country`` code (several for a shared class, ``US;GB``).
For each state the sites × missiles × the place go through one
:func:`~geo.analysis.assessment.assess`; the pairs judged "in range" or "possibly in range" are
the rows, best margin first.

>>> t = threats("Guam")
>>> r = t.rows[0]
>>> r.state, r.missile.name, r.verdict, round(r.distance_km), round(r.margin_km), round(r.flight_time_min)
('KP', 'Hwasong-17', 'in range', 3289, 11711, 12)
>>> threats("Guam", country="IR").rows
()
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from ..catalog.tables import Catalog, Missile, Place, default_catalog, is_launch_site, site_state
from ..errors import InputError
from .assessment import VERDICTS, assess
from .scenario import MODEL_DESCRIPTIONS, Scenario, as_place, check_model

__all__ = ["Threat", "Threats", "threats", "REACHING"]

#: The verdicts under which a pair reaches the place.
REACHING = VERDICTS[:2]



class Threat(NamedTuple):
    """One site × missile that reaches the place (one row of :class:`Threats`)."""

    #: ISO 3166-1 alpha-2 code of the state that fields the missile and holds the site.
    state: str
    site: Place
    missile: Missile
    #: ``"in range"`` or ``"possibly in range"``.
    verdict: str
    #: Geodesic distance from the site to the place, km.
    distance_km: float
    #: Nominal range under the model (under ``"rotating"``: the reach toward the place), km; inf where
    #: the model does not bound it (near orbital).
    range_km: float
    #: ``range_km - distance_km``, km (inf where near orbital).
    margin_km: float
    bearing_deg: float
    #: Boost plus minimum-energy free flight, minutes (None when the model gives none).
    flight_time_min: float | None
    near_orbital: bool = False


@dataclass(frozen=True)
class Threats:
    """The answer to "who can reach `target`?": the reaching pairs, best margin first."""

    target: Place
    model: str
    rows: tuple[Threat, ...]
    #: Site × missile pairs of the same state that were assessed.
    pairs_tried: int
    #: The states whose sites and missiles were tried (ISO codes, sorted).
    states: tuple[str, ...]
    #: With a launch area: the site every row fires from (the area's nearest point to the target).
    area_site: Place | None = None

    @property
    def model_description(self) -> str:
        return MODEL_DESCRIPTIONS[self.model]

    def assessments(self) -> tuple:
        """One :class:`~geo.analysis.assessment.Assessment` per reaching pair (for drawing and exports)."""
        return tuple(assess(Scenario((r.site,), (r.missile,), (self.target,), self.model)) for r in self.rows)

    def table(self):
        """The rows as a pandas DataFrame (one row per pair; names, not objects)."""
        import pandas as pd

        return pd.DataFrame(self.records(), columns=list(_COLUMNS))

    def records(self) -> list[dict]:
        """The rows as plain dicts: kilometres and minutes; a near-orbital reach and margin are None."""
        t = self.target
        return [dict(state=r.state, site=r.site.name, site_lat=r.site.lat, site_lon=r.site.lon,
                     missile=r.missile.name, target=t.name, target_lat=t.lat, target_lon=t.lon,
                     distance_km=r.distance_km, range_km=None if r.near_orbital else r.range_km,
                     margin_km=None if r.near_orbital else r.margin_km, bearing_deg=r.bearing_deg,
                     verdict=r.verdict, flight_time_min=r.flight_time_min, model=self.model,
                     near_orbital=r.near_orbital, source=r.missile.source) for r in self.rows]


_COLUMNS = ("state", "site", "site_lat", "site_lon", "missile", "target", "target_lat", "target_lon", "distance_km",
            "range_km", "margin_km", "bearing_deg", "verdict", "flight_time_min", "model", "near_orbital", "source")


def _pairs(cat: Catalog, country: str | None) -> dict[str, tuple[list[Place], list[Missile]]]:
    """State → (its sites, its missiles), for the states that have both."""
    by_state: dict[str, tuple[list[Place], list[Missile]]] = {}
    for s in cat.sites:
        state = site_state(s)
        if state and is_launch_site(s):
            by_state.setdefault(state, ([], []))[0].append(s)
    for m in cat.missiles:
        for state in filter(None, (c.strip().upper() for c in m.country.split(";"))):
            if state in by_state:
                by_state[state][1].append(m)
    if country is not None:
        by_state = {k: v for k, v in by_state.items() if k == country}
    return {k: v for k, v in sorted(by_state.items()) if v[1]}


def _area_pairs(cat: Catalog, code: str | None, spec, target: Place, model: str) -> dict:
    """State → ((the area's nearest point to the target,), its missiles), for a launch area."""
    from ..catalog.places import country_code
    from .launch_area import launch_point

    area, site, _ = launch_point(spec, target, model=model, catalog=cat)
    if code is None:
        if area.kind != "country":
            raise InputError(f"say whose missiles fly from {area.name}: add --country CODE")
        code = country_code(area.name)
    missiles = list(cat.missiles_of(code))
    if not missiles:
        raise InputError(f"the catalog has no missile of {area.name}: give a launch area of a state whose "
                         "missiles it lists (rangemap list missiles), or --country CODE")
    return {code: ([site], missiles)}


def threats(place, *, country: str | None = None, model: str = "geodesic", catalog: Catalog | None = None,
            launch_area=None) -> Threats:
    """Every catalog site × missile of the same state that reaches `place`, best margin first.

    Parameters
    ----------
    place : str, tuple or Place
        A catalog name, a city, ``"LAT,LON"``, a ``(lat, lon)`` pair or a Place (not a whole country).
    country : str, optional
        Only this state's sites and missiles (ISO 3166-1 code or name: ``"KP"``, ``"North Korea"``).
    model : {"geodesic", "rotating"}
    catalog : Catalog, optional
        The builtin catalogs by default (with a user's rows: their sites need a ``country``).
    launch_area : str or LaunchArea, optional
        Fire from anywhere in this area instead of the catalog sites (:mod:`geo.analysis.launch_area`):
        a country (its own missiles) or a GeoJSON file (the missiles of `country`, which is then
        required); one row per missile, from the area's nearest point to the place.

    Returns
    -------
    Threats
        Rows sorted by margin (largest first; near orbital first of all), then flight time, site and missile.

    Examples
    --------
    >>> t = threats("Guam", country="North Korea")
    >>> {r.state for r in t.rows}, t.rows[-1].margin_km <= t.rows[0].margin_km
    ({'KP'}, True)
    """
    from ..catalog.places import country_code

    check_model(model)
    cat = catalog or default_catalog()
    target = as_place(place, cat)
    if target.kind == "country":
        raise InputError(f"threats takes a place, not a whole country ({target.name}): name a city or give LAT,LON")
    code = country_code(country) if country is not None else None
    if code is not None and not cat.missiles_of(code):
        raise InputError(f"the catalog has no missile of {country}: rangemap list missiles shows the states it covers")
    rows: list[Threat] = []
    tried = 0
    groups = _pairs(cat, code) if launch_area is None else _area_pairs(cat, code, launch_area, target, model)
    for state, (sites, missiles) in groups.items():
        a = assess(Scenario(tuple(sites), tuple(missiles), (target,), model))
        tried += len(sites) * len(missiles)
        for si in range(len(sites)):
            for mi in range(len(missiles)):
                c = a.check(si, mi, 0)
                if c.verdict in REACHING:
                    rows.append(Threat(state, c.site, c.missile, c.verdict, c.distance_km, c.range_km, c.margin_km,
                                       c.bearing_deg, c.flight_time_min, c.near_orbital))
    rows.sort(key=lambda r: (-r.margin_km, math.inf if r.flight_time_min is None else r.flight_time_min,
                             r.site.name, r.missile.name))
    area_site = next(iter(groups.values()))[0][0] if launch_area is not None and groups else None
    return Threats(target, model, tuple(rows), tried, tuple(groups), area_site)

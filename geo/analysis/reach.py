"""Can this missile reach that place? Single answers and tables, as views of one assessment.

:func:`check` and :func:`check_table` build a :class:`~geo.analysis.scenario.Scenario`, run
:func:`~geo.analysis.assessment.assess` and read the answer from it: the verdict rule, the
reach under each model and the flight times live in :mod:`geo.analysis.assessment` only.

Examples
--------
>>> result = check("Chagang", "Hwasong-12", "Guam")
>>> result.verdict, round(result.distance_km), round(result.margin_km)
('in range', 3540, 960)
>>> check("Chagang", 3000, "Guam").verdict
'out of range'
"""

from __future__ import annotations

from typing import Sequence

from ..catalog.tables import Catalog, Missile, Place
from ..errors import InputError
from .assessment import Check, assess
from .scenario import Scenario

__all__ = ["check", "check_table", "TABLE_COLUMNS"]

#: Columns of :func:`check_table` (and of batch tables). ``range_km`` is the nominal range under the
#: geodesic model and the reach toward the target under the rotating one (``model`` says which);
#: where ``near_orbital`` is true the model does not bound the range, and ``range_km`` (19,500 km, a
#: stand-in) and ``margin_km`` are no figures to quote: every table writer leaves them empty there.
#: ``target_kind`` is point, place or country; for a country, ``distance_km``, ``range_km``, ``margin_km``
#: and ``bearing_deg`` are its nearest point's, ``verdict`` is all / part / none in range, ``share`` the share
#: of its area within the nominal reach and ``farthest_km`` its farthest point (NaN for other targets).
TABLE_COLUMNS = ("site", "site_lat", "site_lon", "missile", "target", "target_lat", "target_lon",
                 "distance_km", "range_km", "margin_km", "bearing_deg", "verdict", "model", "near_orbital",
                 "target_kind", "share", "farthest_km")


def check(site, missile, target, *, model: str = "geodesic", catalog: Catalog | None = None) -> Check:
    """Check whether `missile` fired from `site` reaches `target`.

    Parameters
    ----------
    site, target : str, tuple or Place
        A catalog name or alias, ``"LAT,LON"``, a ``(lat, lon)`` pair or a Place.
    missile : str, float or Missile
        A catalog name or alias, a Missile, or a range in km.
    model : {"geodesic", "rotating"}
        ``"geodesic"``: the range is a circle on WGS84. ``"rotating"``: the range depends
        on the direction, from the ground's eastward speed (:mod:`geo.core.ballistics`); the
        result's `range_km` (and `band_km`) are then the reach toward the target.
    catalog : Catalog, optional
        Where names are looked up; the builtin catalogs by default.

    Examples
    --------
    >>> r = check("41.37,126.91", "Hwasong-14", "Washington, DC")
    >>> r.verdict, round(r.distance_km), round(r.bearing_deg, 1)
    ('out of range', 10791, 18.5)
    >>> r = check("Sohae", "Hwasong-14", "Los Angeles", model="rotating")
    >>> r.verdict, round(r.range_km, -1), round(r.flight_time_min)
    ('possibly in range', 11980.0, 29)
    >>> check("Chagang", "GB", "Guam").missile.name                  # a state with one class
    'Trident II D5'
    >>> check("Chagang", "KP", "Guam")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: check answers one site, missile and target, and KP → 16 missile classes of North Korea: Hwasong-5, Hwasong-6, Hwasong-9, KN-23, Nodong, Musudan, Pukguksong-1, Pukguksong-2, Pukguksong-3, Hwasong-12, Hwasong-14, Hwasong-15, Hwasong-17, Hwasong-18, Hwasong-19, Taepodong-2: use geo.check_table or geo.assess for many
    """
    if isinstance(site, (list, set)) or isinstance(target, (list, set)) or isinstance(missile, (list, set)):
        raise TypeError("check answers one site, missile and target: use check_table or geo.assess for many")
    scenario = Scenario.resolve([site] if isinstance(site, tuple) else site, missile,
                                [target] if isinstance(target, tuple) else target, model=model, catalog=catalog)
    if len(scenario.sites) * len(scenario.missiles) * len(scenario.targets) > 1:    # a state, a set of places
        raise InputError(f"check answers one site, missile and target, and {'; '.join(scenario.notes)}: use "
                         "geo.check_table or geo.assess for many")
    return assess(scenario).check(0, 0, 0)


def check_table(sites: Sequence[Place], missiles: Sequence[Missile], targets: Sequence[Place], *,
                model: str = "geodesic", catalog: Catalog | None = None):
    """Every site × missile × target as a pandas DataFrame (columns :data:`TABLE_COLUMNS`).

    Examples
    --------
    >>> table = check_table(["Chagang"], ["HS-12", "HS-15"], ["Guam", "Washington"])
    >>> table[["missile", "target", "verdict"]].values.tolist()
    [['Hwasong-12', 'Guam (Andersen AFB)', 'in range'], ['Hwasong-12', 'Washington, DC', 'out of range'], ['Hwasong-15', 'Guam (Andersen AFB)', 'in range'], ['Hwasong-15', 'Washington, DC', 'in range']]
    """
    scenario = Scenario.resolve(sites, missiles, targets, model=model, catalog=catalog, require=False)
    return assess(scenario).table()[list(TABLE_COLUMNS)]

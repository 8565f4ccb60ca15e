"""One test per catalog row, generated from the CSV files themselves (as xyzservices tests each provider).

A new row in ``geo/data/sites.csv``, ``geo/data/targets.csv`` or ``geo/data/missiles.csv`` gets its
own tests without touching this file: schema, coordinates, range and band order,
source present, confidence on the scale, country valid, look-up keys unique across
rows, and the row found again by its name and by each alias.
"""

from __future__ import annotations

import csv

import pytest

from geo.catalog.places import country_code
from geo.catalog.tables import (CONFIDENCE, MISSILE_COLUMNS, PLACE_COLUMNS, Catalog, _norm, _other_keys, data_dir,
                                default_catalog)

TYPES = {"SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "ICBM/SLV", "IRBM/ICBM"}
FILES = {"sites.csv": PLACE_COLUMNS, "targets.csv": PLACE_COLUMNS, "missiles.csv": MISSILE_COLUMNS}


def _rows(file: str) -> list[tuple[int, dict]]:
    """(line, row) of every data row, read when the tests are collected."""
    with open(data_dir() / file, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return [(reader.line_num, row) for row in reader]


def rows_of(*files: str):
    cases = [(file, line, row) for file in files for line, row in _rows(file)]
    return pytest.mark.parametrize("file, line, row", cases, ids=[f"{f}:{r['name']}" for f, _, r in cases])


def _table(cat: Catalog, file: str):
    return {"sites.csv": cat.sites, "targets.csv": cat.targets, "missiles.csv": cat.missiles}[file]


@pytest.mark.parametrize("file", sorted(FILES))
def test_header_names_every_column_in_order(file):
    with open(data_dir() / file, encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == FILES[file]


@rows_of(*FILES)
def test_common_columns(file, line, row):
    assert None not in row, f"line {line}: more values than columns (quote text with commas)"
    assert all(v is not None for v in row.values()), f"line {line}: fewer values than columns"
    assert row["name"] and row["name"] == row["name"].strip()
    assert row["source"].strip(), "every row carries its source"
    assert row["confidence"] in CONFIDENCE
    aliases = row["aliases"].split(";") if row["aliases"] else []
    assert all(a and a == a.strip() for a in aliases), "aliases are separated by ';' with no empty entry"


@rows_of("sites.csv", "targets.csv")
def test_place_row(file, line, row):
    lat, lon = float(row["lat"]), float(row["lon"])
    assert -90 <= lat <= 90 and -180 <= lon <= 180
    assert row["country"].strip()


@rows_of("missiles.csv")
def test_missile_row(file, line, row):
    assert row["type"] in TYPES
    rng = float(row["range_km"])
    assert rng > 0
    low, high = row["range_low_km"], row["range_high_km"]
    assert bool(low) == bool(high), "a band has both ends"
    if low:
        assert 0 < float(low) <= float(high), "band low end first"
        assert float(low) != float(high) or float(low) != rng, "a band equal to the nominal range is no band"
    assert row["min_range_km"] == "" or 0 < float(row["min_range_km"]) < rng
    codes = row["country"].split(";")
    assert codes and all(country_code(c) == c for c in codes), "ISO 3166-1 alpha-2 codes, separated by ';'"


@rows_of("missiles.csv")
def test_missile_band_is_explained(file, line, row):
    if row["range_low_km"] and not row["range_low_km"] == row["range_km"] == row["range_high_km"]:
        text = (row["notes"] + " " + row["source"]).casefold()
        assert "band" in text or "estimate" in text or ";" in row["source"], \
            "a band means sources disagree: name both sources or say so in the notes"


@rows_of(*FILES)
def test_lookup_keys_unique_across_rows(file, line, row):
    cat = default_catalog()
    mine = next(r for r in _table(cat, file) if r.name == row["name"])
    keys = {_norm(mine.name)} | _other_keys(mine)
    for other in _table(cat, file):
        if other is not mine:
            clash = keys & ({_norm(other.name)} | _other_keys(other))
            assert not clash, f"{sorted(clash)} also names {other.name!r}"


@rows_of("sites.csv", "targets.csv", "missiles.csv")
def test_row_found_by_name_and_every_alias(file, line, row):
    cat = default_catalog()
    find = {"sites.csv": cat.site, "targets.csv": cat.target, "missiles.csv": cat.missile}[file]
    for query in [row["name"], *filter(None, row["aliases"].split(";"))]:
        assert find(query).name == row["name"], query


@rows_of("sites.csv", "targets.csv")
def test_place_row_read_exactly(file, line, row):
    place = next(r for r in _table(default_catalog(), file) if r.name == row["name"])
    assert (place.lat, place.lon, place.country, place.source) == (float(row["lat"]), float(row["lon"]),
                                                                   row["country"], row["source"])

"""Coordinates as people write them: every accepted form, every refusal, and round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.catalog.coords import ACCEPTED_FORMS, STYLES, format_coordinates, looks_like_coordinates, parse_coordinates
from geo.errors import InputError

CHAGANG = (41.37, 126.91361111111111)          # 41°22'12"N 126°54'49"E


@pytest.mark.parametrize("text, want", [
    ("41.37,126.91", (41.37, 126.91)),
    ("41.37, 126.91", (41.37, 126.91)),
    ("41.37 126.91", (41.37, 126.91)),
    ("41.37N 126.91E", (41.37, 126.91)),
    ("41.37 N, 126.91 E", (41.37, 126.91)),
    ("n41.37 e126.91", (41.37, 126.91)),
    ("126.91E 41.37N", (41.37, 126.91)),             # letters say which is which
    ("41.37°N 126.91°E", (41.37, 126.91)),
    ("41°22'12\"N 126°54'49\"E", CHAGANG),
    ("41°22′12″N 126°54′49″E", CHAGANG),              # prime and double prime
    ("41°22’12”N, 126°54’49”E", CHAGANG),             # word-processor quotes
    ("41°22'12''N 126°54'49''E", CHAGANG),            # two single quotes for seconds
    ("41 22 12 N, 126 54 49 E", CHAGANG),
    ("41 22 12, 126 54 49", CHAGANG),
    ("41 22 12 126 54 49", CHAGANG),                  # only one way to cut six numbers
    ("41°22.2'N 126°54.8167'E", (41.37, 126.91361166666667)),
    ("-12.4 130.9", (-12.4, 130.9)),
    ("12.4S 130.9E", (-12.4, 130.9)),
    ("12°24'S 130°54'E", (-12.4, 130.9)),
    ("38.8951, -77.0364", (38.8951, -77.0364)),
    ("38.8951N 77.0364W", (38.8951, -77.0364)),
    ("-33 52 S, 151 12 E", None),                     # sign and letter together: refused below
    ("+90,.5", (90.0, 0.5)),
    ("0,-180", (0.0, -180.0)),
    ("-90 180", (-90.0, 180.0)),
])
def test_accepted_forms(text, want):
    if want is None:
        with pytest.raises(InputError):
            parse_coordinates(text)
    else:
        assert parse_coordinates(text) == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("text", ["Chagang", "Sao Paulo", "", "   ", "NEWS", "Hwasong-12", "1,2x", "London, CA"])
def test_names_are_not_coordinates(text):
    assert parse_coordinates(text) is None and not looks_like_coordinates(text)


@pytest.mark.parametrize("text, problem", [
    ("95,126", "latitude 95 is outside"),
    ("-90.5, 10", "latitude -90.5 is outside"),
    ("10,181", "longitude 181 is outside"),
    ("0 -200", "longitude -200 is outside"),
    ("126.91, 41.37", "latitude 126.91 is outside [-90, 90]: give latitude first"),
    ("91N 10E", "latitude 91 is outside"),
    ("41.37", "cannot read '41.37'"),
    ("41.37,126.91,5", "more than one separator"),
    ("41,37 126,91", "more than one separator"),
    ("41N 126N", "cannot read"),                     # two latitudes
    ("41E 126W", "cannot read"),                     # two longitudes
    ("-41S 126E", "cannot read"),                    # sign and letter both
    ("41°60'N 126°E", "cannot read"),                # minutes below 60
    ("41°22'61\"N 126°E", "cannot read"),            # seconds below 60
    ("41.5°22'N 126°E", "cannot read"),              # only the last part has decimals
    ("41'22°N 126°E", "cannot read"),                # marks out of order
    ("10 20 30 40", "more than one way"),            # 10°20'30" 40° or 10°20' 30°40' or 10° 20°30'40"
    ("41 22 12 126 54", None),                       # 3 + 2 is the only valid cut: accepted
])
def test_refused_forms_show_an_accepted_form(text, problem):
    if problem is None:
        assert parse_coordinates(text) == pytest.approx((41.37, 126.9))
        return
    with pytest.raises(InputError) as e:
        parse_coordinates(text)
    msg = str(e.value)
    assert problem in msg and "\n" not in msg
    assert "41.37,126.91" in msg or "41°22'12\"N, 126°54'49\"E" in msg, "the message shows an accepted form"


def test_accepted_forms_constant_is_itself_accepted():
    for form in ACCEPTED_FORMS.split(" or "):
        assert parse_coordinates(form) is not None


lat_st = st.floats(-90, 90, allow_nan=False)
lon_st = st.floats(-180, 180, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(lat_st, lon_st, st.sampled_from(STYLES), st.integers(0, 8))
def test_round_trip(lat, lon, style, digits):
    text = format_coordinates(lat, lon, style, digits)
    got = parse_coordinates(text)
    # decimals of degrees, or of seconds (1/3600 of a degree)
    tol = 0.5 * 10.0 ** -digits * (1.0 if style in ("decimal", "hemisphere") else 1 / 3600) + 1e-9
    assert got == pytest.approx((lat, lon), abs=tol), text


@settings(max_examples=200, deadline=None)
@given(lat_st, lon_st)
def test_hemisphere_letters_and_signs_agree(lat, lon):
    signed = parse_coordinates(format_coordinates(lat, lon, "decimal", 6))
    lettered = parse_coordinates(format_coordinates(lat, lon, "hemisphere", 6))
    swapped = parse_coordinates(" ".join(reversed(format_coordinates(lat, lon, "hemisphere", 6).split())))
    assert lettered == pytest.approx(signed, abs=1e-12)
    assert swapped == pytest.approx(signed, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_text_is_none_or_a_pair_in_range_or_an_input_error(text):
    try:
        got = parse_coordinates(text)
    except InputError as e:
        assert "\n" not in str(e)
        return
    if got is not None:
        assert -90 <= got[0] <= 90 and -180 <= got[1] <= 180


def test_unknown_style():
    with pytest.raises(InputError, match="choose one of decimal"):
        format_coordinates(0, 0, "mgrs")

from decimal import Decimal

import pytest

from elect.core.numbers import decimal_places, parse_number, pct, sum_known


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (6456393, 7940478, "81.31"),
        (460484, 7940478, "5.80"),
        (8300046, 11953465, "69.44"),
        (11360, 12841, "88.47"),
        (1, 8, "12.50"),
        (1, 800, "0.13"),  # 0.125 exactly: half-up, not banker's rounding
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (0, 5, "0.00"),
        (-1, 800, "-0.13"),
    ],
)
def test_pct_is_exact_half_up(num, den, expected):
    assert pct(num, den) == Decimal(expected)
    assert str(pct(num, den)) == expected


def test_pct_undefined():
    assert pct(1, 0) is None
    assert pct(None, 5) is None
    assert pct(5, float("nan")) is None


def test_sum_known_is_none_when_a_count_is_unknown():
    assert sum_known([3, 4, 5]) == 12
    assert sum_known([3, None, 5]) is None  # a blank is not a zero
    assert sum_known([]) == 0
    assert sum_known(iter([7])) == 7


@pytest.mark.parametrize(
    ("text", "places"),
    [("88.47", 2), ("88.5", 1), ("88", 0), ("0.125", 3), ("1E+2", 0), ("NaN", 2), ("Infinity", 2)],
)
def test_decimal_places_of_a_published_figure(text, places):
    # Not finite: no exponent to read, so the usual two places of a percentage.
    assert decimal_places(Decimal(text)) == places


@pytest.mark.parametrize(
    ("text", "value", "noted"),
    [
        ("11953465", "11953465", False),
        ("11,953,465", "11953465", True),
        ("11 953 465", "11953465", True),
        ("11\u00a0953\u00a0465", "11953465", True),
        ("11\u2009953\u2009465", "11953465", True),
        ("11.953.465", "11953465", True),
        ("88,47", "88.47", True),
        ("88.47%", "88.47", True),
        ("1.234,5", "1234.5", True),
    ],
)
def test_parse_number_reads_published_forms(text, value, noted):
    got, note = parse_number(text)
    assert got == Decimal(value)
    assert (note is not None) == noted


@pytest.mark.parametrize("text", ["abc", "12a", "1,2,3,4", "--5", ""])
def test_parse_number_rejects(text):
    assert parse_number(text)[0] is None

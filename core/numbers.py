"""Exact percentages from integer counts, and the reading of published numbers.

Shares and turnouts are computed from integers and rounded half-up to two
decimals with integer arithmetic, so 6,456,393 / 7,940,478 is 81.31 and never
81.30999999. Percentages are returned as :class:`decimal.Decimal`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HUNDREDTH = Decimal("0.01")


def pct(numerator: int | float | None, denominator: int | float | None, places: int = 2):
    """``100 * numerator / denominator`` rounded half-up, or None when undefined."""
    if numerator is None or denominator is None:
        return None
    if _is_nan(numerator) or _is_nan(denominator):
        return None
    num, den = int(numerator), int(denominator)
    if den == 0:
        return None
    sign = -1 if (num < 0) != (den < 0) else 1
    num, den = abs(num), abs(den)
    scale = 100 * 10**places
    # floor((2*num*scale + den) / (2*den)) is num*scale/den rounded half-up.
    q = (2 * num * scale + den) // (2 * den)
    return Decimal(sign * q).scaleb(-places)


def sum_known(values: Iterable[int | None]) -> int | None:
    """The sum of counts, or None when any of them is unknown (a blank is not a zero)."""
    total = 0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def round_pct(value, places: int = 2) -> Decimal | None:
    """Round an already computed percentage (a Decimal or a published figure) half-up."""
    if value is None:
        return None
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def pp_change(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """Difference in percentage points between two rounded percentages."""
    if before is None or after is None:
        return None
    return after - before


def decimal_places(d: Decimal) -> int:
    """How many decimals a published figure shows (``88.47`` → 2, ``88`` → 0).

    A figure that is not finite (NaN, infinity) has no exponent: it counts as two places,
    the usual precision of a published percentage.
    """
    exp = d.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 2


def as_json_number(value):
    """Decimal → float for JSON (two-decimal values print without noise); ints stay ints."""
    if isinstance(value, Decimal):
        return float(value)
    return value


def as_int(value) -> int | None:
    if value is None or _is_nan(value):
        return None
    return int(value)


def _is_nan(value) -> bool:
    return isinstance(value, float) and value != value


# Spaces publishers put between digit groups: ordinary, no-break, narrow no-break, thin.
_GROUP_SPACES = re.compile("[ \u00a0\u202f\u2009']")
_PLAIN_INT = re.compile(r"^[+-]?\d+$")
_PLAIN_DEC = re.compile(r"^[+-]?\d*\.\d+$")


def parse_number(text: str) -> tuple[Decimal | None, str | None]:
    """Read a number as publishers write it.

    Returns ``(value, note)``: ``note`` names the normalisation applied (None when
    the text was already plain), and value is None when the text is not a number.
    Accepts thousands separators (``11,953,465``, ``11 953 465``, ``11.953.465``),
    decimal commas (``88,47``) and a trailing percent sign.
    """
    s = text.strip()
    if s == "":
        return None, None
    notes = []
    if s.endswith("%"):
        s = s[:-1].strip()
        notes.append("percent sign")
    if _GROUP_SPACES.search(s):
        s2 = _GROUP_SPACES.sub("", s)
        if s2 != s:
            notes.append("digit-group spaces")
            s = s2
    if _PLAIN_INT.match(s) or _PLAIN_DEC.match(s):
        return _dec(s), ", ".join(notes) or None
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", s):
        notes.append("thousands commas")
        return _dec(s.replace(",", "")), ", ".join(notes)
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}", s):
        notes.append("thousands dots")
        return _dec(s.replace(".", "")), ", ".join(notes)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+\.\d+", s):
        notes.append("thousands commas")
        return _dec(s.replace(",", "")), ", ".join(notes)
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+", s):
        notes.append("thousands dots and decimal comma")
        return _dec(s.replace(".", "").replace(",", ".")), ", ".join(notes)
    if re.fullmatch(r"[+-]?\d+,\d+", s):
        notes.append("decimal comma")
        return _dec(s.replace(",", ".")), ", ".join(notes)
    return None, None


def _dec(s: str) -> Decimal | None:
    try:
        return Decimal(s)
    except InvalidOperation:
        return None

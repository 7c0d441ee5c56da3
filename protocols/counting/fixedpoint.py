"""Exact fixed-point helpers.

Counts that the rules say are made "to N decimal places, any remainder being ignored" are kept
as Python integers in units of 10**-N.  Integer floor division is exactly
``Decimal.quantize(Decimal(10) ** -N, rounding=ROUND_DOWN)`` for non-negative values, without
the risk of a context rounding the quotient before it is truncated.  No floats anywhere.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def scale(places: int) -> int:
    """Number of units in 1 for ``places`` decimal places."""
    return 10**places


def fmt_units(units: int, places: int) -> str:
    """Render ``units`` (10**-places each) as a plain decimal string, e.g. 130040863 -> '1300.40863'."""
    if places == 0:
        return str(units)
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}"


def units_to_decimal(units: int, places: int) -> Decimal:
    """Exact Decimal value of ``units``."""
    return Decimal(fmt_units(units, places))


def fmt_fraction(value: Fraction | int, places: int = 6) -> str:
    """Decimal string of a Fraction truncated towards zero to ``places`` places (display only)."""
    value = Fraction(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    units = (value.numerator * 10**places) // value.denominator
    return sign + fmt_units(units, places)


def fraction_str(value: Fraction | int) -> str:
    """Exact string of a Fraction: '7' or '1000/3'."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"

"""Money: Decimal amounts rounded to the kopeck (ROUND_HALF_UP); floats are refused."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")


def as_decimal(value: Decimal | int | str) -> Decimal:
    """`value` as a finite Decimal; ValueError for non-numbers, TypeError for floats."""
    if isinstance(value, float):
        raise TypeError("use Decimal, int or str for money and rates, not float")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def to_kopecks(value: Decimal | int | str) -> Decimal:
    """`value` rounded half-up to the kopeck."""
    return as_decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)

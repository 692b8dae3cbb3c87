"""Interest: r/12 for a whole month, actual/365 day count for a period split by an early repayment."""

from collections.abc import Iterable
from decimal import Decimal, localcontext

from api.engine.money import to_kopecks

PRECISION = 40


def monthly_interest(balance: Decimal, rate_percent: Decimal) -> Decimal:
    """One month's interest on `balance`: balance × rate / 1200, to the kopeck."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return to_kopecks(balance * rate_percent / 1200)


def accrued_interest(segments: Iterable[tuple[Decimal, int]], rate_percent: Decimal) -> Decimal:
    """Σ balance × rate/100 × days/365 over (balance, days) segments, rounded once to the kopeck."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        balance_days = sum((balance * days for balance, days in segments), Decimal(0))
        return to_kopecks(balance_days * rate_percent / 36500)

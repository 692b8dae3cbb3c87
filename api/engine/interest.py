"""Interest of one period in the loan's day-count convention, on the balances held over its days."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext
from enum import StrEnum

from api.engine.money import to_kopecks

PRECISION = 40


class DayCount(StrEnum):
    """How a period's interest is counted.

    `monthly`: 1/12 of the annual rate a period; a period split by an early repayment is that month's interest
    prorated by days on the balances before and after. `actual_365`: rate × days / 365. `actual_actual`: rate ×
    days / 365 or 366, the days counted in each calendar year.
    """

    MONTHLY = "monthly"
    ACTUAL_365 = "actual_365"
    ACTUAL_ACTUAL = "actual_actual"


#: A balance held from the first date (inclusive) to the second (exclusive).
Segment = tuple[Decimal, date, date]


def monthly_interest(balance: Decimal, rate_percent: Decimal) -> Decimal:
    """One month's interest on `balance`: balance × rate / 1200, to the kopeck."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return to_kopecks(balance * rate_percent / 1200)


def period_interest(
    segments: Sequence[Segment], *, rate_percent: Decimal, day_count: DayCount, period: tuple[date, date]
) -> Decimal:
    """Interest of the period `period` (start, due date) on `segments` (which may end before it), rounded once.

    With one segment covering the whole period, `monthly` is exactly `monthly_interest`, so a split with nothing
    repaid charges what the whole period would.
    """
    start, end = period
    if day_count is DayCount.MONTHLY and len(segments) == 1 and segments[0][1:] == (start, end):
        return monthly_interest(segments[0][0], rate_percent)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if day_count is DayCount.MONTHLY:
            balance_days = sum((balance * (to - since).days for balance, since, to in segments), Decimal(0))
            return to_kopecks(balance_days * rate_percent / (1200 * (end - start).days))
        if day_count is DayCount.ACTUAL_365:
            balance_days = sum((balance * (to - since).days for balance, since, to in segments), Decimal(0))
            return to_kopecks(balance_days * rate_percent / 36500)
        balance_years = sum(
            (balance * days / year_days for balance, since, to in segments for days, year_days in _by_year(since, to)),
            Decimal(0),
        )
        return to_kopecks(balance_years * rate_percent / 100)


def _by_year(since: date, to: date) -> list[tuple[int, int]]:
    """The days from `since` to `to` in each calendar year, with that year's length: [(days, 365 or 366), ...]."""
    parts = []
    while since < to:
        year_end = date(since.year + 1, 1, 1)
        stop = min(to, year_end)
        parts.append(((stop - since).days, (year_end - date(since.year, 1, 1)).days))
        since = stop
    return parts

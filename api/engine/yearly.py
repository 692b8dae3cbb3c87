"""Principal and interest actually paid in a calendar year, by month (for the interest certificate)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from api.engine.allocation import Payment, allocate
from api.engine.money import ZERO
from api.engine.schedule import Schedule


@dataclass(frozen=True)
class MonthPaid:
    """Principal and interest paid in one month (1..12)."""

    month: int
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class YearPaid:
    """Principal and interest paid in `year`, with all twelve months listed."""

    year: int
    principal: Decimal
    interest: Decimal
    months: tuple[MonthPaid, ...]


def paid_in_year(schedule: Schedule, payments: Iterable[Payment], *, year: int) -> YearPaid:
    """Payments allocated as in `position_on`, bucketed by payment month; early repayments count as principal."""
    principal = dict.fromkeys(range(1, 13), ZERO)
    interest = dict.fromkeys(range(1, 13), ZERO)
    for part in allocate(schedule.installments, payments):
        if part.paid_on.year == year:
            principal[part.paid_on.month] += part.principal
            interest[part.paid_on.month] += part.interest
    for event in schedule.early_repayments:
        if event.on_date.year == year:
            principal[event.on_date.month] += event.amount
    return YearPaid(
        year=year,
        principal=sum(principal.values(), ZERO),
        interest=sum(interest.values(), ZERO),
        months=tuple(MonthPaid(month, principal[month], interest[month]) for month in range(1, 13)),
    )

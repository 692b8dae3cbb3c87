"""The months an interest-paid certificate covers: from the loan's first payment to the last completed month."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from api.engine import MonthPaid
from api.loans.state import LoanState
from api.models import LoanStatus

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class CoveredYear:
    """The engine's paid figures for the covered months of `year`; `as_of`: the last day covered of a year not over."""

    year: int
    months: tuple[MonthPaid, ...]
    as_of: date | None

    @property
    def principal(self) -> Decimal:
        return sum((month.principal for month in self.months), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((month.interest for month in self.months), ZERO)


def covered_year(state: LoanState, year: int, *, today: date) -> CoveredYear | None:
    """`year` from the month of the loan's first payment (scheduled or received) to the last month completed by
    `today` (and no later than the month a closed loan closed); None when no month of it is covered."""
    received = [payment.paid_on for payment in state.payments] + [event.on_date for event in state.early_repayments]
    start = min([state.terms.first_payment_date, *received])
    end = date(today.year, today.month, 1) - timedelta(days=1)
    loan = state.loan
    if loan.status is LoanStatus.CLOSED and loan.closed_on is not None and loan.closed_on < end:
        end = loan.closed_on
    first = start.month if year == start.year else 1
    last = end.month if year == end.year else 12
    if not start.year <= year <= end.year or first > last:
        return None
    paid = state.paid_in_year(year)
    as_of = end if year == today.year else None
    return CoveredYear(year, tuple(month for month in paid.months if first <= month.month <= last), as_of)


def covered_years(state: LoanState, *, today: date) -> list[CoveredYear]:
    """The years with money received in their covered months, ascending: those an interest certificate is issued for."""
    years = (covered_year(state, year, today=today) for year in state.payment_years)
    return [year for year in years if year is not None and (year.principal or year.interest)]

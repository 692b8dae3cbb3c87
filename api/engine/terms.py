"""Loan terms: principal, annual rate, term, the calendar of due dates and the day-count convention."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from api.engine.dates import add_months
from api.engine.interest import DayCount
from api.engine.money import as_decimal, to_kopecks

MAX_MONTHS = 600


@dataclass(frozen=True)
class LoanTerms:
    """An annuity loan; `rate_percent` is the annual rate in percent (12.5 means 12.5%).

    Money and rate are normalised to Decimal (principal to the kopeck) on construction; `day_count` says how
    each period's interest is counted (api/engine/interest.py).
    """

    principal: Decimal
    rate_percent: Decimal
    months: int
    first_payment_date: date
    issue_date: date | None = None
    payment_day: int | None = None
    day_count: DayCount = DayCount.MONTHLY

    def __post_init__(self) -> None:
        object.__setattr__(self, "day_count", DayCount(self.day_count))
        object.__setattr__(self, "principal", to_kopecks(self.principal))
        object.__setattr__(self, "rate_percent", as_decimal(self.rate_percent))
        if self.principal <= 0:
            raise ValueError(f"principal must be positive, got {self.principal}")
        if not 0 <= self.rate_percent < 100:
            raise ValueError(f"rate_percent must be in [0, 100), got {self.rate_percent}")
        if not 1 <= self.months <= MAX_MONTHS:
            raise ValueError(f"months must be in 1..{MAX_MONTHS}, got {self.months}")
        if self.payment_day is not None and not 1 <= self.payment_day <= 31:
            raise ValueError(f"payment_day must be in 1..31, got {self.payment_day}")
        if self.issue_date is not None and self.issue_date >= self.first_payment_date:
            raise ValueError(
                f"issue_date {self.issue_date} must come before first_payment_date {self.first_payment_date}"
            )

    def due_date(self, index: int) -> date:
        """Due date of installment `index` (0-based): the first payment date, then monthly on the payment day."""
        if index == 0:
            return self.first_payment_date
        return add_months(self.first_payment_date, index, day_of_month=self.payment_day)

    @property
    def first_period_start(self) -> date:
        """Start of the first interest period: the issue date, else one month before the first payment."""
        return self.issue_date or add_months(self.first_payment_date, -1)

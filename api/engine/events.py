"""Borrower events that reshape a schedule: early repayments and a payment holiday."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from api.engine.money import to_kopecks

MAX_HOLIDAY_MONTHS = 6


class RepaymentMode(StrEnum):
    """What an early repayment changes: the remaining term or the monthly payment."""

    SHORTER_TERM = "shorter_term"
    SMALLER_PAYMENT = "smaller_payment"


@dataclass(frozen=True)
class EarlyRepayment:
    """`amount` paid on `on_date` straight to principal; the amount is normalised to the kopeck."""

    on_date: date
    amount: Decimal
    mode: RepaymentMode

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_kopecks(self.amount))
        object.__setattr__(self, "mode", RepaymentMode(self.mode))
        if self.amount <= 0:
            raise ValueError(f"early repayment amount must be positive, got {self.amount}")


@dataclass(frozen=True)
class PaymentHoliday:
    """Up to 6 months from `start_date` paying `reduced_payment` (None: nothing) instead of the installment."""

    start_date: date
    months: int
    reduced_payment: Decimal | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.months <= MAX_HOLIDAY_MONTHS:
            raise ValueError(f"holiday months must be in 1..{MAX_HOLIDAY_MONTHS}, got {self.months}")
        if self.reduced_payment is not None:
            object.__setattr__(self, "reduced_payment", to_kopecks(self.reduced_payment))
            if self.reduced_payment < 0:
                raise ValueError(f"reduced_payment must not be negative, got {self.reduced_payment}")

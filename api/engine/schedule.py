"""The schedule: installments in date order plus the early repayments behind them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from api.engine.events import EarlyRepayment
from api.engine.money import ZERO
from api.engine.terms import LoanTerms


class InstallmentKind(StrEnum):
    """Regular, inside a payment holiday, or a deferred holiday amount paid after the original term."""

    REGULAR = "regular"
    HOLIDAY = "holiday"
    DEFERRED = "deferred"


@dataclass(frozen=True)
class Installment:
    """One due payment; `payment` == `principal` + `interest`; `balance_after` is the principal still owed."""

    number: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal
    kind: str = InstallmentKind.REGULAR


@dataclass(frozen=True)
class Schedule:
    """Installments of `terms`; totals include the early repayments (all principal)."""

    terms: LoanTerms
    installments: tuple[Installment, ...]
    early_repayments: tuple[EarlyRepayment, ...] = ()

    @property
    def total_payment(self) -> Decimal:
        """All money paid: installments plus early repayments."""
        return self.total_principal + self.total_interest

    @property
    def total_interest(self) -> Decimal:
        """Interest over the life of the loan."""
        return sum((row.interest for row in self.installments), ZERO)

    @property
    def total_principal(self) -> Decimal:
        """Principal repaid by installments and early repayments (equals the loan principal)."""
        return sum((row.principal for row in self.installments), self._early_total(None))

    @property
    def last_date(self) -> date:
        """Date of the last installment or early repayment."""
        return max([row.due_date for row in self.installments] + [event.on_date for event in self.early_repayments])

    def balance_after(self, day: date) -> Decimal:
        """Scheduled principal outstanding at the end of `day`, early repayments up to it included."""
        repaid = sum((row.principal for row in self.installments if row.due_date <= day), ZERO)
        return self.terms.principal - repaid - self._early_total(day)

    def _early_total(self, day: date | None) -> Decimal:
        """Early repayments made on or before `day` (None: all of them)."""
        return sum((event.amount for event in self.early_repayments if day is None or event.on_date <= day), ZERO)

"""What a borrower owes on a date, line by line: principal not yet due, overdue principal and interest, accrued."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from api.engine.accrual import interest_accrued
from api.engine.allocation import Payment, allocate
from api.engine.money import ZERO
from api.engine.position import position_on
from api.engine.schedule import Schedule


@dataclass(frozen=True)
class Debt:
    """The debt on `on_date` after the payments made up to then; `total` is the sum of the four lines.

    An installment is overdue once its due date has passed; one due on `on_date` itself is still only due, so its
    unpaid principal is principal not yet overdue and its unpaid interest is interest accrued to the date.
    `prepaid` is money received ahead of the installments it will cover: not part of the debt, told beside it.
    """

    on_date: date
    principal_not_due: Decimal
    overdue_principal: Decimal
    overdue_interest: Decimal
    accrued_interest: Decimal
    prepaid: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal_not_due + self.overdue_principal + self.overdue_interest + self.accrued_interest


def debt_on(schedule: Schedule, payments: Iterable[Payment], *, on_date: date) -> Debt:
    """Each part of the debt once: the engine's allocation (interest first) against the installments due before."""
    made = [payment for payment in payments if payment.paid_on <= on_date]
    principal_paid: defaultdict[int, Decimal] = defaultdict(lambda: ZERO)
    interest_paid: defaultdict[int, Decimal] = defaultdict(lambda: ZERO)
    for part in allocate(schedule.installments, made):
        principal_paid[part.number] += part.principal
        interest_paid[part.number] += part.interest
    overdue = [row for row in schedule.installments if row.due_date < on_date]
    due_today = [row for row in schedule.installments if row.due_date == on_date]
    overdue_principal = sum((row.principal - principal_paid[row.number] for row in overdue), ZERO)
    position = position_on(schedule, made, on_date=on_date)
    return Debt(
        on_date=on_date,
        principal_not_due=position.principal_outstanding - overdue_principal,
        overdue_principal=overdue_principal,
        overdue_interest=sum((row.interest - interest_paid[row.number] for row in overdue), ZERO),
        accrued_interest=sum((row.interest - interest_paid[row.number] for row in due_today), ZERO)
        + interest_accrued(schedule, on_date),
        prepaid=position.prepaid_amount,
    )

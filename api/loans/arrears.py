"""What a borrower owes now: money overdue before today and what is left to pay on an upcoming installment."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from api.engine import Installment
from api.loans.state import LoanState

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Arrears:
    """Unpaid installments due before today: the amount, the first unpaid due date, days since it."""

    amount: Decimal
    since: date
    days: int


def arrears_on(state: LoanState, today: date) -> Arrears | None:
    """Money overdue on `today` after the payments received up to today, or None.

    The engine counts an installment due today as overdue at the end of the day; until then it is only due,
    so it is left out here. Payments go to installments in order, so when an earlier one is unpaid the
    installment due today has received nothing and its whole payment is subtracted.
    """
    position = state.position(today)
    if position.overdue_since is None or position.overdue_since >= today:
        return None
    due_today = sum((row.payment for row in state.schedule.installments if row.due_date == today), ZERO)
    return Arrears(amount=position.overdue_amount - due_today, since=position.overdue_since, days=position.days_overdue)


def still_owed(state: LoanState, row: Installment, today: date) -> Decimal:
    """What is left to pay on `row`, due today or later, after the payments received up to today."""
    if row.due_date > today:
        eve = state.position(row.due_date - timedelta(days=1))
        return eve.next_payment if eve.next_due_date == row.due_date and eve.next_payment is not None else row.payment
    position = state.position(today)
    if position.overdue_since is None:
        return ZERO
    if position.overdue_since == today:
        return position.overdue_amount
    return row.payment

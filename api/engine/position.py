"""The borrower's position on a date: what is repaid, overdue, prepaid and due next."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from api.engine.allocation import Payment, allocate
from api.engine.money import KOPECK, ZERO
from api.engine.schedule import Schedule


@dataclass(frozen=True)
class LoanPosition:
    """State of a loan at the end of `on_date`; prepaid money waits for the installments it covers."""

    on_date: date
    principal_outstanding: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    overdue_amount: Decimal
    overdue_since: date | None
    days_overdue: int
    prepaid_amount: Decimal
    next_due_date: date | None
    next_payment: Decimal | None
    installments_left: int
    percent_repaid: Decimal
    closed: bool


def position_on(schedule: Schedule, payments: Iterable[Payment], *, on_date: date) -> LoanPosition:
    """Position at the end of `on_date` given the payments made up to then and the early repayments."""
    made = [payment for payment in payments if payment.paid_on <= on_date]
    due_on = {row.number: row.due_date for row in schedule.installments}
    covered: defaultdict[int, Decimal] = defaultdict(lambda: ZERO)
    principal_paid = interest_paid = ZERO
    for part in allocate(schedule.installments, made):
        covered[part.number] += part.interest + part.principal
        if due_on[part.number] <= on_date:
            principal_paid += part.principal
            interest_paid += part.interest
    prepaid = sum((payment.amount for payment in made), ZERO) - principal_paid - interest_paid
    principal_paid += sum((event.amount for event in schedule.early_repayments if event.on_date <= on_date), ZERO)
    unpaid = [row for row in schedule.installments if covered[row.number] < row.payment]
    overdue = [row for row in unpaid if row.due_date <= on_date]
    upcoming = next((row for row in schedule.installments if row.due_date > on_date), None)
    overdue_since = overdue[0].due_date if overdue else None
    principal_outstanding = schedule.terms.principal - principal_paid
    return LoanPosition(
        on_date=on_date,
        principal_outstanding=principal_outstanding,
        principal_paid=principal_paid,
        interest_paid=interest_paid,
        overdue_amount=sum((row.payment - covered[row.number] for row in overdue), ZERO),
        overdue_since=overdue_since,
        days_overdue=(on_date - overdue_since).days if overdue_since else 0,
        prepaid_amount=prepaid,
        next_due_date=upcoming.due_date if upcoming else None,
        next_payment=upcoming.payment - covered[upcoming.number] if upcoming else None,
        installments_left=len(unpaid),
        percent_repaid=(principal_paid * 100 / schedule.terms.principal).quantize(KOPECK, ROUND_HALF_UP),
        closed=principal_outstanding == 0 and not overdue,
    )

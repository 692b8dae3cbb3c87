"""What a payment holiday would do to the loan, from the engine's schedule with it: the new end date, the amount
moved to the end, and what becomes of money overdue today (the holiday covers only installments due from its start,
so what fell due before it stays due; an overdue installment inside a backdated holiday moves to the end)."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from api.engine import InstallmentKind, PaymentHoliday
from api.holidays.precheck import HolidayTerms
from api.loans.arrears import arrears_on
from api.loans.state import LoanState, cached_schedule
from api.models import HolidayMode

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Projection:
    current_end_date: date
    new_end_date: date
    moved_to_end: Decimal
    overdue_now: Decimal
    overdue_since: date | None
    overdue_after: Decimal


def project(state: LoanState, terms: HolidayTerms, *, today: date) -> Projection | None:
    """The loan with this holiday on top of its records; None when it cannot apply (a holiday already granted,
    no installment inside it, a reduced payment above an installment): the pre-check's rules say why."""
    if state.holiday is not None:
        return None
    reduced = terms.reduced_payment if terms.mode == HolidayMode.REDUCED else None
    try:
        holiday = PaymentHoliday(start_date=terms.start_date, months=terms.months, reduced_payment=reduced)
        schedule = cached_schedule(state.terms, state.early_repayments, holiday)
    except ValueError:
        return None
    with_holiday = replace(state, schedule=schedule, holiday=holiday)
    before, after = arrears_on(state, today), arrears_on(with_holiday, today)
    deferred = [row.payment for row in schedule.installments if row.kind == InstallmentKind.DEFERRED]
    return Projection(
        current_end_date=state.schedule.installments[-1].due_date,
        new_end_date=schedule.installments[-1].due_date,
        moved_to_end=sum(deferred, ZERO),
        overdue_now=before.amount if before else ZERO,
        overdue_since=before.since if before else None,
        overdue_after=after.amount if after else ZERO,
    )

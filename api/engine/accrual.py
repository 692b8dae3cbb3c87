"""Interest accrued inside a period: from the last due date to a given day, on the balance then owed."""

from datetime import date
from decimal import Decimal

from api.engine.interest import Segment, period_interest
from api.engine.money import ZERO
from api.engine.schedule import Schedule


def interest_accrued(schedule: Schedule, on_date: date) -> Decimal:
    """Interest accrued from the last due date on or before `on_date` (else the loan's start) to `on_date`.

    It accrues on the scheduled balance, an early repayment in between splitting the days, in the loan's own day
    count, as the engine counts a period that a repayment splits (`period_interest`); 0 on a due date, before the
    loan starts or once repaid.
    """
    terms = schedule.terms
    start = max(
        (row.due_date for row in schedule.installments if row.due_date <= on_date), default=terms.first_period_start
    )
    due = next((row.due_date for row in schedule.installments if row.due_date > on_date), None)
    if on_date <= start or due is None:
        return ZERO
    balance, mark = schedule.balance_after(start), start
    segments: list[Segment] = []
    for event in schedule.early_repayments:
        if start < event.on_date <= on_date:
            segments.append((balance, mark, event.on_date))
            balance, mark = balance - event.amount, event.on_date
    segments.append((balance, mark, on_date))
    return period_interest(segments, rate_percent=terms.rate_percent, day_count=terms.day_count, period=(start, due))

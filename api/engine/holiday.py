"""Payment holiday (353-FZ art. 6.1-1, simplified): skipped amounts move to the end, the term grows."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal

from api.engine.dates import add_months
from api.engine.events import PaymentHoliday
from api.engine.money import ZERO
from api.engine.schedule import Installment, InstallmentKind
from api.engine.terms import LoanTerms


def apply_holiday(
    rows: tuple[Installment, ...], *, terms: LoanTerms, holiday: PaymentHoliday
) -> tuple[Installment, ...]:
    """`rows` with the regular installments due inside the holiday reduced and their rest deferred.

    The borrower pays the reduced amount (interest first); each holiday month's unpaid principal and
    interest become one "deferred" installment after the last row, on the following due dates.
    """
    end = add_months(holiday.start_date, holiday.months)
    paid = holiday.reduced_payment if holiday.reduced_payment is not None else ZERO
    result: list[Installment] = []
    deferred: list[tuple[Decimal, Decimal]] = []
    owed = ZERO
    for row in rows:
        if row.kind == InstallmentKind.REGULAR and holiday.start_date <= row.due_date < end:
            if paid > row.payment:
                raise ValueError(f"reduced payment {paid} exceeds the installment {row.payment} due {row.due_date}")
            interest = min(paid, row.interest)
            principal = paid - interest
            owed += row.principal - principal
            result.append(
                replace(
                    row,
                    payment=paid,
                    principal=principal,
                    interest=interest,
                    balance_after=row.balance_after + owed,
                    kind=InstallmentKind.HOLIDAY,
                )
            )
            if paid < row.payment:
                deferred.append((row.principal - principal, row.interest - interest))
        else:
            result.append(replace(row, balance_after=row.balance_after + owed))
    if not any(row.kind == InstallmentKind.HOLIDAY for row in result):
        raise ValueError(f"the payment holiday from {holiday.start_date} covers no installment")
    due_dates = _due_dates_after(terms, result[-1].due_date)
    for principal, interest in deferred:
        owed -= principal
        result.append(
            Installment(
                len(result) + 1,
                next(due_dates),
                principal + interest,
                principal,
                interest,
                owed,
                InstallmentKind.DEFERRED,
            )
        )
    return tuple(result)


def _due_dates_after(terms: LoanTerms, day: date) -> Iterator[date]:
    """The loan's due dates strictly after `day`, endlessly."""
    index = 0
    while True:
        due = terms.due_date(index)
        if due > day:
            yield due
        index += 1

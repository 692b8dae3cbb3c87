"""What an early repayment would change: payment, term, the interest still to pay, and a full payoff's sum."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from api.engine.builder import build_schedule
from api.engine.events import EarlyRepayment, PaymentHoliday, RepaymentMode
from api.engine.money import ZERO
from api.engine.schedule import InstallmentKind, Schedule
from api.engine.terms import LoanTerms


@dataclass(frozen=True)
class EarlyRepaymentEstimate:
    """The remaining schedule from `on_date` on, without ("before") and with ("after") the repayment.

    `closes`: the amount is the whole principal outstanding on `on_date`; then `interest_to_date` is the interest
    accrued from `period_start` (the last due date before `on_date`, or the loan's start) to `on_date`, due with
    it (zero when `on_date` is itself a due date), and `interest_deferred` the interest a payment holiday moved to
    the end, due with it too.
    """

    on_date: date
    amount: Decimal
    mode: RepaymentMode
    balance_before: Decimal
    payment_before: Decimal
    payment_after: Decimal
    first_payment_after: Decimal
    installments_before: int
    installments_after: int
    last_date_before: date
    last_date_after: date
    interest_before: Decimal
    interest_after: Decimal
    interest_saved: Decimal
    closes: bool
    interest_to_date: Decimal
    interest_deferred: Decimal
    period_start: date


def estimate_early_repayment(
    terms: LoanTerms,
    *,
    on_date: date,
    amount: Decimal,
    mode: RepaymentMode,
    early_repayments: Iterable[EarlyRepayment] = (),
    holiday: PaymentHoliday | None = None,
) -> EarlyRepaymentEstimate:
    """Compare the schedule without and with repaying `amount` early on `on_date`.

    "Before" is the loan's schedule as it stands and "after" the same schedule with the repayment, each exactly as
    `build_schedule` (and so `ipoteka schedule`) gives it; the installments due up to `on_date` are the same in
    both, and `interest_saved` is the difference of the interest on the installments after them.
    `payment_before` is the next payment of the current schedule; `payment_after` the regular monthly payment
    afterwards, and `first_payment_after` the next one. ValueError for a non-positive amount or one above the
    balance then.
    """
    early_repayments = tuple(early_repayments)
    repayment = EarlyRepayment(on_date, amount, mode)
    before = build_schedule(terms, early_repayments=early_repayments, holiday=holiday)
    balance_before = before.balance_after(on_date)
    closes = repayment.amount == balance_before
    applied = repayment
    if closes and holiday is not None:  # the principal a past holiday deferred is not amortized: it is paid as is
        amortized = build_schedule(terms, early_repayments=early_repayments).balance_after(on_date)
        applied = EarlyRepayment(on_date, amortized, mode)
    after = build_schedule(terms, early_repayments=(*early_repayments, applied), holiday=holiday)
    settled = [row for row in before.installments if row.due_date <= on_date]
    settled_interest = sum((row.interest for row in settled), ZERO)
    interest_before = before.total_interest - settled_interest
    interest_after = after.total_interest - settled_interest
    to_date = after.installments[len(settled) :] if closes else ()
    return EarlyRepaymentEstimate(
        on_date=on_date,
        amount=repayment.amount,
        mode=repayment.mode,
        balance_before=balance_before,
        payment_before=_next_payment(before, on_date),
        payment_after=_steady_payment(after, on_date),
        first_payment_after=_next_payment(after, on_date),
        installments_before=len(before.installments) - len(settled),
        installments_after=len(after.installments) - len(settled),
        last_date_before=before.last_date,
        last_date_after=after.last_date,
        interest_before=interest_before,
        interest_after=interest_after,
        interest_saved=interest_before - interest_after,
        closes=closes,
        interest_to_date=sum((row.interest for row in to_date if row.kind != InstallmentKind.DEFERRED), ZERO),
        interest_deferred=sum((row.interest for row in to_date if row.kind == InstallmentKind.DEFERRED), ZERO),
        period_start=max((row.due_date for row in settled), default=terms.first_period_start),
    )


def _next_payment(schedule: Schedule, on_date: date) -> Decimal:
    """The first regular payment due after `on_date`, 0 when none is left."""
    return next(
        (
            row.payment
            for row in schedule.installments
            if row.due_date > on_date and row.kind == InstallmentKind.REGULAR
        ),
        ZERO,
    )


def _steady_payment(schedule: Schedule, on_date: date) -> Decimal:
    """The regular monthly payment after `on_date`, past the period that `on_date` splits (if another follows)."""
    upcoming = [row for row in schedule.installments if row.due_date > on_date and row.kind == InstallmentKind.REGULAR]
    split = not any(row.due_date == on_date for row in schedule.installments)
    if split and len(upcoming) > 1:
        return upcoming[1].payment
    return upcoming[0].payment if upcoming else ZERO

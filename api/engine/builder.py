"""Builds a schedule: amortization with early repayments, then the payment holiday on top."""

from collections.abc import Iterable
from datetime import date
from operator import attrgetter

from api.engine.amortization import amortize
from api.engine.events import EarlyRepayment, PaymentHoliday
from api.engine.holiday import apply_holiday
from api.engine.schedule import Schedule
from api.engine.terms import LoanTerms


def build_schedule(
    terms: LoanTerms,
    *,
    early_repayments: Iterable[EarlyRepayment] = (),
    holiday: PaymentHoliday | None = None,
) -> Schedule:
    """The schedule of `terms` with `early_repayments` (applied in date order) and an optional `holiday`."""
    return compose_schedule(terms, early_repayments=early_repayments, holiday=holiday)


def compose_schedule(
    terms: LoanTerms,
    *,
    early_repayments: Iterable[EarlyRepayment],
    holiday: PaymentHoliday | None,
    split_on: date | None = None,
) -> Schedule:
    """As `build_schedule`; `split_on` makes the period containing that date accrue interest daily."""
    repayments = tuple(sorted(early_repayments, key=attrgetter("on_date")))
    rows = amortize(terms, repayments, split_on=split_on)
    if holiday is not None:
        rows = apply_holiday(rows, terms=terms, holiday=holiday)
    return Schedule(terms, rows, repayments)

"""Builds a schedule: amortization with early repayments, then the payment holiday on top."""

from collections.abc import Iterable
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
    repayments = tuple(sorted(early_repayments, key=attrgetter("on_date")))
    rows = amortize(terms, repayments)
    if holiday is not None:
        rows = apply_holiday(rows, terms=terms, holiday=holiday)
    return Schedule(terms, rows, repayments)

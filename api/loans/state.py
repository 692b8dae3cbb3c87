"""A loan's arithmetic from its records: the engine's terms, schedule and position built from database rows.

A read-only request takes the records from a cache in this process (`read_state`), keyed by the loan's
`records_version`, which every change to them draws anew in its own transaction (api/outbox/replanning.py): the
borrower's read of the loan row sees the version, and a process holding an older entry misses, so the two backend
workers never serve each other's stale figures. A position, a pure function of the schedule, the payments and the
date, is kept with the records for the dates asked about.
"""

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.engine import (
    Debt,
    EarlyRepayment,
    EarlyRepaymentEstimate,
    InstallmentKind,
    LoanPosition,
    LoanTerms,
    PaymentHoliday,
    RepaymentMode,
    Schedule,
    YearPaid,
    build_schedule,
    debt_on,
    estimate_early_repayment,
    paid_in_year,
    position_on,
)
from api.engine import Payment as MadePayment
from api.errors import ApiError
from api.models import HolidayApplication, HolidayMode, HolidayStatus, Loan, Payment, PaymentKind
from api.outbox.replanning import replanned

#: Loans whose records one process keeps, and the dates whose position it keeps per loan and terms.
RECORDS_KEPT = 4096
POSITIONS_KEPT = 16


@dataclass(frozen=True)
class LoanState:
    """Everything the engine knows of one loan: its terms, the holiday granted and the money received."""

    loan: Loan
    terms: LoanTerms
    schedule: Schedule
    payments: tuple[MadePayment, ...]
    early_repayments: tuple[EarlyRepayment, ...]
    holiday: PaymentHoliday | None
    #: Positions already worked out on this schedule, by date; shared by the states read from one cache entry, and
    #: never carried over by `dataclasses.replace` (another schedule starts with none).
    positions: dict[date, LoanPosition] = field(default_factory=dict, init=False, compare=False, repr=False)

    def position(self, on_date: date) -> LoanPosition:
        found = self.positions.get(on_date)
        if found is None:
            found = position_on(self.schedule, self.payments, on_date=on_date)
            if len(self.positions) >= POSITIONS_KEPT:
                self.positions.clear()
            self.positions[on_date] = found
        return found

    def debt(self, on_date: date) -> Debt:
        """The debt on `on_date` line by line (principal not yet due, overdue, interest accrued to the date)."""
        return debt_on(self.schedule, self.payments, on_date=on_date)

    def regular_payment(self, on_date: date) -> Decimal | None:
        """The next regular installment due after `on_date` (the monthly payment); None when none is left."""
        return next(
            (
                row.payment
                for row in self.schedule.installments
                if row.due_date > on_date and row.kind == InstallmentKind.REGULAR
            ),
            None,
        )

    def paid_in_year(self, year: int) -> YearPaid:
        return paid_in_year(self.schedule, self.payments, year=year)

    @property
    def payment_years(self) -> tuple[int, ...]:
        """Calendar years in which money was received, in ascending order."""
        days = [payment.paid_on for payment in self.payments] + [event.on_date for event in self.early_repayments]
        return tuple(sorted({day.year for day in days}))

    @property
    def total_received(self) -> Decimal:
        """All money received on the loan: regular payments and early repayments."""
        received = [payment.amount for payment in self.payments] + [event.amount for event in self.early_repayments]
        return sum(received, Decimal("0.00"))

    def estimate(self, *, on_date: date, amount: Decimal, mode: RepaymentMode) -> EarlyRepaymentEstimate:
        """An early repayment of `amount` on `on_date` on top of the repayments and holiday already on record."""
        return estimate_early_repayment(
            self.terms,
            on_date=on_date,
            amount=amount,
            mode=mode,
            early_repayments=self.early_repayments,
            holiday=self.holiday,
        )


def terms_of(loan: Loan) -> LoanTerms:
    return LoanTerms(
        principal=loan.principal,
        rate_percent=loan.rate_percent,
        months=loan.term_months,
        first_payment_date=loan.first_payment_date,
        issue_date=loan.contract_date,
        payment_day=loan.payment_day,
        day_count=loan.day_count,
    )


@lru_cache(maxsize=256)
def cached_schedule(
    terms: LoanTerms, early_repayments: tuple[EarlyRepayment, ...], holiday: PaymentHoliday | None
) -> Schedule:
    """The engine's schedule, memoised: it is a pure function of these frozen inputs (about 150 KB each)."""
    return build_schedule(terms, early_repayments=early_repayments, holiday=holiday)


@dataclass(frozen=True)
class LoanRecords:
    """What a loan's arithmetic needs beyond its own row: the money received and the holiday granted."""

    payments: tuple[MadePayment, ...] = ()
    early_repayments: tuple[EarlyRepayment, ...] = ()
    holiday: PaymentHoliday | None = None


async def load_records(session: AsyncSession, loan_ids: Collection[int]) -> dict[int, LoanRecords]:
    """The records of these loans, two queries for any number of them."""
    payments: dict[int, list[MadePayment]] = defaultdict(list)
    early: dict[int, list[EarlyRepayment]] = defaultdict(list)
    rows = await session.execute(
        select(Payment.loan_id, Payment.paid_on, Payment.amount, Payment.kind, Payment.early_mode)
        .where(Payment.loan_id.in_(loan_ids))
        .order_by(Payment.loan_id, Payment.paid_on, Payment.id)
    )
    for row in rows:
        if row.kind is PaymentKind.EARLY:
            early[row.loan_id].append(
                EarlyRepayment(on_date=row.paid_on, amount=row.amount, mode=RepaymentMode(row.early_mode))
            )
        else:
            payments[row.loan_id].append(MadePayment(paid_on=row.paid_on, amount=row.amount))
    holidays = await _granted_holidays(session, loan_ids)
    return {
        loan_id: LoanRecords(tuple(payments[loan_id]), tuple(early[loan_id]), holidays.get(loan_id))
        for loan_id in loan_ids
    }


async def _granted_holidays(session: AsyncSession, loan_ids: Collection[int]) -> dict[int, PaymentHoliday]:
    """Per loan, the holiday of its latest approved application."""
    applications = await session.scalars(
        select(HolidayApplication)
        .where(HolidayApplication.loan_id.in_(loan_ids), HolidayApplication.status == HolidayStatus.APPROVED)
        .order_by(HolidayApplication.decided_at, HolidayApplication.id)
    )
    latest = {application.loan_id: application for application in applications}
    return {
        loan_id: PaymentHoliday(
            start_date=application.start_date,
            months=application.months,
            reduced_payment=application.reduced_payment if application.mode is HolidayMode.REDUCED else None,
        )
        for loan_id, application in latest.items()
    }


def state_of(loan: Loan, records: LoanRecords, *, positions: dict[date, LoanPosition] | None = None) -> LoanState:
    """Build the loan's schedule from its terms, early repayments and granted holiday."""
    terms = terms_of(loan)
    try:
        schedule = cached_schedule(terms, records.early_repayments, records.holiday)
    except ValueError as exc:
        raise ApiError(
            409, "loan_data_inconsistent", "The loan's records do not add up; the bank has been asked to check them."
        ) from exc
    state = LoanState(
        loan=loan,
        terms=terms,
        schedule=schedule,
        payments=records.payments,
        early_repayments=records.early_repayments,
        holiday=records.holiday,
    )
    if positions is not None:
        object.__setattr__(state, "positions", positions)  # frozen: the kept entry's memo
    return state


async def load_state(session: AsyncSession, loan: Loan) -> LoanState:
    """The loan's state from its records in the database."""
    return state_of(loan, (await load_records(session, [loan.id]))[loan.id])


@dataclass(frozen=True)
class _Kept:
    records: LoanRecords
    #: Per the loan's terms (a corrected rate keeps the version), the positions by date.
    positions: dict[LoanTerms, dict[date, LoanPosition]] = field(default_factory=dict)


class RecordsCache:
    """The records of recently read loans by (loan id, records version), the least recently read dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, int], _Kept] = OrderedDict()
        self._lock = threading.Lock()  # a certificate is drawn in a thread

    def get(self, key: tuple[int, int]) -> _Kept | None:
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
            return kept

    def put(self, key: tuple[int, int], kept: _Kept) -> None:
        with self._lock:
            self._entries[key] = kept
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


RECORDS = RecordsCache(RECORDS_KEPT)


async def read_state(session: AsyncSession, loan: Loan) -> LoanState:
    """The loan's state for a request that reads, from this process's cache when the loan's version is known.

    `loan` must come from this session's own read (its `records_version` as the database holds it); a transaction
    that replanned the loan itself reads from the database. The records read on a miss are kept only if the version
    is still the same afterwards: a commit between the two reads (PostgreSQL reads each statement afresh) drew it anew.
    """
    version = loan.records_version
    if version is None or ("loan", loan.id) in replanned(session):
        return await load_state(session, loan)
    key = (loan.id, version)
    kept = RECORDS.get(key)
    if kept is None:
        records = (await load_records(session, [loan.id]))[loan.id]
        now_version = await session.scalar(select(Loan.records_version).where(Loan.id == loan.id))
        if now_version != version:
            return state_of(loan, records)
        kept = _Kept(records)
        RECORDS.put(key, kept)
    terms = terms_of(loan)
    return state_of(loan, kept.records, positions=kept.positions.setdefault(terms, {}))

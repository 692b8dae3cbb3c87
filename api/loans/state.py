"""A loan's arithmetic from its records: the engine's terms, schedule and position built from database rows."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.engine import (
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
    estimate_early_repayment,
    paid_in_year,
    position_on,
)
from api.engine import Payment as MadePayment
from api.errors import ApiError
from api.models import HolidayApplication, HolidayMode, HolidayStatus, Loan, Payment, PaymentKind


@dataclass(frozen=True)
class LoanState:
    """Everything the engine knows of one loan: its terms, the holiday granted and the money received."""

    loan: Loan
    terms: LoanTerms
    schedule: Schedule
    payments: tuple[MadePayment, ...]
    early_repayments: tuple[EarlyRepayment, ...]
    holiday: PaymentHoliday | None

    def position(self, on_date: date) -> LoanPosition:
        return position_on(self.schedule, self.payments, on_date=on_date)

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
    )


def local_date(now: datetime, time_zone: str) -> date:
    """The calendar date at `now` in the borrower's time zone."""
    return now.astimezone(ZoneInfo(time_zone)).date()


async def _granted_holiday(session: AsyncSession, loan_id: int) -> PaymentHoliday | None:
    application = await session.scalar(
        select(HolidayApplication)
        .where(HolidayApplication.loan_id == loan_id, HolidayApplication.status == HolidayStatus.APPROVED)
        .order_by(HolidayApplication.decided_at.desc(), HolidayApplication.id.desc())
        .limit(1)
    )
    if application is None:
        return None
    reduced = application.reduced_payment if application.mode is HolidayMode.REDUCED else None
    return PaymentHoliday(start_date=application.start_date, months=application.months, reduced_payment=reduced)


@lru_cache(maxsize=256)
def cached_schedule(
    terms: LoanTerms, early_repayments: tuple[EarlyRepayment, ...], holiday: PaymentHoliday | None
) -> Schedule:
    """The engine's schedule, memoised: it is a pure function of these frozen inputs (about 150 KB each)."""
    return build_schedule(terms, early_repayments=early_repayments, holiday=holiday)


async def load_state(session: AsyncSession, loan: Loan) -> LoanState:
    """Build the loan's schedule from its terms, early repayments and granted holiday."""
    rows = (
        await session.execute(
            select(Payment.paid_on, Payment.amount, Payment.kind, Payment.early_mode)
            .where(Payment.loan_id == loan.id)
            .order_by(Payment.paid_on, Payment.id)
        )
    ).all()
    early = tuple(
        EarlyRepayment(on_date=row.paid_on, amount=row.amount, mode=RepaymentMode(row.early_mode))
        for row in rows
        if row.kind is PaymentKind.EARLY
    )
    payments = tuple(
        MadePayment(paid_on=row.paid_on, amount=row.amount) for row in rows if row.kind is PaymentKind.REGULAR
    )
    holiday = await _granted_holiday(session, loan.id)
    terms = terms_of(loan)
    try:
        schedule = cached_schedule(terms, early, holiday)
    except ValueError as exc:
        raise ApiError(
            409, "loan_data_inconsistent", "The loan's records do not add up; the bank has been asked to check them."
        ) from exc
    return LoanState(
        loan=loan, terms=terms, schedule=schedule, payments=payments, early_repayments=early, holiday=holiday
    )

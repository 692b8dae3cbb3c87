"""The borrower's loans: the list, the balance summary on a date, the schedule and the early-repayment estimate."""

import io
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.clock import local_date
from api.engine import Schedule, write_schedule_csv
from api.engine.dates import add_months
from api.errors import ApiError
from api.loans.paying import payment_details
from api.loans.schemas import (
    EarlyRepaymentEstimateOut,
    EstimateRequest,
    LoanBalance,
    LoanItem,
    LoanSchedule,
    LoanSummary,
    OwedAfter,
    PayoffOut,
    ScheduleRow,
)
from api.loans.state import LoanState, read_state
from api.models import Borrower, Loan, LoanStatus
from api.settings import Settings


async def list_loans(session: AsyncSession, *, borrower: Borrower) -> list[LoanItem]:
    """The borrower's loans in the order they were loaded, the selected one flagged."""
    loans = await session.scalars(select(Loan).where(Loan.borrower_id == borrower.id).order_by(Loan.id))
    return [LoanItem.from_record(loan, selected=loan.id == borrower.selected_loan_id) for loan in loans]


def _check_summary_date(state: LoanState, on_date: date, *, asked: bool) -> None:
    """An asked-for date must fall within the loan's life (plus a year); today is always fine once signed."""
    latest = add_months(state.schedule.last_date, 12)
    if on_date < state.loan.contract_date or (asked and on_date > latest):
        raise ApiError(
            422,
            "on_date_out_of_range",
            f"The date must be between the contract date {state.loan.contract_date} and {latest}.",
            earliest=state.loan.contract_date.isoformat(),
            latest=latest.isoformat(),
        )


async def summary(
    session: AsyncSession, *, loan: Loan, borrower: Borrower, settings: Settings, now: datetime, on: date | None
) -> LoanSummary:
    """The loan's progress on `on` (default: today in the borrower's time zone)."""
    return _summary(await read_state(session, loan), borrower=borrower, settings=settings, now=now, on=on)


async def balance(
    session: AsyncSession, *, loan: Loan, borrower: Borrower, settings: Settings, now: datetime
) -> LoanBalance:
    """The summary today and the principal owed after each installment, from one reading of the loan."""
    state = await read_state(session, loan)
    return LoanBalance(
        summary=_summary(state, borrower=borrower, settings=settings, now=now, on=None),
        owed_after=[OwedAfter(date=row.due_date, balance=row.balance_after) for row in state.schedule.installments],
    )


def _summary(
    state: LoanState, *, borrower: Borrower, settings: Settings, now: datetime, on: date | None
) -> LoanSummary:
    loan = state.loan
    # a zone west of UTC may still be on the eve of a contract signed today: the loan is shown as signed
    on_date = on or max(local_date(now, borrower.time_zone), loan.contract_date)
    _check_summary_date(state, on_date, asked=on is not None)
    position = state.position(on_date)
    closed = loan.status is LoanStatus.CLOSED or position.closed
    return LoanSummary(
        loan_id=loan.id,
        contract_number=loan.contract_number,
        contract_date=loan.contract_date,
        status=loan.status,
        on_date=on_date,
        principal=loan.principal,
        rate_percent=loan.rate_percent,
        term_months=loan.term_months,
        day_count=loan.day_count,
        monthly_payment=state.regular_payment(on_date),
        outstanding_principal=position.principal_outstanding,
        next_payment_date=position.next_due_date,
        next_payment_amount=position.next_payment,
        principal_paid=position.principal_paid,
        interest_paid=position.interest_paid,
        percent_repaid=position.percent_repaid,
        installments_left=position.installments_left,
        last_payment_date=state.schedule.last_date,
        overdue_amount=position.overdue_amount,
        overdue_since=position.overdue_since,
        days_overdue=position.days_overdue,
        prepaid_amount=position.prepaid_amount,
        closed=closed,
        payment_details=payment_details(loan, position, closed=closed, settings=settings),
    )


async def schedule(session: AsyncSession, *, loan: Loan) -> Schedule:
    """The loan's current schedule, early repayments and a granted holiday included."""
    return (await read_state(session, loan)).schedule


def schedule_out(schedule: Schedule, *, loan_id: int) -> LoanSchedule:
    return LoanSchedule(
        loan_id=loan_id,
        total_payment=schedule.total_payment,
        total_interest=schedule.total_interest,
        rows=[
            ScheduleRow(
                number=row.number,
                date=row.due_date,
                payment=row.payment,
                principal=row.principal,
                interest=row.interest,
                balance=row.balance_after,
                kind=str(row.kind),
            )
            for row in schedule.installments
        ],
    )


def schedule_csv(schedule: Schedule) -> str:
    stream = io.StringIO()
    write_schedule_csv(schedule, stream)
    return stream.getvalue()


def _repayment_date(state: LoanState, requested: date | None, *, earliest: date, notice_days: int) -> date:
    on_date = requested or earliest
    if on_date < earliest:
        raise ApiError(
            422,
            "notice_period",
            f"An early repayment needs {notice_days} days' notice: the earliest repayment date is {earliest}.",
            notice_days=notice_days,
            earliest_date=earliest.isoformat(),
        )
    if on_date >= state.schedule.last_date:
        raise ApiError(
            422,
            "on_date_out_of_range",
            f"The repayment date must come before the loan's last payment on {state.schedule.last_date}.",
            last_payment_date=state.schedule.last_date.isoformat(),
        )
    return on_date


async def estimate(
    session: AsyncSession,
    *,
    loan: Loan,
    borrower: Borrower,
    request: EstimateRequest,
    settings: Settings,
    now: datetime,
) -> EarlyRepaymentEstimateOut:
    """What repaying `request.amount` early would change, and how to file the request."""
    state = await read_state(session, loan)
    today = local_date(now, borrower.time_zone)
    standing = state.position(today)
    if loan.status is LoanStatus.CLOSED or standing.closed:
        raise ApiError(409, "loan_closed", "The loan is already repaid; there is nothing to repay early.")
    notice_days = settings.early_repayment_notice_days
    earliest = today + timedelta(days=notice_days)
    on_date = _repayment_date(state, request.on_date, earliest=earliest, notice_days=notice_days)
    balance = state.schedule.balance_after(on_date)
    if request.amount > balance:
        raise ApiError(
            422,
            "amount_above_balance",
            f"The amount is above the principal outstanding on {on_date}.",
            balance=f"{balance:.2f}",
        )
    try:
        result = state.estimate(on_date=on_date, amount=request.amount, mode=request.mode)
    except ValueError as exc:
        raise ApiError(422, "estimate_not_possible", "This early repayment cannot be estimated.") from exc
    payoff = None
    if result.closes:
        payoff = PayoffOut(
            principal=result.amount,
            interest=result.interest_to_date,
            interest_since=result.period_start,
            deferred_interest=result.interest_deferred,
            overdue_amount=standing.overdue_amount,
            total=result.amount + result.interest_to_date + result.interest_deferred + standing.overdue_amount,
        )
    return EarlyRepaymentEstimateOut.from_record(
        result,  # the engine's figures under their own names
        balance_after=result.balance_before - result.amount,
        payoff=payoff,
        overdue_amount=standing.overdue_amount,
        overdue_since=standing.overdue_since,
        due_before=state.position(on_date).overdue_amount - standing.overdue_amount,
        notice_days=notice_days,
        earliest_date=earliest,
        apply_by=on_date - timedelta(days=notice_days),
        bank_phone=settings.bank.phone,
    )

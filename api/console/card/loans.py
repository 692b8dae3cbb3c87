"""Each loan on the card as the borrower's bot shows it: the loans API's summary, the schedule and arrears, the
payments received. Every figure comes from api/loans (the engine through the loan's records), none is counted here."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.clock import local_date
from api.errors import ApiError
from api.loans import service
from api.loans.arrears import Arrears, arrears_on
from api.loans.schemas import LoanSchedule, LoanSummary
from api.loans.state import load_state
from api.models import Borrower, Loan, Payment
from api.settings import Settings


@dataclass(frozen=True)
class LoanView:
    loan: Loan
    #: The balance screen's figures on the borrower's today; None when the loan's records do not add up.
    summary: LoanSummary | None
    #: Installments due before today and unpaid (one due today is only due), as the staff card counts them.
    arrears: Arrears | None
    schedule: LoanSchedule | None
    payments: list[Payment]


async def loan_views(session: AsyncSession, *, borrower: Borrower, settings: Settings, now: datetime) -> list[LoanView]:
    """The borrower's loans in the order they were loaded, with their payments oldest first."""
    loans = (await session.scalars(select(Loan).where(Loan.borrower_id == borrower.id).order_by(Loan.id))).all()
    payments: dict[int, list[Payment]] = {loan.id: [] for loan in loans}
    rows = await session.scalars(
        select(Payment).where(Payment.loan_id.in_(payments)).order_by(Payment.paid_on, Payment.id)
    )
    for payment in rows:
        payments[payment.loan_id].append(payment)
    return [await _view(session, loan, borrower, settings, now, payments[loan.id]) for loan in loans]


async def _view(
    session: AsyncSession, loan: Loan, borrower: Borrower, settings: Settings, now: datetime, payments: list[Payment]
) -> LoanView:
    try:
        state = await load_state(session, loan)
        summary = await service.summary(session, loan=loan, borrower=borrower, settings=settings, now=now, on=None)
    except ApiError:  # the records do not add up: the bank has been asked to check them; show the loan bare
        return LoanView(loan=loan, summary=None, arrears=None, schedule=None, payments=payments)
    return LoanView(
        loan=loan,
        summary=summary,
        arrears=None if summary.closed else arrears_on(state, local_date(now, borrower.time_zone)),
        schedule=service.schedule_out(state.schedule, loan_id=loan.id),
        payments=payments,
    )

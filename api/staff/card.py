"""The borrower card for staff: who they are, their loans as the engine sees them, and what is open."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import not_found
from api.loans.arrears import ZERO
from api.loans.standing import standing_of
from api.models import (
    Borrower,
    CaseStatus,
    CertificateRequest,
    CertificateStatus,
    Document,
    HolidayApplication,
    HolidayStatus,
    Loan,
    ReviewStatus,
    SupportCase,
)
from api.staff import queues
from api.staff.schemas import BorrowerCard, CaseItem, CertificateItem, DocumentItem, HolidayItem, LoanSummary

OPEN_CASES = (CaseStatus.OPEN, CaseStatus.TAKEN)


async def _summary(session: AsyncSession, loan: Loan, borrower: Borrower, now: datetime) -> LoanSummary:
    """The loan with its position on the borrower's today; arrears count installments due before today."""
    bare = LoanSummary(
        id=loan.id,
        contract_number=loan.contract_number,
        status=loan.status.value,
        principal_outstanding=None,
        overdue=None,
        overdue_amount=None,
        days_overdue=None,
        next_due_date=None,
        next_payment=None,
    )
    standing = await standing_of(session, loan, borrower, now)
    if standing is None:
        return bare
    position, arrears = standing.position, standing.arrears
    return bare.model_copy(
        update={
            "principal_outstanding": position.principal_outstanding,
            "overdue": arrears is not None,
            "overdue_amount": arrears.amount if arrears else ZERO,
            "days_overdue": arrears.days if arrears else 0,
            "next_due_date": position.next_due_date,
            "next_payment": position.next_payment,
        }
    )


async def borrower_card(session: AsyncSession, *, borrower_id: int, now: datetime) -> BorrowerCard:
    borrower = await session.get(Borrower, borrower_id)
    if borrower is None:
        raise not_found("borrower")
    loans = (await session.scalars(select(Loan).where(Loan.borrower_id == borrower_id).order_by(Loan.id))).all()
    return BorrowerCard(
        id=borrower.id,
        first_name=borrower.first_name,
        last_name=borrower.last_name,
        middle_name=borrower.middle_name,
        language=borrower.language,
        time_zone=borrower.time_zone,
        linked=borrower.is_linked,
        reminders_enabled=borrower.reminders_enabled,
        unreachable_since=borrower.unreachable_since,
        loans=[await _summary(session, loan, borrower, now) for loan in loans],
        holidays=await queues.items(
            session,
            queues.holidays(HolidayStatus.SUBMITTED, HolidayApplication.borrower_id == borrower_id),
            HolidayItem,
        ),
        certificates=await queues.items(
            session,
            queues.certificates(CertificateStatus.PENDING_STAFF, CertificateRequest.borrower_id == borrower_id),
            CertificateItem,
        ),
        documents=await queues.items(
            session,
            queues.documents(ReviewStatus.SUBMITTED, None, Document.borrower_id == borrower_id),
            DocumentItem,
        ),
        cases=await queues.items(session, queues.cases(OPEN_CASES, SupportCase.borrower_id == borrower_id), CaseItem),
    )

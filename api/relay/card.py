"""The summary card posted first in a case's staff topic: why, loans with arrears yes/no, open applications.

The topic is seen by the whole staff group, so the card carries no phone, last name or contract number. An unlinked
chat's card has its Telegram name and no loan data at all: nobody has shown whose loan it would be.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.loans.standing import standing_of
from api.models import (
    Borrower,
    CertificateRequest,
    CertificateStatus,
    Document,
    HolidayApplication,
    HolidayStatus,
    Loan,
    ReviewStatus,
    SupportCase,
)
from api.relay.schemas import CardLoan, CaseCard, OpenApplication
from api.support import reasons

#: What counts as open on the card: awaiting a staff decision or signature.
OPEN_APPLICATIONS: tuple[tuple[str, Any, Any], ...] = (
    ("holiday", HolidayApplication, HolidayStatus.SUBMITTED),
    ("certificate", CertificateRequest, CertificateStatus.PENDING_STAFF),
    ("document", Document, ReviewStatus.SUBMITTED),
)


async def _loan(session: AsyncSession, loan: Loan, borrower: Borrower, now: datetime) -> CardLoan:
    """Arrears on the borrower's today (installments due before today unpaid); none for a closed loan."""
    bare = CardLoan(id=loan.id, status=loan.status.value, in_arrears=False, overdue_amount=None, next_payment_date=None)
    standing = await standing_of(session, loan, borrower, now)
    if standing is None:
        return bare
    arrears = standing.arrears
    return bare.model_copy(
        update={
            "in_arrears": arrears is not None,
            "overdue_amount": arrears.amount if arrears else None,
            "next_payment_date": standing.position.next_due_date,
        }
    )


async def _open_applications(session: AsyncSession, borrower_id: int) -> list[OpenApplication]:
    found = []
    for kind, model, status in OPEN_APPLICATIONS:
        rows = await session.execute(
            select(model.id, model.status, model.created_at).where(
                model.borrower_id == borrower_id, model.status == status
            )
        )
        found += [
            OpenApplication(kind=kind, id=row.id, status=row.status.value, created_at=row.created_at) for row in rows
        ]
    return sorted(found, key=lambda item: (item.created_at, item.kind, item.id))


async def case_card(session: AsyncSession, *, case: SupportCase, now: datetime) -> CaseCard:
    card = CaseCard(
        case_id=case.id,
        first_name=case.telegram_name or "",
        linked=False,
        reason=case.reason,
        reasons=reasons.ordered(case.reasons),
        hardship=case.hardship,
        summary=case.summary,
        recent_steps=case.recent_steps,
        borrower_id=None,
        loans=[],
        open_applications=[],
        needs_supervisor=case.needs_supervisor,
        created_at=case.created_at,
    )
    if case.borrower_id is None:
        return card
    borrower = await session.get(Borrower, case.borrower_id)
    loans = (await session.scalars(select(Loan).where(Loan.borrower_id == borrower.id).order_by(Loan.id))).all()
    return card.model_copy(
        update={
            "first_name": borrower.first_name,
            "linked": True,
            "borrower_id": borrower.id,
            "loans": [await _loan(session, loan, borrower, now) for loan in loans],
            "open_applications": await _open_applications(session, borrower.id),
        }
    )

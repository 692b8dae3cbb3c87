"""The borrower's support cases on the card, and a case's transcript read from it (each reading audited)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import not_found
from api.models import CaseMessage, StaffMember, SupportCase
from api.staff import transcript
from api.staff.schemas import Transcript


@dataclass(frozen=True)
class CaseView:
    case: SupportCase
    assigned_to: str | None
    messages: int


async def cases(session: AsyncSession, *, borrower_id: int, staff_names: dict[int, str]) -> list[CaseView]:
    """The borrower's cases, newest first, with who holds each and how many messages its transcript has."""
    counts = (
        select(CaseMessage.case_id, func.count().label("messages"))
        .join(SupportCase, SupportCase.id == CaseMessage.case_id)
        .where(SupportCase.borrower_id == borrower_id)
        .group_by(CaseMessage.case_id)
        .subquery()
    )
    rows = await session.execute(
        select(SupportCase, func.coalesce(counts.c.messages, 0))
        .outerjoin(counts, counts.c.case_id == SupportCase.id)
        .where(SupportCase.borrower_id == borrower_id)
        .order_by(SupportCase.created_at.desc(), SupportCase.id.desc())
    )
    return [
        CaseView(case=case, assigned_to=staff_names.get(case.assigned_to) if case.assigned_to else None, messages=count)
        for case, count in rows
    ]


async def case_transcript(session: AsyncSession, *, borrower_id: int, case_id: int, staff: StaffMember) -> Transcript:
    """The transcript of one of the borrower's cases (another borrower's case is not found), audited as it is read."""
    owner = await session.scalar(select(SupportCase.borrower_id).where(SupportCase.id == case_id))
    if owner != borrower_id:
        raise not_found("support_case")
    return await transcript.transcript(session, case_id=case_id, staff=staff)

"""A support case's transcript for staff: every relayed message and note, oldest first, with its author."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import not_found
from api.models import CaseMessage, MessageDirection, StaffMember, SupportCase
from api.staff.schemas import Transcript, TranscriptMessage

BORROWER = "borrower"
FORMER_STAFF = "staff"  # a reply whose staff account was deleted since


async def transcript(session: AsyncSession, *, case_id: int, staff: StaffMember) -> Transcript:
    """The case's messages; each reading is audited, as the transcript holds what the borrower wrote."""
    if await session.get(SupportCase, case_id) is None:
        raise not_found("support_case")
    rows = await session.execute(
        select(CaseMessage, StaffMember.name)
        .outerjoin(StaffMember, StaffMember.id == CaseMessage.staff_id)
        .where(CaseMessage.case_id == case_id)
        .order_by(CaseMessage.at, CaseMessage.id)
    )
    messages = [
        TranscriptMessage(
            at=message.at,
            direction=message.direction.value,
            author=BORROWER if message.direction is MessageDirection.BORROWER else name or FORMER_STAFF,
            kind=message.kind.value,
            text=message.text,
            file_id=message.file_id,
        )
        for message, name in rows
    ]
    audit.record(session, actor=f"staff:{staff.id}", action="read_transcript", entity="support_case", entity_id=case_id)
    await session.commit()
    return Transcript(case_id=case_id, messages=messages)

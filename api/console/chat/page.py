"""What the chat page shows of a case: who it is (first name only, linked or not), its status and who holds it
since when, the transcript and the canned replies."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.chat import canned, transcript
from api.models import AuditEntry, Borrower, StaffMember, SupportCase
from api.relay import service as relay
from api.support.service import ACTIVE


async def _held_since(session: AsyncSession, case: SupportCase) -> datetime | None:
    """When the holder took the case: the audit's newest take of it."""
    return await session.scalar(
        select(AuditEntry.at)
        .where(
            AuditEntry.action == "take_case", AuditEntry.entity == "support_case", AuditEntry.entity_id == str(case.id)
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )


async def case_page(session: AsyncSession, *, case_id: int) -> dict[str, Any]:
    case = await relay.get_case(session, case_id)
    borrower = await session.get(Borrower, case.borrower_id) if case.borrower_id is not None else None
    holder = await session.get(StaffMember, case.assigned_to) if case.assigned_to is not None else None
    return {
        "case": case,
        "first_name": borrower.first_name if borrower else case.telegram_name or "",
        "active": case.status in ACTIVE,
        "holder": holder,
        "held_since": await _held_since(session, case) if holder else None,
        "lines": await transcript.lines(session, case_id=case.id),
        "canned": await canned.all_replies(session),
    }

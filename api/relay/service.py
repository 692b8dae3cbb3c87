"""The relay's case bookkeeping: staff by Telegram id, the case by id or topic, its topic, take and close (audited)."""

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import ApiError, not_found
from api.models import Borrower, CaseStatus, StaffMember, SupportCase
from api.outbox.unreachable import mark_unreachable
from api.relay.schemas import RelayCase
from api.settings import Settings
from api.support.service import ACTIVE, staff_availability


def case_closed() -> ApiError:
    return ApiError(409, "case_closed", "This support case is closed.")


async def active_staff(session: AsyncSession, telegram_user_id: int) -> StaffMember:
    """The active staff member with this Telegram account; anyone else (a former member too) is not staff."""
    staff = await session.scalar(
        select(StaffMember).where(StaffMember.telegram_user_id == telegram_user_id, StaffMember.active)
    )
    if staff is None:
        raise not_found("staff")
    return staff


async def get_case(session: AsyncSession, case_id: int) -> SupportCase:
    case = await session.get(SupportCase, case_id)
    if case is None:
        raise not_found("case")
    return case


async def case_by_topic(session: AsyncSession, topic_id: int) -> SupportCase:
    """The newest case relayed into this topic, closed ones included."""
    case = await session.scalar(
        select(SupportCase).where(SupportCase.topic_id == topic_id).order_by(SupportCase.id.desc()).limit(1)
    )
    if case is None:
        raise not_found("case")
    return case


async def relay_case(session: AsyncSession, case: SupportCase, *, settings: Settings, now: datetime) -> RelayCase:
    """The case as the bot relays it; an unlinked chat's answers in its own Telegram id, name and language."""
    borrower = await session.get(Borrower, case.borrower_id) if case.borrower_id is not None else None
    holder = await session.get(StaffMember, case.assigned_to) if case.assigned_to is not None else None
    staff = staff_availability(settings=settings, now=now)
    return RelayCase(
        id=case.id,
        status=case.status,
        reason=case.reason,
        borrower_id=case.borrower_id,
        chat_id=borrower.telegram_user_id if borrower else case.telegram_user_id,
        first_name=borrower.first_name if borrower else case.telegram_name or "",
        language=borrower.language if borrower else case.details.get("language", "ru"),
        topic_id=case.topic_id,
        assigned_to=case.assigned_to,
        assigned_name=holder.name if holder else None,
        created_at=case.created_at,
        in_hours=staff.in_hours,
        staff_back_at=staff.staff_back_at,
    )


async def _change_active(session: AsyncSession, case_id: int, **values: Any) -> SupportCase | None:
    """Apply `values` if the case is open or taken; returns the case as it now is, or None if it was closed.

    A conditional UPDATE, so a take, a close and a new topic arriving together never undo one another.
    """
    changed = await session.scalar(
        update(SupportCase)
        .where(SupportCase.id == case_id, SupportCase.status.in_(ACTIVE))
        .values(**values)
        .returning(SupportCase.id)
        .execution_options(synchronize_session=False)
    )
    case = await session.get(SupportCase, case_id, populate_existing=True)
    if case is None:
        raise not_found("case")
    return case if changed is not None else None


async def set_topic(session: AsyncSession, *, case_id: int, topic_id: int) -> SupportCase:
    """Record the case's forum topic; a topic recreated after deletion replaces the old id."""
    case = await _change_active(session, case_id, topic_id=topic_id)
    if case is None:
        raise case_closed()
    await session.commit()
    return case


async def take(session: AsyncSession, *, case_id: int, staff: StaffMember, now: datetime) -> SupportCase:
    """Assign the case to `staff`, even from a colleague (staff settle that among themselves; the audit shows it).

    The console's take refuses a case a colleague holds (api/work/holds.py); /take in the topic is the team's own.
    """
    previous = await session.scalar(select(SupportCase.assigned_to).where(SupportCase.id == case_id))
    case = await _change_active(session, case_id, status=CaseStatus.TAKEN, assigned_to=staff.id, assigned_at=now)
    if case is None:
        raise case_closed()
    audit.record(
        session,
        actor=f"staff:{staff.id}",
        action="take_case",
        entity="support_case",
        entity_id=case_id,
        previous=previous,
    )
    await session.commit()
    return case


async def close(
    session: AsyncSession, *, case_id: int, staff: StaffMember | None, blocked: bool, now: datetime
) -> SupportCase:
    """Close the case: by staff, or (no staff) because the borrower left the chat or blocked the bot.

    Blocked also marks the borrower unreachable. Closing a closed case again changes nothing.
    """
    case = await _change_active(session, case_id, status=CaseStatus.CLOSED, closed_at=now)
    if case is None:
        return await get_case(session, case_id)
    actor = f"staff:{staff.id}" if staff else "bot"
    if blocked and case.borrower_id is not None:
        borrower = await session.get(Borrower, case.borrower_id)
        await mark_unreachable(session, borrower=borrower, actor=actor, now=now)
    audit.record(
        session,
        actor=actor,
        action="close_case",
        entity="support_case",
        entity_id=case_id,
        by="staff" if staff else "borrower",
        blocked=blocked,
    )
    await session.commit()
    return case

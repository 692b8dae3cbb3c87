"""Canned replies: supervisors add, edit and delete them; operators insert one into a reply. Titles are unique."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.errors import ApiError, not_found
from api.models import CannedReply, StaffMember

MAX_TITLE = 100
MAX_TEXT = 4096


def _title_taken() -> ApiError:
    return ApiError(409, "canned_title_taken", "A canned reply with this title exists.")


def _checked(title: str, text: str) -> tuple[str, str]:
    title, text = title.strip(), text.strip()
    if not title or not text or len(title) > MAX_TITLE or len(text) > MAX_TEXT:
        raise ApiError(422, "canned_invalid", "A canned reply needs a title (up to 100) and a text (up to 4096).")
    return title, text


async def all_replies(session: AsyncSession) -> list[CannedReply]:
    return list(await session.scalars(select(CannedReply).order_by(CannedReply.title)))


async def _save(session: AsyncSession, reply: CannedReply, *, staff: StaffMember, action: str) -> CannedReply:
    audit.record(session, actor=f"staff:{staff.id}", action=action, entity="canned_reply", entity_id=reply.id)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise _title_taken() from exc
    return reply


async def add(session: AsyncSession, *, staff: StaffMember, title: str, text: str, now: datetime) -> CannedReply:
    title, text = _checked(title, text)
    reply = CannedReply(title=title, text=text, created_at=now, updated_at=now, updated_by=staff.id)
    session.add(reply)
    try:
        await session.flush()
    except IntegrityError as exc:
        await session.rollback()
        raise _title_taken() from exc
    return await _save(session, reply, staff=staff, action="add_canned_reply")


async def edit(
    session: AsyncSession, *, staff: StaffMember, reply_id: int, title: str, text: str, now: datetime
) -> CannedReply:
    reply = await session.get(CannedReply, reply_id)
    if reply is None:
        raise not_found("canned_reply")
    reply.title, reply.text = _checked(title, text)
    reply.updated_at, reply.updated_by = now, staff.id
    return await _save(session, reply, staff=staff, action="edit_canned_reply")


async def delete(session: AsyncSession, *, staff: StaffMember, reply_id: int) -> None:
    reply = await session.get(CannedReply, reply_id)
    if reply is None:
        raise not_found("canned_reply")
    await session.delete(reply)
    audit.record(
        session, actor=f"staff:{staff.id}", action="delete_canned_reply", entity="canned_reply", entity_id=reply_id
    )
    await session.commit()

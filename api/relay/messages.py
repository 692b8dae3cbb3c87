"""Storing relayed messages in the case's transcript: once per (case, direction, Telegram message id); a message the
bot is still to copy (into the staff topic or to the borrower) gets its relay task in the same transaction."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import not_found
from api.models import CaseMessage, CaseStatus, MessageDirection, MessageKind, RelayTaskKind, SupportCase
from api.relay import tasks
from api.relay.schemas import BY_STAFF, MessageCreate
from api.relay.service import active_staff, case_closed

#: The copy each direction's message needs: the borrower's into the topic, a staff reply to the borrower.
COPY_KINDS = {MessageDirection.BORROWER: RelayTaskKind.COPY_IN, MessageDirection.STAFF: RelayTaskKind.COPY_OUT}


async def _open_case(session: AsyncSession, case_id: int) -> None:
    """The case must exist and not be closed; on PostgreSQL a share lock holds off a close until the insert commits."""
    status = await session.scalar(
        select(SupportCase.status).where(SupportCase.id == case_id).with_for_update(read=True)
    )
    if status is None:
        raise not_found("case")
    if status is CaseStatus.CLOSED:
        raise case_closed()


async def store(
    session: AsyncSession, *, case_id: int, message: MessageCreate, now: datetime, copy_from: int | None = None
) -> tuple[CaseMessage, bool]:
    """Store the message unless it is stored already; returns it and whether it is new. With `copy_from` (the chat
    the message is in) a new message also gets the relay task that copies it, committed with it.

    INSERT ... ON CONFLICT DO NOTHING on the unique key, so a retried relay, even two at once, leaves one row and
    one copy.
    """
    direction = MessageDirection(message.direction)
    staff_id = (await active_staff(session, message.staff_telegram_id)).id if direction in BY_STAFF else None
    await _open_case(session, case_id)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    key = (CaseMessage.case_id, CaseMessage.direction, CaseMessage.telegram_message_id)
    values = (case_id, direction, message.telegram_message_id)
    new_id = await session.scalar(
        insert(CaseMessage)
        .values(
            case_id=case_id,
            at=now,
            direction=direction,
            staff_id=staff_id,
            kind=MessageKind(message.kind),
            text=message.text,
            file_id=message.file_id,
            telegram_message_id=message.telegram_message_id,
        )
        .on_conflict_do_nothing(index_elements=list(key))
        .returning(CaseMessage.id)
    )
    if new_id is not None and copy_from is not None:
        task = tasks.add(session, case_id=case_id, kind=COPY_KINDS[direction], staff_id=staff_id, message_id=new_id)
        task.source_chat_id = copy_from
    await session.commit()
    stored = await session.scalar(
        select(CaseMessage).where(*(column == value for column, value in zip(key, values, strict=True)))
    )
    return stored, new_id is not None

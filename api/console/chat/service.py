"""What a member of staff does in a case's chat from the console: reply (text and a file), keep a private note, take
the case, close it. A reply, a take and a close each add, in the same transaction, the task by which the bot carries
it out in Telegram (the borrower's chat and the staff topic); a note never leaves the backend."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.documents.uploads import Upload
from api.models import (
    CaseFile,
    CaseMessage,
    CaseStatus,
    MessageDirection,
    MessageKind,
    RelayTaskKind,
    StaffMember,
    SupportCase,
)
from api.relay import service as relay
from api.relay import tasks
from api.relay.service import case_closed
from api.work import holds
from api.work.items import Queue

MAX_TEXT = 4096  # Telegram's limit for a message (a caption is cut to 1,024 by the bot's send)


async def _active_case(session: AsyncSession, case_id: int) -> SupportCase:
    case = await relay.get_case(session, case_id)
    if case.status is CaseStatus.CLOSED:
        raise case_closed()
    return case


def _kind(upload: Upload | None) -> MessageKind:
    if upload is None:
        return MessageKind.TEXT
    return MessageKind.PHOTO if upload.content_type.startswith("image/") else MessageKind.DOCUMENT


async def reply(
    session: AsyncSession, *, case_id: int, staff: StaffMember, text: str, upload: Upload | None, now: datetime
) -> CaseMessage:
    """A reply for the borrower's chat (mirrored into the topic by the bot); a closed case refuses it (409)."""
    case = await _active_case(session, case_id)
    message = CaseMessage(
        case_id=case.id,
        at=now,
        direction=MessageDirection.STAFF,
        staff_id=staff.id,
        kind=_kind(upload),
        text=text[:MAX_TEXT] or None,
    )
    session.add(message)
    await session.flush()
    if upload is not None:
        session.add(
            CaseFile(
                message_id=message.id,
                file_name=upload.file_name,
                content_type=upload.content_type,
                size=len(upload.content),
                content=upload.content,
            )
        )
    tasks.add(session, case_id=case.id, kind=RelayTaskKind.REPLY, staff_id=staff.id, message_id=message.id)
    await session.commit()
    return message


async def note(session: AsyncSession, *, case_id: int, staff: StaffMember, text: str, now: datetime) -> CaseMessage:
    """A private note: kept in the transcript for staff, with no task, so nothing of it reaches the borrower."""
    case = await _active_case(session, case_id)
    message = CaseMessage(
        case_id=case.id,
        at=now,
        direction=MessageDirection.NOTE,
        staff_id=staff.id,
        kind=MessageKind.TEXT,
        text=text[:MAX_TEXT],
    )
    session.add(message)
    await session.commit()
    return message


async def take(
    session: AsyncSession, *, case_id: int, staff: StaffMember, now: datetime, address: str | None = None
) -> None:
    """Take the case as the queues do (api/work/holds.py: a colleague's case is refused with `HeldByOther`, never
    taken over silently); the borrower and the topic are told who joined, in the same transaction as the take."""
    await _active_case(session, case_id)
    tasks.add(session, case_id=case_id, kind=RelayTaskKind.JOINED, staff_id=staff.id)
    await holds.take(session, queue=Queue.CASES, item_id=case_id, staff=staff, now=now, address=address)


async def close(session: AsyncSession, *, case_id: int, staff: StaffMember, now: datetime) -> SupportCase:
    """Close the case as `/close` in the topic does (the relay's own close, audited): the bot then hands the chat
    back, closes the topic and offers the borrower the same survey."""
    await _active_case(session, case_id)
    tasks.add(session, case_id=case_id, kind=RelayTaskKind.CLOSED, staff_id=staff.id)
    case = await relay.close(session, case_id=case_id, staff=staff, blocked=False, now=now)
    if session.new:  # closed by someone else a moment ago: the close was theirs, and so is the hand-back
        await session.rollback()
        raise case_closed()
    return case

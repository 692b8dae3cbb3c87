"""A case's chat as the console shows it: every message and note oldest first, with its author, its file and, for a
console reply, how far the bot has carried it (waiting, delivered, not confirmed)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from api.models import CaseFile, CaseMessage, MessageDirection, RelayTask, RelayTaskStatus, StaffMember


@dataclass(frozen=True)
class Line:
    message: CaseMessage
    author: str | None  # the member of staff; None for the borrower (or a reply whose member was deleted)
    file: CaseFile | None  # a file attached in the console (a Telegram file is shown by its kind)
    delivery: str | None  # a console reply's: "waiting", "delivered" or "failed"

    @property
    def is_note(self) -> bool:
        return self.message.direction is MessageDirection.NOTE

    @property
    def from_borrower(self) -> bool:
        return self.message.direction is MessageDirection.BORROWER


def _delivery(task: RelayTask | None) -> str | None:
    if task is None:
        return None
    if task.delivered_at is not None:
        return "delivered"
    return "failed" if task.status is RelayTaskStatus.FAILED else "waiting"


async def lines(session: AsyncSession, *, case_id: int, after: int = 0) -> list[Line]:
    """The case's messages with ids above `after` (0: all), in the order they were written."""
    rows = await session.execute(
        select(CaseMessage, StaffMember.name, CaseFile, RelayTask)
        .outerjoin(StaffMember, StaffMember.id == CaseMessage.staff_id)
        .outerjoin(CaseFile, CaseFile.message_id == CaseMessage.id)
        .outerjoin(RelayTask, RelayTask.message_id == CaseMessage.id)
        .where(CaseMessage.case_id == case_id, CaseMessage.id > after)
        .order_by(CaseMessage.at, CaseMessage.id)
    )
    return [Line(message=m, author=name, file=file, delivery=_delivery(task)) for m, name, file, task in rows]


async def file_of(session: AsyncSession, *, case_id: int, message_id: int) -> CaseFile | None:
    """A console reply's file, with its bytes, if it belongs to the case."""
    return await session.scalar(
        select(CaseFile)
        .join(CaseMessage, CaseMessage.id == CaseFile.message_id)
        .where(CaseFile.message_id == message_id, CaseMessage.case_id == case_id)
        .options(undefer(CaseFile.content))
    )

"""A borrower who blocked the bot: marked unreachable and their pending pushes cancelled (linking again undoes it)."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api import audit
from api.models import Borrower, Notification, NotificationStatus
from api.outbox.replanning import replan_borrower


async def mark_unreachable(session: AsyncSession, *, borrower: Borrower, actor: str, now: datetime) -> None:
    """In the caller's transaction; the first moment the bot was found blocked is kept."""
    borrower.unreachable_since = borrower.unreachable_since or now
    await session.execute(
        update(Notification)
        .where(Notification.borrower_id == borrower.id, Notification.status == NotificationStatus.PENDING)
        .values(status=NotificationStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    audit.record(session, actor=actor, action="borrower_unreachable", entity="borrower", entity_id=borrower.id)
    await replan_borrower(session, borrower.id)

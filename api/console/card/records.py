"""The borrower's records the card lists as they are: certificates issued, ratings given, pushes from the outbox."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import CertificateRequest, CertificateStatus, Feedback, Notification

#: The outbox keeps every row; the card shows the latest ones.
REMINDERS_SHOWN = 50


async def certificates_issued(session: AsyncSession, *, borrower_id: int) -> list[CertificateRequest]:
    """Certificates the borrower received (from the system at once, or signed by staff), newest first."""
    return list(
        await session.scalars(
            select(CertificateRequest)
            .where(CertificateRequest.borrower_id == borrower_id, CertificateRequest.status == CertificateStatus.READY)
            .order_by(CertificateRequest.created_at.desc(), CertificateRequest.id.desc())
        )
    )


async def feedback(session: AsyncSession, *, borrower_id: int) -> list[Feedback]:
    """The borrower's ratings, newest first."""
    return list(
        await session.scalars(
            select(Feedback)
            .where(Feedback.borrower_id == borrower_id)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        )
    )


async def reminders(session: AsyncSession, *, borrower_id: int) -> list[Notification]:
    """The latest pushes the outbox holds for the borrower (reminders and status notices, whatever became of them)."""
    return list(
        await session.scalars(
            select(Notification)
            .where(Notification.borrower_id == borrower_id)
            .order_by(Notification.not_before.desc(), Notification.id.desc())
            .limit(REMINDERS_SHOWN)
        )
    )

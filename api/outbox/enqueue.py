"""Adding a push to the outbox: at most once per dedupe key, and not before the borrower's local daytime."""

from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Borrower, Notification, NotificationKind, NotificationStatus
from api.outbox.daytime import next_daytime


def first_send_moment(borrower: Borrower, now: datetime) -> datetime:
    """When a notification added at `now` may first go out to this borrower."""
    return next_daytime(now, time_zone=borrower.time_zone, start=borrower.daytime_start, end=borrower.daytime_end)


async def enqueue(
    session: AsyncSession,
    *,
    borrower: Borrower,
    kind: NotificationKind,
    dedupe_key: str,
    payload: dict[str, Any],
    now: datetime,
    loan_id: int | None = None,
    due_date: date | None = None,
) -> int | None:
    """Add a notification in the caller's transaction unless its key exists; returns the new id or None.

    INSERT ... ON CONFLICT DO NOTHING, so two writers racing on one key leave exactly one row.
    `payload` must be JSON-safe (money as strings, dates in ISO form).
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Notification)
        .values(
            dedupe_key=dedupe_key,
            borrower_id=borrower.id,
            loan_id=loan_id,
            kind=kind,
            due_date=due_date,
            payload=payload,
            not_before=first_send_moment(borrower, now),
            status=NotificationStatus.PENDING,
            attempts=0,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=[Notification.dedupe_key])
        .returning(Notification.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()

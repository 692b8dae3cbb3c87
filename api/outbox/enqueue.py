"""Adding pushes to the outbox: at most once per dedupe key, and not before the borrower's local daytime."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Borrower, Notification, NotificationKind, NotificationStatus
from api.outbox.daytime import next_daytime


@dataclass(frozen=True)
class Push:
    """A push for the outbox, once per `dedupe_key`. `payload` must be JSON-safe (money as strings, ISO dates)."""

    kind: NotificationKind
    dedupe_key: str
    payload: dict[str, Any]
    loan_id: int | None = None
    #: The date a reminder is about (an installment's, a policy's expiry), for cancelling it once passed.
    due_date: date | None = None


def first_send_moment(borrower: Borrower, now: datetime) -> datetime:
    """When a notification added at `now` may first go out to this borrower."""
    return next_daytime(now, time_zone=borrower.time_zone, start=borrower.daytime_start, end=borrower.daytime_end)


async def enqueue(session: AsyncSession, borrower: Borrower, push: Push, *, now: datetime) -> int | None:
    """Add a push in the caller's transaction unless its key exists; returns the new id or None."""
    added = await enqueue_all(session, [(borrower, push)], now=now)
    return added[0][0] if added else None


async def enqueue_all(
    session: AsyncSession, pushes: Sequence[tuple[Borrower, Push]], *, now: datetime
) -> list[tuple[int, str]]:
    """Add the pushes whose keys do not exist yet, in one statement; the (id, kind) of each row added.

    INSERT ... ON CONFLICT DO NOTHING, so two writers racing on one key leave exactly one row; the rows go in
    key order, so two writers of the same keys take them in the same order and never deadlock.
    """
    if not pushes:
        return []
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {
            "dedupe_key": push.dedupe_key,
            "borrower_id": borrower.id,
            "loan_id": push.loan_id,
            "kind": push.kind,
            "due_date": push.due_date,
            "payload": push.payload,
            "not_before": first_send_moment(borrower, now),
            "status": NotificationStatus.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for borrower, push in sorted(pushes, key=lambda pair: pair[1].dedupe_key)
    ]
    statement = (
        insert(Notification)
        .values(rows)
        .on_conflict_do_nothing(index_elements=[Notification.dedupe_key])
        .returning(Notification.id, Notification.kind)
    )
    return [(row.id, row.kind) for row in await session.execute(statement)]

"""Delivery bookkeeping for the scheduler: claim due rows under a lease, then mark each sent (one at a time or many
in one statement) or failed."""

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import ApiError, not_found
from api.models import Borrower, Notification, NotificationKind, NotificationStatus
from api.models.notification import STATUS_KINDS
from api.outbox.daytime import next_daytime
from api.outbox.unreachable import mark_unreachable

#: After this many attempts a retryable failure is final.
MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 60
BACKOFF_CAP_SECONDS = 3600


async def claim(
    session: AsyncSession, *, limit: int, lease_seconds: int, now: datetime
) -> list[tuple[Notification, Borrower]]:
    """Lease up to `limit` due rows, oldest first, to the caller; returns them with their borrowers.

    Due: pending with `not_before` passed, or claimed with the lease expired before its send started; a
    row whose lease expired on all MAX_ATTEMPTS claims fails instead, so a message that crashes the
    sender cannot loop. Only linked, reachable borrowers; reminders (and the thanks for a payment, which can also
    be turned off on its own) need the borrower's consent at claim time. A row that has waited into the
    borrower's night goes back to wait for the morning. One UPDATE over a CTE that locks with FOR UPDATE SKIP
    LOCKED on PostgreSQL, so concurrent claimers get disjoint rows (SQLite serialises writers, which gives the same).
    """
    await _give_up_on_lost_leases(session, now=now)
    due = or_(
        and_(Notification.status == NotificationStatus.PENDING, Notification.not_before <= now),
        and_(
            Notification.status == NotificationStatus.CLAIMED,
            Notification.claimed_until <= now,
            Notification.send_started_at.is_(None),
        ),
    )
    candidates = (
        select(Notification.id)
        .join(Borrower, Borrower.id == Notification.borrower_id)
        .where(
            due,
            Borrower.telegram_user_id.is_not(None),
            Borrower.unreachable_since.is_(None),
            or_(
                Notification.kind.in_(STATUS_KINDS),
                and_(
                    Borrower.reminders_enabled.is_(True),
                    or_(
                        Notification.kind != NotificationKind.PAYMENT_RECEIVED,
                        Borrower.payment_received_notices.is_(True),
                    ),
                ),
            ),
        )
        .order_by(Notification.not_before, Notification.id)
        .limit(limit)
        .with_for_update(of=Notification, skip_locked=True)
        .cte("candidates")
    )
    claimed = (
        await session.scalars(
            update(Notification)
            .where(Notification.id.in_(select(candidates.c.id)))
            .values(
                status=NotificationStatus.CLAIMED,
                claimed_until=now + timedelta(seconds=lease_seconds),
                attempts=Notification.attempts + 1,
            )
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    rows = (
        await session.execute(
            select(Notification, Borrower)
            .join(Borrower, Borrower.id == Notification.borrower_id)
            .where(Notification.id.in_(claimed))
            .order_by(Notification.not_before, Notification.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    leased = [
        (notification, borrower)
        for notification, borrower in rows
        if not _wait_for_morning(notification, borrower, now)
    ]
    await session.commit()
    return leased


def _wait_for_morning(notification: Notification, borrower: Borrower, now: datetime) -> bool:
    """Put a claimed row back until the borrower's daytime if it is night for them now; True if it was put back."""
    morning = next_daytime(now, time_zone=borrower.time_zone, start=borrower.daytime_start, end=borrower.daytime_end)
    if morning <= now:
        return False
    notification.status = NotificationStatus.PENDING
    notification.not_before = morning
    notification.claimed_until = None
    notification.attempts -= 1
    return True


async def release(session: AsyncSession, *, claims: list[tuple[int, int]]) -> int:
    """Hand back claimed rows whose send has not started, as (id, attempt) of their claim: due again at once for
    any claimer, the claim's attempt not counted. A row claimed again since, started, or already reported is left
    as it is, so a repeated or late release changes nothing. How many were handed back."""
    released = 0
    for notification_id, attempt in claims:
        handed_back = await session.scalar(
            update(Notification)
            .where(
                Notification.id == notification_id,
                Notification.status == NotificationStatus.CLAIMED,
                Notification.attempts == attempt,
                Notification.send_started_at.is_(None),
            )
            .values(status=NotificationStatus.PENDING, claimed_until=None, attempts=Notification.attempts - 1)
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        )
        released += handed_back is not None
    await session.commit()
    return released


#: Why a row whose send was cut short is not sent again.
UNCONFIRMED = "Unconfirmed: the sender stopped during the send; not repeated, so it cannot arrive twice."


async def _give_up_on_lost_leases(session: AsyncSession, *, now: datetime) -> None:
    """Fail rows whose lease expired with no result reported: after MAX_ATTEMPTS claims, or once a send started."""
    for reason, lost in (
        (UNCONFIRMED, Notification.send_started_at.is_not(None)),
        ("Given up: no result was reported for any attempt.", Notification.attempts >= MAX_ATTEMPTS),
    ):
        candidates = (
            select(Notification.id)
            .where(Notification.status == NotificationStatus.CLAIMED, Notification.claimed_until <= now, lost)
            .with_for_update(skip_locked=True)
            .cte("lost")
        )
        await session.execute(
            update(Notification)
            .where(Notification.id.in_(select(candidates.c.id)))
            .values(status=NotificationStatus.FAILED, claimed_until=None, last_error=reason)
            .execution_options(synchronize_session=False)
        )


async def _release(session: AsyncSession, notification_id: int, **values: object) -> tuple[Notification, bool]:
    """Apply `values` to the row if it is claimed (the UPDATE guards against racing marks); 404 if unknown.

    Returns the row and whether it was claimed.
    """
    released = await session.scalar(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == NotificationStatus.CLAIMED)
        .values(claimed_until=None, **values)
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    notification = await session.get(Notification, notification_id, populate_existing=True)
    if notification is None:
        raise not_found("notification")
    return notification, released is not None


def _not_claimed(notification: Notification) -> ApiError:
    return ApiError(
        409, "notification_not_claimed", "The notification is not claimed.", current_status=notification.status.value
    )


async def mark_sending(session: AsyncSession, *, notification_id: int, attempt: int, now: datetime) -> Notification:
    """Record that the send of claim number `attempt` starts now, while its lease holds; repeating it is harmless.

    The sender calls Telegram only after this succeeds. The attempt fences off a sender whose lease
    lapsed and was claimed again, so of two senders holding one row at most one sends; a lease that
    lapses after this is never claimed again.
    """
    started = await session.scalar(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == NotificationStatus.CLAIMED,
            Notification.attempts == attempt,
            Notification.send_started_at.is_(None),
            Notification.claimed_until > now,
        )
        .values(send_started_at=now)
        .returning(Notification)  # the row as it now is: one statement for the usual case
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    if started is not None:
        await session.commit()
        return started
    notification = await session.get(Notification, notification_id, populate_existing=True)
    if notification is None:
        raise not_found("notification")
    repeated = (
        notification.status is NotificationStatus.CLAIMED
        and notification.attempts == attempt
        and notification.send_started_at is not None
    )
    if not repeated:
        raise ApiError(
            409,
            "send_not_allowed",
            "The notification is not claimed by this attempt, or its lease has expired.",
            current_status=notification.status.value,
        )
    await session.commit()
    return notification


async def mark_sent(session: AsyncSession, *, notification_id: int, now: datetime) -> Notification:
    """Record delivery; marking a sent row again changes nothing."""
    notification, claimed = await _release(session, notification_id, status=NotificationStatus.SENT, sent_at=now)
    if not claimed and notification.status is not NotificationStatus.SENT:
        raise _not_claimed(notification)
    await session.commit()
    return notification


async def mark_sent_many(
    session: AsyncSession, *, notification_ids: list[int], now: datetime
) -> tuple[list[int], list[int]]:
    """Record the delivery of many rows in one statement, under the rule of `mark_sent` for each: a claimed row
    becomes sent, a sent one stays as it was (so a repeated report changes nothing), any other is refused and left.
    Returns the ids now sent (marked here or before) and the ids refused (not claimed, or unknown), each ascending."""
    ids = sorted(set(notification_ids))
    marked = set(
        (
            await session.scalars(
                update(Notification)
                .where(Notification.id.in_(ids), Notification.status == NotificationStatus.CLAIMED)
                .values(status=NotificationStatus.SENT, sent_at=now, claimed_until=None)
                .returning(Notification.id)
                .execution_options(synchronize_session=False)
            )
        ).all()
    )
    others = [notification_id for notification_id in ids if notification_id not in marked]
    before = set()
    if others:
        before = set(
            (
                await session.scalars(
                    select(Notification.id).where(
                        Notification.id.in_(others), Notification.status == NotificationStatus.SENT
                    )
                )
            ).all()
        )
    await session.commit()
    return sorted(marked | before), [notification_id for notification_id in others if notification_id not in before]


def backoff_seconds(attempts: int) -> int:
    """Exponential back-off by attempts so far: 1, 2, 4 … minutes, at most an hour."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)


async def mark_failed(
    session: AsyncSession,
    *,
    notification_id: int,
    error: str,
    retry_after_seconds: int | None,
    permanent: bool,
    unreachable: bool,
    now: datetime,
) -> Notification:
    """Record a failed send: retry later, give up, or (the bot was blocked) mark the borrower unreachable.

    An unreachable borrower's other pending rows are cancelled; linking again makes them reachable.
    """
    notification, claimed = await _release(session, notification_id, last_error=error, send_started_at=None)
    if not claimed:
        raise _not_claimed(notification)
    borrower = await session.get(Borrower, notification.borrower_id)
    if unreachable:
        notification.status = NotificationStatus.FAILED
        await mark_unreachable(session, borrower=borrower, actor="scheduler", now=now)
    elif permanent or notification.attempts >= MAX_ATTEMPTS:
        notification.status = NotificationStatus.FAILED
    else:
        delay = retry_after_seconds or backoff_seconds(notification.attempts)
        notification.status = NotificationStatus.PENDING
        notification.not_before = next_daytime(
            now + timedelta(seconds=delay),
            time_zone=borrower.time_zone,
            start=borrower.daytime_start,
            end=borrower.daytime_end,
        )
    await session.commit()
    return notification


async def stats(session: AsyncSession, *, now: datetime) -> dict[str, int]:
    """Rows per status, how many pending rows are due now, and how many failed with their send unconfirmed."""
    counts = {status.value: 0 for status in NotificationStatus}
    for status, count in await session.execute(select(Notification.status, func.count()).group_by(Notification.status)):
        counts[status.value] = count
    counts["due_now"] = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.status == NotificationStatus.PENDING, Notification.not_before <= now)
    )
    counts["unconfirmed"] = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.status == NotificationStatus.FAILED, Notification.last_error == UNCONFIRMED)
    )
    return counts

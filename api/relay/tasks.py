"""The bot's tasks for what the console did on a case (a reply to deliver and mirror, a take, a close): claimed under
a lease, a case's tasks one at a time in order, each step reported, so a bot that restarts mid-delivery neither
repeats what reached the borrower nor loses what did not start."""

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.errors import ApiError, not_found
from api.models import CaseMessage, RelayTask, RelayTaskKind, RelayTaskStatus
from api.relay import service

#: After this many claims without a result a task fails (a task that crashes the bot cannot loop).
MAX_ATTEMPTS = 10
#: Why a task whose send to the borrower was cut short is not sent again.
UNCONFIRMED = "Unconfirmed: the bot stopped while sending to the borrower; not repeated, so it cannot arrive twice."
UNFINISHED = (RelayTaskStatus.PENDING, RelayTaskStatus.CLAIMED)


def add(
    session: AsyncSession, *, case_id: int, kind: RelayTaskKind, staff_id: int | None, message_id: int | None = None
) -> RelayTask:
    """A task in the caller's transaction: it exists exactly when the change that asks for it commits."""
    task = RelayTask(
        case_id=case_id, kind=kind, staff_id=staff_id, message_id=message_id, status=RelayTaskStatus.PENDING, attempts=0
    )
    session.add(task)
    return task


async def _give_up(session: AsyncSession, *, now: datetime) -> None:
    """Fail leases that lapsed with the borrower's send started and unconfirmed, or after MAX_ATTEMPTS claims."""
    lapsed = and_(RelayTask.status == RelayTaskStatus.CLAIMED, RelayTask.claimed_until <= now)
    for reason, lost in (
        (UNCONFIRMED, and_(RelayTask.send_started_at.is_not(None), RelayTask.delivered_at.is_(None))),
        ("Given up: no result was reported for any attempt.", RelayTask.attempts >= MAX_ATTEMPTS),
    ):
        await session.execute(
            update(RelayTask)
            .where(lapsed, lost)
            .values(status=RelayTaskStatus.FAILED, claimed_until=None, last_error=reason)
            .execution_options(synchronize_session=False)
        )


async def claim(session: AsyncSession, *, limit: int, lease_seconds: int, now: datetime) -> list[RelayTask]:
    """Lease up to `limit` due tasks, oldest first: pending ones, and claimed ones whose lease lapsed (those already
    delivered then only need their mirror in the topic). A task waits while an earlier one of its case is
    unfinished, so a reply is never overtaken by the close after it. FOR UPDATE SKIP LOCKED on PostgreSQL keeps
    two claimers' tasks apart (SQLite serialises writers)."""
    await _give_up(session, now=now)
    earlier = aliased(RelayTask)
    waiting = exists().where(
        earlier.case_id == RelayTask.case_id, earlier.id < RelayTask.id, earlier.status.in_(UNFINISHED)
    )
    due = or_(
        RelayTask.status == RelayTaskStatus.PENDING,
        and_(RelayTask.status == RelayTaskStatus.CLAIMED, RelayTask.claimed_until <= now),
    )
    candidates = (
        select(RelayTask.id)
        .where(due, ~waiting)
        .order_by(RelayTask.id)
        .limit(limit)
        .with_for_update(of=RelayTask, skip_locked=True)
        .cte("candidates")
    )
    claimed = (
        await session.scalars(
            update(RelayTask)
            .where(RelayTask.id.in_(select(candidates.c.id)))
            .values(
                status=RelayTaskStatus.CLAIMED,
                claimed_until=now + timedelta(seconds=lease_seconds),
                attempts=RelayTask.attempts + 1,
            )
            .returning(RelayTask.id)
            .execution_options(synchronize_session=False)
        )
    ).all()
    tasks = (
        await session.scalars(
            select(RelayTask)
            .where(RelayTask.id.in_(claimed))
            .order_by(RelayTask.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    await session.commit()
    return list(tasks)


async def _current(session: AsyncSession, task_id: int) -> RelayTask:
    """The task as it is now (after the caller's conditional update); 404 if unknown."""
    task = await session.get(RelayTask, task_id, populate_existing=True)
    if task is None:
        raise not_found("relay_task")
    return task


def _refused(task: RelayTask, code: str, message: str) -> ApiError:
    return ApiError(409, code, message, current_status=task.status.value)


def _this_claim(task_id: int, attempt: int):
    return and_(RelayTask.id == task_id, RelayTask.status == RelayTaskStatus.CLAIMED, RelayTask.attempts == attempt)


async def _apply(session: AsyncSession, guard, **values) -> bool:
    changed = await session.scalar(
        update(RelayTask)
        .where(guard)
        .values(**values)
        .returning(RelayTask.id)
        .execution_options(synchronize_session=False)
    )
    return changed is not None


async def mark_sending(session: AsyncSession, *, task_id: int, attempt: int, now: datetime) -> RelayTask:
    """The send to the borrower starts now, while claim `attempt` holds its lease; the bot sends only after this.
    Repeating it is harmless; once started, a lapsed lease is never sent again."""
    guard = and_(
        _this_claim(task_id, attempt),
        RelayTask.send_started_at.is_(None),
        RelayTask.delivered_at.is_(None),
        RelayTask.claimed_until > now,
    )
    started = await _apply(session, guard, send_started_at=now)
    task = await _current(session, task_id)
    repeated = task.status is RelayTaskStatus.CLAIMED and task.attempts == attempt and task.send_started_at
    if not started and not (repeated and task.delivered_at is None):
        raise _refused(task, "send_not_allowed", "Not claimed by this attempt, already delivered, or the lease lapsed.")
    await session.commit()
    return task


async def mark_unsent(
    session: AsyncSession, *, task_id: int, attempt: int, error: str, retry_after: int, now: datetime
) -> RelayTask:
    """Telegram answered that the send failed on its side (a 5xx): nothing reached the chat, so the start mark is
    taken back and the task is claimed again, by any bot, once `retry_after` seconds have passed (its lease cut to
    them). The case's later tasks wait behind it, so its order holds; each such claim counts toward MAX_ATTEMPTS."""
    guard = and_(_this_claim(task_id, attempt), RelayTask.delivered_at.is_(None))
    released = await _apply(
        session,
        guard,
        send_started_at=None,
        claimed_until=now + timedelta(seconds=retry_after),
        last_error=error,
    )
    task = await _current(session, task_id)
    if not released:
        raise _refused(task, "task_not_claimed", "The task is not claimed by this attempt, or it was delivered.")
    await session.commit()
    return task


async def mark_delivered(
    session: AsyncSession,
    *,
    task_id: int,
    attempt: int,
    borrower_message_id: int | None,
    file_id: str | None,
    now: datetime,
) -> RelayTask:
    """The borrower's chat has it (with Telegram's id for the reply's file, kept in the transcript)."""
    guard = and_(_this_claim(task_id, attempt), RelayTask.delivered_at.is_(None))
    delivered = await _apply(session, guard, delivered_at=now, borrower_message_id=borrower_message_id)
    task = await _current(session, task_id)
    if not delivered and task.delivered_at is None:
        raise _refused(task, "task_not_claimed", "The task is not claimed by this attempt.")
    if delivered and file_id and task.message_id is not None:
        message = await session.get(CaseMessage, task.message_id)
        message.file_id = file_id
    await session.commit()
    return task


async def mark_done(session: AsyncSession, *, task_id: int, attempt: int, now: datetime) -> RelayTask:
    """Everything is carried out (the topic told too, when there is one); repeating it changes nothing."""
    done = await _apply(
        session, _this_claim(task_id, attempt), status=RelayTaskStatus.DONE, done_at=now, claimed_until=None
    )
    task = await _current(session, task_id)
    if not done and task.status is not RelayTaskStatus.DONE:
        raise _refused(task, "task_not_claimed", "The task is not claimed by this attempt.")
    await session.commit()
    return task


async def mark_failed(
    session: AsyncSession, *, task_id: int, attempt: int, error: str, blocked: bool, now: datetime
) -> RelayTask:
    """The task cannot be carried out; when the borrower blocked the bot the case is closed and they are unreachable."""
    failed = await _apply(
        session, _this_claim(task_id, attempt), status=RelayTaskStatus.FAILED, claimed_until=None, last_error=error
    )
    task = await _current(session, task_id)
    if not failed:
        raise _refused(task, "task_not_claimed", "The task is not claimed by this attempt.")
    if blocked:
        await service.close(session, case_id=task.case_id, staff=None, blocked=True, now=now)
    await session.commit()
    return task

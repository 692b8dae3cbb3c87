"""Planning reminders: payment due dates, overdue episodes and insurance expiry, for borrowers who agreed."""

import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from api.errors import ApiError
from api.loans.state import load_state, local_date
from api.models import (
    Borrower,
    InsurancePolicy,
    Loan,
    LoanStatus,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from api.outbox.due_window import ALL_DAYS, payment_days_between
from api.outbox.enqueue import enqueue, first_send_moment
from api.outbox.kinds import REMINDER_KINDS
from api.outbox.reminders import (
    INSURANCE_DAYS_BEFORE,
    PlanningDay,
    Reminder,
    insurance_reminder,
    payment_reminders,
)
from api.preferences.schemas import MAX_DAYS_AHEAD

log = logging.getLogger(__name__)

#: How far back a catch-up run may start.
MAX_CATCH_UP_DAYS = 31
BATCH = 200
#: Local dates differ from the UTC date by at most a day (UTC−12 … UTC+14).
ZONE_SPREAD = timedelta(days=1)
INSURANCE_HORIZON = timedelta(days=max(INSURANCE_DAYS_BEFORE))
_TALLIES = ["expired", "loans_checked", "loans_failed"]

_REACHABLE = and_(
    Borrower.telegram_user_id.is_not(None),
    Borrower.reminders_enabled.is_(True),
    Borrower.unreachable_since.is_(None),
)


def check_since(since: date | None, *, now: datetime) -> None:
    today = now.astimezone(UTC).date()
    if since is not None and not today - timedelta(days=MAX_CATCH_UP_DAYS) <= since <= today + ZONE_SPREAD:
        raise ApiError(
            422,
            "since_out_of_range",
            f"since must be a date within the last {MAX_CATCH_UP_DAYS} days and not in the future.",
        )


async def plan(session: AsyncSession, *, now: datetime, since: date | None = None) -> Counter[str]:
    """Enqueue every reminder due by now (catching up from `since`); counts rows added per kind.

    Reminders of dates already passed are cancelled first. A loan whose records do not add up is
    skipped and counted, so one bad loan never stops the run.
    """
    check_since(since, now=now)
    counts: Counter[str] = Counter(dict.fromkeys([kind.value for kind in REMINDER_KINDS] + _TALLIES, 0))
    counts["expired"] = await _expire_passed(session, now=now)
    utc_today = now.astimezone(UTC).date()
    earliest_today = utc_today - ZONE_SPREAD
    first = min(since or earliest_today, earliest_today) - timedelta(days=1)  # yesterday's dues start arrears
    last = utc_today + ZONE_SPREAD + timedelta(days=MAX_DAYS_AHEAD)
    async for loan, borrower in _batches(session, _candidate_loans(first, last), Loan.id):
        counts["loans_checked"] += 1
        try:
            state = await load_state(session, loan)
        except ApiError as exc:
            counts["loans_failed"] += 1
            log.warning("reminders skipped for loan %s: %s", loan.id, exc.code)
            continue
        day = _planning_day(borrower, now=now, since=since)
        reminders = payment_reminders(state, days_before=_days_before(borrower), day=day)
        await _enqueue_all(session, counts, borrower, reminders, now=now)
    expiring = _expiring_policies(earliest_today, last=utc_today + ZONE_SPREAD + INSURANCE_HORIZON)
    async for policy, borrower in _batches(session, expiring, InsurancePolicy.id):
        reminder = insurance_reminder(policy, day=_planning_day(borrower, now=now, since=since))
        await _enqueue_all(session, counts, borrower, [reminder] if reminder else [], now=now)
    return counts


def _planning_day(borrower: Borrower, *, now: datetime, since: date | None) -> PlanningDay:
    today = local_date(now, borrower.time_zone)
    send_date = local_date(first_send_moment(borrower, now), borrower.time_zone)
    return PlanningDay(today=today, since=since or today, send_date=send_date)


def _days_before(borrower: Borrower) -> frozenset[int]:
    """The borrower's reminder days plus the due day itself."""
    chosen = borrower.reminder_days_ahead or []
    return frozenset(d for d in chosen if isinstance(d, int) and 0 < d <= MAX_DAYS_AHEAD) | {0}


async def _enqueue_all(
    session: AsyncSession, counts: Counter[str], borrower: Borrower, reminders: list[Reminder], *, now: datetime
) -> None:
    for reminder in reminders:
        added = await enqueue(
            session,
            borrower=borrower,
            kind=reminder.kind,
            dedupe_key=reminder.dedupe_key,
            payload=reminder.payload,
            now=now,
            loan_id=reminder.payload["loan_id"],
            due_date=reminder.due_date,
        )
        counts[reminder.kind.value] += added is not None


async def _expire_passed(session: AsyncSession, *, now: datetime) -> int:
    """Cancel pending reminders of a date that has passed everywhere (for instance after reminders were off)."""
    passed = now.astimezone(UTC).date() - ZONE_SPREAD
    result = await session.execute(
        update(Notification)
        .where(
            Notification.status == NotificationStatus.PENDING,
            Notification.kind.in_((NotificationKind.PAYMENT_DUE, NotificationKind.INSURANCE_EXPIRY)),
            Notification.due_date < passed,
        )
        .values(status=NotificationStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return result.rowcount


def _candidate_loans(first: date, last: date) -> Select[Any]:
    """Active loans of reachable borrowers with a due date that can fall in [first, last]."""
    days = payment_days_between(first, last)
    on_day = true() if days == ALL_DAYS else Loan.payment_day.in_(sorted(days))
    return (
        select(Loan, Borrower)
        .join(Borrower, Borrower.id == Loan.borrower_id)
        .where(
            Loan.status == LoanStatus.ACTIVE,
            _REACHABLE,
            or_(on_day, Loan.first_payment_date.between(first, last)),
        )
    )


def _expiring_policies(first: date, *, last: date) -> Select[Any]:
    """Policies on active loans of reachable borrowers expiring in [first, last] and not yet renewed."""
    later = aliased(InsurancePolicy)
    renewed = exists().where(
        later.loan_id == InsurancePolicy.loan_id,
        later.kind == InsurancePolicy.kind,
        later.expires_on > InsurancePolicy.expires_on,
    )
    return (
        select(InsurancePolicy, Borrower)
        .join(Loan, Loan.id == InsurancePolicy.loan_id)
        .join(Borrower, Borrower.id == Loan.borrower_id)
        .where(
            Loan.status == LoanStatus.ACTIVE,
            _REACHABLE,
            InsurancePolicy.expires_on.between(first, last),
            ~renewed,
        )
    )


async def _batches(session: AsyncSession, statement: Select[Any], key: Any) -> AsyncIterator[Any]:
    """Rows of `statement` in key order, a batch at a time; each batch's reminders commit together.

    The session is emptied between batches so a run over many loans holds one batch in memory.
    """
    after = 0
    while True:
        rows = (await session.execute(statement.where(key > after).order_by(key).limit(BATCH))).all()
        for row in rows:
            yield row
        await session.commit()
        if len(rows) < BATCH:
            return
        after = rows[-1][0].id
        session.expunge_all()

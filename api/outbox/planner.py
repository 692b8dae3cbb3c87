"""Planning reminders: payment due dates, overdue episodes and insurance expiry, for borrowers who agreed."""

import logging
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, and_, exists, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.clock import local_date
from api.errors import ApiError
from api.loans.state import load_records, state_of
from api.models import (
    Borrower,
    InsurancePolicy,
    Loan,
    LoanStatus,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from api.models.notification import REMINDER_KINDS
from api.outbox import payment_received
from api.outbox.due_window import ALL_DAYS, payment_days_between
from api.outbox.enqueue import enqueue_all, first_send_moment
from api.outbox.reminders import (
    INSURANCE_DAYS_BEFORE,
    PlanningDay,
    insurance_reminder,
    next_look,
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

    Reminders of dates already passed are cancelled first. A regular run looks only at loans whose next look has
    come (the day of their next reminder, noted when they were last looked at); a catch-up run looks at every loan
    with a date in the missed days. A loan whose records do not add up is skipped and counted, so one bad loan never
    stops the run.
    """
    check_since(since, now=now)
    counts: Counter[str] = Counter(dict.fromkeys([kind.value for kind in REMINDER_KINDS] + _TALLIES, 0))
    counts["expired"] = await _expire_passed(session, now=now)
    if since is None:
        loan_ids = await due_loans(session, now=now)
    else:
        loan_ids = await _catch_up_loans(session, since=since, now=now)
    for start in range(0, len(loan_ids), BATCH):
        await plan_loans(session, counts, loan_ids[start : start + BATCH], now=now, since=since)
        await session.commit()
        session.expunge_all()
    return counts


async def due_loans(session: AsyncSession, *, now: datetime) -> list[int]:
    """Ids of the active loans of reachable borrowers the planner is to look at on the borrower's local today."""
    by_date = await zones_by_date(session, now=now)
    if not by_date:
        return []
    return list(await session.scalars(due_loans_query(by_date)))


async def zones_by_date(session: AsyncSession, *, now: datetime) -> dict[date, list[str]]:
    """The reachable borrowers' time zones grouped by their local date at `now`."""
    zones = await session.scalars(select(Borrower.time_zone).where(_REACHABLE).distinct())
    by_date: dict[date, list[str]] = defaultdict(list)
    for zone in zones:
        by_date[local_date(now, zone)].append(zone)
    return by_date


def due_loans_query(by_date: dict[date, list[str]]) -> Select[tuple[int]]:
    """The loans whose next look (`Loan.reminders_next_on`) has come in their borrower's zone, or was cleared."""
    came = [
        and_(Loan.reminders_next_on <= today, Borrower.time_zone.in_(sorted(zones)))
        for today, zones in sorted(by_date.items())
    ]
    return _active_loans().where(or_(Loan.reminders_next_on.is_(None), *came)).order_by(Loan.id)


async def _catch_up_loans(session: AsyncSession, *, since: date, now: datetime) -> list[int]:
    """Ids of the active loans of reachable borrowers with a date that can need a reminder from `since` to now."""
    utc_today = now.astimezone(UTC).date()
    first = since - ZONE_SPREAD - timedelta(days=1)  # the day before a due date starts arrears
    last = utc_today + ZONE_SPREAD + timedelta(days=MAX_DAYS_AHEAD)
    days = payment_days_between(first, last)
    on_day = true() if days == ALL_DAYS else Loan.payment_day.in_(sorted(days))
    expiring = exists().where(
        InsurancePolicy.loan_id == Loan.id,
        InsurancePolicy.expires_on.between(first, utc_today + ZONE_SPREAD + INSURANCE_HORIZON),
    )
    statement = _active_loans().where(or_(on_day, Loan.first_payment_date.between(first, last), expiring))
    return list(await session.scalars(statement.order_by(Loan.id)))


def _active_loans() -> Select[tuple[int]]:
    return (
        select(Loan.id)
        .join(Borrower, Borrower.id == Loan.borrower_id)
        .where(Loan.status == LoanStatus.ACTIVE, _REACHABLE)
    )


async def plan_loans(
    session: AsyncSession, counts: Counter[str], loan_ids: list[int], *, now: datetime, since: date | None
) -> None:
    """Plan the reminders of these loans and note on each the day to look at it again.

    The loans' rows stay locked (on PostgreSQL) until the caller commits, so a change that clears a loan's next
    look while it is planned waits, and clears the look this plan notes rather than being overwritten by it.
    """
    rows = (
        await session.execute(
            select(Loan, Borrower)
            .join(Borrower, Borrower.id == Loan.borrower_id)
            .where(Loan.id.in_(loan_ids))
            .order_by(Loan.id)  # locks taken in one order, so two planners never deadlock
            .with_for_update(of=Loan)
        )
    ).all()
    records = await load_records(session, loan_ids)
    policies = await _current_policies(session, loan_ids)
    pushes, next_looks = [], []
    for loan, borrower in rows:
        counts["loans_checked"] += 1
        day = _planning_day(borrower, now=now, since=since)
        days_before = _days_before(borrower)
        current = policies.get(loan.id, [])
        reminders = [reminder for policy in current if (reminder := insurance_reminder(policy, day=day)) is not None]
        try:
            state = state_of(loan, records[loan.id])
        except ApiError as exc:
            counts["loans_failed"] += 1
            log.warning("reminders skipped for loan %s: %s", loan.id, exc.code)
            look = day.today + timedelta(days=1)
        else:
            reminders = payment_reminders(state, days_before=days_before, day=day) + reminders
            look = next_look(state.schedule.installments, current, days_before=days_before, today=day.today)
        pushes += [(borrower, reminder) for reminder in reminders]
        next_looks.append({"id": loan.id, "reminders_next_on": look})
    for _, kind in await enqueue_all(session, pushes, now=now):
        counts[NotificationKind(kind).value] += 1
    if next_looks:
        await session.execute(update(Loan), next_looks)


async def _current_policies(session: AsyncSession, loan_ids: list[int]) -> dict[int, list[InsurancePolicy]]:
    """Per loan, the latest policy of each kind in the order they were loaded: an earlier one was renewed."""
    policies = await session.scalars(
        select(InsurancePolicy)
        .where(InsurancePolicy.loan_id.in_(loan_ids))
        .order_by(InsurancePolicy.expires_on, InsurancePolicy.id)
    )
    latest = {(policy.loan_id, policy.kind): policy for policy in policies}
    current: dict[int, list[InsurancePolicy]] = defaultdict(list)
    for policy in sorted(latest.values(), key=lambda policy: policy.id):
        current[policy.loan_id].append(policy)
    return current


def _planning_day(borrower: Borrower, *, now: datetime, since: date | None) -> PlanningDay:
    today = local_date(now, borrower.time_zone)
    send_date = local_date(first_send_moment(borrower, now), borrower.time_zone)
    return PlanningDay(today=today, since=since or today, send_date=send_date)


def _days_before(borrower: Borrower) -> frozenset[int]:
    """The borrower's reminder days plus the due day itself."""
    chosen = borrower.reminder_days_ahead or []
    return frozenset(d for d in chosen if isinstance(d, int) and 0 < d <= MAX_DAYS_AHEAD) | {0}


async def _expire_passed(session: AsyncSession, *, now: datetime) -> int:
    """Cancel pending reminders of a date that has passed everywhere (for instance after reminders were off), and
    thanks for a payment that have waited longer than a payment stays news: they are not sent late."""
    passed = now.astimezone(UTC).date() - ZONE_SPREAD
    result = await session.execute(
        update(Notification)
        .where(
            Notification.status == NotificationStatus.PENDING,
            or_(
                and_(
                    Notification.kind.in_((NotificationKind.PAYMENT_DUE, NotificationKind.INSURANCE_EXPIRY)),
                    Notification.due_date < passed,
                ),
                and_(
                    Notification.kind == NotificationKind.PAYMENT_RECEIVED,
                    Notification.created_at < now - timedelta(days=payment_received.NEWS_DAYS),
                ),
            ),
        )
        .values(status=NotificationStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return result.rowcount

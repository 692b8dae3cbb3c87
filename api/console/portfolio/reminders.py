"""Reminders by the week they were due to go out: how many were planned and what became of them.

Planned is every reminder row of the week (payment due, overdue, insurance expiry). Each ends in one outcome:
sent; waiting (still pending or being sent); failed (the send was tried and given up); undeliverable (not
delivered, failed or never tried, to a borrower who is unreachable now: they blocked the bot); not sent (cancelled
for another reason: its date passed while it waited, say with reminders turned off).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.portfolio.period import Period
from api.models import Borrower, Notification, NotificationStatus
from api.models.notification import REMINDER_KINDS


class Outcome(StrEnum):
    SENT = "sent"
    WAITING = "waiting"
    FAILED = "failed"
    UNDELIVERABLE = "undeliverable"
    NOT_SENT = "not_sent"


@dataclass(frozen=True)
class ReminderWeek:
    week: date
    outcomes: dict[Outcome, int]

    @property
    def planned(self) -> int:
        return sum(self.outcomes.values())


def _outcome():
    unreachable = Borrower.unreachable_since.is_not(None)
    return case(
        (Notification.status == NotificationStatus.SENT, Outcome.SENT.value),
        (Notification.status.in_((NotificationStatus.PENDING, NotificationStatus.CLAIMED)), Outcome.WAITING.value),
        (unreachable, Outcome.UNDELIVERABLE.value),
        (Notification.status == NotificationStatus.FAILED, Outcome.FAILED.value),
        else_=Outcome.NOT_SENT.value,
    )


async def weekly_reminders(session: AsyncSession, period: Period) -> list[ReminderWeek]:
    """Every week of the period, with a count for every outcome (zero included)."""
    rows = (
        select(period.week_index(Notification.not_before).label("week"), _outcome().label("outcome"))
        .join(Borrower, Borrower.id == Notification.borrower_id)
        .where(Notification.kind.in_(REMINDER_KINDS), period.covers(Notification.not_before))
        .subquery()
    )
    counts: dict[int, dict[Outcome, int]] = {index: dict.fromkeys(Outcome, 0) for index in range(len(period.weeks))}
    for week, outcome, count in await session.execute(
        select(rows.c.week, rows.c.outcome, func.count()).group_by(rows.c.week, rows.c.outcome)
    ):
        counts[week][Outcome(outcome)] = count
    return [ReminderWeek(monday, counts[index]) for index, monday in enumerate(period.weeks)]

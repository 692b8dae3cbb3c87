"""Putting a loan's reminders up for planning again when what they were planned from changes.

The planner notes on each loan the local date it needs to look at it again (`Loan.reminders_next_on`) and passes
over it until then. The services that change what a reminder depends on call these in their transaction:

- `replan_borrower`: the borrower's link, consent, days, hours, time zone or reachability changed; their loans are
  looked at on the next run (linking, unlinking, settings, a blocked bot, the integration upsert and the import);
- `replan_loan`: the loan itself or its payments, policies or granted holiday changed; it is looked at on the next
  run, and its reminders still waiting in the outbox (not yet claimed) are withdrawn, so the next run plans them
  afresh from the new figures: no "payment due" after the payment came in, no stale amount, no expiry notice for a
  renewed policy (the integration upserts and the import, a staff member's holiday or policy decision). It also
  draws the loan's `records_version` anew, so every backend process reads its records afresh (api/loans/state.py).

Replanning too often only costs a loan one more look. In dev and test mode the sessions check that no change to
what reminders depend on is committed without one of these (`api/outbox/replanning_check.py`).
"""

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Loan, Notification, NotificationStatus
from api.models.loan import new_records_version
from api.models.notification import REMINDER_KINDS

#: The borrower's fields the planner reads: a change to one calls for `replan_borrower`.
PLANNING_FIELDS = frozenset(
    {
        "telegram_user_id",
        "reminders_enabled",
        "reminder_days_ahead",
        "time_zone",
        "daytime_start",
        "daytime_end",
        "unreachable_since",
    }
)
#: session.info key: what this session's transaction has replanned, ("loan", id) and ("borrower", id).
REPLANNED = "replanned"


def replanned(session: AsyncSession) -> set[tuple[str, int]]:
    return session.info.setdefault(REPLANNED, set())


async def replan_borrower(session: AsyncSession, borrower_id: int) -> None:
    """Look at every loan of the borrower on the next run."""
    await session.execute(
        update(Loan)
        .where(Loan.borrower_id == borrower_id)
        .values(reminders_next_on=None)
        .execution_options(synchronize_session=False)
    )
    replanned(session).add(("borrower", borrower_id))


async def replan_loan(session: AsyncSession, loan_id: int) -> None:
    """Look at the loan on the next run, withdraw its reminders still waiting to be claimed, and draw its records
    version anew (the records any process keeps for the loan are stale from this transaction's commit)."""
    await session.execute(
        update(Loan)
        .where(Loan.id == loan_id)
        .values(reminders_next_on=None, records_version=new_records_version())
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(Notification)
        .where(
            Notification.loan_id == loan_id,
            Notification.status == NotificationStatus.PENDING,
            Notification.kind.in_(REMINDER_KINDS),
        )
        .execution_options(synchronize_session=False)
    )
    replanned(session).add(("loan", loan_id))

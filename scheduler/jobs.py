"""The scheduler's persistent jobs (kept in its SQLAlchemy job store, so a restart keeps their timing): planning
the reminders, and a count of the outbox for the log. Jobs name their backend by a key, since a job store keeps
only what it can pickle."""

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.backend import BackendClient, BackendError, BackendUnavailable

log = logging.getLogger(__name__)
#: The backend clients jobs use, by key; the runner registers its own while it leads.
BACKENDS: dict[str, BackendClient] = {}
COUNT_EVERY_SECONDS = 60


async def plan_reminders(key: str) -> None:
    """Ask the backend to plan every reminder due by now; it adds each one once per key."""
    try:
        tally = await BACKENDS[key].plan_reminders()
    except (BackendUnavailable, BackendError) as exc:
        log.warning("planning reminders failed: %s; the next run tries again", type(exc).__name__)
        return
    log.info(
        "planned reminders: %d payment, %d overdue, %d insurance; %d loans checked, %d skipped",
        tally.payment_due,
        tally.payment_overdue,
        tally.insurance_expiry,
        tally.loans_checked,
        tally.loans_failed,
    )


async def count_outbox(key: str) -> None:
    try:
        counts = await BACKENDS[key].outbox_counts()
    except (BackendUnavailable, BackendError):
        return
    log.info(
        "outbox: %d due now, %d pending, %d claimed, %d sent, %d failed (%d unconfirmed)",
        counts.due_now,
        counts.pending,
        counts.claimed,
        counts.sent,
        counts.failed,
        counts.unconfirmed,
    )


def install(jobs: AsyncIOScheduler, key: str, *, plan_every_seconds: int) -> None:
    """Add (or replace) the jobs; planning runs at once, then every `plan_every_seconds`."""
    common = {"args": [key], "replace_existing": True, "coalesce": True, "max_instances": 1}
    jobs.add_job(
        "scheduler.jobs:plan_reminders",
        "interval",
        seconds=plan_every_seconds,
        id="plan-reminders",
        next_run_time=datetime.now(UTC),
        misfire_grace_time=plan_every_seconds,
        **common,
    )
    jobs.add_job("scheduler.jobs:count_outbox", "interval", seconds=COUNT_EVERY_SECONDS, id="count-outbox", **common)

"""The scheduler's persistent jobs (kept in its SQLAlchemy job store, so a restart keeps their timing): planning
the reminders, and a count of the outbox for the log.

A job store pickles what it keeps, and a backend client (its connection pool, its event loop) does not pickle, so
a stored job holds the reference to its function and, in place of the client, the key `BACKEND`. The client is
passed in when the job runs: `timetable(job_store, backend)` gives the scheduler instance an executor made with
the client, and that executor calls each job with the client where its stored arguments say `BACKEND`. The client
belongs to the scheduler instance, not to the module, so two schedulers in one process (as the tests run them)
each run their jobs on their own client, and nothing is left registered when a scheduler stops.
"""

import copy
import logging
from datetime import UTC, datetime

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.backend import BackendClient, BackendError, BackendUnavailable

log = logging.getLogger(__name__)
COUNT_EVERY_SECONDS = 60
#: What a stored job holds where its function takes the backend client; the executor puts the client there.
BACKEND = "backend"


async def plan_reminders(backend: BackendClient) -> None:
    """Ask the backend to plan every reminder due by now; it adds each one once per key."""
    try:
        tally = await backend.plan_reminders()
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


async def count_outbox(backend: BackendClient) -> None:
    try:
        counts = await backend.outbox_counts()
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


class BackendExecutor(AsyncIOExecutor):
    """APScheduler's asyncio executor that hands its backend client to the jobs it runs, where their stored
    arguments hold `BACKEND`."""

    def __init__(self, backend: BackendClient) -> None:
        super().__init__()
        self.backend = backend

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        # A copy for this run: the scheduler stores the job again after submitting it, and the client must not
        # go into the store with it.
        run = copy.copy(job)  # the job's pickled state: its store's alias is not part of it
        run._jobstore_alias = job._jobstore_alias
        run.args = tuple(self.backend if arg == BACKEND else arg for arg in job.args)
        super()._do_submit_job(run, run_times)


def timetable(store: BaseJobStore, backend: BackendClient) -> AsyncIOScheduler:
    """An APScheduler on `store` whose jobs run on `backend`."""
    return AsyncIOScheduler(jobstores={"default": store}, executors={"default": BackendExecutor(backend)}, timezone=UTC)


def install(jobs: AsyncIOScheduler, *, plan_every_seconds: int) -> None:
    """Add (or replace) the jobs; planning runs at once, then every `plan_every_seconds`."""
    common = {"args": [BACKEND], "replace_existing": True, "coalesce": True, "max_instances": 1}
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

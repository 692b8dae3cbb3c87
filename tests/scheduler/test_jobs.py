"""The timetable's jobs: kept in the SQLAlchemy job store with nothing but picklable ids, and run on the backend
client of the scheduler instance that runs them."""

import asyncio
import pickle
import sqlite3
from datetime import UTC, datetime

import httpx
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

from bot.backend import BackendClient
from scheduler import jobs
from scheduler.runner import JOBS_TABLE
from tests.api.outbox_helpers import outbox
from tests.conftest import SERVICE_TOKEN
from tests.helpers import eventually

DUE_SOON = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)


class Refusing(httpx.AsyncBaseTransport):
    """A backend that is never reached; counts the calls that tried."""

    def __init__(self) -> None:
        self.calls = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        raise httpx.ConnectError("refused", request=request)


def stored_jobs(url: str) -> dict[str, dict]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        rows = db.execute(f"SELECT id, job_state FROM {JOBS_TABLE}").fetchall()  # noqa: S608
    return {job_id: pickle.loads(state) for job_id, state in rows}  # noqa: S301 (our own job store)


async def planned(engine) -> list[str]:
    async with asyncio.timeout(20):
        while not (rows := await outbox(engine, kind="payment_due")):  # noqa: ASYNC110 (written by the job)
            await asyncio.sleep(0.02)
    return [row.dedupe_key for row in rows]


async def test_a_stored_job_holds_ids_only_and_runs_on_the_client_of_its_scheduler(
    backend, engine, clock, scheduler_settings, borrower, tmp_path
):
    clock.now = DUE_SOON
    url = scheduler_settings.database_url
    refused = Refusing()
    elsewhere = BackendClient.create("http://nowhere/api/v1", token=SERVICE_TOKEN, transport=refused, retries=0)
    first = jobs.timetable(SQLAlchemyJobStore(url=url, tablename=JOBS_TABLE), backend)
    jobs.install(first, plan_every_seconds=300)
    first.start(paused=True)  # writes the jobs to the store and runs none
    first.shutdown(wait=False)
    stored = stored_jobs(url)
    assert {job_id: (state["func"], state["args"], state["kwargs"]) for job_id, state in stored.items()} == {
        "plan-reminders": ("scheduler.jobs:plan_reminders", ("backend",), {}),
        "count-outbox": ("scheduler.jobs:count_outbox", ("backend",), {}),
    }

    other = jobs.timetable(SQLAlchemyJobStore(url=f"sqlite:///{tmp_path}/other.db", tablename=JOBS_TABLE), elsewhere)
    jobs.install(other, plan_every_seconds=300)
    other.start()  # a second scheduler in the process, on a client of its own
    restarted = jobs.timetable(SQLAlchemyJobStore(url=url, tablename=JOBS_TABLE), backend)
    restarted.start()  # finds the stored jobs and runs the one that is due
    try:
        loan_id = borrower[1]
        assert await planned(engine) == [f"payment_due:{loan_id}:2026-12-10:1"]  # the day before the 10th
        await eventually(lambda: refused.calls == 1)  # the other planned on its own client, which was refused
    finally:
        restarted.shutdown(wait=False)
        other.shutdown(wait=False)
        await elsewhere.aclose()
    assert stored_jobs(url)["plan-reminders"]["args"] == ("backend",)  # run and stored again, still without the client

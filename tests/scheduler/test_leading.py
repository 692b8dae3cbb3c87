"""Running schedulers: the leader plans on its persistent timetable and sends; another waits, and takes over when
the leader stops or loses its lock. On PostgreSQL the lock is an advisory lock, on SQLite a file lock."""

import asyncio
import os
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from bot.settings import BotSettings
from scheduler.leader import LOCK_KEYS, AdvisoryLock, FileLock, leader_lock
from scheduler.runner import JOBS_TABLE, run_scheduler
from scheduler.settings import SchedulerSettings
from tests.conftest import SERVICE_TOKEN
from tests.helpers import eventually
from tests.scheduler.conftest import USER

DUE_SOON = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)


async def test_the_leader_plans_and_sends_on_its_own(make_scheduler, telegram, clock, scheduler_settings, borrower):
    clock.now = DUE_SOON
    stop = asyncio.Event()
    running = asyncio.create_task(make_scheduler().run(stop))
    await eventually(lambda: telegram.delivered_to(USER))
    await asyncio.sleep(0.3)
    stop.set()
    await running
    assert len(telegram.delivered_to(USER)) == 1
    path = scheduler_settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:  # the timetable outlives the process
        jobs = sorted(row[0] for row in db.execute(f"SELECT id FROM {JOBS_TABLE}"))  # noqa: S608
    assert jobs == ["count-outbox", "plan-reminders"]


async def test_the_scheduler_process_over_http(backend_url, telegram, clock, tmp_path, borrower):
    """What `ipoteka scheduler` runs: its own backend client and Bot, built from the settings."""
    clock.now = DUE_SOON
    bot_settings = BotSettings(
        bot_token="42:TEST", telegram_api_url=telegram.url, backend_url=backend_url, service_token=SERVICE_TOKEN
    )
    settings = SchedulerSettings(database_url=f"sqlite:///{tmp_path}/own.db", poll_seconds=0.05)
    stop = asyncio.Event()
    running = asyncio.create_task(run_scheduler(settings, bot_settings, stop))
    await eventually(lambda: telegram.delivered_to(USER))
    stop.set()
    await running
    [push] = telegram.delivered_to(USER)
    assert push.text.startswith("🔔 Завтра, 10 декабря 2026")


async def test_one_leads_and_another_takes_over(make_scheduler, telegram, clock, borrower):
    first, second = make_scheduler(), make_scheduler()
    stop_first, stop_second = asyncio.Event(), asyncio.Event()
    leading = asyncio.create_task(first.run(stop_first))
    await eventually(first.leading.is_set)
    waiting = asyncio.create_task(second.run(stop_second))
    await asyncio.sleep(0.3)
    assert not second.leading.is_set()
    clock.now = DUE_SOON  # the leader planned at its start, when nothing was due; it plans again in 5 minutes
    stop_first.set()  # but goes away first
    await leading
    await eventually(second.leading.is_set)  # the new leader's timetable plans at once, and it sends
    await eventually(lambda: telegram.delivered_to(USER))
    stop_second.set()
    await waiting
    assert len(telegram.delivered_to(USER)) == 1


class Revocable:
    """A lock the test can take away, as a PostgreSQL restart would."""

    def __init__(self) -> None:
        self.owner = True
        self.acquired = self.released = 0

    def try_acquire(self) -> bool:
        self.acquired += self.owner
        return self.owner

    def held(self) -> bool:
        return self.owner

    def release(self) -> None:
        self.released += 1


async def test_a_leader_that_loses_its_lock_steps_down(make_scheduler):
    lock = Revocable()
    scheduler = make_scheduler(lock=lock)
    stop = asyncio.Event()
    running = asyncio.create_task(scheduler.run(stop))
    await eventually(scheduler.leading.is_set)
    lock.owner = False
    await eventually(lambda: not scheduler.leading.is_set())
    lock.owner = True
    await eventually(scheduler.leading.is_set)
    stop.set()
    await running
    assert (lock.acquired, lock.released) == (2, 2)  # released on stepping down, and again at the stop


def test_a_file_lock_has_one_holder(tmp_path):
    first, second = FileLock(tmp_path / "jobs.db.leader"), FileLock(tmp_path / "jobs.db.leader")
    assert first.try_acquire() and first.held()
    assert not second.try_acquire() and not second.held()
    first.release()
    assert second.try_acquire()
    second.release()


def test_the_lock_goes_with_the_job_store(tmp_path):
    assert isinstance(leader_lock(f"sqlite:///{tmp_path}/jobs.db"), FileLock)
    assert isinstance(leader_lock("postgresql+psycopg://postgres@127.0.0.1/test"), AdvisoryLock)
    with pytest.raises(ValueError, match="SCHEDULER_DATABASE_URL"):
        leader_lock("sqlite://")


@pytest.mark.database
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_the_advisory_lock_is_freed_when_its_session_dies():
    url = os.environ["TEST_DATABASE_URL"].replace("+asyncpg", "+psycopg")
    first, second = AdvisoryLock(url), AdvisoryLock(url)
    assert first.try_acquire() and first.held()
    assert not second.try_acquire()
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # the leader's connection is cut, as when its process is killed
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                " AND classid = :a AND objid = :b AND objsubid = 2"
            ),
            LOCK_KEYS,
        )
    admin.dispose()
    assert not first.held()
    assert second.try_acquire() and second.held()
    second.release()
    first.release()

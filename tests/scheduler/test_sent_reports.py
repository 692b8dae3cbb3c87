"""Sent pushes are reported to the backend many at a time (scheduler/sent_reports.py): N pushes take at most
ceil(N / batch) + 1 report calls, each row reported once; a scheduler killed between its sends and their report
leaves the rows to their lease, and none is sent again."""

import asyncio
import math

from api.models import NotificationStatus
from tests.api.outbox_helpers import outbox
from tests.scheduler.conftest import USER
from tests.scheduler.notices import decisions_told

PUSHES = 25
BATCH = 10


async def test_pushes_are_reported_sent_in_few_calls(
    make_scheduler, scheduler_settings, backend, telegram, engine, supervisor, borrower, monkeypatch
):
    ids = await decisions_told(engine, supervisor, borrower, PUSHES)
    reports: list[list[int]] = []
    mark_sent = backend.mark_sent

    async def counted(notification_ids):
        reports.append(list(notification_ids))
        return await mark_sent(notification_ids)

    monkeypatch.setattr(backend, "mark_sent", counted)
    settings = scheduler_settings.model_copy(update={"report_batch": BATCH, "report_seconds": 5.0})
    assert await make_scheduler(settings).pump().drain() == {"sent": PUSHES}
    assert len(telegram.delivered_to(USER)) == PUSHES
    assert len(reports) <= math.ceil(PUSHES / BATCH) + 1
    assert all(len(report) <= BATCH for report in reports)
    assert sorted(notification_id for report in reports for notification_id in report) == ids  # each once
    assert {row.status for row in await outbox(engine)} == {NotificationStatus.SENT}


async def test_a_scheduler_killed_before_reporting_its_sends_repeats_none(
    make_scheduler, backend, telegram, clock, engine, supervisor, borrower, monkeypatch
):
    await decisions_told(engine, supervisor, borrower, 5)
    doomed = make_scheduler()
    monkeypatch.setattr(doomed.sender._sent, "add", lambda notification_id: None)  # dead after each send
    assert await doomed.pump().drain() == {"sent": 5}
    rows = await outbox(engine)
    assert {row.status for row in rows} == {NotificationStatus.CLAIMED}
    assert all(row.send_started_at is not None for row in rows)

    assert await make_scheduler().pump().drain() == {}  # their lease holds
    clock.advance(seconds=60)
    assert await make_scheduler().pump().drain() == {}  # the lease ran out on started sends: never again
    assert len(telegram.delivered_to(USER)) == 5
    assert {row.status for row in await outbox(engine)} == {NotificationStatus.FAILED}
    assert (await backend.outbox_counts()).unconfirmed == 5


async def test_sent_pushes_are_reported_within_the_interval_while_the_pump_runs(
    make_scheduler, scheduler_settings, telegram, engine, supervisor, borrower
):
    await decisions_told(engine, supervisor, borrower, 3)
    settings = scheduler_settings.model_copy(update={"report_batch": BATCH, "report_seconds": 0.05})
    pump, stop = make_scheduler(settings).pump(), asyncio.Event()
    running = asyncio.create_task(pump.run(stop))
    try:
        async with asyncio.timeout(20):  # fewer than a batch, and no stop: the interval reports them
            while {row.status for row in await outbox(engine)} != {NotificationStatus.SENT}:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        assert not running.done()
    finally:
        stop.set()
        await running
    assert len(telegram.delivered_to(USER)) == 3

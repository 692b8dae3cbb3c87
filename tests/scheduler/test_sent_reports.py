"""Sent pushes are reported to the backend many at a time (scheduler/sent_reports.py): N pushes take at most
ceil(N / batch) + 1 report calls, each row reported once; a scheduler killed between its sends and their report
leaves the rows to their lease, and none is sent again."""

import asyncio
import math
from datetime import UTC, datetime

from api.models import Notification, NotificationStatus
from tests.api.outbox_helpers import add_record, holiday_row, outbox, session_of
from tests.scheduler.conftest import USER

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
PUSHES = 25
BATCH = 10


async def decisions_told(engine, supervisor, borrower, count: int) -> list[int]:
    """`count` holiday-decision notices to the borrower's chat, due now; their ids."""
    borrower_id, loan_id = borrower
    holiday = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    response = await supervisor.post(f"/api/v1/staff/holidays/{holiday}/decision", json={"decision": "approve"})
    assert response.status_code == 200
    [told] = await outbox(engine)
    async with session_of(engine) as db:
        for n in range(1, count):
            db.add(
                Notification(
                    borrower_id=told.borrower_id,
                    loan_id=told.loan_id,
                    kind=told.kind,
                    dedupe_key=f"{told.dedupe_key}:{n}",
                    payload=told.payload,
                    not_before=told.not_before,
                )
            )
        await db.commit()
    return [row.id for row in await outbox(engine)]


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

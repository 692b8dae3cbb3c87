"""The scheduler's instruments count what the sender did (sent, unreachable, retried after a 429), its leadership
shows in a gauge, and `SCHEDULER_METRICS_PORT` serves them over HTTP."""

import asyncio
from datetime import UTC, date, datetime

import httpx
from prometheus_client import REGISTRY, generate_latest

from fake_bot_api import FakeBotApi, Limit
from scheduler.runner import serve_metrics
from scheduler.settings import SchedulerSettings
from tests.api.outbox_helpers import linked_borrower, pay_through
from tests.bot.telegram_fake import free_port
from tests.helpers import eventually
from tests.ops.scrape import value
from tests.scheduler.conftest import USER

DUE_SOON = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
PUSHES = "ipoteka_scheduler_pushes_total"


def scrape() -> str:
    return generate_latest(REGISTRY).decode()


async def test_pushes_are_counted_by_kind_and_outcome(backend, scheduler, telegram, clock, borrower):
    before = scrape()
    telegram.block(USER)
    clock.now = DUE_SOON
    await backend.plan_reminders()
    assert await scheduler.pump().drain() == {"unreachable": 1}

    after = scrape()
    labels = {"kind": "payment_due", "outcome": "unreachable"}
    assert value(after, PUSHES, **labels) == value(before, PUSHES, **labels) + 1
    assert value(after, PUSHES, kind="payment_due", outcome="sent") == value(
        before, PUSHES, kind="payment_due", outcome="sent"
    )


async def test_a_429_is_counted_and_the_retry_sent(backend, make_scheduler, vtime, clock, engine, bank, client):
    for number in (1, 2, 3):
        await linked_borrower(bank, client, engine, telegram_user_id=USER + 10 * number, number=number)
        await pay_through(bank, f"L-{number}", date(2026, 11, 10))
    before = scrape()
    async with FakeBotApi(overall=Limit(2, 1.0), clock=vtime) as strict:
        scheduler = make_scheduler(telegram_url=strict.url)
        clock.now = DUE_SOON
        await backend.plan_reminders()
        assert await scheduler.pump().drain() == {"sent": 2, "retry": 1}
        clock.advance(seconds=strict.rejections[0].retry_after)
        assert await scheduler.pump().drain() == {"sent": 1}

    after = scrape()
    assert value(after, "ipoteka_scheduler_push_429_total") == value(before, "ipoteka_scheduler_push_429_total") + 1
    for outcome, more in (("sent", 3), ("retry", 1)):
        labels = {"kind": "payment_due", "outcome": outcome}
        assert value(after, PUSHES, **labels) == value(before, PUSHES, **labels) + more


async def test_the_leader_shows_in_a_gauge(scheduler, borrower):
    stop = asyncio.Event()
    running = asyncio.create_task(scheduler.run(stop))
    await eventually(lambda: scheduler.leading.is_set())
    await eventually(lambda: value(scrape(), "ipoteka_scheduler_leading") == 1)
    assert value(scrape(), "ipoteka_scheduler_heartbeat_timestamp_seconds") > 0
    stop.set()
    await running
    assert value(scrape(), "ipoteka_scheduler_leading") == 0


async def test_the_metrics_port_serves_the_instruments(tmp_path):
    port = free_port()
    settings = SchedulerSettings(database_url=f"sqlite:///{tmp_path}/jobs.db", metrics_port=port)
    server = serve_metrics(settings)
    try:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200
    assert PUSHES in response.text and "ipoteka_scheduler_leading" in response.text
    assert serve_metrics(SchedulerSettings(database_url=f"sqlite:///{tmp_path}/jobs.db")) is None

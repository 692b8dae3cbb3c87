"""Who gets a push and when, and what a failed send leads to: consent, quiet hours in two time zones, a blocked bot,
Telegram's 429 and 5xx, and a scheduler that dies before or during a send."""

from datetime import UTC, date, datetime

from api.models import NotificationStatus
from fake_bot_api import FakeBotApi, Limit
from tests.api.outbox_helpers import add_record, holiday_row, linked_borrower, outbox, pay_through, set_borrower
from tests.scheduler.conftest import OTHER, USER

DUE_SOON = datetime(2026, 12, 9, 9, 0, tzinfo=UTC)  # the day before 10 December, noon in Moscow
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


async def plan_and_send(backend, scheduler) -> dict:
    await backend.plan_reminders()
    return await scheduler.pump().drain()


async def test_reminders_only_with_consent_status_notices_always(
    backend, scheduler, telegram, clock, engine, supervisor, borrower
):
    borrower_id, loan_id = borrower
    await set_borrower(engine, borrower_id, reminders_enabled=False)
    clock.now = DUE_SOON
    assert await plan_and_send(backend, scheduler) == {}
    holiday = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    response = await supervisor.post(f"/api/v1/staff/holidays/{holiday}/decision", json={"decision": "approve"})
    assert response.status_code == 200
    assert await plan_and_send(backend, scheduler) == {"sent": 1}
    [push] = telegram.delivered_to(USER)
    assert "каникулы" in push.text


async def test_quiet_hours_in_two_time_zones(bank, client, engine, backend, scheduler, telegram, clock, borrower):
    await linked_borrower(bank, client, engine, telegram_user_id=OTHER, number=2, time_zone="Asia/Vladivostok")
    await pay_through(bank, "L-2", date(2026, 11, 10))
    clock.now = datetime(2026, 12, 9, 0, 30, tzinfo=UTC)  # 03:30 in Moscow, 10:30 in Vladivostok
    assert await plan_and_send(backend, scheduler) == {"sent": 1}
    assert [push.chat_id for push in telegram.deliveries] == [OTHER]
    clock.now = datetime(2026, 12, 9, 5, 59, tzinfo=UTC)  # 08:59 in Moscow
    assert await plan_and_send(backend, scheduler) == {}
    clock.now = datetime(2026, 12, 9, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
    assert await plan_and_send(backend, scheduler) == {"sent": 1}
    assert [push.chat_id for push in telegram.deliveries] == [OTHER, USER]
    clock.now = datetime(2026, 12, 9, 11, 30, tzinfo=UTC)  # 21:30 in Vladivostok: still nothing twice
    assert await plan_and_send(backend, scheduler) == {}


async def test_a_borrowers_own_hours(backend, scheduler, telegram, clock, engine, borrower):
    await set_borrower(engine, borrower[0], daytime_start=datetime(2026, 1, 1, 18, 0).time())
    clock.now = DUE_SOON  # 12:00 in Moscow: before their evening hours
    assert await plan_and_send(backend, scheduler) == {}
    clock.now = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # 18:00
    assert await plan_and_send(backend, scheduler) == {"sent": 1}


async def test_a_blocked_bot_makes_the_borrower_unreachable(backend, scheduler, telegram, clock, engine, borrower):
    telegram.block(USER)
    clock.now = DUE_SOON
    assert await plan_and_send(backend, scheduler) == {"unreachable": 1}
    [row] = await outbox(engine)
    assert (row.status, row.last_error) == (
        NotificationStatus.FAILED,
        "Telegram 403: Forbidden: bot was blocked by the user",
    )
    clock.now = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # the due day: nothing more is even planned
    assert await plan_and_send(backend, scheduler) == {}
    assert len(await outbox(engine)) == 1
    assert telegram.deliveries == []


async def test_a_chat_that_is_gone_counts_as_blocked(backend, scheduler, telegram, clock, borrower):
    telegram.forget(USER)
    clock.now = DUE_SOON
    assert await plan_and_send(backend, scheduler) == {"unreachable": 1}


async def test_429_is_honoured_and_retried(backend, make_scheduler, vtime, clock, engine, bank, client):
    for number in (1, 2, 3):
        await linked_borrower(bank, client, engine, telegram_user_id=USER + 10 * number, number=number)
        await pay_through(bank, f"L-{number}", date(2026, 11, 10))
    async with FakeBotApi(
        overall=Limit(2, 1.0), clock=vtime
    ) as strict:  # stricter than our own limits, so it answers 429
        scheduler = make_scheduler(telegram_url=strict.url)
        clock.now = DUE_SOON
        assert await plan_and_send(backend, scheduler) == {"sent": 2, "retry": 1}
        assert strict.count_429 == 1
        [waiting] = await outbox(engine, status=NotificationStatus.PENDING)
        assert (waiting.not_before - clock.now).total_seconds() == strict.rejections[0].retry_after
        clock.advance(seconds=strict.rejections[0].retry_after)
        assert await scheduler.pump().drain() == {"sent": 1}  # after the limiter's own pause
    assert sorted(push.chat_id for push in strict.deliveries) == [USER + 10, USER + 20, USER + 30]


async def test_a_server_error_is_retried_with_backoff(backend, scheduler, telegram, clock, engine, borrower):
    telegram.fail(USER, times=1)
    clock.now = DUE_SOON
    assert await plan_and_send(backend, scheduler) == {"retry": 1}
    [row] = await outbox(engine)
    assert row.status is NotificationStatus.PENDING
    assert (row.not_before - clock.now).total_seconds() == 60
    clock.advance(seconds=60)
    assert await scheduler.pump().drain() == {"sent": 1}
    assert len(telegram.delivered_to(USER)) == 1


async def test_a_scheduler_that_dies_before_sending_loses_nothing(backend, scheduler, telegram, clock, borrower):
    clock.now = DUE_SOON
    await backend.plan_reminders()
    claimed = await backend.claim_notifications(limit=10, lease_seconds=60)  # then the process is killed
    assert len(claimed.items) == 1
    assert await scheduler.pump().drain() == {}  # the dead one's lease still holds
    clock.advance(seconds=60)
    assert await scheduler.pump().drain() == {"sent": 1}
    assert len(telegram.delivered_to(USER)) == 1


async def test_a_scheduler_that_dies_during_a_send_never_repeats_it(
    backend, scheduler, telegram, clock, engine, borrower
):
    clock.now = DUE_SOON
    await backend.plan_reminders()
    [item] = (await backend.claim_notifications(limit=10, lease_seconds=60)).items
    assert await backend.start_sending(item.id, attempt=item.attempts)  # killed while Telegram was being called
    clock.advance(seconds=60)
    assert await scheduler.pump().drain() == {}
    [row] = await outbox(engine)
    assert row.status is NotificationStatus.FAILED
    assert (await backend.outbox_counts()).unconfirmed == 1


async def test_a_late_sender_is_fenced_off(backend, scheduler, telegram, clock, borrower):
    clock.now = DUE_SOON
    await backend.plan_reminders()
    [stale] = (await backend.claim_notifications(limit=10, lease_seconds=60)).items
    clock.advance(seconds=60)  # the first sender stalled past its lease; another takes the row
    assert await scheduler.pump().drain() == {"sent": 1}
    assert await scheduler.sender.deliver(stale) == "not_started"
    assert len(telegram.delivered_to(USER)) == 1

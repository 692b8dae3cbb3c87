"""The scheduler's side of the outbox: claim under a lease, mark sent or failed, unreachable borrowers, stats."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from api.models import Borrower, Notification, NotificationKind, NotificationStatus, StaffRole
from api.outbox import Push, enqueue
from tests.api.outbox_helpers import (
    SCHEDULER,
    SUPERVISOR_TOKEN,
    add_staff,
    client_with,
    linked_borrower,
    outbox,
    session_of,
    set_borrower,
)
from tests.helpers import link

USER = 700_200_001
NOON_MOSCOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


async def add_notice(
    engine, borrower_id: int, key: str, *, now: datetime, kind: NotificationKind = NotificationKind.HOLIDAY_DECIDED
) -> int | None:
    async with session_of(engine) as session:
        borrower = await session.get(Borrower, borrower_id)
        added = await enqueue(session, borrower, Push(kind, key, {"key": key}), now=now)
        await session.commit()
        return added


async def claim(client, limit: int = 100, lease_seconds: int = 300) -> list[dict]:
    response = await client.post(f"{SCHEDULER}/outbox/claim", json={"limit": limit, "lease_seconds": lease_seconds})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def failed(client, notification_id: int, **body) -> dict:
    response = await client.post(f"{SCHEDULER}/outbox/{notification_id}/failed", json={"error": "boom"} | body)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def borrower_id(bank, client, engine) -> int:
    borrower_id, _ = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    return borrower_id


async def test_enqueue_is_once_per_key_and_respects_quiet_hours(engine, borrower_id):
    late = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
    first = await add_notice(engine, borrower_id, "holiday_decided:1", now=late)
    assert first is not None
    assert await add_notice(engine, borrower_id, "holiday_decided:1", now=NOON_MOSCOW) is None
    [row] = await outbox(engine)
    assert row.id == first
    assert row.not_before == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # 09:00 Moscow
    assert (row.status, row.attempts, row.payload) == (NotificationStatus.PENDING, 0, {"key": "holiday_decided:1"})


async def test_claim_returns_what_the_bot_needs(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    [item] = await claim(client, lease_seconds=120)
    assert item == {
        "id": notice,
        "kind": "holiday_decided",
        "chat_id": USER,
        "language": "ru",
        "time_zone": "Europe/Moscow",
        "dedupe_key": "holiday_decided:1",
        "payload": {"key": "holiday_decided:1"},
        "loan_id": None,
        "due_date": None,
        "attempts": 1,
    }
    [row] = await outbox(engine)
    assert row.status == NotificationStatus.CLAIMED
    assert row.claimed_until == clock.now + timedelta(seconds=120)


async def test_claim_is_oldest_first_and_limited(client, engine, clock, borrower_id):
    newer = await add_notice(engine, borrower_id, "holiday_decided:2", now=clock.now)
    older = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now - timedelta(hours=1))
    assert [item["id"] for item in await claim(client, limit=1)] == [older]
    assert [item["id"] for item in await claim(client, limit=1)] == [newer]
    assert await claim(client) == []


async def test_claim_waits_for_daytime(client, engine, clock, borrower_id):
    clock.now = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
    await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    assert await claim(client) == []
    clock.now = datetime(2026, 11, 27, 5, 59, tzinfo=UTC)
    assert await claim(client) == []
    clock.now = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    assert len(await claim(client)) == 1


async def test_reminders_need_consent_at_claim_time_status_notices_do_not(client, engine, clock, borrower_id):
    reminder = await add_notice(engine, borrower_id, "payment_due:x", now=clock.now, kind=NotificationKind.PAYMENT_DUE)
    notice = await add_notice(engine, borrower_id, "certificate_ready:1", now=clock.now)
    await set_borrower(engine, borrower_id, reminders_enabled=False)
    assert [item["id"] for item in await claim(client)] == [notice]
    await set_borrower(engine, borrower_id, reminders_enabled=True)
    assert [item["id"] for item in await claim(client)] == [reminder]


async def test_unlinked_or_unreachable_borrowers_are_not_claimed(client, engine, clock, borrower_id):
    await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await set_borrower(engine, borrower_id, unreachable_since=clock.now)
    assert await claim(client) == []
    await set_borrower(engine, borrower_id, unreachable_since=None, telegram_user_id=None)
    assert await claim(client) == []


async def test_expired_lease_is_claimed_again(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    assert len(await claim(client, lease_seconds=60)) == 1
    clock.advance(seconds=59)
    assert await claim(client) == []
    clock.advance(seconds=1)
    [again] = await claim(client)
    assert (again["id"], again["attempts"]) == (notice, 2)


async def sending(client, notification_id: int, attempt: int = 1) -> int:
    response = await client.post(f"{SCHEDULER}/outbox/{notification_id}/sending", json={"attempt": attempt})
    return response.status_code


async def test_a_send_starts_only_under_its_claim(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    assert await sending(client, notice) == 409  # not claimed yet
    await claim(client, lease_seconds=60)
    assert await sending(client, notice, attempt=2) == 409  # another claim's number
    assert await sending(client, notice) == 200
    assert await sending(client, notice) == 200  # a retried call after a lost answer
    [row] = await outbox(engine)
    assert (row.status, row.send_started_at) == (NotificationStatus.CLAIMED, clock.now)
    assert (await client.post(f"{SCHEDULER}/outbox/{notice}/sent")).status_code == 200
    assert await sending(client, notice) == 409
    assert await sending(client, 999_999) == 404
    bad = await client.post(f"{SCHEDULER}/outbox/{notice}/sending", json={"attempt": 0})
    assert bad.status_code == 422


async def test_a_lapsed_lease_cannot_start_a_send(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client, lease_seconds=60)
    clock.advance(seconds=60)
    assert await sending(client, notice) == 409
    [again] = await claim(client)  # nothing was sent, so it goes out on the next claim
    assert (again["id"], again["attempts"]) == (notice, 2)
    assert await sending(client, notice, attempt=1) == 409  # the first sender, late, is fenced off
    assert await sending(client, notice, attempt=2) == 200


async def test_a_send_cut_short_is_never_repeated(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client, lease_seconds=60)
    assert await sending(client, notice) == 200  # then the sender is killed: did Telegram get it? Unknown.
    clock.advance(seconds=60)
    assert await claim(client) == []
    [row] = await outbox(engine)
    assert row.status is NotificationStatus.FAILED
    assert row.last_error.startswith("Unconfirmed")
    stats = (await client.get(f"{SCHEDULER}/outbox/stats")).json()
    assert (stats["failed"], stats["unconfirmed"]) == (1, 1)


async def test_a_failed_send_may_start_again(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    assert await sending(client, notice) == 200
    state = await failed(client, notice, retry_after_seconds=5)
    assert (state["status"], state["send_started_at"]) == ("pending", None)
    clock.advance(seconds=5)
    await claim(client)
    assert await sending(client, notice, attempt=2) == 200


async def test_a_row_left_waiting_into_the_night_waits_for_the_morning(client, engine, clock, borrower_id):
    clock.now = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)  # 20:00 in Moscow
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    clock.now = datetime(2026, 11, 26, 19, 30, tzinfo=UTC)  # 22:30: the scheduler was down until now
    assert await claim(client) == []
    [row] = await outbox(engine)
    assert (row.status, row.attempts) == (NotificationStatus.PENDING, 0)
    assert row.not_before == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    clock.now = row.not_before
    assert [item["id"] for item in await claim(client)] == [notice]


async def test_a_row_whose_lease_always_expires_is_given_up(client, engine, clock, borrower_id):
    await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    for attempt in range(1, 11):  # the sender dies on this message every time
        [item] = await claim(client, lease_seconds=60)
        assert item["attempts"] == attempt
        clock.advance(seconds=60)
    assert await claim(client) == []
    [row] = await outbox(engine)
    assert (row.status, row.attempts, row.claimed_until) == (NotificationStatus.FAILED, 10, None)
    assert row.last_error == "Given up: no result was reported for any attempt."


async def test_concurrent_claims_are_disjoint(client, engine, clock, borrower_id):
    for number in range(30):
        await add_notice(engine, borrower_id, f"holiday_decided:{number}", now=clock.now)
    batches = await asyncio.gather(*(claim(client, limit=10) for _ in range(4)))
    ids = [item["id"] for batch in batches for item in batch]
    assert len(ids) == len(set(ids)) == 30
    assert all(row.attempts == 1 for row in await outbox(engine))


async def test_rows_locked_by_another_claimer_are_skipped(client, engine, clock, borrower_id):
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are PostgreSQL's; SQLite serialises whole writes")
    ids = [await add_notice(engine, borrower_id, f"holiday_decided:{n}", now=clock.now) for n in range(3)]
    async with session_of(engine) as other_claimer:
        await other_claimer.execute(select(Notification).where(Notification.id == ids[0]).with_for_update())
        assert [item["id"] for item in await claim(client)] == ids[1:]  # not blocked, the locked row skipped
        await other_claimer.rollback()
    assert [item["id"] for item in await claim(client)] == ids[:1]


async def test_sent_is_final_and_idempotent(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    clock.advance(seconds=5)
    response = await client.post(f"{SCHEDULER}/outbox/{notice}/sent")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["attempts"]) == ("sent", 1)
    sent_at = clock.now
    clock.advance(minutes=10)
    again = await client.post(f"{SCHEDULER}/outbox/{notice}/sent")
    assert again.status_code == 200
    [row] = await outbox(engine)
    assert (row.status, row.sent_at, row.claimed_until) == (NotificationStatus.SENT, sent_at, None)
    clock.advance(days=1)
    assert await claim(client) == []


async def test_marking_a_row_that_is_not_claimed(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    for action, body in (("sent", None), ("failed", {"error": "boom"})):
        response = await client.post(f"{SCHEDULER}/outbox/{notice}/{action}", json=body)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "notification_not_claimed"
        assert response.json()["error"]["current_status"] == "pending"
    await claim(client)
    await client.post(f"{SCHEDULER}/outbox/{notice}/sent")
    late_failure = await client.post(f"{SCHEDULER}/outbox/{notice}/failed", json={"error": "boom"})
    assert late_failure.status_code == 409


@pytest.mark.parametrize("action", ["sent", "failed"])
async def test_unknown_or_malformed_ids(client, action):
    body = {"error": "boom"}
    unknown = await client.post(f"{SCHEDULER}/outbox/999999/{action}", json=body)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "notification_not_found"
    for bad in ("0", "-3", "abc", str(2**63)):
        assert (await client.post(f"{SCHEDULER}/outbox/{bad}/{action}", json=body)).status_code == 422


async def test_retry_after_is_honoured(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    body = await failed(client, notice, error="429 Too Many Requests", retry_after_seconds=30)
    assert body["status"] == "pending"
    [row] = await outbox(engine)
    assert row.not_before == clock.now + timedelta(seconds=30)
    assert (row.last_error, row.claimed_until) == ("429 Too Many Requests", None)
    assert await claim(client) == []
    clock.advance(seconds=30)
    assert [item["attempts"] for item in await claim(client)] == [2]


async def test_backoff_grows_with_attempts_and_waits_for_daytime(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    await failed(client, notice)
    assert (await outbox(engine))[0].not_before == clock.now + timedelta(minutes=1)
    clock.advance(minutes=1)
    await claim(client)
    await failed(client, notice)
    assert (await outbox(engine))[0].not_before == clock.now + timedelta(minutes=2)
    clock.now = datetime(2026, 11, 26, 17, 59, 30, tzinfo=UTC)  # 20:59:30 in Moscow
    await claim(client)
    await failed(client, notice)  # a retry 4 minutes on would fall at night
    assert (await outbox(engine))[0].not_before == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)


async def test_permanent_failure_and_too_many_attempts(client, engine, clock, borrower_id):
    first = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    assert (await failed(client, first, permanent=True))["status"] == "failed"
    second = await add_notice(engine, borrower_id, "holiday_decided:2", now=clock.now)
    for attempt in range(1, 11):
        [item] = await claim(client)
        assert item["attempts"] == attempt
        result = await failed(client, second, retry_after_seconds=1)
        clock.advance(seconds=1)
    assert result["status"] == "failed"
    assert await claim(client) == []


async def test_blocked_bot_marks_the_borrower_unreachable(bank, client, engine, clock, borrower_id):
    blocked = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    waiting = await add_notice(engine, borrower_id, "holiday_decided:2", now=clock.now)
    reminder = await add_notice(engine, borrower_id, "payment_due:x", now=clock.now, kind=NotificationKind.PAYMENT_DUE)
    other_borrower, _ = await linked_borrower(bank, client, engine, telegram_user_id=USER + 1, number=2)
    other = await add_notice(engine, other_borrower, "holiday_decided:3", now=clock.now)

    body = await failed(client, blocked, error="Forbidden: bot was blocked by the user", unreachable=True)
    assert body["status"] == "failed"
    statuses = {row.id: row.status for row in await outbox(engine)}
    assert statuses == {
        blocked: NotificationStatus.FAILED,
        waiting: NotificationStatus.CANCELLED,
        reminder: NotificationStatus.CANCELLED,
        other: NotificationStatus.PENDING,
    }
    async with session_of(engine) as session:
        assert (await session.get(Borrower, borrower_id)).unreachable_since == clock.now
    await add_notice(engine, borrower_id, "certificate_ready:9", now=clock.now)
    assert [item["id"] for item in await claim(client)] == [other]  # nothing for the unreachable borrower

    assert (await link(client, USER)).status_code == 200  # linking again makes them reachable
    async with session_of(engine) as session:
        assert (await session.get(Borrower, borrower_id)).unreachable_since is None
    assert [item["dedupe_key"] for item in await claim(client)] == ["certificate_ready:9"]


async def test_stats(client, engine, clock, borrower_id):
    sent = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await add_notice(engine, borrower_id, "holiday_decided:2", now=clock.now - timedelta(hours=1))
    await claim(client, limit=1)  # the older one
    await add_notice(engine, borrower_id, "holiday_decided:3", now=clock.now)
    await claim(client, limit=1)
    await client.post(f"{SCHEDULER}/outbox/{sent}/sent")
    await add_notice(engine, borrower_id, "holiday_decided:4", now=clock.now)
    await add_notice(engine, borrower_id, "holiday_decided:5", now=clock.now + timedelta(hours=12))  # at night
    response = await client.get(f"{SCHEDULER}/outbox/stats")
    assert response.status_code == 200
    assert response.json() == {
        "pending": 3,
        "claimed": 1,
        "sent": 1,
        "failed": 0,
        "cancelled": 0,
        "due_now": 2,
        "unconfirmed": 0,
    }


@pytest.mark.parametrize(
    "body",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": 10_000},
        {"limit": -1},
        {"limit": "many"},
        {"limit": 1.5},
        {"lease_seconds": -30},
        {"lease_seconds": 9},
        {"lease_seconds": 3601},
        {"lease_seconds": None},
        {"owner": "scheduler-1"},
    ],
)
async def test_bad_claim_requests(client, body):
    response = await client.post(f"{SCHEDULER}/outbox/claim", json={"limit": 10, "lease_seconds": 60} | body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"error": ""},
        {"error": "x" * 501},
        {"error": 42},
        {"error": "boom", "retry_after_seconds": -5},
        {"error": "boom", "retry_after_seconds": 0},
        {"error": "boom", "retry_after_seconds": 10**9},
        {"error": "boom", "permanent": [True]},
        {"error": "boom", "reason": "x"},
    ],
)
async def test_bad_failure_reports(client, engine, clock, borrower_id, body):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    response = await client.post(f"{SCHEDULER}/outbox/{notice}/failed", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    [row] = await outbox(engine)
    assert row.status == NotificationStatus.CLAIMED  # nothing changed


async def test_scheduler_routes_need_the_service_token(app, anonymous, bank, engine):
    await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)
    calls = [
        ("post", f"{SCHEDULER}/outbox/claim", {"limit": 1, "lease_seconds": 60}),
        ("post", f"{SCHEDULER}/outbox/1/sent", None),
        ("post", f"{SCHEDULER}/outbox/1/failed", {"error": "boom"}),
        ("get", f"{SCHEDULER}/outbox/stats", None),
    ]
    async with client_with(app, SUPERVISOR_TOKEN) as staff:
        for caller in (anonymous, bank, staff):
            for method, path, body in calls:
                kwargs = {"json": body} if body is not None else {}
                response = await getattr(caller, method)(path, **kwargs)
                assert response.status_code == 401, (path, response.text)
                assert response.json()["error"]["code"] == "unauthorized"


async def test_a_failure_whose_error_holds_control_characters_is_kept_without_them(client, engine, clock, borrower_id):
    notice = await add_notice(engine, borrower_id, "holiday_decided:1", now=clock.now)
    await claim(client)
    await sending(client, notice)
    await failed(client, notice, error="Bad Request:\x00 chat\x1b not found", permanent=True)
    [row] = await outbox(engine)
    assert row.last_error == "Bad Request: chat not found"

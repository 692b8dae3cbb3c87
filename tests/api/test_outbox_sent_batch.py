"""The scheduler's report of many sent notifications in one call: claimed rows marked, a repeat changing nothing,
rows not claimed (a lease run out, never claimed, unknown) refused and left as they are."""

import pytest

from api.models import NotificationStatus
from api.outbox.delivery import UNCONFIRMED
from tests.api.outbox_helpers import SCHEDULER, outbox
from tests.api.test_outbox_delivery import add_notice, claim, sending

USER = 700_200_101

SENT = f"{SCHEDULER}/outbox/sent"


@pytest.fixture
def borrower_id(borrower) -> int:
    return borrower[0]


async def report(client, ids: list[int]) -> dict:
    response = await client.post(SENT, json={"ids": ids})
    assert response.status_code == 200, response.text
    return response.json()


async def notices(engine, borrower_id: int, count: int, *, now) -> list[int]:
    return [await add_notice(engine, borrower_id, f"holiday_decided:{n}", now=now) for n in range(count)]


async def test_claimed_rows_are_marked_sent_in_one_call(client, engine, clock, borrower_id):
    ids = await notices(engine, borrower_id, 3, now=clock.now)
    await claim(client)
    clock.advance(seconds=5)
    assert await report(client, list(reversed(ids))) == {"sent": ids, "refused": []}
    rows = await outbox(engine)
    assert {(row.status, row.sent_at, row.claimed_until) for row in rows} == {
        (NotificationStatus.SENT, clock.now, None)
    }
    clock.advance(days=1)
    assert await claim(client) == []


async def test_a_repeated_report_changes_nothing(client, engine, clock, borrower_id):
    ids = await notices(engine, borrower_id, 2, now=clock.now)
    await claim(client)
    await report(client, ids)
    sent_at = clock.now
    clock.advance(minutes=10)
    assert await report(client, [*ids, ids[0]]) == {"sent": ids, "refused": []}
    assert {(row.status, row.sent_at, row.attempts) for row in await outbox(engine)} == {
        (NotificationStatus.SENT, sent_at, 1)
    }


async def test_rows_not_claimed_are_refused_and_the_others_marked(client, engine, clock, borrower_id):
    [claimed] = await notices(engine, borrower_id, 1, now=clock.now)
    await claim(client)
    pending = await add_notice(engine, borrower_id, "holiday_decided:later", now=clock.now)
    unknown = pending + 1000
    assert await report(client, [unknown, pending, claimed]) == {"sent": [claimed], "refused": [pending, unknown]}
    statuses = {row.id: row.status for row in await outbox(engine)}
    assert statuses == {claimed: NotificationStatus.SENT, pending: NotificationStatus.PENDING}


async def test_a_report_after_the_lease_ran_out_on_a_started_send_is_refused(client, engine, clock, borrower_id):
    """The lease rules hold: a started send whose lease ran out failed as unconfirmed; a late report leaves it so."""
    [late, on_time] = await notices(engine, borrower_id, 2, now=clock.now)
    await claim(client, lease_seconds=10)
    assert {await sending(client, late), await sending(client, on_time)} == {200}
    await report(client, [on_time])
    clock.advance(seconds=11)
    assert await claim(client) == []  # the claim gives up on the lapsed lease
    assert await report(client, [late, on_time]) == {"sent": [on_time], "refused": [late]}
    rows = {row.id: row for row in await outbox(engine)}
    assert (rows[late].status, rows[late].last_error) == (NotificationStatus.FAILED, UNCONFIRMED)


@pytest.mark.parametrize(
    "body",
    [
        {"ids": []},
        {"ids": list(range(1, 502))},
        {"ids": [0]},
        {"ids": [-3]},
        {"ids": ["one"]},
        {},
        {"ids": [1], "x": 1},
    ],
)
async def test_bad_reports_are_refused_whole(client, engine, clock, borrower_id, body):
    await notices(engine, borrower_id, 1, now=clock.now)
    await claim(client)
    response = await client.post(SENT, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    [row] = await outbox(engine)
    assert row.status == NotificationStatus.CLAIMED


async def test_the_report_needs_the_service_token(anonymous, bank):
    for caller in (anonymous, bank):
        response = await caller.post(SENT, json={"ids": [1]})
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"

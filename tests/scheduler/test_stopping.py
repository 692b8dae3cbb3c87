"""A graceful stop hands back the claimed rows not yet started: another scheduler claims them at once (the backend's
clock does not move, so no lease has run out), and nothing is sent twice."""

import asyncio
from datetime import UTC, datetime

from aiogram.methods import SendMessage

from api.models import Notification, NotificationStatus
from tests.api.outbox_helpers import add_record, holiday_row, outbox, session_of
from tests.scheduler.conftest import USER

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
ROWS = 6


def stop_after(bot, sends: int, stop: asyncio.Event) -> None:
    """Set `stop` once the Bot has sent `sends` messages: mid-drain, whatever the pace."""
    sent = 0

    async def count(make_request, bot, method):
        nonlocal sent
        result = await make_request(bot, method)
        if isinstance(method, SendMessage):
            sent += 1
            if sent == sends:
                stop.set()
        return result

    bot.session.middleware(count)


async def test_a_stop_mid_drain_hands_back_the_rows_not_started(
    make_scheduler, telegram, vtime, engine, supervisor, borrower
):
    borrower_id, loan_id = borrower
    holiday = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    response = await supervisor.post(f"/api/v1/staff/holidays/{holiday}/decision", json={"decision": "approve"})
    assert response.status_code == 200
    [told] = await outbox(engine)
    async with session_of(engine) as db:  # five more notices of the kind to the same chat: a second apart each
        for n in range(1, ROWS):
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
    first, stop = make_scheduler(), asyncio.Event()
    stop_after(first.sender._bot, 2, stop)
    await first.pump().run(stop)
    sent_first = len(telegram.delivered_to(USER))
    assert 2 <= sent_first < ROWS
    rows = await outbox(engine)
    assert [row.status for row in rows].count(NotificationStatus.CLAIMED) == 0  # none left to a lease
    assert {row.attempts for row in rows if row.status is NotificationStatus.PENDING} == {0}  # the claim not counted

    await vtime.sleep(1.0)  # the chat's second passes for Telegram; the backend's clock, and every lease, stand still
    outcomes = await make_scheduler().pump().drain()
    assert outcomes == {"sent": ROWS - sent_first}
    assert len(telegram.delivered_to(USER)) == ROWS  # every decision told once: none lost, none twice
    assert {row.status for row in await outbox(engine)} == {NotificationStatus.SENT}

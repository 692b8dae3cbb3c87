"""A graceful stop hands back the claimed rows not yet started: another scheduler claims them at once (the backend's
clock does not move, so no lease has run out), and nothing is sent twice."""

import asyncio

from aiogram.methods import SendMessage

from api.models import NotificationStatus
from tests.api.outbox_helpers import outbox
from tests.scheduler.conftest import USER
from tests.scheduler.notices import decisions_told

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
    await decisions_told(engine, supervisor, borrower, ROWS)  # six notices of a kind to one chat, all due
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

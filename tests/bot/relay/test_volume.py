"""200 messages each way through one escalated chat, with every Telegram limit enforced by the fake Bot API on a
virtual clock: the bot queues what the group's 20-a-minute limit holds back, and nothing is lost, repeated or
reordered."""

import asyncio

import pytest
from sqlalchemy import func, select

from api.models import CaseMessage
from fake_bot_api import FakeBotApi
from tests.api.outbox_helpers import session_of
from tests.bot.relay.conftest import STAFF_CHAT
from tests.helpers import link

MESSAGES = 200
USER = 1001


@pytest.fixture
async def telegram(vtime):
    async with FakeBotApi(clock=vtime) as fake:  # Telegram's limits, all of them
        yield fake


@pytest.mark.slow
async def test_two_hundred_each_way_under_the_group_limit(client, engine, chat_factory, operator, telegram, vtime):
    assert (await link(client, USER)).status_code == 200
    chat = chat_factory(USER)
    for step in ("/operator", "Хочу обсудить график платежей"):
        await chat.send(step)
        vtime.now += 2  # a person types slower than Telegram's limit for one chat
    [(_, thread)] = list(telegram.topics)
    started = vtime.now

    sent = await asyncio.gather(*(chat.send(f"Сообщение заёмщика {n}") for n in range(MESSAGES)))
    assert all(type(c.method).__name__ in ("CopyMessage", "SendMessage") for calls in sent for c in calls)
    told = [d for d in telegram.deliveries if d.chat_id == USER and d.method == "sendMessage" and "Добавил" in d.text]
    assert len(told) == 1, "before staff join, the first message alone is acknowledged"
    into_group = [d for d in telegram.deliveries if d.chat_id == STAFF_CHAT and d.method == "copyMessage"]
    assert len(into_group) == MESSAGES
    assert all(d.thread_id == thread and d.source[0] == USER for d in into_group)
    sources = [d.source[1] for d in into_group]
    assert sources == sorted(sources) and len(set(sources)) == MESSAGES  # in order, none twice
    assert vtime.now - started >= (MESSAGES - 20) / 20 * 60  # the group's limit held: about ten minutes

    for n in range(MESSAGES):
        await operator.say(thread, f"Ответ сотрудника {n}")
    to_borrower = [d for d in telegram.deliveries if d.chat_id == USER and d.method == "copyMessage"]
    assert len(to_borrower) == MESSAGES
    replies = [d.source[1] for d in to_borrower]
    assert replies == sorted(replies) and len(set(replies)) == MESSAGES

    assert telegram.count_429 == 0
    async with session_of(engine) as db:
        stored = await db.scalar(select(func.count()).select_from(CaseMessage))
    assert stored == 2 * MESSAGES

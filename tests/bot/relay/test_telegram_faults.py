"""The Bot API answering 429 (with retry_after) and 5xx in the middle of a relay burst, both ways, every Telegram limit
enforced by the fake on the virtual clock it shares with the bot's limiter: every copy arrives exactly once and in
order, nothing is left failed, and nothing is sent while a 429's wait runs (the fake refuses, as Telegram does, any
message that does not wait, so a 429 more than those injected would show it). A copy (or a console reply) Telegram
keeps failing past the staff room's retries goes back to the backend and out with a later claim, once."""

import asyncio
from http import HTTPStatus

import pytest
from sqlalchemy import func, select

from api.console.chat.transcript import lines
from api.models import CaseMessage, RelayTask, RelayTaskKind, RelayTaskStatus
from bot.app.console_relay import ConsoleRelay
from bot.app.relay_copies import UNSENT_RETRY_SECONDS
from bot.staff_room import SERVER_ERROR_BACKOFF
from fake_bot_api import FakeBotApi
from tests.api.outbox_helpers import session_of
from tests.bot.relay.conftest import STAFF_CHAT
from tests.bot.relay.console_helpers import console_member, reply
from tests.bot.relay.test_take_over import in_topic, the_case, topic_of
from tests.helpers import link

BURST = 12
USER = 1001
TOO_MANY = HTTPStatus.TOO_MANY_REQUESTS


@pytest.fixture
async def telegram(vtime):
    async with FakeBotApi(clock=vtime) as fake:  # Telegram's limits, all of them
        yield fake


async def copy_tasks(engine) -> list[RelayTask]:
    async with session_of(engine) as db:
        tasks = await db.scalars(select(RelayTask).order_by(RelayTask.id))
        return [t for t in tasks if t.kind in (RelayTaskKind.COPY_IN, RelayTaskKind.COPY_OUT)]


async def escalated(client, chat_factory, vtime):
    """A linked borrower who asked for a person: the chat held, its topic open with the card."""
    assert (await link(client, USER)).status_code == 200
    chat = chat_factory(USER)
    for step in ("/operator", "Хочу обсудить график платежей"):
        await chat.send(step)
        vtime.now += 2  # a person types slower than Telegram's limit for one chat
    return chat


def copies(deliveries) -> list:
    return [d for d in deliveries if d.method == "copyMessage"]


def sent_during_a_wait(telegram) -> list:
    """Deliveries made while an injected 429's retry_after ran."""
    waits = [(r.at, r.at + r.retry_after) for r in telegram.rejections if r.error_code == TOO_MANY]
    return [d for d in telegram.deliveries for begun, ends in waits if begun < d.at < ends]


async def test_429s_and_5xx_in_a_burst_both_ways_deliver_every_copy_once_in_order(
    client, engine, chat_factory, operator, telegram, vtime
):
    chat = await escalated(client, chat_factory, vtime)
    thread = topic_of(telegram)
    vtime.now += 60  # the card and the first words left the group's minute behind

    # borrower -> topic: a 429 (wait 7 s), two 500s and a 502, one after the other, at the burst's start
    telegram.refuse(TOO_MANY, retry_after=7, chat_id=STAFF_CHAT)
    telegram.refuse(500, times=2, chat_id=STAFF_CHAT)
    telegram.refuse(502, chat_id=STAFF_CHAT)
    await asyncio.gather(*(chat.send(f"Сообщение заёмщика {n}") for n in range(BURST)))
    into_topic = copies(in_topic(telegram, thread))
    assert len(into_topic) == BURST
    sources = [d.source[1] for d in into_topic]
    assert sources == sorted(sources) and len(set(sources)) == BURST  # in order, none twice

    # staff -> borrower: a 429 (wait 3 s) and three 503s into the borrower's chat, mid-way through the replies
    for n in range(BURST):
        if n == BURST // 2:
            telegram.refuse(TOO_MANY, retry_after=3, chat_id=chat.user_id)
            telegram.refuse(503, times=3, chat_id=chat.user_id)
        await operator.say(thread, f"Ответ сотрудника {n}")
    to_borrower = copies(telegram.delivered_to(chat.user_id))
    assert len(to_borrower) == BURST
    replies = [d.source[1] for d in to_borrower]
    assert replies == sorted(replies) and len(set(replies)) == BURST

    refused = sorted(r.error_code for r in telegram.rejections)
    assert refused == [TOO_MANY, TOO_MANY, 500, 500, 502, 503, 503, 503]  # what was injected: every wait kept
    assert sent_during_a_wait(telegram) == []
    tasks = await copy_tasks(engine)
    assert len(tasks) == 2 * BURST and {t.status for t in tasks} == {RelayTaskStatus.DONE}
    async with session_of(engine) as db:
        stored = await db.scalar(select(func.count()).select_from(CaseMessage))
    assert stored == 2 * BURST  # each once in the transcript


async def test_a_copy_telegram_keeps_failing_goes_back_and_out_once_with_a_later_claim(
    client, engine, clock, chat_factory, operator, telegram, vtime
):
    chat = await escalated(client, chat_factory, vtime)
    thread = topic_of(telegram)
    before = len(copies(in_topic(telegram, thread)))
    started = vtime.now
    telegram.refuse(500, times=len(SERVER_ERROR_BACKOFF) + 1, chat_id=STAFF_CHAT)  # every try of this claim

    await chat.send("Вы меня слышите?")
    vtime.now += 2
    await chat.send("Жду ответа")  # queued behind it: a case's copies keep their order
    assert len(copies(in_topic(telegram, thread))) == before
    assert vtime.now - started >= sum(SERVER_ERROR_BACKOFF)  # backed off between the tries
    first, second = await copy_tasks(engine)
    assert first.status is RelayTaskStatus.CLAIMED and first.send_started_at is None  # handed back, not unconfirmed
    assert "Telegram 5xx" in first.last_error and second.status is RelayTaskStatus.PENDING
    case = await the_case(engine)
    async with session_of(engine) as db:
        waiting = {line.message.text: line.delivery for line in await lines(db, case_id=case.id)}
    assert waiting["Вы меня слышите?"] == "waiting"

    clock.advance(seconds=UNSENT_RETRY_SECONDS + 1)
    await operator.say(thread, "Да, слышу")  # any update: the worker beside the bot claims again
    sent = [d.source[1] for d in copies(in_topic(telegram, thread))[before:]]
    assert len(sent) == 2 and sent == sorted(sent)
    assert [d.source[0] for d in copies(telegram.delivered_to(chat.user_id))] == [STAFF_CHAT]
    assert {t.status for t in await copy_tasks(engine)} == {RelayTaskStatus.DONE}


async def test_a_console_reply_telegram_keeps_failing_goes_out_once_with_a_later_claim(
    client, engine, clock, demo, chat_factory, telegram, dispatcher, bot, vtime
):
    chat = await escalated(client, chat_factory, vtime)
    case = await the_case(engine)
    maria = await console_member(engine)
    await reply(engine, clock, case.id, maria, "Здравствуйте, Иван! Смотрю ваш график.")
    telegram.refuse(502, times=len(SERVER_ERROR_BACKOFF) + 1, chat_id=chat.user_id)
    relay = ConsoleRelay(dispatcher, bot)
    before = len(telegram.delivered_to(chat.user_id))

    assert await relay.run_once() == 1
    assert len(telegram.delivered_to(chat.user_id)) == before  # not delivered: handed back, not left unconfirmed
    assert await relay.run_once() == 0  # its wait
    clock.advance(seconds=UNSENT_RETRY_SECONDS + 1)
    assert await relay.run_once() == 1
    [sent] = telegram.delivered_to(chat.user_id)[before:]
    assert sent.text == "Здравствуйте, Иван! Смотрю ваш график."
    async with session_of(engine) as db:
        [task] = (await db.scalars(select(RelayTask))).all()
    assert (task.status, task.attempts) == (RelayTaskStatus.DONE, 2)

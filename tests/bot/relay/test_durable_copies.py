"""The Telegram relay's copies are queued in the backend, not in the bot's memory: a bot killed with copies waiting
(either way) loses none and repeats none once a new one starts, a copy whose send started and was never confirmed
is not sent again and shows as not confirmed in the console, and a case's copies keep their order."""

import pytest
from sqlalchemy import select

from api.console.chat.transcript import lines
from api.models import RelayTask, RelayTaskKind, RelayTaskStatus
from bot.app.console_relay import ConsoleRelay
from bot.app.dispatcher import setup_dispatcher
from bot.limits import RateLimiter
from bot.metrics import RELAY_COPIES
from tests.api.outbox_helpers import session_of
from tests.bot.relay.conftest import STAFF_CHAT, StaffChat
from tests.bot.relay.test_take_over import escalate, in_topic, the_case, topic_of

LEASE = 120  # the relay worker's


def copies_in(telegram, thread: int) -> list[tuple[int, int]]:
    return [d.source for d in in_topic(telegram, thread) if d.method == "copyMessage"]


def copies_to(telegram, user_id: int) -> list[tuple[int, int]]:
    return [d.source for d in telegram.delivered_to(user_id) if d.method == "copyMessage"]


@pytest.fixture
def bare(backend, bot_settings, storage, vtime, bot):
    """A bot process of its own, whose relay worker runs only when a test says so (or never: killed)."""

    def start():
        limiter = RateLimiter(clock=vtime, sleep=vtime.sleep)
        return setup_dispatcher(backend=backend, settings=bot_settings, storage=storage, limiter=limiter)

    return start


async def tasks_of(engine) -> list[RelayTask]:
    async with session_of(engine) as db:
        return list((await db.scalars(select(RelayTask).order_by(RelayTask.id))).all())


async def drain(relay: ConsoleRelay) -> None:
    while await relay.run_once():
        pass


async def held_chat(linked, telegram, operator, bare, bot):
    """An escalated chat, both sides then talking to a bot whose relay worker is not running."""
    chat = await linked()
    await escalate(chat)
    thread = topic_of(telegram)
    dead = bare()
    chat.dispatcher = dead
    return chat, thread, StaffChat(dead, bot)


async def test_a_bot_killed_with_copies_waiting_both_ways_loses_and_repeats_none(
    app, engine, clock, linked, operator, telegram, bare, bot
):
    chat, thread, staff = await held_chat(linked, telegram, operator, bare, bot)
    into_topic, to_borrower = len(copies_in(telegram, thread)), len(copies_to(telegram, chat.user_id))
    counted = {way: RELAY_COPIES.labels(way, "sent")._value.get() for way in ("to_staff", "to_borrower")}
    for n in range(3):
        await chat.send(f"Сообщение {n}")
        await staff.say(thread, f"Ответ {n}")
    first = ConsoleRelay(chat.dispatcher, bot, batch=1)
    assert await first.run_once() == 1  # one copy out, then the process is killed
    assert len(copies_in(telegram, thread)) == into_topic + 1

    restarted = bare()  # nothing of the first process survives but what the backend holds
    await drain(ConsoleRelay(restarted, bot))

    borrower_ids = [source[1] for source in copies_in(telegram, thread)[into_topic:]]
    assert len(borrower_ids) == 3 and borrower_ids == sorted(borrower_ids)
    staff_copies = copies_to(telegram, chat.user_id)[to_borrower:]
    assert len(staff_copies) == 3 and all(chat_id == STAFF_CHAT for chat_id, _ in staff_copies)
    assert [message_id for _, message_id in staff_copies] == sorted(message_id for _, message_id in staff_copies)
    copies = [t for t in await tasks_of(engine) if t.kind in (RelayTaskKind.COPY_IN, RelayTaskKind.COPY_OUT)]
    assert len(copies) == 6 and all(t.status is RelayTaskStatus.DONE for t in copies)
    assert {way: RELAY_COPIES.labels(way, "sent")._value.get() - n for way, n in counted.items()} == {
        "to_staff": 3,
        "to_borrower": 3,
    }


async def test_copies_claimed_by_a_bot_that_died_go_out_once_the_lease_lapses(
    app, engine, clock, linked, operator, telegram, bare, bot, backend
):
    chat, thread, staff = await held_chat(linked, telegram, operator, bare, bot)
    await chat.send("Вы здесь?")
    await staff.say(thread, "Да, слушаю")
    held = await backend.claim_relay_tasks(limit=5, lease_seconds=LEASE)  # the bot dies holding them
    assert [task.kind for task in held] == ["copy_in"]  # a case's tasks one at a time
    relay = ConsoleRelay(bare(), bot)
    assert await relay.run_once() == 0  # leased: no one else's yet
    clock.advance(seconds=LEASE + 1)

    await drain(relay)
    assert copies_in(telegram, thread) == [(chat.user_id, held[0].copy_of.message_id)]
    assert [chat_id for chat_id, _ in copies_to(telegram, chat.user_id)] == [STAFF_CHAT]


@pytest.mark.parametrize("side", ["borrower", "staff"])
async def test_a_copy_whose_send_started_unconfirmed_is_never_repeated_and_shows_not_confirmed(
    app, engine, clock, linked, operator, telegram, bare, bot, backend, monkeypatch, side
):
    chat, thread, staff = await held_chat(linked, telegram, operator, bare, bot)
    if side == "borrower":
        await chat.send("Один раз")
    else:
        await staff.say(thread, "Один раз")
    before_in, before_out = len(copies_in(telegram, thread)), len(copies_to(telegram, chat.user_id))

    async def dies(*args, **kwargs):
        raise SystemExit  # the process ends between Telegram's answer and the report

    monkeypatch.setattr(type(backend), "relay_task_delivered", dies)
    with pytest.raises(SystemExit):
        await ConsoleRelay(bare(), bot).run_once()
    monkeypatch.undo()
    clock.advance(seconds=LEASE + 1)
    assert await ConsoleRelay(bare(), bot).run_once() == 0

    sent = len(copies_in(telegram, thread)) - before_in, len(copies_to(telegram, chat.user_id)) - before_out
    assert sent == ((1, 0) if side == "borrower" else (0, 1))
    [task] = [t for t in await tasks_of(engine) if t.kind in (RelayTaskKind.COPY_IN, RelayTaskKind.COPY_OUT)]
    assert task.status is RelayTaskStatus.FAILED and "Unconfirmed" in task.last_error
    case = await the_case(engine)
    async with session_of(engine) as db:
        [line] = [line for line in await lines(db, case_id=case.id) if line.message.text == "Один раз"]
    assert line.delivery == "failed"  # the console says: not confirmed, it may not have arrived


async def test_a_queued_copy_waits_in_the_transcript_until_the_worker_sends_it(
    app, engine, linked, operator, telegram, bare, bot
):
    chat, thread, _ = await held_chat(linked, telegram, operator, bare, bot)
    await chat.send("Жду ответа")
    case = await the_case(engine)
    async with session_of(engine) as db:
        [line] = [line for line in await lines(db, case_id=case.id) if line.message.text == "Жду ответа"]
    assert line.delivery == "waiting" and copies_in(telegram, thread) == []
    await drain(ConsoleRelay(chat.dispatcher, bot))
    async with session_of(engine) as db:
        [line] = [line for line in await lines(db, case_id=case.id) if line.message.text == "Жду ответа"]
    assert line.delivery == "delivered" and len(copies_in(telegram, thread)) == 1


async def test_a_retried_queue_call_queues_one_copy(app, engine, linked, operator, telegram, bare, bot, backend):
    await held_chat(linked, telegram, operator, bare, bot)
    case = await the_case(engine)
    for _ in range(2):  # the bot retried: its first call's answer was lost
        await backend.queue_copy(
            case.id, direction="borrower", kind="text", text="Дубль?", source_chat_id=1001, telegram_message_id=77
        )
    copies = [t for t in await tasks_of(engine) if t.kind is RelayTaskKind.COPY_IN]
    assert len(copies) == 1 and copies[0].source_chat_id == 1001

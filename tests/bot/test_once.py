"""Each Telegram update is handled once: the same update fed twice through the real dispatcher is answered once, and
so is one fed to two replicas on one Redis (Telegram redelivers a webhook call it thinks failed, to either). An
update whose handling failed is let go, so its redelivery is handled; one whose replica died mid-way comes back once
its hold lapsed."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import SendMessage
from aiogram.types import Update

from bot.app.dispatcher import setup_dispatcher
from bot.metrics import DUPLICATE_UPDATES
from bot.offline import next_update_id
from bot.seen_updates import HANDLING_SECONDS, KEPT_SECONDS, MemorySeen, RedisSeen
from tests.bot.restarts import REDIS_URL


def help_update(bot, user_id: int = 7101) -> Update:
    """A /help as Telegram delivers it, with an id of its own."""
    message = {
        "message_id": 1,
        "date": datetime.now(UTC),
        "chat": {"id": user_id, "type": "private", "first_name": "Иван"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Иван", "language_code": "ru"},
        "text": "/help",
        "entities": [{"offset": 0, "length": 5, "type": "bot_command"}],
    }
    return Update.model_validate({"update_id": next_update_id(), "message": message}, context={"bot": bot})


def replies(session) -> list[SendMessage]:
    return [call.method for call in session.log if isinstance(call.method, SendMessage)]


async def test_the_same_update_twice_is_answered_once(dispatcher, bot, session):
    update = help_update(bot)
    await dispatcher.feed_update(bot, update)
    answered = len(replies(session))
    assert answered >= 1
    dropped = DUPLICATE_UPDATES._value.get()
    await dispatcher.feed_update(bot, update)
    assert len(replies(session)) == answered, "the redelivered update was handled again"
    assert DUPLICATE_UPDATES._value.get() == dropped + 1  # counted for the operators (ipoteka_bot_duplicate_updates)
    await dispatcher.feed_update(bot, help_update(bot))  # a new update is handled as ever
    assert len(replies(session)) == 2 * answered


@pytest.fixture
async def replicas(redis, prefix, backend, bot_settings) -> AsyncIterator[list]:
    """Two bot replicas, each with its own connection to one Redis, under one prefix (as one deployment)."""
    storages = [
        RedisStorage.from_url(REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True))
        for _ in range(2)
    ]
    yield [setup_dispatcher(backend=backend, settings=bot_settings, storage=storage) for storage in storages]
    for storage in storages:
        await storage.close()


async def test_an_update_delivered_to_two_replicas_is_handled_by_one(replicas, bot, session, redis, prefix):
    update = help_update(bot)
    first, second = replicas
    await first.feed_update(bot, update)
    answered = len(replies(session))
    await second.feed_update(bot, update)
    assert len(replies(session)) == answered
    assert await redis.get(f"{prefix}:update:{update.update_id}") == b"handled"
    assert 0 < await redis.ttl(f"{prefix}:update:{update.update_id}") <= KEPT_SECONDS


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_in_process_a_failed_update_is_let_go_and_a_dead_hold_lapses():
    clock = Clock()
    seen = MemorySeen(clock=clock)
    assert await seen.take(1) and not await seen.take(1)  # taken: a redelivery while it is handled is dropped
    await seen.release(1)  # its handler raised
    assert await seen.take(1)
    clock.now += HANDLING_SECONDS + 1  # the replica died holding it
    assert await seen.take(1)
    await seen.handled(1)
    clock.now += HANDLING_SECONDS + 1
    assert not await seen.take(1)  # handled: kept for a day
    clock.now += KEPT_SECONDS
    assert await seen.take(1)


async def test_in_process_the_oldest_are_forgotten_past_the_capacity():
    seen = MemorySeen(capacity=3)
    for update_id in range(1, 5):
        assert await seen.take(update_id)
    assert await seen.take(1), "the oldest was kept past the capacity"
    assert not await seen.take(4)


async def test_in_redis_a_failed_update_is_let_go_and_a_hold_expires(redis, prefix):
    seen = RedisSeen(redis, prefix=prefix)
    assert await seen.take(5) and not await seen.take(5)
    assert 0 < await redis.ttl(f"{prefix}:update:5") <= HANDLING_SECONDS  # a dead replica's hold lapses
    await seen.release(5)
    assert await seen.take(5)

"""Dialogs kept in Redis survive a restart: a new dispatcher on a new storage object carries on where the old one
stopped (Redis at 127.0.0.1:6379, database 15; skipped when it is not running)."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.app import DRAFT_TTL, setup_dispatcher
from bot.offline import OfflineChat, OfflineSession
from tests.bot.conftest import IVAN
from tests.bot.replies import texts
from tests.bot.walks import ONBOARD, data_of, question, state_of
from tests.helpers import as_user

REDIS_URL = "redis://127.0.0.1:6379/15"
Restart = Callable[[], Awaitable[Dispatcher]]


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError):
        await client.aclose()
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    yield client
    await client.aclose()


@pytest.fixture
async def prefix(redis: Redis) -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    name = f"ipoteka-test-{uuid.uuid4().hex}"
    yield name
    keys = [key async for key in redis.scan_iter(match=f"{name}:*")]
    if keys:
        await redis.delete(*keys)


@pytest.fixture
async def boot(backend, bot_settings, prefix) -> AsyncIterator[Restart]:
    """Starts the bot process anew: the previous one's storage closed, a new one on the same Redis, a new dispatcher."""
    storages: list[RedisStorage] = []

    async def start() -> Dispatcher:
        if storages:
            await storages[-1].close()
        storage = RedisStorage.from_url(
            REDIS_URL,
            key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True),
            state_ttl=DRAFT_TTL,
            data_ttl=DRAFT_TTL,
        )
        storages.append(storage)
        return setup_dispatcher(backend=backend, settings=bot_settings, storage=storage)

    yield start
    await storages[-1].close()


def key(prefix: str, user_id: int, part: str) -> str:
    return DefaultKeyBuilder(prefix=prefix, with_destiny=True).build(
        StorageKey(bot_id=42, chat_id=user_id, user_id=user_id), part
    )


def chat_on(dispatcher: Dispatcher, user_id: int, session: OfflineSession | None = None) -> OfflineChat:
    session = session or OfflineSession()
    return OfflineChat(dispatcher, Bot("42:TEST", session=session), session, user_id=user_id, phone=IVAN[0])


async def test_linking_resumes_after_a_restart(redis, prefix, boot, demo, client):
    first = chat_on(await boot(), 6001)
    for step in ONBOARD:
        await step(first)
    assert await state_of(first) == "Onboarding:second_factor"
    assert await redis.exists(key(prefix, 6001, "state")), "the state is not kept in Redis"

    second = chat_on(await boot(), 6001)
    assert await state_of(second) == "Onboarding:second_factor"
    assert (await data_of(second))["phone"] == IVAN[0]
    calls = await second.send(IVAN[1])
    assert texts(calls)
    assert await state_of(second) == "ReminderOffer:ask"
    assert question(calls)[1] == ("remind:1", "remind:0")
    me = await client.get("/api/v1/me", headers=as_user(6001))
    assert me.status_code == 200 and me.json()["first_name"] == "Иван"


async def test_a_settings_draft_survives_a_restart(redis, prefix, boot, demo, client):
    first = chat_on(await boot(), 6002)
    for step in (*ONBOARD, lambda chat: chat.send(IVAN[1]), lambda chat: chat.press_data("remind:1")):
        await step(first)
    await first.send("/settings")
    await first.press_data("set:days")
    await first.press_data("day:14")
    draft = await data_of(first)
    assert 14 in draft["days"]
    assert 0 < await redis.ttl(key(prefix, 6002, "data")) <= DRAFT_TTL.total_seconds()

    second = chat_on(await boot(), 6002)
    assert await data_of(second) == draft
    await second.press_data("days")
    saved = (await client.get("/api/v1/me/settings", headers=as_user(6002))).json()["reminder_days_ahead"]
    assert sorted(saved, reverse=True) == draft["days"]
    assert await state_of(second) == "SettingsForm:main"

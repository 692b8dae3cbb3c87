"""The live event bus: every subscriber gets each event in order, on every transport; with Redis and PostgreSQL two
buses on connections of their own stand for two backend workers, and what one publishes reaches both. Only ids ride
along."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from api.events.bus import QUEUE_SIZE, EventBus
from api.events.event import Event
from api.events.postgres import PostgresBus
from api.events.redis import RedisBus

REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
WAIT = 5.0  # seconds a networked event may take to arrive; it comes in milliseconds


async def received(subscription) -> Event:
    return await asyncio.wait_for(subscription.get(), WAIT)


def test_an_event_carries_only_integer_ids() -> None:
    event = Event("case.message", {"case_id": 7, "message_id": 31})
    assert Event.from_json(event.to_json()) == event
    for bad in ({"case_id": "7"}, {"name": 1.5}, {"phone": True}, {"Case": 1}):
        with pytest.raises(ValueError):
            Event("case.message", bad)
    with pytest.raises(ValueError):
        Event("CaseMessage")


async def test_in_process_every_subscriber_gets_each_event_in_order() -> None:
    bus = EventBus()
    async with bus.subscribe() as first, bus.subscribe() as second:
        for number in (1, 2, 3):
            await bus.publish(Event("case.message", {"case_id": number}))
        for subscription in (first, second):
            assert [(await received(subscription)).ids["case_id"] for _ in range(3)] == [1, 2, 3]
    await bus.publish(Event("queue.changed"))  # nobody listens any more: nothing to do
    assert not bus._subscribers


async def test_a_slow_subscriber_loses_its_oldest_events_not_the_newest() -> None:
    bus = EventBus()
    async with bus.subscribe() as slow:
        for number in range(QUEUE_SIZE + 5):
            await bus.publish(Event("case.message", {"case_id": number}))
        assert (await received(slow)).ids["case_id"] == 5


async def test_an_unreadable_event_is_dropped() -> None:
    bus = EventBus()
    async with bus.subscribe() as subscription:
        bus.deliver(b"{not json")
        bus.deliver('{"name": "case.message", "ids": {"case_id": "Иван"}}')
        await bus.publish(Event("queue.changed"))
        assert (await received(subscription)).name == "queue.changed"


async def _two_workers_hear_one(make) -> None:
    """Two buses (two workers), each subscribed on its own connection; the event one publishes reaches both."""
    first, second = make(), make()
    try:
        async with first.subscribe() as heard_first, second.subscribe() as heard_second:
            event = Event("case.message", {"case_id": 12, "message_id": 40})
            await first.publish(event)
            assert await received(heard_first) == event
            assert await received(heard_second) == event
            await second.publish(Event("queue.changed"))
            assert (await received(heard_first)).name == (await received(heard_second)).name == "queue.changed"
    finally:
        await first.close()
        await second.close()


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        await client.ping()
    except (RedisError, OSError):
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    finally:
        await client.aclose()
    yield REDIS_URL


async def test_redis_pub_sub_reaches_every_worker(redis_url) -> None:
    channel = f"test_events_{uuid.uuid4().hex}"
    await _two_workers_hear_one(lambda: RedisBus(redis_url, channel=channel))


@pytest.fixture
async def postgres_engine():
    url = os.environ.get("TEST_DATABASE_URL", "")
    engine = create_async_engine(url if url.startswith("postgresql") else POSTGRES_URL)
    try:
        async with engine.connect():
            pass
    except (OSError, ConnectionError) as exc:
        await engine.dispose()
        pytest.skip(f"PostgreSQL is not reachable ({type(exc).__name__})")
    yield engine
    await engine.dispose()


async def test_postgres_listen_notify_reaches_every_worker(postgres_engine) -> None:
    channel = f"test_events_{uuid.uuid4().hex}"
    await _two_workers_hear_one(lambda: PostgresBus(postgres_engine, channel=channel))


async def test_a_postgres_listener_reconnects_after_its_connection_is_killed(postgres_engine, monkeypatch) -> None:
    monkeypatch.setattr("api.events.listening.RECONNECT_SECONDS", 0.0)
    channel = f"test_events_{uuid.uuid4().hex}"
    bus = PostgresBus(postgres_engine, channel=channel)
    try:
        async with bus.subscribe() as heard:
            async with postgres_engine.begin() as connection:
                killed = await connection.scalar(
                    text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE :listen"),
                    {"listen": f"LISTEN%{channel}%"},
                )
            assert killed == 1
            for _ in range(200):  # published until the new listener hears one
                await bus.publish(Event("queue.changed"))
                try:
                    assert (await asyncio.wait_for(heard.get(), 0.05)).name == "queue.changed"
                    break
                except TimeoutError:
                    continue
            else:
                pytest.fail("the listener never came back")
    finally:
        await bus.close()

"""The bot's Redis connections under a burst: past the pool's size a caller waits for a connection to come back, as
long as Redis answers in time, instead of being refused as if Redis were down."""

import asyncio
import uuid

import pytest
from redis.asyncio import Redis
from redis.exceptions import MaxConnectionsError

from bot.redis_client import connect
from tests.bot.restarts import REDIS_URL

#: Calls at once, each holding its connection for a moment (BLPOP on an empty list waits without holding Redis up).
BURST = 4
HOLD_SECONDS = 0.05


async def _burst(client: Redis) -> list[object]:
    key = f"pool-test:{uuid.uuid4().hex}"
    return await asyncio.gather(*(client.blpop([key], timeout=HOLD_SECONDS) for _ in range(BURST)))


async def test_a_burst_past_the_pool_waits_for_a_connection_and_every_call_is_answered(redis):
    client = connect(REDIS_URL, max_connections=2)
    try:
        assert await _burst(client) == [None] * BURST
    finally:
        await client.aclose()


async def test_redis_pys_own_pool_refuses_the_same_burst(redis):
    """Why the pool blocks: the default one fails the calls past its size at once, which the bot read as Redis down."""
    client = Redis.from_url(REDIS_URL, max_connections=2)
    try:
        with pytest.raises(MaxConnectionsError):
            await _burst(client)
    finally:
        await client.aclose()

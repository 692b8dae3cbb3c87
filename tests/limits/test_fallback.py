"""The shared budget while Redis is down (a redis-server of the test's own, stopped and started again): each process
sends on its own quarter of Telegram's overall and per-group limits, a 429 still pauses it, a permit taken before
Redis went away ends without an error, and once Redis answers again the budget is shared again, on the virtual
clock of the limiters' tests."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.limits import FallbackLimiter, Limits, SharedRateLimiter
from bot.limits.fallback import OUTAGE_SHARE, RETRY_SECONDS, outage_limits
from bot.metrics import BUDGET_FALLBACK
from bot.redis_client import redis_options
from tests.limits.conftest import TimedRedis, most_in_any_window, send
from tests.redis_server import RedisServer


@pytest.fixture
async def server(tmp_path) -> AsyncIterator[RedisServer]:
    async with RedisServer(tmp_path, persist=False) as server:
        yield server


@pytest.fixture
async def limiter(server, clock) -> AsyncIterator[FallbackLimiter]:
    client = TimedRedis.from_url(server.url, **redis_options())  # the bot's own client options
    client.clock = clock
    shared = SharedRateLimiter(
        client, Limits(), key=f"test-{uuid.uuid4().hex}", clock=clock, sleep=clock.sleep, owns_client=True
    )
    limiter = FallbackLimiter(shared, clock=clock, sleep=clock.sleep)
    yield limiter
    await limiter.aclose()


def test_the_outage_share_of_telegrams_limits():
    assert OUTAGE_SHARE == 0.25
    share = outage_limits(Limits())
    assert (share.per_second, share.group_per_minute, share.chat_interval) == (7, 5, 1.0)
    assert outage_limits(Limits(per_second=2, group_per_minute=3)).per_second == 1  # never nothing


async def test_redis_down_each_process_sends_on_its_share_then_shares_again(server, limiter, clock):
    await server.stop()
    start = clock.now
    moments = await asyncio.gather(*(send(limiter, clock, chat) for chat in range(1, 29)))
    group = await asyncio.gather(*(send(limiter, clock, -100) for _ in range(6)))
    assert limiter.falling_back and BUDGET_FALLBACK._value.get() == 1
    assert most_in_any_window(sorted(m - start for m in moments), 1.0) == 7
    assert max(moments) - start >= 3.0  # 28 at 7 a second
    assert most_in_any_window(sorted(m - start for m in group), 60.0) == 5 and max(group) - min(group) >= 60.0

    await limiter.pause(4)  # a 429 while Redis is down pauses this process
    paused = clock.now
    assert await send(limiter, clock, 99) - paused == pytest.approx(4.0, abs=0.05)

    await server.start()
    clock.now += RETRY_SECONDS
    await send(limiter, clock, 100)
    assert not limiter.falling_back and BUDGET_FALLBACK._value.get() == 0
    answered = await limiter.shared._redis.zrange(limiter.shared._name("all:a"), 0, -1)
    assert len(answered) == 1  # the send went through the shared budget


async def test_a_permit_taken_before_redis_went_away_ends_without_an_error(server, limiter, clock):
    permit = await limiter.reserve(7)
    await permit.start()
    await server.stop()
    await permit.done()  # the send Telegram took stands; its permit lapses in Redis on its own
    assert not permit.open

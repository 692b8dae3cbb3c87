"""The budget shared through Redis by two limiters, as two processes would hold it: together they keep every window,
a 429 seen by one pauses the other, an urgent request in one holds back the other's pushes, a dead process's permits
lapse; and on Redis's own clock (no clock given), with a short window, in real time."""

import asyncio
import itertools
import time

import pytest

from bot.limits import Limits, SharedRateLimiter
from tests.limits.conftest import most_in_any_window, send


@pytest.fixture
def pair(redis, budget_key, clock):
    def make(**limits):
        return SharedRateLimiter(redis, Limits(**limits), key=budget_key, clock=clock, sleep=clock.sleep)

    return make(), make()


async def test_two_processes_together_keep_every_window(clock, pair):
    one, other = pair
    start = clock.now
    sends = [send(one, clock, chat) for chat in range(1, 46)] + [send(other, clock, chat) for chat in range(46, 91)]
    sends += [send(limiter, clock, 7) for limiter in pair for _ in range(2)]  # one chat from both sides
    sends += [send(limiter, clock, -100) for limiter in pair for _ in range(12)]  # the staff group from both
    moments = await asyncio.gather(*sends)
    overall = sorted(m - start for m in moments)
    assert most_in_any_window(overall, 1.0) == 30
    chat = sorted(m - start for m in moments[90:94])
    assert all(later - earlier >= 1.0 - 1e-6 for earlier, later in itertools.pairwise(chat))
    group = sorted(m - start for m in moments[94:])
    assert most_in_any_window(group, 60.0) == 20 and group[20] >= 60.0


async def test_a_429_in_one_pauses_the_other(clock, pair):
    one, other = pair
    start = clock.now
    await one.pause(3)
    assert await send(other, clock, 1) - start == pytest.approx(3.0)


async def test_a_reply_in_one_holds_back_the_others_pushes(clock, pair):
    pusher, replier = pair
    start = clock.now
    pushes = [asyncio.create_task(send(pusher, clock, chat)) for chat in range(1, 91)]
    await clock.sleep(0.5)
    replies = await asyncio.gather(
        *(send(replier, clock, chat, urgent=True, chat_window=False) for chat in range(1001, 1011))
    )
    assert [m - start for m in replies] == pytest.approx([1.0] * 10, abs=0.05)
    pushed = sorted(m - start for m in await asyncio.gather(*pushes))
    assert sum(1 for m in pushed if 0.99 <= m < 1.99) == 20


async def test_a_dead_processs_permits_lapse(redis, budget_key, clock):
    # Two seconds: past the overall window's one, so the wait is the permits' expiry, not the window's (and each
    # virtual poll costs the clock's quiet moment of real time: 5 s of expiry took 5 s to run).
    dead = SharedRateLimiter(redis, Limits(permit_expiry=2), key=budget_key, clock=clock, sleep=clock.sleep)
    alive = SharedRateLimiter(redis, Limits(permit_expiry=2), key=budget_key, clock=clock, sleep=clock.sleep)
    start = clock.now
    for chat in range(1, 31):
        await dead.reserve(chat)  # never answered: the process died holding them
    assert await send(alive, clock, 99) - start == pytest.approx(2.0, abs=0.05)


async def test_on_redis_own_clock_two_processes_keep_a_short_window(redis, budget_key):
    one, other = (SharedRateLimiter(redis, Limits(per_second=10), key=budget_key) for _ in range(2))

    async def timed(limiter, chat_id):
        permit = await limiter.reserve(chat_id)
        await permit.start()
        moment = time.monotonic()
        await permit.done()
        return moment

    began = time.monotonic()
    moments = sorted(await asyncio.gather(*(timed(one if c % 2 else other, c) for c in range(1, 26))))
    assert most_in_any_window(moments, 1.0 - 0.02) <= 10  # 20 ms for the way from Redis's clock to ours
    assert 1.9 <= moments[-1] - began < 2.6  # 25 sends at 10 a second: at 0, 1 and 2 s

"""The sender's own limits, on a clock the test moves: overall per second, per chat, per group a minute, pauses."""

import asyncio

import pytest

from bot.limits import Limits, RateLimiter


class Clock:
    """Monotonic seconds that move only when a waiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def limiter(clock: Clock, **limits) -> RateLimiter:
    return RateLimiter(Limits(margin=0.0, **limits), clock=clock, sleep=clock.sleep)


async def send(limiter: RateLimiter, clock: Clock, chat_id: int, *, lead: float = 0.0) -> float:
    """A send answered at once; the moment it went."""
    permit = await limiter.reserve(chat_id, lead=lead)
    await permit.start()
    permit.done()
    return clock.now


def most_in_any_window(moments: list[float], span: float) -> int:
    return max(sum(1 for m in moments if start <= m < start + span) for start in moments)


@pytest.fixture
def shared(clock) -> RateLimiter:
    return limiter(clock)


async def test_thirty_a_second_overall(clock, shared):
    moments = await asyncio.gather(*(send(shared, clock, chat) for chat in range(1, 91)))
    assert most_in_any_window(sorted(moments), 1.0) == 30
    assert max(moments) == pytest.approx(2.0)  # 90 sends: 0 s, 1 s and 2 s, thirty at each


async def test_one_a_second_per_chat(clock, shared):
    moments = await asyncio.gather(*(send(shared, clock, 7) for _ in range(4)))
    assert sorted(moments) == pytest.approx([0.0, 1.0, 2.0, 3.0])


async def test_twenty_a_minute_into_a_group(clock, shared):
    moments = sorted(await asyncio.gather(*(send(shared, clock, -100) for _ in range(25))))
    assert moments[19] < 60.0 <= moments[20]
    assert most_in_any_window(moments, 60.0) == 20


async def test_a_margin_widens_every_window(clock):
    widened = RateLimiter(Limits(margin=0.015), clock=clock, sleep=clock.sleep)
    moments = await asyncio.gather(*(send(widened, clock, 7) for _ in range(2)))
    assert sorted(moments) == pytest.approx([0.0, 1.015])


async def test_a_permit_not_yet_used_counts_as_a_send_now(clock, shared):
    held = [await shared.reserve(chat) for chat in range(1, 31)]
    waiting = asyncio.create_task(send(shared, clock, 99))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not waiting.done()  # thirty permits out: the thirty-first waits for them
    clock.now = 0.5
    for permit in held:
        permit.done()  # Telegram answered them now
    assert await waiting == pytest.approx(1.5)  # a second after the answers, whenever the requests left


async def test_a_permit_ahead_of_its_slot_waits_for_it(clock, shared):
    await send(shared, clock, 7)
    permit = await shared.reserve(7, lead=0.25)
    assert (clock.now, permit.slot) == (pytest.approx(0.75), pytest.approx(1.0))  # granted early, for the slot
    await permit.start()
    assert clock.now == pytest.approx(1.0)
    permit.done()


async def test_a_cancelled_permit_frees_its_place(clock, shared):
    first = await shared.reserve(7)
    waiting = asyncio.create_task(send(shared, clock, 7))
    await asyncio.sleep(0)
    first.cancel()
    first.cancel()  # twice is harmless
    assert await waiting == 0.0


async def test_a_pause_holds_every_chat(clock, shared):
    shared.pause(5)
    assert await send(shared, clock, 1) == pytest.approx(5.0)
    assert await send(shared, clock, 2) == pytest.approx(5.0)

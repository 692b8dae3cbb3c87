"""One set of rules, both limiters: overall per second, per chat, per group a minute, permits not yet used, early
grants, cancels, pauses; each test runs on the in-process limiter and on the Redis one, on a virtual clock."""

import asyncio

import pytest

from tests.limits.conftest import most_in_any_window, send


@pytest.fixture
def shared(make_limiter):
    return make_limiter(margin=0.0)


async def test_thirty_a_second_overall(clock, shared):
    moments = await asyncio.gather(*(send(shared, clock, chat) for chat in range(1, 91)))
    assert most_in_any_window(sorted(moments), 1.0) == 30
    assert max(moments) - min(moments) == pytest.approx(2.0)  # 90 sends: 0 s, 1 s and 2 s, thirty at each


async def test_one_a_second_per_chat(clock, shared):
    start = clock.now
    moments = await asyncio.gather(*(send(shared, clock, 7) for _ in range(4)))
    assert [m - start for m in sorted(moments)] == pytest.approx([0.0, 1.0, 2.0, 3.0])


async def test_twenty_a_minute_into_a_group(clock, shared):
    start = clock.now
    moments = sorted(m - start for m in await asyncio.gather(*(send(shared, clock, -100) for _ in range(25))))
    assert moments[19] < 60.0 <= moments[20]
    assert most_in_any_window(moments, 60.0) == 20


async def test_a_reply_waits_for_no_private_chat_window_but_for_a_groups(clock, shared):
    start = clock.now
    private = await asyncio.gather(*(send(shared, clock, 7, urgent=True, chat_window=False) for _ in range(3)))
    assert [m - start for m in private] == pytest.approx([0.0, 0.0, 0.0])  # a reply's few messages go at once
    group = await asyncio.gather(*(send(shared, clock, -100, urgent=True, chat_window=False) for _ in range(2)))
    assert sorted(m - start for m in group) == pytest.approx([0.0, 1.0])


async def test_a_margin_widens_every_window(clock, make_limiter):
    widened = make_limiter(margin=0.015)
    start = clock.now
    moments = await asyncio.gather(*(send(widened, clock, 7) for _ in range(2)))
    assert sorted(m - start for m in moments) == pytest.approx([0.0, 1.015])


async def test_a_permit_not_yet_used_counts_as_a_send_now(clock, shared):
    start = clock.now
    held = [await shared.reserve(chat) for chat in range(1, 31)]
    waiting = asyncio.create_task(send(shared, clock, 99))
    await clock.sleep(0.5)
    assert not waiting.done()  # thirty permits out: the thirty-first waits for them, however long
    for permit in held:
        await permit.done()  # Telegram answered them now
    assert await waiting - start == pytest.approx(1.5, abs=0.02)  # a second after the answers, whenever they left


async def test_a_permit_ahead_of_its_slot_waits_for_it(clock, shared):
    start = clock.now
    await send(shared, clock, 7)
    permit = await shared.reserve(7, lead=0.25)
    assert (clock.now - start, permit.slot - start) == (pytest.approx(0.75), pytest.approx(1.0))  # granted early
    await permit.start()
    assert clock.now - start == pytest.approx(1.0)
    await permit.done()


async def test_a_cancelled_permit_frees_its_place(clock, shared):
    start = clock.now
    first = await shared.reserve(7)
    waiting = asyncio.create_task(send(shared, clock, 7))
    await asyncio.sleep(0.01)
    await first.cancel()
    await first.cancel()  # twice is harmless
    assert await waiting - start == pytest.approx(0.0, abs=0.05)  # at once (the shared one asks every 10 ms)


async def test_a_pause_holds_every_chat(clock, shared):
    start = clock.now
    await shared.pause(5)
    await shared.pause(2)  # a shorter pause never shortens a longer one
    assert await send(shared, clock, 1) - start == pytest.approx(5.0)
    assert await send(shared, clock, 2) - start == pytest.approx(5.0)


async def test_replies_go_ahead_of_pushes_waiting_with_them(clock, shared):
    start = clock.now
    pushes = [asyncio.create_task(send(shared, clock, chat)) for chat in range(1, 91)]
    await clock.sleep(0.5)  # thirty pushes went at once, sixty wait for the next seconds
    replies = await asyncio.gather(
        *(send(shared, clock, chat, urgent=True, chat_window=False) for chat in range(1001, 1011))
    )
    assert [m - start for m in replies] == pytest.approx([1.0] * 10, abs=0.05)  # the first place free, all of them
    pushed = sorted(m - start for m in await asyncio.gather(*pushes))
    assert sum(1 for m in pushed if 0.99 <= m < 1.99) == 20  # the pushes had the rest of that second
    assert most_in_any_window(sorted(pushed + [m - start for m in replies]), 1.0) == 30

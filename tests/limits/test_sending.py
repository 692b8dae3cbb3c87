"""The Bot's session budgeted: every message takes a permit (of its traffic), a permit held by its caller is sent on
and no second one taken, what is not a message passes, and a 429 pauses every sender of the token."""

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter

from bot.limits import Limits, RateLimiter
from bot.limits.sending import Traffic, budget_sends, holding, sending_as
from bot.metrics import TELEGRAM_429
from fake_bot_api import FakeBotApi, Limit
from tests.helpers import VirtualTime


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def limiter(vtime) -> RateLimiter:
    return RateLimiter(Limits(), clock=vtime, sleep=vtime.sleep)


async def make_bot(url: str) -> Bot:
    return Bot("42:TEST", session=AiohttpSession(api=TelegramAPIServer.from_base(url)))


async def test_pushes_keep_a_chats_second_and_answers_go_at_once(vtime, limiter):
    async with FakeBotApi(clock=vtime) as telegram:
        bot = await make_bot(telegram.url)
        budget_sends(bot, limiter)
        budget_sends(bot, limiter)  # twice: still one budget on the session
        assert len(bot.session.middleware) == 1
        with sending_as(Traffic.PUSH):
            for n in range(3):
                await bot.send_message(7, f"push {n}")
        await bot.answer_callback_query("q-1")  # not a message: no permit, no wait
        await bot.session.close()
    times = [d.at for d in telegram.delivered_to(7)]
    assert [t - times[0] for t in times] == pytest.approx([0.0, 1.0, 2.0])
    assert telegram.count_429 == 0


async def test_a_held_permit_is_sent_on_and_no_second_one_taken(vtime, limiter):
    async with FakeBotApi(clock=vtime) as telegram:
        bot = await make_bot(telegram.url)
        budget_sends(bot, limiter, Traffic.PUSH)
        permit = await limiter.reserve(7)
        await permit.start()
        with holding(permit):
            await bot.send_message(7, "on the caller's permit")
        await permit.done()
        await bot.session.close()
    assert len(limiter._overall.answered) == 1  # one permit, one send
    assert len(telegram.delivered_to(7)) == 1


async def test_a_429_pauses_every_sender_of_the_token(vtime, limiter):
    async with FakeBotApi(clock=vtime, overall=Limit(1, 1.0)) as telegram:
        unbudgeted, budgeted = await make_bot(telegram.url), await make_bot(telegram.url)
        budget_sends(budgeted, limiter)
        await unbudgeted.send_message(1, "a sender that kept no budget")
        counted = TELEGRAM_429.labels("answer")._value.get()
        with pytest.raises(TelegramRetryAfter):
            await budgeted.send_message(2, "refused")
        assert TELEGRAM_429.labels("answer")._value.get() == counted + 1  # for the operators, by who sent
        before = vtime.now
        permit = await limiter.reserve(3)
        await permit.start()
        assert vtime.now - before == pytest.approx(1.0)  # the fake's retry_after, for every send of the limiter
        await permit.done()
        for bot in (unbudgeted, budgeted):
            await bot.session.close()

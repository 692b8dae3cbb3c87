"""Redis restarted under a borrower in the middle of the payment-holiday wizard, with the dialogs, the chat lock, the
updates taken and the Telegram budget in a redis-server of the test's own (a free port, never the machine's 6379),
built by the bot's own factories (`create_storage`, `create_limiter`).

While Redis is down every update is answered "try again in a minute" and changes nothing; the answer itself goes out
on the process's own share of the Telegram budget. Restarted with the deployment's persistence (AOF), the draft is
all there and the application is sent once as entered; restarted empty, the borrower's next tap is told the button
is no longer active and a new application starts from the beginning: no error, nothing stored."""

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery

from bot.app.dispatcher import create_storage
from bot.limits import FallbackLimiter, Limits, create_limiter
from bot.limits.fallback import RETRY_SECONDS
from bot.limits.sending import Traffic, budget_sends
from bot.offline import OfflineChat
from bot.settings import BotSettings
from tests.bot.replies import text, toasts
from tests.bot.walks import data_of, enter, state_of
from tests.helpers import as_user
from tests.redis_server import RedisServer

UNAVAILABLE = "Sorry, I am unavailable for a moment. Please try again in a minute."
WRONG = "Sorry, something went wrong"
#: From the wizard's length question (HolidayWizard:mode's walk, tests/bot/walks.py) to the application sent.
REST_OF_THE_WIZARD = (
    ("press", "holmode:reduced"),
    ("say", "15 000"),
    ("say", "10.12.2026"),
    ("press", "hol:done"),
    ("press", "hol:next"),
    ("press", "hol:confirm"),
    ("press", "hol:submit"),
)


@pytest.fixture(params=[True, False], ids=["aof", "nothing-kept"])
async def redis_server(request, tmp_path) -> AsyncIterator[RedisServer]:
    async with RedisServer(tmp_path, persist=request.param) as server:
        yield server


@pytest.fixture
async def storage(redis_server):
    storage = create_storage(BotSettings(redis_url=redis_server.url))
    yield storage
    await storage.close()


@pytest.fixture
async def limiter(redis_server) -> AsyncIterator[FallbackLimiter]:
    limiter = create_limiter(Limits(), redis_url=redis_server.url, bot_token="42:TEST")
    yield limiter
    await limiter.aclose()


@pytest.fixture
def bot(session, limiter) -> Bot:
    """The Bot with the token's budget on its session, as `ipoteka bot` has it."""
    bot = Bot("42:TEST", session=session)
    budget_sends(bot, limiter, Traffic.ANSWER)
    return bot


async def step(chat: OfflineChat, kind: str, value: str):
    return await (chat.press_data(value) if kind == "press" else chat.send(value))


async def holidays(client: httpx.AsyncClient, user_id: int) -> list[dict]:
    return (await client.get("/api/v1/me/holidays", headers=as_user(user_id))).json()


async def test_redis_restarted_mid_wizard(redis_server, limiter, demo, chat_factory, client, monkeypatch):
    chat, _ = await enter(chat_factory, "holiday_mode", 24001)
    draft = await data_of(chat)
    assert draft["holiday"]["months"] == 3

    await redis_server.stop()
    for kind, value in (("press", "holmode:reduced"), ("say", "15 000"), ("say", "/menu")):
        calls = await step(chat, kind, value)  # no exception out of the dispatcher: every update answered
        assert text(calls) == UNAVAILABLE
        if kind == "press":
            assert any(isinstance(c.method, AnswerCallbackQuery) for c in calls)  # the spinner stopped
    assert limiter.falling_back  # the answers went out on this process's own share of the budget
    assert await holidays(client, 24001) == []

    await redis_server.start()
    monkeypatch.setattr(limiter, "clock", lambda: time.monotonic() + RETRY_SECONDS)  # when it asks Redis again
    if redis_server.persist:
        assert await state_of(chat) == "HolidayWizard:mode" and await data_of(chat) == draft
        for kind, value in REST_OF_THE_WIZARD:
            calls = await step(chat, kind, value)
            assert WRONG not in "\n".join(t for t in toasts(calls) if t), value
        [holiday] = await holidays(client, 24001)
        assert "is sent" in text(calls)
        assert (holiday["months"], holiday["mode"], holiday["start_date"]) == (3, "reduced", "2026-12-10")
        assert (holiday["income_before"], holiday["income_after"]) == ("150000.00", "60000.00")
    else:
        assert await state_of(chat) is None and await data_of(chat) == {}
        calls = await chat.press_data("holmode:reduced")  # the button of a dialog Redis forgot
        assert "This button is no longer active." in toasts(calls)
        assert WRONG not in text(calls) and UNAVAILABLE not in text(calls)
        await chat.press_data("nav:holiday")
        calls = await chat.press_data("hol:apply")
        assert await state_of(chat) == "HolidayWizard:reason"  # the application starts again from its first question
        assert await holidays(client, 24001) == []
    assert not limiter.falling_back  # the budget is shared again


async def test_an_update_in_flight_as_redis_stops_leaves_its_chat_free_once_redis_is_back(
    redis_server, demo, chat_factory
):
    """Its chat's lock, which the deployment's persistence brings back with Redis, is let go as soon as Redis answers:
    the chat's next update does not wait out the lock's lease."""
    chat, _ = await enter(chat_factory, "holiday_mode", 24002)
    context = chat.dispatcher.fsm.get_context(chat.bot, chat.user_id, chat.user_id)
    async with chat.dispatcher.fsm.events_isolation.lock(context.key):  # an update being handled ...
        await redis_server.stop()  # ... as Redis stops
    await redis_server.start()
    async with asyncio.timeout(5):
        calls = await chat.press_data("holmode:reduced")
    if redis_server.persist:
        assert await state_of(chat) == "HolidayWizard:reduced_payment"
    else:
        assert "This button is no longer active." in toasts(calls)

"""The bot keeps the answer model of each Bot API method it called: after a garbage collection the next answer of
the same type is read by the same class, not one built again."""

import gc
import weakref
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.methods import Response
from aiogram.types import Message
from pydantic import SecretStr

from bot.connections import create_bot
from bot.response_models import KeptResponseModels
from bot.settings import BotSettings
from fake_bot_api import FakeBotApi


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as fake:
        yield fake


async def _bot(fake: FakeBotApi) -> Bot:
    return create_bot(BotSettings(bot_token=SecretStr("42:TEST"), telegram_api_url=fake.url))


@pytest.mark.parametrize("kept", [True, False], ids=["the-bot's-session", "a-bare-session"])
async def test_the_answer_model_outlives_a_garbage_collection(fake, kept):
    bot = await _bot(fake)
    if not kept:
        (keeper,) = [each for each in bot.session.middleware if isinstance(each, KeptResponseModels)]
        bot.session.middleware.unregister(keeper)  # shows what the bot's own middleware keeps
    try:
        await bot.send_message(101, "Hello")
        gc.collect()
        model = weakref.ref(Response[Message])
        gc.collect()
        assert (model() is not None) is kept
        answer = await bot.send_message(102, "Again")
        assert answer.text == "Again"
    finally:
        await bot.session.close()

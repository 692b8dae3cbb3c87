"""Flood control: past the limit a user gets one notice, then silence (a pressed button still stops spinning),
no backend call is made for a dropped update, and after the window the dialogs answer again."""

import functools
from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot.app.dispatcher import setup_dispatcher
from bot.backend import BackendClient
from bot.middlewares.flood import FloodControl
from bot.settings import BotSettings
from tests.bot.replies import text, texts, toasts
from tests.bot.walks import CONSENT_BUTTONS, question, state_of
from tests.conftest import SERVICE_TOKEN

LIMIT = 3
WINDOW = 10.0
FAST = "very fast"  # from the English msgid of the notice


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Counting(httpx.AsyncBaseTransport):
    """The backend app, counting the requests the bot makes."""

    def __init__(self, app) -> None:
        self._app = httpx.ASGITransport(app=app)
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return await self._app.handle_async_request(request)


@pytest.fixture
def flood_clock() -> Clock:
    return Clock()


@pytest.fixture
def bot_settings() -> BotSettings:
    return BotSettings(
        service_token=SERVICE_TOKEN,
        backend_url="http://api/api/v1",
        flood_limit=LIMIT,
        flood_window_seconds=WINDOW,
        backend_retries=0,
    )


@pytest.fixture
def counting(app) -> Counting:
    return Counting(app)


@pytest.fixture
async def backend(counting: Counting, bot_settings: BotSettings) -> AsyncIterator[BackendClient]:
    client = BackendClient.create(bot_settings.backend_url, token=SERVICE_TOKEN, retries=0, transport=counting)
    yield client
    await client.aclose()


@pytest.fixture
def dispatcher(backend, bot_settings, storage, monkeypatch, flood_clock, intents):
    """The real `setup_dispatcher`, its flood control reading the test's clock."""
    monkeypatch.setattr("bot.app.dispatcher.FloodControl", functools.partial(FloodControl, clock=flood_clock))
    return setup_dispatcher(backend=backend, settings=bot_settings, storage=storage, intents=intents)


def sent(calls) -> list[SendMessage]:
    return [c.method for c in calls if isinstance(c.method, SendMessage)]


async def test_past_the_limit_one_notice_then_silence_then_answers_again(chat_factory, counting, flood_clock):
    chat = chat_factory(7001, language_code="en")
    for n in range(LIMIT):
        calls = await chat.send(f"hello {n}")
        assert question(calls)[1] == CONSENT_BUTTONS, f"message {n + 1} was not handled"
    before = counting.requests

    fourth = await chat.send("hello again")
    assert len(sent(fourth)) == 1 and FAST in text(fourth)
    assert [type(c.method).__name__ for c in fourth] == ["SendMessage"], "the notice is not the only call"

    fifth = await chat.send("and again")
    assert fifth == [], "a second notice in the same window"

    press = await chat.press_data("consent:1")
    assert [type(c.method) for c in press] == [AnswerCallbackQuery], "a dropped press must only stop the spinner"
    assert FAST in toasts(press)[0]
    assert counting.requests == before, "a dropped update reached the backend"
    assert await state_of(chat) == "Onboarding:consent", "a dropped press changed the dialog"

    flood_clock.advance(WINDOW + 0.01)
    calls = await chat.press_data("consent:1")
    assert toasts(calls) == [None] and await state_of(chat) == "Onboarding:contact"
    assert counting.requests > before
    assert texts(calls) and FAST not in text(calls)


async def test_the_notice_comes_again_in_a_later_window(chat_factory, flood_clock):
    chat = chat_factory(7002, language_code="en")
    notices = []
    for _ in range(2):
        for n in range(LIMIT + 3):
            calls = await chat.send(f"message {n}")
            notices += [m.text for m in sent(calls) if FAST in m.text]
        flood_clock.advance(WINDOW + 0.01)
    assert len(notices) == 2


async def test_window_slides_rather_than_resets(chat_factory, flood_clock):
    chat = chat_factory(7003, language_code="en")
    for _ in range(LIMIT):
        await chat.send("/help")
        flood_clock.advance(4.0)  # messages at 0, 4 and 8 s; the next come at 12 s
    assert FAST not in text(await chat.send("/help")), "the message of 0 s still counted at 12 s"
    assert FAST in text(await chat.send("/help")), "the window was reset instead of sliding"


async def test_one_flooding_user_does_not_silence_another(chat_factory):
    flooder, other = chat_factory(7004, language_code="en"), chat_factory(7005, language_code="en")
    for _ in range(LIMIT + 2):
        await flooder.send("spam")
    calls = await other.send("/help")
    assert texts(calls) and FAST not in text(calls)


async def test_the_notice_speaks_the_users_language(chat_factory):
    notices = {}
    for user_id, language in ((7006, "en"), (7007, "ru")):
        chat = chat_factory(user_id, language_code=language)
        for _ in range(LIMIT):
            await chat.send("/help")
        notices[language] = text(await chat.send("/help"))
    assert FAST in notices["en"]
    assert notices["ru"] and notices["ru"] != notices["en"]

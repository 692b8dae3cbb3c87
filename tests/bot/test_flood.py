"""Flood control: past the limit a user gets one notice, then silence (a pressed button still stops spinning),
no backend call is made for a dropped update, and after the window the dialogs answer again. Each test runs on the
in-process windows and on Redis (the replicas' shared windows; skipped without Redis), where two replicas count
one window."""

import functools
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import AnswerCallbackQuery, SendMessage
from redis.exceptions import RedisError

from bot import flood_windows
from bot.app.dispatcher import setup_dispatcher
from bot.backend import BackendClient
from bot.offline import OfflineChat
from bot.settings import BotSettings
from tests.bot.replies import text, texts, toasts
from tests.bot.restarts import REDIS_URL
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


@pytest.fixture(params=["memory", "redis"])
async def storage(request) -> AsyncIterator[BaseStorage]:
    """The in-process storage, or Redis under a prefix of the test's own (its windows then live there too; the
    keys deleted afterwards)."""
    if request.param == "memory":
        yield MemoryStorage()
        return
    prefix = f"ipoteka-test-{uuid.uuid4().hex}"
    redis = RedisStorage.from_url(REDIS_URL, key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True))
    try:
        await redis.redis.ping()
    except (RedisError, OSError):
        await redis.close()
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    yield redis
    keys = [key async for key in redis.redis.scan_iter(match=f"{prefix}:*")]
    if keys:
        await redis.redis.delete(*keys)
    await redis.close()


@pytest.fixture
def dispatcher(backend, bot_settings, storage, monkeypatch, flood_clock, intents):
    """The real `setup_dispatcher`, its flood windows reading the test's clock."""
    for name in ("MemoryWindows", "RedisWindows"):
        windows = getattr(flood_windows, name)
        monkeypatch.setattr(f"bot.app.dispatcher.{name}", functools.partial(windows, clock=flood_clock))
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


@pytest.mark.parametrize("storage", ["redis"], indirect=True)
async def test_two_replicas_count_one_window(storage, backend, bot_settings, monkeypatch, flood_clock, bot, session):
    """Updates of one user spread over two dispatchers on one Redis: the limit holds for both together."""
    for name in ("MemoryWindows", "RedisWindows"):
        windows = getattr(flood_windows, name)
        monkeypatch.setattr(f"bot.app.dispatcher.{name}", functools.partial(windows, clock=flood_clock))
    replicas = [setup_dispatcher(backend=backend, settings=bot_settings, storage=storage) for _ in range(2)]
    chats = [OfflineChat(replica, bot, session, user_id=7010, language_code="en") for replica in replicas]
    for n in range(LIMIT):
        assert FAST not in text(await chats[n % 2].send("/help"))
    assert FAST in text(await chats[LIMIT % 2].send("/help"))
    assert await chats[(LIMIT + 1) % 2].send("/help") == [], "the other replica told them a second time"

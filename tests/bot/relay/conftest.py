"""The staff relay's fixtures: the real dispatcher with a staff group, talking over HTTP to the fake Bot API (which
records every message and enforces Telegram's limits) on a virtual clock shared with the bot's rate limiter, so a
minute of the group's limit passes in no time. The relay worker runs after every update (`with_worker`)."""

import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.types import Update

from api.models import StaffMember, StaffRole
from bot.app.console_relay import ConsoleRelay
from bot.limits import RateLimiter
from bot.offline import Call, next_update_id
from bot.settings import BotSettings
from fake_bot_api import FakeBotApi, Limit
from tests.api.outbox_helpers import session_of
from tests.bot.dispatchers import shared_dispatcher
from tests.conftest import SERVICE_TOKEN
from tests.helpers import VirtualTime

STAFF_CHAT = -1001000000001
OLGA_STAFF = 555_000_001  # the operator's Telegram id
STRANGER = 555_000_999


class RecordingSession(AiohttpSession):
    """aiogram's own HTTP session to the fake Bot API, keeping each call and its answer as the offline one does."""

    def __init__(self, url: str) -> None:
        super().__init__(api=TelegramAPIServer.from_base(url))
        self.log: list[Call] = []
        self.message_ids = itertools.count(1)
        self.files: dict[str, bytes] = {}

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:  # noqa: ASYNC109
        result = await super().make_request(bot, method, timeout)
        self.log.append(Call(method, result))
        return result


class StaffChat:
    """A person in the staff group, writing in a topic."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, *, user_id: int = OLGA_STAFF, first_name: str = "Ольга"):
        self.dispatcher, self.bot = dispatcher, bot
        self.user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ru"}
        self._ids = itertools.count(100_000)

    async def write(self, thread_id: int | None, **content: Any) -> None:
        message = {
            "message_id": next(self._ids),
            "date": datetime.now(UTC),
            "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Ипотека: поддержка", "is_forum": True},
            "from": self.user,
            **content,
        }
        if thread_id is not None:
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        update = Update.model_validate({"update_id": next_update_id(), "message": message}, context={"bot": self.bot})
        await self.dispatcher.feed_update(self.bot, update)

    async def say(self, thread_id: int, text: str) -> None:
        await self.write(thread_id, text=text)

    async def send_document(self, thread_id: int, file_name: str = "график.pdf") -> None:
        document = {"file_id": f"staff-doc-{file_name}", "file_unique_id": "sd", "file_name": file_name}
        await self.write(thread_id, document=document, caption="Вот документ")


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


#: Dialog replies go out at once (Telegram tolerates a reply's few messages): only the staff group's limit is kept
#: strict here; tests/bot/relay/test_volume.py keeps every limit strict.
RELAXED = Limit(10_000, 1.0)


@pytest.fixture
async def telegram(vtime) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(clock=vtime, overall=RELAXED, per_chat=RELAXED) as fake:
        yield fake


@pytest.fixture
def bot_settings() -> BotSettings:
    return BotSettings(
        service_token=SERVICE_TOKEN,
        backend_url="http://api/api/v1",
        flood_limit=1000,
        backend_retries=0,
        staff_chat_id=STAFF_CHAT,
    )


@pytest.fixture
async def session(telegram) -> AsyncIterator[RecordingSession]:
    recording = RecordingSession(telegram.url)
    yield recording
    await recording.close()


@pytest.fixture
def bot(session) -> Bot:
    return Bot("42:TEST", session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def with_worker(dispatcher: Dispatcher, bot: Bot) -> Dispatcher:
    """The dispatcher with the relay worker run after every update until nothing is left to claim, as the worker
    beside it in `ipoteka bot` would: the copies an update queued are in Telegram when the update returns."""
    worker = ConsoleRelay(dispatcher, bot)
    feed = dispatcher.feed_update

    async def feed_then_relay(bot: Bot, update: Update, **kwargs: Any) -> Any:
        result = await feed(bot, update, **kwargs)
        while await worker.run_once():
            pass
        return result

    dispatcher.feed_update = feed_then_relay  # type: ignore[method-assign]
    return dispatcher


@pytest.fixture
def dispatcher(backend, bot_settings, storage, vtime, bot, intents) -> Dispatcher:
    limiter = RateLimiter(clock=vtime, sleep=vtime.sleep)
    return with_worker(
        shared_dispatcher(backend=backend, settings=bot_settings, storage=storage, limiter=limiter, intents=intents),
        bot,
    )


@pytest.fixture
async def operator(engine, demo, dispatcher, bot) -> StaffChat:
    """Ольга, an operator with her Telegram account on file."""
    async with session_of(engine) as db:
        db.add(
            StaffMember(
                name="Ольга", role=StaffRole.OPERATOR, token_sha256="0" * 64, telegram_user_id=OLGA_STAFF, active=True
            )
        )
        await db.commit()
    return StaffChat(dispatcher, bot)

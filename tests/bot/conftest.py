"""Bot fixtures: the real dispatcher and dialogs, an offline Telegram, the real backend app in-process."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.demo.service import seed_demo
from api.models import Base
from bot.app.dispatcher import DRAFT_TTL
from bot.backend import BackendClient
from bot.intents.reader import IntentReader, process_reader
from bot.offline import OfflineChat, OfflineSession
from bot.settings import BotSettings
from tests import resets
from tests.bot import snapshots
from tests.bot.dispatchers import shared_dispatcher
from tests.bot.restarts import REDIS_URL, Restart
from tests.bot.snapshots import Step, Walker
from tests.bot.steps import Press, Say, Share
from tests.bot.switch import Switch
from tests.conftest import SERVICE_TOKEN

DEMO_DAY = date(2026, 11, 26)  # the clock fixture's day
IVAN = ("+79161234567", "0457")  # demo borrower 1: the seed's loan, paid on time
ANNA = ("+79160000002", "2318")  # demo borrower 2: in arrears
MARIA = ("+79160000004", "3561")  # demo borrower 4: two loans
OLGA = ("+79160000008", "5012")  # demo borrower 8: speaks English
ALEXEI = ("+79160000003", "1142")  # demo borrower 3: the loan is repaid
DMITRY = ("+79160000005", "2905")  # demo borrower 5: property insurance only, expiring in 20 days


@pytest.fixture
async def demo(app, engine, settings) -> None:
    """The demo borrowers, laid out around the clock's day: seeded once a process, then put back by the engine
    fixture's reset (tests/resets.py), which rewrites only the tables the previous tests wrote."""
    if resets.DEMO_ROWS:
        await resets.reset(engine, demo=True)  # nothing left to do when the engine came with the demo rows
        return
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        await seed_demo(session, settings=settings, today=DEMO_DAY)
    async with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            resets.DEMO_ROWS[table.name] = [dict(row._mapping) for row in await conn.execute(select(table))]
        await resets.mark(conn, "demo")


@pytest.fixture
def bot_settings() -> BotSettings:
    return BotSettings(
        service_token=SERVICE_TOKEN,
        backend_url="http://api/api/v1",
        flood_limit=1000,
        backend_retries=0,
        chart_processes=0,  # a worker process a test's event loop would start anew: tests/bot/test_chart.py has them
    )


@pytest.fixture
def switch(app) -> Switch:
    return Switch(app)


@pytest.fixture
async def backend(switch: Switch, bot_settings) -> AsyncIterator[BackendClient]:
    """The bot's client to the backend app, behind a switch a test may turn off (no retries: each try is one call)."""
    client = BackendClient.create(bot_settings.backend_url, token=SERVICE_TOKEN, retries=0, transport=switch)
    yield client
    await switch.settle()
    await client.aclose()


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture(scope="session")
def intents() -> IntentReader:
    """The reader of typed requests, built once a process from the packaged phrase sets (as the app's own)."""
    return process_reader()


@pytest.fixture
def dispatcher(backend, bot_settings, storage, intents) -> Dispatcher:
    return shared_dispatcher(backend=backend, settings=bot_settings, storage=storage, intents=intents)


@pytest.fixture
def session() -> OfflineSession:
    return OfflineSession()


@pytest.fixture
def bot(session) -> Bot:
    return Bot("42:TEST", session=session)


@dataclass(frozen=True)
class ChatFactory:
    """Makes the test's chats; `walker` walks them into dialog states (or puts a saved walk back)."""

    dispatcher: Dispatcher
    bot: Bot
    session: OfflineSession
    walker: Walker

    def __call__(
        self, user_id: int = 1001, *, language_code: str | None = "ru", phone: str = IVAN[0], **kw
    ) -> OfflineChat:
        return OfflineChat(
            self.dispatcher, self.bot, self.session, user_id=user_id, language_code=language_code, phone=phone, **kw
        )

    def anew(self) -> "ChatFactory":
        """A factory on a new dispatcher (its own memory storage, same backend and settings) and a new offline
        Telegram, as the next test would have them: for each example of a hypothesis test. The dialogs' router moves
        to the new dispatcher (tests/bot/dialog_router.py): this factory's is not used again."""
        storage = MemoryStorage()
        dispatcher = shared_dispatcher(
            backend=self.dispatcher["backend"], settings=self.dispatcher["settings"], storage=storage
        )
        session = OfflineSession()
        bot = Bot(self.bot.token, session=session)
        walker = replace(self.walker, dispatcher=dispatcher, bot=bot, session=session)
        return ChatFactory(dispatcher, bot, session, walker)


@pytest.fixture
def chat_factory(request, dispatcher, bot, session, switch, engine, app, clock) -> ChatFactory:
    walker = Walker(dispatcher, bot, session, switch, engine, app, clock, snapshots.signature(request))
    return ChatFactory(dispatcher, bot, session, walker)


Linker = Callable[..., Awaitable[OfflineChat]]


def linking(who: tuple[str, str]) -> tuple[Step, ...]:
    """The steps of `linked`: /start, consent, the contact, the second factor, reminders on."""
    return Say("/start"), Press("✅"), Share(), Say(who[1]), Press("🔔")


@pytest.fixture
def linked(demo, chat_factory) -> Linker:
    """A chat walked through linking as a demo borrower."""

    async def walk(who: tuple[str, str] = IVAN, user_id: int = 1001, *, language_code: str = "ru") -> OfflineChat:
        chat = chat_factory(user_id, language_code=language_code, phone=who[0])
        await chat_factory.walker.walk(chat, linking(who))
        return chat

    return walk


# --- restarts on Redis (skipped when Redis is not running) ---------------------------------------------------


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError):
        await client.aclose()
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    yield client
    await client.aclose()


@pytest.fixture
async def prefix(redis: Redis) -> AsyncIterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards."""
    name = f"ipoteka-test-{uuid.uuid4().hex}"
    yield name
    keys = [key async for key in redis.scan_iter(match=f"{name}:*")]
    if keys:
        await redis.delete(*keys)


@pytest.fixture
async def boot(backend, bot_settings, prefix, intents) -> AsyncIterator[Restart]:
    """Starts the bot process anew: the previous one's storage closed, a new one on the same Redis, a new dispatcher."""
    storages: list[RedisStorage] = []

    async def start() -> Dispatcher:
        if storages:
            await storages[-1].close()
        storage = RedisStorage.from_url(
            REDIS_URL,
            key_builder=DefaultKeyBuilder(prefix=prefix, with_destiny=True),
            state_ttl=DRAFT_TTL,
            data_ttl=DRAFT_TTL,
        )
        storages.append(storage)
        return shared_dispatcher(backend=backend, settings=bot_settings, storage=storage, intents=intents)

    yield start
    await storages[-1].close()

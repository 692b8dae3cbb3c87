"""Factories for the bot: the dispatcher with its middlewares and dialogs, the Bot, the FSM storage."""

from datetime import timedelta

from aiogram import Dispatcher, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.i18n import I18n

from bot.backend import BackendClient
from bot.chat_lock import ChatLock
from bot.flood_windows import FloodWindows, MemoryWindows, RedisWindows
from bot.i18n import create_i18n
from bot.intents.reader import IntentReader, process_reader
from bot.limits import Limiter, RateLimiter
from bot.middlewares import measuring
from bot.middlewares.borrower import BorrowerContext
from bot.middlewares.errors import ErrorBoundary, redis_down
from bot.middlewares.flood import FloodControl
from bot.middlewares.i18n import ChosenLanguage
from bot.middlewares.journal import JournalKeeper
from bot.middlewares.once import OnceOnly
from bot.middlewares.plain_text import PlainText
from bot.middlewares.tracing import UpdateTrace
from bot.profiles import MemoryProfiles, ProfileCache, ProfileStore, RedisProfiles
from bot.redis_client import REDIS_DOWN, connect
from bot.seen_updates import MemorySeen, RedisSeen, SeenUpdates
from bot.settings import BotSettings
from bot.staff_room import StaffRoom
from dialogs import staff_group
from dialogs.router import borrower_router, borrower_screens
from dialogs.staff_card import StaffVoice

#: A dialog left half-way is kept this long in Redis, so a draft survives restarts and holidays alike.
DRAFT_TTL = timedelta(days=30)


def setup_dispatcher(
    *,
    backend: BackendClient,
    settings: BotSettings,
    storage: BaseStorage | None = None,
    i18n: I18n | None = None,
    limiter: Limiter | None = None,
    intents: IntentReader | None = None,
    dialogs: Router | None = None,
) -> Dispatcher:
    """The dispatcher `main()`, the shell, the tests and the benchmark all use.

    Services are passed as the dispatcher's workflow data (handlers get `backend`, `settings`, `screens`, `intents` and
    `turn`), never module globals; the reader of typed requests is the process's one unless given.
    Update middlewares run in this order: aiogram's own (errors, user, FSM), then the update's id for the logs,
    once-only (a redelivered update is dropped), the error boundary, the update's measure
    (`bot/middlewares/measuring.py`), flood control, the borrower context and the chat's journal; a message's text then
    loses its control characters (`bot/middlewares/plain_text.py`), and the chosen language wraps every handler.
    What the replicas must agree on (the updates taken, the flood windows, the profiles kept)
    lives in Redis beside the FSM storage when it is there (`shared_state`). Redis down: every update is answered
    "try again in a minute" and changes nothing (the error handler `redis_down` for what fails before the boundary).
    With `STAFF_CHAT_ID` set, escalated chats are relayed to the staff group's topics within `limiter`'s limits (the
    one the Bot's session is budgeted with, `bot.limits.sending.budget_sends`). `dialogs` is the borrower's dialogs'
    router, built anew (`borrower_router()`) unless one is given that no other dispatcher holds: the tests lend one
    router per process to each test's dispatcher in turn (tests/bot/dialog_router.py).
    """
    i18n = i18n or create_i18n(settings.default_language)
    storage = storage or MemoryStorage()
    dp = Dispatcher(
        storage=storage,
        events_isolation=_isolation(storage),
        backend=backend,
        settings=settings,
        screens=borrower_screens(),
        intents=intents or process_reader(),
    )
    seen, windows, store = shared_state(storage, settings)
    profiles = ProfileCache(backend, ttl=settings.profile_cache_seconds, store=store)
    dp.update.outer_middleware(UpdateTrace())
    dp.update.outer_middleware(OnceOnly(seen))
    dp.update.outer_middleware(ErrorBoundary(i18n, profiles))
    measuring.install(dp)
    dp.update.outer_middleware(FloodControl(i18n, windows))
    dp.update.outer_middleware(BorrowerContext(profiles, default_language=settings.default_language))
    dp.update.outer_middleware(JournalKeeper())
    dp.message.outer_middleware(PlainText())
    ChosenLanguage(i18n).setup(dp)
    dp.errors.register(redis_down, ExceptionTypeFilter(*REDIS_DOWN))
    dp["staff_room"] = dp["staff_voice"] = None
    dp["i18n"], dp["profiles"] = i18n, profiles  # also for work outside an update (the console's relay tasks)
    if settings.staff_chat_id is not None:
        voice = StaffVoice(backend, i18n, settings.default_language)
        dp["staff_voice"] = voice
        limiter = limiter or RateLimiter()
        dp["staff_room"] = StaffRoom(backend, limiter, chat_id=settings.staff_chat_id, card=voice.card)
        dp.include_router(staff_group.router(settings.staff_chat_id))
    dp.include_router(dialogs or borrower_router())
    return dp


def shared_state(storage: BaseStorage, settings: BotSettings) -> tuple[SeenUpdates, FloodWindows, ProfileStore]:
    """The updates taken, the flood windows and the profiles kept: in the FSM storage's Redis (under its prefix) when
    the dialogs live there, so every replica sees the same; in this process otherwise."""
    limit, window = settings.flood_limit, settings.flood_window_seconds
    if not isinstance(storage, RedisStorage):
        return MemorySeen(), MemoryWindows(limit=limit, window=window), MemoryProfiles()
    redis, prefix = storage.redis, getattr(storage.key_builder, "prefix", "ipoteka-fsm")
    return (
        RedisSeen(redis, prefix=prefix),
        RedisWindows(redis, prefix=prefix, limit=limit, window=window),
        RedisProfiles(redis, prefix=prefix),
    )


def _isolation(storage: BaseStorage) -> BaseEventIsolation:
    """One update at a time per chat (two taps on Submit at once are handled one after the other): a lock in Redis
    shared by the replicas when the dialogs live there (`bot/chat_lock.py`), else a lock in this process."""
    if isinstance(storage, RedisStorage):
        return ChatLock(storage)
    return SimpleEventIsolation()


def create_storage(settings: BotSettings) -> BaseStorage:
    """Redis when `REDIS_URL` is set (dialogs survive restarts and are shared by replicas; a client quick to give up
    when Redis is down, `bot/redis_client.py`), memory otherwise."""
    if not settings.redis_url:
        return MemoryStorage()
    return RedisStorage(
        connect(settings.redis_url),
        key_builder=DefaultKeyBuilder(prefix="ipoteka-fsm", with_destiny=True),  # the journal has its own destiny
        state_ttl=DRAFT_TTL,
        data_ttl=DRAFT_TTL,
    )

"""Factories for the bot: the dispatcher with its middlewares and dialogs, the Bot, the FSM storage."""

from datetime import timedelta

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.i18n import I18n

from bot.backend import BackendClient
from bot.i18n import create_i18n
from bot.intents.reader import IntentReader
from bot.limits import RateLimiter
from bot.middlewares.borrower import BorrowerContext
from bot.middlewares.errors import ErrorBoundary
from bot.middlewares.flood import FloodControl
from bot.middlewares.i18n import ChosenLanguage
from bot.middlewares.journal import JournalKeeper
from bot.profiles import ProfileCache
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
    limiter: RateLimiter | None = None,
    intents: IntentReader | None = None,
) -> Dispatcher:
    """The dispatcher `main()`, the shell, the tests and the benchmark all use.

    Services are passed as the dispatcher's workflow data (handlers get `backend`, `settings`, `screens`, `intents` and
    `turn`), never module globals; the reader of typed requests is built here unless given (the tests build it once).
    Update middlewares run in this order: aiogram's own (errors, user, FSM), then the error boundary, flood control,
    the borrower context and the chat's journal; the chosen language wraps every handler.
    With `STAFF_CHAT_ID` set, escalated chats are relayed to the staff group's topics within `limiter`'s limits.
    """
    i18n = i18n or create_i18n(settings.default_language)
    storage = storage or MemoryStorage()
    dp = Dispatcher(
        storage=storage,
        events_isolation=_isolation(storage),
        backend=backend,
        settings=settings,
        screens=borrower_screens(),
        intents=intents or IntentReader.build(),
    )
    profiles = ProfileCache(backend, ttl=settings.profile_cache_seconds)
    dp.update.outer_middleware(ErrorBoundary(i18n, profiles))
    dp.update.outer_middleware(FloodControl(i18n, limit=settings.flood_limit, window=settings.flood_window_seconds))
    dp.update.outer_middleware(BorrowerContext(profiles, default_language=settings.default_language))
    dp.update.outer_middleware(JournalKeeper())
    ChosenLanguage(i18n).setup(dp)
    dp["staff_room"] = dp["staff_voice"] = None
    dp["i18n"], dp["profiles"] = i18n, profiles  # also for work outside an update (the console's relay tasks)
    if settings.staff_chat_id is not None:
        voice = StaffVoice(backend, i18n, settings.default_language)
        dp["staff_voice"] = voice
        limiter = limiter or RateLimiter()
        dp["staff_room"] = StaffRoom(backend, limiter, chat_id=settings.staff_chat_id, card=voice.card)
        dp.include_router(staff_group.router(settings.staff_chat_id))
    dp.include_router(borrower_router())
    return dp


def _isolation(storage: BaseStorage) -> BaseEventIsolation:
    """One update at a time per chat (two taps on Submit at once are handled one after the other): a lock in Redis
    shared by the replicas when the dialogs live there, else a lock in this process."""
    if isinstance(storage, RedisStorage):
        return storage.create_isolation()
    return SimpleEventIsolation()


def create_storage(settings: BotSettings) -> BaseStorage:
    """Redis when `REDIS_URL` is set (dialogs survive restarts and are shared by replicas), memory otherwise."""
    if not settings.redis_url:
        return MemoryStorage()
    return RedisStorage.from_url(
        settings.redis_url,
        key_builder=DefaultKeyBuilder(prefix="ipoteka-fsm", with_destiny=True),  # the journal has its own destiny
        state_ttl=DRAFT_TTL,
        data_ttl=DRAFT_TTL,
    )

"""A bot restarted on the same Redis (127.0.0.1:6379, database 15, or `TEST_REDIS_URL`): the keys it keeps and a
chat on a new dispatcher."""

import os
from collections.abc import Awaitable, Callable

from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey

from bot.offline import OfflineChat, OfflineSession

#: `TEST_REDIS_URL` picks another server or database (each test's keys carry a prefix of its own either way).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
Restart = Callable[[], Awaitable[Dispatcher]]


def key(prefix: str, user_id: int, part: str) -> str:
    return DefaultKeyBuilder(prefix=prefix, with_destiny=True).build(
        StorageKey(bot_id=42, chat_id=user_id, user_id=user_id), part
    )


def chat_on(dispatcher: Dispatcher, user_id: int, session: OfflineSession | None = None) -> OfflineChat:
    session = session or OfflineSession()
    return OfflineChat(dispatcher, Bot("42:TEST", session=session), session, user_id=user_id)  # Ivan's phone

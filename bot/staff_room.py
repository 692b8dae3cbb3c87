"""The staff group's forum topics: one per escalated borrower, opened with the case's summary card and recreated
when staff deleted or closed it. Messages relayed either way are queued in the backend with the transcript line
(`queue_in`, `queue_out`) and copied by the relay worker within Telegram's limits (`copy_in`, `copy_out`; a 429
waits and retries, a 5xx is retried with back-off, nothing is dropped)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter, TelegramServerError
from aiogram.types import Message, MessageId

from bot.backend import BackendClient
from bot.backend.relay import RelayCase
from bot.limits import Limiter
from bot.limits.sending import Traffic, holding, reserve

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Telegram's answers when a topic is gone: deleted, or never there; a closed one is reopened.
_TOPIC_GONE = ("message thread not found", "topic_deleted", "thread not found")
_TOPIC_CLOSED = "topic_closed"
TOPIC_NAME_LIMIT = 128
#: Waits before each new try after Telegram failed a send on its side (a 5xx: its own error answer, so nothing was
#: delivered), 30 s in all, well within the relay's lease; then the send is handed back (`relay_task_unsent`).
SERVER_ERROR_BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0)


def topic_name(case: RelayCase) -> str:
    """First name and case number only: nothing else about the borrower in the group's list of topics."""
    return f"{case.first_name} · № {case.id}"[:TOPIC_NAME_LIMIT]


def kind_of(message: Message) -> tuple[str, str | None]:
    """The transcript's kind of a message and its Telegram file id."""
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.document:
        return "document", message.document.file_id
    return ("text", None) if message.text else ("other", None)


class StaffRoom:
    """The relay's Telegram side; `card` renders a case's summary card in the staff's language."""

    def __init__(
        self, backend: BackendClient, limiter: Limiter, *, chat_id: int, card: Callable[[int], Awaitable[str]]
    ) -> None:
        self.backend = backend
        self.chat_id = chat_id
        self._limiter = limiter
        self._card = card
        self._acknowledged: set[int] = set()
        #: Set when this process queued a copy, so the relay worker claims it at once rather than at its next poll.
        self.queued = asyncio.Event()

    def first_word(self, case_id: int) -> bool:
        """True once per case: the borrower's first message before staff join is acknowledged. Kept per bot
        process, so after a restart (or on another replica) one more acknowledgement may go out, never none."""
        if case_id in self._acknowledged:
            return False
        self._acknowledged.add(case_id)
        return True

    async def open(self, bot: Bot, case: RelayCase) -> RelayCase:
        """The case with a topic: a new one, named and carded, if it has none yet."""
        return case if case.topic_id is not None else await self._new_topic(bot, case)

    async def post_card(self, bot: Bot, case: RelayCase) -> RelayCase:
        text = await self._card(case.id)
        case, _ = await self.into_topic(
            bot, case, lambda thread: bot.send_message(self.chat_id, text, message_thread_id=thread)
        )
        return case

    async def say(self, bot: Bot, case: RelayCase, text: str) -> RelayCase:
        """A line from the bot in the case's topic (who took it, that it closed …)."""
        case, _ = await self.into_topic(
            bot, case, lambda thread: bot.send_message(self.chat_id, text, message_thread_id=thread)
        )
        return case

    async def into_topic(self, bot: Bot, case: RelayCase, send: Callable[[int], Awaitable[T]]) -> tuple[RelayCase, T]:
        """Send into the case's topic; a topic staff deleted or closed is recreated once and the send repeated."""
        case = await self.open(bot, case)
        try:
            return case, await self.limited(self.chat_id, lambda: send(case.topic_id))
        except TelegramBadRequest as exc:
            problem = exc.message.lower()
            if _TOPIC_CLOSED in problem:
                case = await self._reopen_or_renew(bot, case)
            elif any(sign in problem for sign in _TOPIC_GONE):
                log.info("the topic of case %s was gone: a new one is opened", case.id)
                case = await self._new_topic(bot, case)
            else:
                raise
        return case, await self.limited(self.chat_id, lambda: send(case.topic_id))

    async def _reopen_or_renew(self, bot: Bot, case: RelayCase) -> RelayCase:
        try:
            await bot.reopen_forum_topic(self.chat_id, case.topic_id)
        except TelegramBadRequest:
            return await self._new_topic(bot, case)
        return case

    async def queue_in(self, case: RelayCase, message: Message) -> None:
        """The borrower's message into the transcript with its copy for the topic, queued in the backend (the relay
        worker sends it: a bot that stops now loses nothing)."""
        await self._queue(case, message, direction="borrower")

    async def queue_out(self, case: RelayCase, message: Message) -> None:
        """A staff reply in the topic into the transcript with its copy for the borrower, queued in the backend."""
        await self._queue(case, message, direction="staff", staff_telegram_id=message.from_user.id)

    async def _queue(self, case: RelayCase, message: Message, *, direction: str, **author: int) -> None:
        kind, file_id = kind_of(message)
        await self.backend.queue_copy(
            case.id,
            direction=direction,
            kind=kind,
            text=message.text or message.caption,
            file_id=file_id,
            source_chat_id=message.chat.id,
            telegram_message_id=message.message_id,
            **author,
        )
        self.queued.set()

    async def copy_in(
        self, bot: Bot, case: RelayCase, source: tuple[int, int], *, starting: Callable[[], Awaitable[None]]
    ) -> RelayCase:
        """A queued copy of the borrower's message (`source`: chat and message id) into the case's topic, opened or
        recreated as needed; `starting` is awaited just before each try, once its permit is granted."""

        async def send(thread: int) -> MessageId:
            await starting()
            return await bot.copy_message(self.chat_id, *source, message_thread_id=thread)

        case, _ = await self.into_topic(bot, case, send)
        return case

    async def copy_out(
        self, bot: Bot, case: RelayCase, source: tuple[int, int], *, starting: Callable[[], Awaitable[None]]
    ) -> int:
        """A queued copy of a staff reply to the borrower; Telegram's id of the message the borrower got."""

        async def send() -> MessageId:
            await starting()
            return await bot.copy_message(case.chat_id, *source)

        return (await self.limited(case.chat_id, send)).message_id

    async def _new_topic(self, bot: Bot, case: RelayCase) -> RelayCase:
        topic = await bot.create_forum_topic(self.chat_id, topic_name(case))
        case = await self.backend.set_topic(case.id, topic.message_thread_id)
        text = await self._card(case.id)
        await self.limited(self.chat_id, lambda: bot.send_message(self.chat_id, text, message_thread_id=case.topic_id))
        return case

    async def limited(self, chat_id: int, send: Callable[[], Awaitable[T]]) -> T:
        """One send within the limits, ahead of pushes (the Bot's budget sends on this permit, taking no other); a 429
        pauses every send of the token for its retry_after and the send is repeated; a 5xx is repeated after
        `SERVER_ERROR_BACKOFF`'s waits, and raised once they are spent."""
        failures = 0
        while True:
            permit = await reserve(self._limiter, chat_id, Traffic.RELAY)
            backoff = 0.0
            try:
                await permit.start()
                with holding(permit):
                    return await send()
            except TelegramRetryAfter as exc:
                await self._limiter.pause(exc.retry_after)
            except TelegramServerError:
                if failures == len(SERVER_ERROR_BACKOFF):
                    raise
                backoff, failures = SERVER_ERROR_BACKOFF[failures], failures + 1
                log.warning("Telegram failed a relay send on its side: tried again in %g s", backoff)
            finally:
                await permit.done()
            await self._limiter.sleep(backoff)

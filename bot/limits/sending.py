"""Every message a Bot sends takes its permit: a request middleware on the Bot's session, so no caller can forget.

What a send is (`Traffic`) decides its place: the bot's answers and the relay's copies go ahead of the scheduler's
pushes. A caller that took its permit early (the scheduler, to overlap its backend call with the wait; the staff
room, to repeat after a 429) sends under `holding(permit)`, and the middleware sends on that permit instead of taking
a second one. Only messages count (Telegram's limits are on messages): answers to buttons, edits, topics and polling
pass straight through.
"""

import contextlib
import time
from collections.abc import Awaitable, Iterator
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.limits.base import Limiter, Permit
from bot.metrics import PERMIT_WAIT_SECONDS, TELEGRAM_429

#: The Bot API methods that put a message into a chat.
MESSAGES = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVoice",
        "sendVideoNote",
        "sendMediaGroup",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendSticker",
        "sendInvoice",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    }
)


class Traffic(StrEnum):
    #: The bot answering a borrower's own message: ahead of pushes; a private chat's one-a-second is not waited for
    #: (Telegram tolerates a reply's few messages), the overall and a group's windows are.
    ANSWER = "answer"
    #: A person's message copied across (borrower to the staff topic, staff to the borrower): ahead of pushes, within
    #: every window.
    RELAY = "relay"
    #: The scheduler's pushes: within every window, after any answer or copy waiting with them.
    PUSH = "push"


T = TypeVar("T")
_traffic: ContextVar[Traffic | None] = ContextVar("traffic", default=None)
_held: ContextVar[Permit | None] = ContextVar("held_permit", default=None)


async def reserve(limiter: Limiter, chat_id: int, traffic: Traffic, *, lead: float = 0.0) -> Permit:
    """A permit for one send of `traffic`."""
    return await limiter.reserve(
        chat_id, lead=lead, urgent=traffic is not Traffic.PUSH, chat_window=traffic is not Traffic.ANSWER
    )


@contextlib.contextmanager
def sending_as(traffic: Traffic) -> Iterator[None]:
    """The sends inside are `traffic` (else the middleware's default)."""
    token = _traffic.set(traffic)
    try:
        yield
    finally:
        _traffic.reset(token)


@contextlib.contextmanager
def holding(permit: Permit) -> Iterator[None]:
    """The next message sent inside goes on `permit`, which its holder started and will close."""
    token = _held.set(permit)
    try:
        yield
    finally:
        _held.reset(token)


def chat_of(method: TelegramMethod[Any]) -> int | None:
    """The chat a message goes to, or None if the request sends no message."""
    if method.__api_method__ not in MESSAGES:
        return None
    chat_id = getattr(method, "chat_id", None)
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return None  # a channel's @username: this house sends none


async def _counted(request: Awaitable[T], traffic: Traffic) -> T:
    """The answer; a 429 counted for the operators by who sent (`ipoteka_telegram_429_total`)."""
    try:
        return await request
    except TelegramRetryAfter:
        TELEGRAM_429.labels(traffic.value).inc()
        raise


class SendingBudget(BaseRequestMiddleware):
    """Takes a permit from `limiter` for each message (of `traffic` unless `sending_as` says otherwise), sends at
    its slot, closes it on Telegram's answer; a 429 pauses every sender of the token for its retry_after."""

    def __init__(self, limiter: Limiter, traffic: Traffic = Traffic.ANSWER) -> None:
        self.limiter = limiter
        self.traffic = traffic

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        chat_id = chat_of(method)
        if chat_id is None:
            return await make_request(bot, method)
        traffic = _traffic.get() or self.traffic
        held = _held.get()
        if held is not None and held.open and not held.used and held.chat_id == chat_id:
            held.used = True  # its holder waits for the slot, repeats after a 429 and closes it
            return await _counted(make_request(bot, method), traffic)
        asked = time.monotonic()
        permit = await reserve(self.limiter, chat_id, traffic)
        try:
            await permit.start()
            PERMIT_WAIT_SECONDS.labels(traffic.value).observe(time.monotonic() - asked)
            return await _counted(make_request(bot, method), traffic)
        except TelegramRetryAfter as exc:
            await self.limiter.pause(exc.retry_after)
            raise
        finally:
            await permit.done()


def budget_sends(bot: Bot, limiter: Limiter, traffic: Traffic = Traffic.ANSWER) -> SendingBudget:
    """Put the budget on `bot`'s session, once: a session already budgeted keeps its own."""
    for middleware in bot.session.middleware:
        if isinstance(middleware, SendingBudget):
            return middleware
    budget = SendingBudget(limiter, traffic)
    bot.session.middleware(budget)
    return budget

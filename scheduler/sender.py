"""The one sender of pushes: each claimed notification composed, given a permit under Telegram's limits, marked
as starting in the backend, sent, and its outcome reported. Nothing is sent whose start the backend refused."""

import asyncio
import logging
from dataclasses import dataclass
from enum import StrEnum

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n

from bot.backend import BackendClient, BackendError, BackendUnavailable
from bot.backend.outbox import Claimed
from bot.limits import RateLimiter
from scheduler.texts import Text, text_of

log = logging.getLogger(__name__)
#: Telegram's 400s that mean the chat is gone for good, like a block.
_GONE = ("chat not found", "user is deactivated", "peer_id_invalid", "bot was kicked")
#: Waits before reporting an outcome again when the backend does not answer; the lease outlasts them.
_REPORT_RETRIES = (1.0, 2.0, 4.0, 8.0)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # Telegram or the network failed; the backend schedules it again
    UNREACHABLE = "unreachable"  # blocked or gone: no more pushes to this borrower
    GAVE_UP = "gave_up"  # it can never be sent as it is
    NOT_STARTED = "not_started"  # the backend refused the start or did not answer: it stays with its lease


@dataclass(frozen=True)
class Push:
    text: Text
    document: BufferedInputFile | None = None


class Sender:
    def __init__(self, bot: Bot, backend: BackendClient, limiter: RateLimiter, i18n: I18n) -> None:
        self._bot = bot
        self._backend = backend
        self._limiter = limiter
        self._i18n = i18n

    async def deliver(self, item: Claimed) -> Outcome:
        """Send one claimed notification at most once and report how it went."""
        try:
            push = await self._compose(item)
        except (KeyError, ValueError, TypeError, BackendError) as exc:
            log.error("notification %s (%s) cannot be composed: %s", item.id, item.kind, type(exc).__name__)
            await self._report(item, error=f"Cannot compose: {type(exc).__name__}", permanent=True)
            return Outcome.GAVE_UP
        except BackendUnavailable:
            return Outcome.NOT_STARTED
        permit = await self._limiter.reserve(item.chat_id)
        try:
            allowed = await self._backend.start_sending(item.id, attempt=item.attempts)
        except (BackendUnavailable, BackendError):
            allowed = False
        if not allowed:
            permit.cancel()
            return Outcome.NOT_STARTED
        permit.start()
        try:
            await self._send(item.chat_id, push)
        except TelegramRetryAfter as exc:
            self._limiter.pause(exc.retry_after)
            log.warning("Telegram asked to wait %s s (notification %s)", exc.retry_after, item.id)
            await self._report(item, error="Telegram 429", retry_after=max(int(exc.retry_after), 1))
            return Outcome.RETRY
        except TelegramForbiddenError as exc:
            await self._report(item, error=f"Telegram 403: {exc.message}", unreachable=True)
            return Outcome.UNREACHABLE
        except TelegramBadRequest as exc:
            if any(sign in exc.message.lower() for sign in _GONE):
                await self._report(item, error=f"Telegram 400: {exc.message}", unreachable=True)
                return Outcome.UNREACHABLE
            log.error("Telegram refused notification %s (%s): %s", item.id, item.kind, exc.message)
            await self._report(item, error=f"Telegram 400: {exc.message}", permanent=True)
            return Outcome.GAVE_UP
        except TelegramAPIError as exc:  # 5xx, network errors and the rest: the backend backs off
            log.warning("sending notification %s failed: %s", item.id, type(exc).__name__)
            await self._report(item, error=f"{type(exc).__name__}: {exc.message}")
            return Outcome.RETRY
        await self._report(item)
        return Outcome.SENT

    async def _compose(self, item: Claimed) -> Push:
        with self._i18n.context(), self._i18n.use_locale(item.language):
            text = text_of(item)
        if item.kind != "certificate_ready":
            return Push(text)
        pdf = await self._backend.certificate_pdf(item.chat_id, int(item.payload["certificate_id"]))
        return Push(text, BufferedInputFile(pdf.content, filename=pdf.file_name))

    async def _send(self, chat_id: int, push: Push) -> None:
        if push.document is None:
            await self._bot.send_message(chat_id, push.text.body, reply_markup=push.text.markup)
        else:
            await self._bot.send_document(chat_id, push.document, caption=push.text.body, reply_markup=push.text.markup)

    async def _report(self, item: Claimed, *, error: str | None = None, **failure: object) -> None:
        """Mark the outcome, trying again while the backend is away; left unreported, the row is never resent."""
        for wait in (*_REPORT_RETRIES, None):
            try:
                if error is None:
                    await self._backend.mark_sent(item.id)
                else:
                    await self._backend.mark_failed(item.id, error=error, **failure)
                return
            except BackendUnavailable:
                if wait is None:
                    log.error("the outcome of notification %s could not be reported", item.id)
                    return
                await asyncio.sleep(wait)

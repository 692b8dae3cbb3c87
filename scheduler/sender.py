"""The one sender of pushes: each claimed notification composed, given a permit under Telegram's limits, marked
as starting in the backend, sent, and its outcome reported (the sent ones many at a time: scheduler/sent_reports.py).
Nothing is sent whose start the backend refused."""

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from enum import StrEnum

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import BufferedInputFile
from aiogram.utils.i18n import I18n

from bot.backend import BackendClient, BackendError, BackendUnavailable
from bot.backend.outbox import Claimed
from bot.chat_gone import chat_is_gone
from bot.limits import Limiter, Permit
from bot.limits.sending import Traffic, holding, reserve
from scheduler.metrics import PUSHES, PUSHES_429
from scheduler.sent_reports import REPORT_RETRIES, SentReports
from scheduler.texts import Text, text_of

log = logging.getLogger(__name__)
#: A permit is taken ahead of its slot by a little less than the "sending" mark usually takes (at most 0.2 s): the
#: mark overlaps the wait, and the mark seldom lands before the slot, so a row marked but not yet sent (lost if the
#: process dies just then) stays rare.
MAX_LEAD_SECONDS = 0.2
LEAD_SHARE = 0.75
LEAD_SMOOTHING = 0.8


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # Telegram or the network failed; the backend schedules it again
    UNREACHABLE = "unreachable"  # blocked or gone: no more pushes to this borrower
    GAVE_UP = "gave_up"  # it can never be sent as it is
    NOT_STARTED = "not_started"  # the backend refused the start or did not answer: it stays with its lease
    STOPPED = "stopped"  # the scheduler stopped while it waited for its permit: nothing started, to be handed back


@dataclass(frozen=True)
class Push:
    text: Text
    document: BufferedInputFile | None = None


class Sender:
    def __init__(
        self,
        bot: Bot,
        backend: BackendClient,
        limiter: Limiter,
        i18n: I18n,
        *,
        report_batch: int = 100,
        report_seconds: float = 0.5,
    ) -> None:
        self._bot = bot
        self._backend = backend
        self._limiter = limiter
        self._i18n = i18n
        self._sent = SentReports(backend, batch=report_batch, interval=report_seconds)
        self._took = 0.05  # seconds the mark takes, smoothed
        self._lead = LEAD_SHARE * self._took

    async def deliver(self, item: Claimed, *, stop: asyncio.Event | None = None) -> Outcome:
        """Send one claimed notification at most once and report how it went (counted in `PUSHES`); `stop` set while
        it waits for its permit, it is left unstarted (STOPPED)."""
        outcome = await self._deliver(item, stop=stop)
        PUSHES.labels(item.kind, outcome.value).inc()
        return outcome

    async def flush(self) -> None:
        """Report the sent notifications still waiting (at a stop, once the sends under way ended)."""
        await self._sent.flush()

    async def _deliver(self, item: Claimed, *, stop: asyncio.Event | None) -> Outcome:
        try:
            push = await self._compose(item)
        except (KeyError, ValueError, TypeError, BackendError) as exc:
            log.error("notification %s (%s) cannot be composed: %s", item.id, item.kind, type(exc).__name__)
            await self._report(item, error=f"Cannot compose: {type(exc).__name__}", permanent=True)
            return Outcome.GAVE_UP
        except BackendUnavailable:
            return Outcome.NOT_STARTED
        permit = await self._permit(item.chat_id, stop)
        if permit is None:
            return Outcome.STOPPED
        if not await self._start(item):
            await permit.cancel()
            return Outcome.NOT_STARTED
        failure = await self._send_within(permit, item.chat_id, push)
        if failure is None:
            self._sent.add(item.id)
            return Outcome.SENT
        return await self._failed(item, failure)

    async def _permit(self, chat_id: int, stop: asyncio.Event | None) -> Permit | None:
        """A push's permit, or None if `stop` came first."""
        reserving = asyncio.ensure_future(reserve(self._limiter, chat_id, Traffic.PUSH, lead=self._lead))
        if stop is None:
            return await reserving
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({reserving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if reserving.done() and not reserving.cancelled():
            return reserving.result()  # granted as the stop came: it is sent
        reserving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reserving
        return None

    async def _send_within(self, permit: Permit, chat_id: int, push: Push) -> TelegramAPIError | None:
        """Send at the permit's slot (the Bot's budget sends on it, taking no other); what Telegram refused with, or
        None. The permit is done on any answer."""
        try:
            await permit.start()
            with holding(permit):
                await self._send(chat_id, push)
        except TelegramAPIError as exc:
            return exc
        finally:
            await permit.done()
        return None

    async def _failed(self, item: Claimed, failure: TelegramAPIError) -> Outcome:
        if isinstance(failure, TelegramRetryAfter):
            PUSHES_429.inc()
            await self._limiter.pause(failure.retry_after)
            log.warning("Telegram asked to wait %s s (notification %s)", failure.retry_after, item.id)
            await self._report(item, error="Telegram 429", retry_after=max(int(failure.retry_after), 1))
            return Outcome.RETRY
        if chat_is_gone(failure):
            status = 403 if isinstance(failure, TelegramForbiddenError) else 400
            await self._report(item, error=f"Telegram {status}: {failure.message}", unreachable=True)
            return Outcome.UNREACHABLE
        if isinstance(failure, TelegramBadRequest):
            log.error("Telegram refused notification %s (%s): %s", item.id, item.kind, failure.message)
            await self._report(item, error=f"Telegram 400: {failure.message}", permanent=True)
            return Outcome.GAVE_UP
        log.warning("sending notification %s failed: %s", item.id, type(failure).__name__)  # 5xx, network: back off
        await self._report(item, error=f"{type(failure).__name__}: {failure.message}")
        return Outcome.RETRY

    async def _start(self, item: Claimed) -> bool:
        """The backend's "sending" mark, timed: the permit's lead follows how long the mark takes."""
        began = time.monotonic()
        try:
            allowed = await self._backend.start_sending(item.id, attempt=item.attempts)
        except (BackendUnavailable, BackendError):
            return False
        took = time.monotonic() - began
        self._took = LEAD_SMOOTHING * self._took + (1 - LEAD_SMOOTHING) * took
        self._lead = min(LEAD_SHARE * self._took, MAX_LEAD_SECONDS)
        return allowed

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

    async def _report(self, item: Claimed, *, error: str, **failure: object) -> None:
        """Mark the failure, trying again while the backend is away; left unreported, the row is never resent."""
        for wait in (*REPORT_RETRIES, None):
            try:
                await self._backend.mark_failed(item.id, error=error, **failure)
                return
            except BackendUnavailable:
                if wait is None:
                    log.error("the outcome of notification %s could not be reported", item.id)
                    return
                await asyncio.sleep(wait)

"""The relay worker: the backend's relay tasks claimed under a lease and carried out in Telegram. What staff did on a
case in the web console (a reply, a take, a close) goes to the borrower's chat first (at most once: the backend
records that the send starts before it is made), then to the case's staff topic when there is one; the Telegram
relay's copies (`bot/app/relay_copies.py`) go into the topic or to the borrower. A bot that stops mid-delivery
leaves the task to its lease: not started, it is sent by the next claim; delivered, only the topic is left; started
and unconfirmed, it is not repeated and the console shows it as not confirmed."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter, TelegramServerError
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.text_decorations import html_decoration

from bot.app.relay_copies import UNSENT_RETRY_SECONDS, RelayCopies
from bot.backend import BackendClient, BackendError, BackendUnavailable
from bot.backend.relay_tasks import RelayTask
from bot.chat_gone import chat_is_gone
from bot.limits.sending import Traffic, sending_as
from bot.staff_room import StaffRoom
from dialogs import staff_group

log = logging.getLogger(__name__)
T = TypeVar("T")
CAPTION_LIMIT = 1024


def _file_id(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    return message.document.file_id if message.document else None


class ConsoleRelay:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        *,
        batch: int = 20,
        lease_seconds: int = 120,
        poll_seconds: float = 1.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._bot = bot
        self._backend: BackendClient = dispatcher["backend"]
        self._room: StaffRoom | None = dispatcher["staff_room"]
        self._i18n = dispatcher["i18n"]
        #: What the staff group's handlers get from an update, for the hand-back after a close.
        self._data = {**dispatcher.workflow_data, "fsm_storage": dispatcher.storage}
        self._batch, self._lease, self._poll, self._sleep = batch, lease_seconds, poll_seconds, sleep
        self._copies = RelayCopies(bot, self._backend, self._room, dispatcher["staff_voice"])

    async def run(self, stop: asyncio.Event) -> None:
        """Claim and carry out tasks until `stop`; a failed claim is logged and tried again after a pause."""
        while not stop.is_set():
            if self._room is not None:
                self._room.queued.clear()
            done = await self.run_once()
            if not done:
                await self._idle(stop)

    async def _idle(self, stop: asyncio.Event) -> None:
        """Until the next poll, a copy queued by this process, or `stop`."""
        waits = [asyncio.ensure_future(stop.wait())]
        if self._room is not None:
            waits.append(asyncio.ensure_future(self._room.queued.wait()))
        try:
            await asyncio.wait(waits, timeout=self._poll, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    async def run_once(self) -> int:
        """One claim, each task carried out in order; how many were claimed."""
        try:
            claimed = await self._backend.claim_relay_tasks(limit=self._batch, lease_seconds=self._lease)
        except (BackendUnavailable, BackendError) as exc:
            log.warning("claiming the console's relay tasks failed: %s", type(exc).__name__)
            return 0
        for task in claimed:
            try:
                await self.carry_out(task)
            except Exception:
                log.exception("relay task %s: unexpected failure; its lease will bring it back", task.id)
        return len(claimed)

    async def carry_out(self, task: RelayTask) -> None:
        with self._i18n.context():
            if task.kind in ("copy_in", "copy_out"):
                await self._copies.carry_out(task)
                return
            file_id = task.message.file_id if task.message else None
            if not task.delivered:
                delivered, file_id = await self._deliver(task)
                if not delivered:
                    return
            if self._room is not None and task.case.topic_id is not None:
                await self._mirror(task, file_id)
            await self._backend.relay_task_done(task)

    async def _deliver(self, task: RelayTask) -> tuple[bool, str | None]:
        """The borrower's part, once, and Telegram's id of the file sent; False when it cannot be done (another
        claim has it, or the chat is gone) or not now (Telegram kept failing it: handed back for a later claim)."""
        try:
            await self._backend.relay_task_sending(task)
        except BackendError as exc:
            if exc.status != 409:
                raise
            log.info("relay task %s is not this claim's to send any more", task.id)
            return False, None
        if task.case.chat_id is None:
            await self._backend.relay_task_failed(task, error="the borrower's chat is unlinked", blocked=False)
            return False, None
        try:
            sent = await self._to_borrower(task)
        except TelegramServerError as exc:  # Telegram's own error answer, past the staff room's retries: not delivered
            if task.kind == "closed":  # several messages, some perhaps delivered: never repeated
                raise
            error = f"Telegram 5xx: {exc.message}"
            await self._backend.relay_task_unsent(task, error=error, retry_after=UNSENT_RETRY_SECONDS)
            return False, None
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            if not chat_is_gone(exc):
                raise
            await self._backend.relay_task_failed(task, error="the borrower's chat is gone", blocked=True)
            if self._room is not None and task.case.topic_id is not None:
                await self._room.say(self._bot, task.case, self._data["staff_voice"].line("blocked"))
            return False, None
        file_id = _file_id(sent) if sent else None
        await self._backend.relay_task_delivered(
            task, borrower_message_id=sent.message_id if sent else None, file_id=file_id
        )
        return True, file_id

    async def _to_borrower(self, task: RelayTask) -> Message | None:
        case, bot = task.case, self._bot
        if task.kind == "joined":
            with self._i18n.use_locale(case.language):
                text = staff_group.joined(task.staff_name or "")
            return await self._send(case.chat_id, lambda: bot.send_message(case.chat_id, text))
        if task.kind == "closed":
            await staff_group.hand_back(bot, case, self._backend, self._data)
            return None
        message = task.message
        text = html_decoration.quote(message.text or "")
        if message.file is None:
            return await self._send(case.chat_id, lambda: bot.send_message(case.chat_id, text))
        upload = BufferedInputFile(await self._backend.relay_task_file(task.id), filename=message.file.file_name)
        caption = text[:CAPTION_LIMIT] or None
        if message.kind == "photo":
            return await self._send(case.chat_id, lambda: bot.send_photo(case.chat_id, upload, caption=caption))
        return await self._send(case.chat_id, lambda: bot.send_document(case.chat_id, upload, caption=caption))

    async def _mirror(self, task: RelayTask, file_id: str | None) -> None:
        """The staff topic's part: the reply under who wrote it, who joined, or the close."""
        room, voice, bot, case = self._room, self._data["staff_voice"], self._bot, task.case
        name = task.staff_name or ""
        if task.kind == "joined":
            await room.say(bot, case, voice.line("taken", name=name))
            return
        if task.kind == "closed":
            await staff_group.close_topic(bot, case, name, self._data)
            return
        message = task.message
        header = voice.line("console_reply", name=html_decoration.quote(name))
        text = f"{header}\n{html_decoration.quote(message.text or '')}".strip()
        if file_id is None:
            await room.say(bot, case, text)
            return
        send = bot.send_photo if message.kind == "photo" else bot.send_document
        await room.into_topic(
            bot,
            case,
            lambda thread: send(room.chat_id, file_id, caption=text[:CAPTION_LIMIT], message_thread_id=thread),
        )

    async def _send(self, chat_id: int, send: Callable[[], Awaitable[T]]) -> T:
        """Within the staff room's limits when there is one; else within the Bot's budget as a copy (ahead of pushes),
        a 429 waiting its retry_after (nothing was sent)."""
        if self._room is not None:
            return await self._room.limited(chat_id, send)
        while True:
            try:
                with sending_as(Traffic.RELAY):
                    return await send()
            except TelegramRetryAfter as exc:
                await self._sleep(exc.retry_after)

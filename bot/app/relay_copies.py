"""The Telegram relay's copies, carried out from the backend's relay tasks: the borrower's message into the case's
staff topic (`copy_in`), a staff reply in the topic to the borrower (`copy_out`). Each copy is marked as starting
in the backend just before Telegram is asked, once the rate limiter let it go: a bot that stops before that leaves
the copy to the next claim (none lost), one that stops after it leaves it unconfirmed and never sends it again (none
repeated); the console's transcript shows which. Telegram failing the copy on its side (a 5xx answer: nothing was
delivered) past the staff room's retries hands it back to be claimed again (`relay_task_unsent`)."""

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramServerError

from bot.backend import BackendClient, BackendError
from bot.backend.relay_tasks import RelayTask
from bot.chat_gone import chat_is_gone
from bot.metrics import RELAY_COPIES
from bot.staff_room import StaffRoom
from dialogs.staff_card import StaffVoice

log = logging.getLogger(__name__)
#: How long a copy Telegram kept failing waits before it is claimed again.
UNSENT_RETRY_SECONDS = 30


def _direction(task: RelayTask) -> str:
    return "to_staff" if task.kind == "copy_in" else "to_borrower"


class Unsent(Exception):
    """This claim did not send the copy: another claim has the task now (its lease lapsed), or it failed and that
    was reported."""

    outcome = "failed"


class HandedBack(Unsent):
    """Telegram kept failing the copy on its side: it goes to a later claim."""

    outcome = "retried"


class RelayCopies:
    def __init__(self, bot: Bot, backend: BackendClient, room: StaffRoom | None, voice: StaffVoice | None) -> None:
        self._bot, self._backend, self._room, self._voice = bot, backend, room, voice

    async def carry_out(self, task: RelayTask) -> None:
        """One copy, at most once; reported delivered and done, or failed with the reason."""
        if self._room is None:  # the staff group was unset since the copy was queued
            await self._backend.relay_task_failed(task, error="no staff group is set up", blocked=False)
            return
        if task.delivered:  # an earlier claim sent it and stopped before the last report
            await self._backend.relay_task_done(task)
            return
        try:
            if task.kind == "copy_in":
                await self._in(task)
            else:
                await self._out(task)
        except Unsent as unsent:
            log.info("relay task %s was not sent by this claim (%s)", task.id, unsent.outcome)
            RELAY_COPIES.labels(_direction(task), unsent.outcome).inc()
            return
        RELAY_COPIES.labels(_direction(task), "sent").inc()
        await self._backend.relay_task_done(task)

    async def _starting(self, task: RelayTask) -> None:
        try:
            await self._backend.relay_task_sending(task)
        except BackendError as exc:
            if exc.status != 409:
                raise
            raise Unsent from exc

    def _source(self, task: RelayTask) -> tuple[int, int]:
        return task.copy_of.from_chat_id, task.copy_of.message_id

    async def _in(self, task: RelayTask) -> None:
        try:
            await self._room.copy_in(self._bot, task.case, self._source(task), starting=lambda: self._starting(task))
        except (TelegramBadRequest, TelegramForbiddenError) as exc:  # nothing was sent (the borrower deleted it …)
            await self._backend.relay_task_failed(task, error=exc.message, blocked=False)
            raise Unsent from exc
        except TelegramServerError as exc:
            await self._hand_back(task, exc)
        await self._backend.relay_task_delivered(task, borrower_message_id=None, file_id=None)

    async def _out(self, task: RelayTask) -> None:
        case = task.case
        if case.chat_id is None:
            await self._backend.relay_task_failed(task, error="the borrower's chat is unlinked", blocked=False)
            raise Unsent
        try:
            sent = await self._room.copy_out(self._bot, case, self._source(task), starting=lambda: self._starting(task))
        except (TelegramForbiddenError, TelegramBadRequest) as exc:
            gone = chat_is_gone(exc)
            await self._backend.relay_task_failed(
                task, error="the borrower's chat is gone" if gone else exc.message, blocked=gone
            )
            if gone and case.topic_id is not None:
                await self._room.say(self._bot, case, self._voice.line("blocked"))
            raise Unsent from exc
        except TelegramServerError as exc:
            await self._hand_back(task, exc)
        await self._backend.relay_task_delivered(task, borrower_message_id=sent, file_id=None)

    async def _hand_back(self, task: RelayTask, exc: TelegramServerError) -> None:
        log.warning("relay task %s: Telegram kept failing (%s); claimed again later", task.id, type(exc).__name__)
        error = f"Telegram 5xx: {exc.message}"
        await self._backend.relay_task_unsent(task, error=error, retry_after=UNSENT_RETRY_SECONDS)
        raise HandedBack from exc

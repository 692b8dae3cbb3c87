"""The backend calls of the relay tasks, part of `BackendClient`: claim what the bot is to carry out for a case (what
the console did, and the Telegram relay's copies), fetch a console reply's file, report each step. Claims and
reports are safe to repeat (a report names its claim), so every call is retried."""

from collections.abc import Awaitable, Callable
from typing import Literal

import httpx

from bot.backend.models import Answer
from bot.backend.relay import RelayCase


class TaskFile(Answer):
    file_name: str
    content_type: str
    size: int


class TaskMessage(Answer):
    kind: Literal["text", "photo", "document", "other"]
    text: str | None
    file: TaskFile | None
    file_id: str | None  # Telegram's, once the borrower's chat has the file


class TaskCopy(Answer):
    from_chat_id: int
    message_id: int


class RelayTask(Answer):
    """What the bot carries out in Telegram: a console reply, take ("joined") or close, or a copy of a relayed
    message (the borrower's into the topic, a staff reply to the borrower)."""

    id: int
    kind: Literal["reply", "joined", "closed", "copy_in", "copy_out"]
    attempt: int
    delivered: bool
    case: RelayCase
    staff_name: str | None
    message: TaskMessage | None
    copy_of: TaskCopy | None


class _Claim(Answer):
    items: list[RelayTask]


class RelayTaskCalls:
    """Mixed into `BackendClient`, whose `_call` (token, retries, errors) every method here uses."""

    _call: Callable[..., Awaitable[httpx.Response]]

    async def claim_relay_tasks(self, *, limit: int, lease_seconds: int) -> list[RelayTask]:
        body = {"limit": limit, "lease_seconds": lease_seconds}
        response = await self._call("POST", "relay/tasks/claim", safe=True, json=body)
        return _Claim.model_validate_json(response.content).items

    async def relay_task_file(self, task_id: int) -> bytes:
        return (await self._call("GET", f"relay/tasks/{task_id}/file", safe=True)).content

    async def relay_task_sending(self, task: RelayTask) -> None:
        """The send to the borrower starts: a 409 means another claim has the task, or the lease lapsed."""
        await self._call("POST", f"relay/tasks/{task.id}/sending", safe=True, json={"attempt": task.attempt})

    async def relay_task_unsent(self, task: RelayTask, *, error: str, retry_after: int) -> None:
        """Telegram failed the send on its side: the task goes back to be claimed again after `retry_after` s."""
        body = {"attempt": task.attempt, "error": error[:500], "retry_after": retry_after}
        await self._call("POST", f"relay/tasks/{task.id}/unsent", safe=True, json=body)

    async def relay_task_delivered(
        self, task: RelayTask, *, borrower_message_id: int | None, file_id: str | None
    ) -> None:
        body = {"attempt": task.attempt, "borrower_message_id": borrower_message_id, "file_id": file_id}
        await self._call("POST", f"relay/tasks/{task.id}/delivered", safe=True, json=body)

    async def relay_task_done(self, task: RelayTask) -> None:
        await self._call("POST", f"relay/tasks/{task.id}/done", safe=True, json={"attempt": task.attempt})

    async def relay_task_failed(self, task: RelayTask, *, error: str, blocked: bool) -> None:
        body = {"attempt": task.attempt, "error": error[:500], "blocked": blocked}
        await self._call("POST", f"relay/tasks/{task.id}/failed", safe=True, json=body)

"""Requests and answers of the bot's relay tasks: what to carry out for a case the console acted on, and each step's
report."""

from typing import Annotated

from pydantic import Field, StringConstraints

from api.models import MessageKind, RelayTaskKind, RelayTaskStatus
from api.relay.schemas import FileId, RelayCase
from api.schemas import ApiModel

Attempt = Annotated[int, Field(gt=0, lt=2**15)]


class TaskClaim(ApiModel):
    limit: int = Field(default=20, ge=1, le=100)
    lease_seconds: int = Field(default=60, ge=5, le=3600)


class TaskFile(ApiModel):
    file_name: str
    content_type: str
    size: int


class TaskMessage(ApiModel):
    """A console reply: its text (a file's caption) and the file attached, fetched from `/relay/tasks/{id}/file`."""

    kind: MessageKind
    text: str | None
    file: TaskFile | None
    file_id: str | None = Field(description="Telegram's id of the file once the borrower's chat has it.")


class TaskCopy(ApiModel):
    """Where a copy's message is: the chat and the message's id there (Telegram's copyMessage source)."""

    from_chat_id: int
    message_id: int


class TaskPublic(ApiModel):
    id: int
    kind: RelayTaskKind
    attempt: int = Field(description="This claim's number: every report names it.")
    delivered: bool = Field(description="The borrower has it already (an earlier claim): only the topic is left.")
    case: RelayCase
    staff_name: str | None = Field(description="Who replied, took or closed it in the console.")
    message: TaskMessage | None = Field(description="A reply's or a copy's content; null for a take or a close.")
    copy_of: TaskCopy | None = Field(description="A copy's source; null but for `copy_in` and `copy_out`.")


class TaskClaimResult(ApiModel):
    items: list[TaskPublic]


class TaskStep(ApiModel):
    attempt: Attempt


class TaskDelivered(TaskStep):
    borrower_message_id: Annotated[int, Field(gt=0, lt=2**63)] | None = Field(
        default=None, description="The message the borrower's chat got, when there is one."
    )
    file_id: FileId | None = Field(default=None, description="Telegram's id of the file sent, for the transcript.")


class TaskFailure(TaskStep):
    error: Annotated[str, StringConstraints(max_length=500)]
    blocked: bool = Field(default=False, description="The borrower blocked the bot: the case is closed.")


class TaskUnsent(TaskStep):
    error: Annotated[str, StringConstraints(max_length=500)]
    retry_after: int = Field(ge=1, le=3600, description="Seconds before the task may be claimed again.")


class TaskState(ApiModel):
    id: int
    status: RelayTaskStatus
    attempts: int

"""Requests and answers of the relay API: staff by Telegram id, the case as the bot relays it, the card, messages."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from api.models import CaseReason, CaseStatus, MessageDirection, MessageKind, StaffRole
from api.schemas import ApiModel, Money, TelegramId

TopicId = Annotated[int, Field(gt=0, lt=2**63)]
MessageText = Annotated[str, StringConstraints(min_length=1, max_length=4096)]
FileId = Annotated[str, StringConstraints(min_length=1, max_length=256)]
#: A Telegram chat: a person's (positive) or a group's (negative).
ChatId = Annotated[int, Field(gt=-(2**63), lt=2**63)]
#: Messages that need a file id (the file itself stays with Telegram) and those that need text.
WITH_FILE = frozenset({MessageKind.PHOTO, MessageKind.DOCUMENT})
BY_STAFF = frozenset({MessageDirection.STAFF, MessageDirection.NOTE})


class RelayStaff(ApiModel):
    id: int
    name: str
    role: StaffRole


class RelayCase(ApiModel):
    """A support case with what the bot needs to relay it: the borrower's chat, the topic and who holds it."""

    id: int
    status: CaseStatus
    reason: CaseReason
    borrower_id: int | None = Field(description="Null for an unlinked chat's case.")
    chat_id: int | None = Field(description="The borrower's Telegram chat; null once they unlinked.")
    first_name: str
    language: str
    topic_id: int | None = Field(description="The staff group's forum topic of the case, once the bot opened one.")
    assigned_to: int | None = Field(description="The staff member holding the case.")
    assigned_name: str | None
    created_at: datetime
    in_hours: bool = Field(description="Staff are at work now.")
    staff_back_at: datetime | None = Field(description="When staff are back, in the bank's time zone; null if in.")


class TopicSet(ApiModel):
    topic_id: TopicId


class CardLoan(ApiModel):
    id: int
    status: str
    in_arrears: bool
    overdue_amount: Money | None = Field(description="Money overdue before today; null when none.")
    next_payment_date: date | None


class OpenApplication(ApiModel):
    kind: Literal["holiday", "certificate", "document"]
    id: int
    status: str
    created_at: datetime


class CaseCard(ApiModel):
    """The summary card for the staff topic: no phone, last name or contract number; an unlinked chat's, no loans."""

    case_id: int
    first_name: str = Field(description="The borrower's first name, or the unlinked chat's Telegram name.")
    linked: bool = Field(description="False for a chat not linked to a borrower: no loan data on the card.")
    reason: CaseReason
    reasons: list[CaseReason] = Field(description="Every request's reason, once each, hardship first.")
    hardship: bool = Field(description="Money trouble among the reasons: shown above the rest.")
    summary: str
    recent_steps: list[str]
    borrower_id: int | None
    loans: list[CardLoan]
    open_applications: list[OpenApplication] = Field(
        description="Holidays and documents awaiting review, certificates awaiting a signature; oldest first."
    )
    needs_supervisor: bool
    created_at: datetime


class MessageCreate(ApiModel):
    direction: MessageDirection
    staff_telegram_id: TelegramId | None = Field(
        default=None, description="The staff member who wrote a reply or note; null for the borrower's messages."
    )
    kind: MessageKind
    text: MessageText | None = Field(default=None, description="The text or a file's caption.")
    file_id: FileId | None = Field(default=None, description="Telegram's file id of a photo or document.")
    telegram_message_id: Annotated[int, Field(gt=0, lt=2**63)] = Field(
        description="The message's id in the chat it came from; a retry with the same id is stored once."
    )

    @model_validator(mode="after")
    def _consistent(self) -> "MessageCreate":
        by_staff = self.direction in BY_STAFF
        if by_staff and self.staff_telegram_id is None:
            raise ValueError("staff_telegram_id is required for staff replies and notes")
        if not by_staff and self.staff_telegram_id is not None:
            raise ValueError("a borrower's message has no staff_telegram_id")
        if self.kind == MessageKind.TEXT and self.text is None:
            raise ValueError("a text message needs text")
        if self.kind in WITH_FILE and self.file_id is None:
            raise ValueError("a photo or document needs its file_id")
        return self


class CopyCreate(MessageCreate):
    """A message the bot is to copy: the borrower's into the case's topic, or a staff reply to the borrower."""

    direction: Literal["borrower", "staff"]
    source_chat_id: ChatId = Field(description="The chat the message is in, to copy it from.")


class MessagePublic(ApiModel):
    id: int
    at: datetime
    direction: MessageDirection
    staff_id: int | None
    kind: MessageKind
    text: str | None
    file_id: str | None
    telegram_message_id: int | None


class TakeRequest(ApiModel):
    staff_telegram_id: TelegramId


class CloseRequest(ApiModel):
    staff_telegram_id: TelegramId | None = Field(
        default=None, description="The staff member who closed it; null when the borrower left the chat."
    )
    blocked: bool = Field(default=False, description="The borrower blocked the bot: also marks them unreachable.")

"""Requests and answers of the support-case API."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from api.models import CaseReason, CaseStatus
from api.schemas import ApiModel, Language, LongText, ShortText, TelegramId

MAX_STEPS = 20
MAX_DETAILS = 20

DetailKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
DetailValue = StrictBool | StrictInt | Annotated[str, StringConstraints(max_length=200)] | None


class CaseCreate(ApiModel):
    reason: CaseReason
    summary: LongText = Field(default="", description="What the borrower needs, in their words or the bot's.")
    recent_steps: list[ShortText] = Field(
        default_factory=list, max_length=MAX_STEPS, description="The last dialog steps, for the staff's card."
    )
    loan_id: Annotated[int, Field(gt=0, lt=2**63)] | None = Field(
        default=None, description="One of the caller's loans."
    )
    details: dict[DetailKey, DetailValue] = Field(
        default_factory=dict, max_length=MAX_DETAILS, description="A few flat facts (codes, ids, flags) for staff."
    )


class UnlinkedCaseCreate(ApiModel):
    """A chat not linked to a borrower asks for a person: its Telegram account and name, its words; no loan."""

    telegram_user_id: TelegramId
    telegram_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = Field(
        description="The first name the chat's Telegram account gives (not checked: nobody has shown who they are)."
    )
    language: Language
    reason: Literal[CaseReason.REQUESTED, CaseReason.MISUNDERSTOOD, CaseReason.COMPLAINT] = CaseReason.REQUESTED
    summary: LongText = Field(default="", description="What they need, in their words.")
    recent_steps: list[ShortText] = Field(default_factory=list, max_length=MAX_STEPS)


class ExpectedResponse(ApiModel):
    in_hours: bool = Field(description="Staff are at work now and answer soon.")
    staff_back_at: datetime | None = Field(description="When staff are back, in the bank's time zone; null if in.")


class CasePublic(ApiModel):
    id: int
    status: CaseStatus
    reason: CaseReason = Field(description="The leading reason: hardship, else a complaint, else the first request's.")
    reasons: list[CaseReason] = Field(description="Every request's reason, once each, hardship first.")
    summary: str
    recent_steps: list[str]
    loan_id: int | None
    details: dict
    created_at: datetime
    closed_at: datetime | None
    expected_response: ExpectedResponse | None = Field(default=None, description="While the case is open or taken.")


class CaseResult(CasePublic):
    reopened: bool = Field(description="True when the borrower's case already open was reused.")

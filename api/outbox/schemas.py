"""Requests and answers of the scheduler's API: planning, claiming, marking and monitoring the outbox."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints

from api.schemas import ApiModel, strip_control


class PlanRequest(ApiModel):
    since: date | None = Field(
        default=None, description="Catch up on reminders whose send day fell on or after this date (default today)."
    )


class PlanResult(ApiModel):
    """Rows added per kind, reminders of passed dates cancelled, loans looked at and loans skipped."""

    payment_due: int
    payment_overdue: int
    insurance_expiry: int
    expired: int
    loans_checked: int
    loans_failed: int


class ClaimRequest(ApiModel):
    limit: Annotated[int, Field(ge=1, le=500)] = 100
    lease_seconds: Annotated[int, Field(ge=10, le=3600)] = 300


class ClaimedNotification(ApiModel):
    id: int
    kind: str
    chat_id: int = Field(description="The borrower's Telegram user id, which is their private chat's id.")
    language: str
    time_zone: str
    dedupe_key: str
    payload: dict[str, Any]
    loan_id: int | None
    due_date: date | None
    attempts: int


class ClaimResult(ApiModel):
    items: list[ClaimedNotification]
    lease_until: datetime


class SendingReport(ApiModel):
    attempt: Annotated[int, Field(ge=1, le=10_000)] = Field(description="The claim's `attempts` value.")


class FailureReport(ApiModel):
    error: Annotated[
        str, BeforeValidator(strip_control), StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ]
    retry_after_seconds: Annotated[int, Field(ge=1, le=86_400)] | None = Field(
        default=None, description="Telegram's retry_after for a 429; without it the back-off grows with attempts."
    )
    permanent: bool = Field(default=False, description="Give up on this notification.")
    unreachable: bool = Field(default=False, description="The bot was blocked (Telegram 403).")


class NotificationState(ApiModel):
    id: int
    kind: str
    status: str
    attempts: int
    not_before: datetime
    send_started_at: datetime | None
    sent_at: datetime | None
    last_error: str | None


class OutboxStats(ApiModel):
    pending: int
    claimed: int
    sent: int
    failed: int
    cancelled: int
    due_now: int = Field(description="Pending rows whose not_before has passed.")
    unconfirmed: int = Field(description="Failed rows whose sender stopped during the send; never sent again.")


class ReleasedClaim(ApiModel):
    id: Annotated[int, Field(gt=0, lt=2**63)]
    attempt: Annotated[int, Field(ge=1, le=10_000)] = Field(description="The claim's `attempts` value.")


class ReleaseRequest(ApiModel):
    items: Annotated[list[ReleasedClaim], Field(max_length=500)]


class ReleaseResult(ApiModel):
    released: int = Field(description="Rows handed back; the others were re-claimed, started or reported meanwhile.")


class SentBatch(ApiModel):
    ids: Annotated[list[Annotated[int, Field(gt=0, lt=2**63)]], Field(min_length=1, max_length=500)] = Field(
        description="Notifications delivered; a repeat, or an id given twice, changes nothing."
    )


class SentBatchResult(ApiModel):
    sent: list[int] = Field(description="Ids now sent: marked by this report or an earlier one.")
    refused: list[int] = Field(
        description="Ids neither claimed nor sent (their lease ran out and they failed, or no such notification): "
        "left as they are."
    )

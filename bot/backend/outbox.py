"""The outbox as the scheduler reads it: notifications claimed for sending, planning tallies, counts."""

from datetime import date, datetime
from typing import Any

from bot.backend.models import Answer


class Claimed(Answer):
    """A notification leased to this sender: whom to tell, in which language, and what (the payload by kind)."""

    id: int
    kind: str
    chat_id: int
    language: str
    time_zone: str
    dedupe_key: str
    payload: dict[str, Any]
    loan_id: int | None
    due_date: date | None
    attempts: int


class Claim(Answer):
    items: list[Claimed]
    lease_until: datetime


class PlanTally(Answer):
    payment_due: int
    payment_overdue: int
    insurance_expiry: int
    expired: int
    loans_checked: int
    loans_failed: int


class OutboxCounts(Answer):
    pending: int
    claimed: int
    sent: int
    failed: int
    cancelled: int
    due_now: int
    unconfirmed: int


class Released(Answer):
    released: int


class SentReported(Answer):
    """The ids now sent, and those the backend refused (not claimed: their lease ran out and they failed)."""

    sent: list[int]
    refused: list[int]

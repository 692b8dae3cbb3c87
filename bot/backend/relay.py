"""The staff relay as the bot reads it: support cases held by a person, their topics, cards and staff members."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from bot.backend.models import Answer, CaseReason, CaseStatus


class RelayCase(Answer):
    id: int
    status: CaseStatus
    reason: CaseReason
    borrower_id: int | None  # None: a chat not linked to a borrower
    chat_id: int | None
    first_name: str
    language: str
    topic_id: int | None
    assigned_to: int | None
    assigned_name: str | None
    created_at: datetime
    in_hours: bool
    staff_back_at: datetime | None


class CardLoan(Answer):
    id: int
    status: str
    in_arrears: bool
    overdue_amount: Decimal | None
    next_payment_date: date | None


class CardApplication(Answer):
    kind: Literal["holiday", "certificate", "document"]
    id: int
    status: str
    created_at: datetime


class CaseCard(Answer):
    case_id: int
    first_name: str
    linked: bool
    reason: CaseReason
    reasons: list[CaseReason]
    hardship: bool
    summary: str
    recent_steps: list[str]
    borrower_id: int | None
    loans: list[CardLoan]
    open_applications: list[CardApplication]
    needs_supervisor: bool
    created_at: datetime


class StaffMember(Answer):
    id: int
    name: str
    role: Literal["operator", "supervisor"]

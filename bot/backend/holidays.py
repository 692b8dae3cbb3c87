"""The payment-holiday calls as the bot reads and sends them, mirroring `api/holidays/schemas.py` field by field:
the terms an application is asked within, the application, the pre-check with its projection, the stored one."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.backend.filings import Document
from bot.backend.models import Answer

HolidayReason = Literal["income_drop", "job_loss", "sick_leave", "disability", "new_dependant", "other"]
HolidayMode = Literal["full", "reduced"]


class HolidayApplicationTerms(Answer):
    """What an application on the loan may ask for today (the backend's `HolidayApplicationTerms`)."""

    contract_number: str
    contract_date: date
    on_date: date  # today in the borrower's time zone
    monthly_payment: Decimal  # the regular payment a reduced one must stay below
    earliest_start: date
    latest_start: date
    min_months: int
    max_months: int
    reasons: list[HolidayReason]
    modes: list[HolidayMode]
    max_income: Decimal
    max_files: int  # files the application takes with it when sent; more may be attached later
    max_file_bytes: int


class HolidayApplication(BaseModel):
    """The application, and the pre-check's body (the backend's `HolidayCreate`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str
    income_before: Decimal
    income_after: Decimal
    months: int
    mode: str  # full, reduced
    reduced_payment: Decimal | None = None
    start_date: date
    comment: str | None = None


class HolidayRule(Answer):
    """One condition of the law judged (the backend's `RulePublic`)."""

    code: str
    status: str  # met, not_met, to_confirm
    outcome: str
    explanation: str
    values: dict[str, str]


class HolidayProjection(Answer):
    """The loan with the holiday asked for, from the engine's schedule with it (the backend's `HolidayProjection`)."""

    current_end_date: date
    new_end_date: date
    moved_to_end: Decimal
    overdue_now: Decimal
    overdue_since: date | None
    overdue_after: Decimal  # what stays overdue: due before the holiday's start


class HolidayPrecheck(Answer):
    """The backend's `PrecheckPublic`."""

    eligible: bool
    monthly_payment: Decimal
    rules: list[HolidayRule]
    projection: HolidayProjection | None = None  # only in the pre-check's answer


class Holiday(Answer):
    """An application as stored (the backend's `HolidayPublic`)."""

    id: int
    loan_id: int
    status: Literal["submitted", "approved", "rejected", "withdrawn"]
    reason: HolidayReason
    income_before: Decimal
    income_after: Decimal
    months: int
    mode: HolidayMode
    reduced_payment: Decimal | None
    start_date: date
    comment: str | None
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str | None
    precheck: HolidayPrecheck
    documents: list[Document] = Field(default_factory=list)

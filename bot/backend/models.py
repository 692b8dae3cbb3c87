"""The backend's answers as the bot reads them: money as Decimal, dates as dates, fixed choices as their values.

Each model mirrors one of the backend's response schemas; tests/test_wire_contract.py holds them to the backend's
OpenAPI field by field.
"""

from datetime import date, time
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, PlainSerializer, WithJsonSchema

CaseStatus = Literal["open", "taken", "closed"]
CaseReason = Literal[
    "requested",
    "misunderstood",
    "complaint",
    "hardship",
    "low_rating",
    "early_repayment",
    "certificate",
    "refinancing",
    "re_registration",
    "other",
]
LoanStatus = Literal["active", "closed"]
PolicyKind = Literal["property", "life", "title"]
#: A time of day the backend writes as HH:MM.
#: A local time of day, HH:MM on the wire both ways.
HourMinute = Annotated[
    time,
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}),
]


class Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ChatCase(Answer):
    """The borrower's active chat with a person: while it lasts, what they write goes to the staff."""

    id: int
    status: CaseStatus
    topic_id: int | None


class Profile(Answer):
    id: int
    first_name: str
    language: str
    time_zone: str
    selected_loan_id: int | None
    reminders_enabled: bool
    reminder_days_ahead: list[int]
    daytime_start: HourMinute
    daytime_end: HourMinute
    survey_allowed: bool
    chat_case: ChatCase | None = None


class Preferences(Answer):
    language: str
    reminders_enabled: bool
    payment_received_notices: bool
    reminder_days_ahead: list[int]
    daytime_start: HourMinute
    daytime_end: HourMinute
    time_zone: str
    selected_loan_id: int | None


class LinkedLoan(Answer):
    id: int
    contract_number: str
    status: str


class LinkResult(Answer):
    borrower_id: int
    first_name: str
    language: str
    selected_loan_id: int | None
    loans: list[LinkedLoan]


class LoanItem(Answer):
    id: int
    contract_number: str
    contract_date: date
    status: LoanStatus
    principal: Decimal
    selected: bool


class PaymentDetails(Answer):
    recipient: str
    inn: str
    kpp: str
    account: str | None
    bank_name: str
    bik: str
    correspondent_account: str
    amount_due: Decimal | None
    amount_due_reason: Literal["overdue", "next_payment"] | None
    purpose: str
    qr_payload: str | None
    bank_phone: str


class LoanSummary(Answer):
    loan_id: int
    contract_number: str
    contract_date: date
    status: LoanStatus
    on_date: date
    principal: Decimal
    rate_percent: Decimal
    term_months: int
    monthly_payment: Decimal | None
    outstanding_principal: Decimal
    next_payment_date: date | None
    next_payment_amount: Decimal | None
    principal_paid: Decimal
    interest_paid: Decimal
    percent_repaid: Decimal
    installments_left: int
    last_payment_date: date
    overdue_amount: Decimal
    overdue_since: date | None
    days_overdue: int
    prepaid_amount: Decimal
    closed: bool
    payment_details: PaymentDetails


class OwedAfter(Answer):
    date: date
    balance: Decimal


class LoanBalance(Answer):
    """The balance screen in one answer: the summary today and the principal owed after each installment (the payoff
    chart's points)."""

    summary: LoanSummary
    owed_after: list[OwedAfter]

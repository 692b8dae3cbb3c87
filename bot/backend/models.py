"""The backend's answers as the bot reads them: money as Decimal, dates as dates."""

from datetime import date, time
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ChatCase(Answer):
    """The borrower's active chat with a person: while it lasts, what they write goes to the staff."""

    id: int
    status: str
    topic_id: int | None


class Profile(Answer):
    id: int
    first_name: str
    language: str
    time_zone: str
    selected_loan_id: int | None
    reminders_enabled: bool
    reminder_days_ahead: list[int]
    daytime_start: time
    daytime_end: time
    survey_allowed: bool
    chat_case: ChatCase | None = None


class Preferences(Answer):
    language: str
    reminders_enabled: bool
    payment_received_notices: bool
    reminder_days_ahead: list[int]
    daytime_start: time
    daytime_end: time
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
    status: str
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
    amount_due_reason: str | None
    purpose: str
    qr_payload: str | None
    bank_phone: str


class LoanSummary(Answer):
    loan_id: int
    contract_number: str
    contract_date: date
    status: str
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


class ScheduleRow(Answer):
    number: int
    date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal
    kind: str


class LoanSchedule(Answer):
    loan_id: int
    total_payment: Decimal
    total_interest: Decimal
    rows: list[ScheduleRow]


class LoanBalance(Answer):
    """The balance screen in one answer: the summary today and the schedule its payoff chart draws."""

    summary: LoanSummary
    schedule: LoanSchedule

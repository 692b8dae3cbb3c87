"""The backend's answers about what a borrower files: estimates, certificates, insurance, holidays, cases, feedback."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from bot.backend.models import Answer, CaseReason, CaseStatus, PolicyKind

ReviewStatus = Literal["submitted", "approved", "rejected"]


class Payoff(Answer):
    """A full payoff on the estimate's date: what to pay that day, itemised."""

    principal: Decimal
    interest: Decimal
    interest_since: date
    deferred_interest: Decimal
    overdue_amount: Decimal
    total: Decimal


class EarlyRepaymentEstimate(Answer):
    on_date: date
    amount: Decimal
    mode: Literal["shorter_term", "smaller_payment"]
    balance_before: Decimal
    balance_after: Decimal
    payment_before: Decimal
    payment_after: Decimal
    first_payment_after: Decimal
    installments_before: int
    installments_after: int
    last_date_before: date
    last_date_after: date
    interest_before: Decimal
    interest_after: Decimal
    interest_saved: Decimal
    payoff: Payoff | None
    overdue_amount: Decimal
    overdue_since: date | None
    due_before: Decimal
    notice_days: int
    earliest_date: date
    apply_by: date
    bank_phone: str


class Certificate(Answer):
    id: int
    number: str
    loan_id: int
    kind: Literal["interest_paid", "outstanding_debt", "schedule", "closure"]
    year: int | None
    on_date: date | None
    signed: bool
    status: Literal["ready", "pending_staff", "rejected"]
    created_at: datetime
    issued_on: date | None
    delivered_at: datetime | None
    decision_reason: str | None
    file_name: str


class InterestYear(Answer):
    year: int
    interest: Decimal
    as_of: date | None  # the last day covered of a year not yet over


class InterestOverview(Answer):
    """Interest paid by year and in total against the mortgage-interest deduction cap (Tax Code art. 220)."""

    loan_id: int
    years: list[InterestYear]
    total_interest: Decimal
    cap_applies: bool
    interest_cap: Decimal
    cap_used: Decimal | None
    cap_left: Decimal | None
    refund_rate_percent: int
    max_refund: Decimal


class CertificateFile(Answer):
    content: bytes
    file_name: str


class Policy(Answer):
    id: int
    kind: PolicyKind
    mandatory: bool
    insurer: str
    policy_number: str
    starts_on: date
    expires_on: date
    premium: Decimal | None
    days_to_expiry: int
    expired: bool


class FileCheck(Answer):
    content_type: str  # what the bytes are: application/pdf, image/jpeg or image/png
    size: int


class Document(Answer):
    id: int
    purpose: str
    policy_kind: PolicyKind | None
    holiday_id: int | None
    file_name: str
    content_type: str
    size: int
    status: ReviewStatus
    decision_reason: str | None
    created_at: datetime
    decided_at: datetime | None


class QuoteRequest(Answer):
    """A renewal quote: `requested` (waiting for the partner's price) or `sent` (priced; then paid at once or later)."""

    id: int
    loan_id: int
    kind: PolicyKind
    status: Literal["requested", "sent", "cancelled"]
    created_at: datetime
    insurer: str | None
    premium: Decimal | None
    valid_until: date | None
    pay_by: date | None
    pay_later: bool | None
    chosen_at: datetime | None


class InsuranceOverview(Answer):
    loan_id: int
    policies: list[Policy]
    documents: list[Document]
    open_quote_requests: list[QuoteRequest]


class ExpectedResponse(Answer):
    in_hours: bool
    staff_back_at: datetime | None


class SupportCase(Answer):
    id: int
    status: CaseStatus
    reason: CaseReason
    summary: str
    loan_id: int | None
    created_at: datetime
    closed_at: datetime | None
    expected_response: ExpectedResponse | None = None


class OpenedCase(SupportCase):
    """The case a request opened, or the borrower's open one it joined (`reopened`)."""

    reopened: bool


class FeedbackResult(Answer):
    id: int
    score: int
    offer_person: bool = False

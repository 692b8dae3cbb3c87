"""Answers and requests of the insurance API, and the document shape the holiday API shares."""

from datetime import date, datetime

from pydantic import Field

from api.models import PolicyKind, QuoteStatus, ReviewStatus
from api.schemas import ApiModel, Money


class PolicyPublic(ApiModel):
    id: int
    kind: PolicyKind
    mandatory: bool = Field(description="Only property (collateral) cover is required; life and title are voluntary.")
    insurer: str
    policy_number: str
    starts_on: date
    expires_on: date
    premium: Money | None
    days_to_expiry: int = Field(description="Days from today (borrower's time zone) to expiry; negative once expired.")
    expired: bool


class DocumentPublic(ApiModel):
    """An uploaded document and where its review stands."""

    id: int
    purpose: str
    policy_kind: PolicyKind | None
    holiday_id: int | None
    file_name: str
    content_type: str
    size: int
    sha256: str
    status: ReviewStatus
    decision_reason: str | None
    created_at: datetime
    decided_at: datetime | None


class QuoteRequestCreate(ApiModel):
    kind: PolicyKind
    pay_later: bool = Field(default=False, description="The borrower wants to pay the premium later.")


class QuoteRequestPublic(ApiModel):
    id: int
    loan_id: int
    kind: PolicyKind
    pay_later: bool
    status: QuoteStatus
    created_at: datetime


class InsuranceOverview(ApiModel):
    loan_id: int
    policies: list[PolicyPublic]
    documents: list[DocumentPublic]
    open_quote_requests: list[QuoteRequestPublic]

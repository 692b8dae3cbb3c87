"""Answers and requests of the insurance API."""

from datetime import date, datetime

from pydantic import Field

from api.documents.schemas import DocumentPublic
from api.models import PolicyKind, QuoteStatus
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


class QuoteRequestCreate(ApiModel):
    kind: PolicyKind


class QuoteRequestPublic(ApiModel):
    """A renewal quote: asked for (`requested`), then priced by staff with the partner insurer (`sent`)."""

    id: int
    loan_id: int
    kind: PolicyKind
    status: QuoteStatus
    created_at: datetime
    insurer: str | None = Field(description="The partner insurer, once priced.")
    premium: Money | None = Field(description="The premium quoted, once priced.")
    valid_until: date | None = Field(description="The last day the price holds.")
    pay_by: date | None = Field(
        description="The last day to pay when paying later: the price's last day, or the current policy's end if first."
    )
    answered_at: datetime | None
    pay_later: bool | None = Field(description="The borrower's choice once priced: later (true) or at once (false).")
    chosen_at: datetime | None


class QuoteChoice(ApiModel):
    pay_later: bool = Field(description="Pay the quoted premium later (true) or at once (false).")


class InsuranceOverview(ApiModel):
    loan_id: int
    policies: list[PolicyPublic]
    documents: list[DocumentPublic]
    open_quote_requests: list[QuoteRequestPublic] = Field(
        description="Quotes waiting for their price, and priced ones whose price still holds, oldest first."
    )

"""Requests and answers of the staff API: queue items, the borrower card and decisions."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from api.models import PolicyKind
from api.schemas import ApiModel, Money, PositiveMoney, ShortText

ItemT = TypeVar("ItemT")
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]

EARLIEST_POLICY_DATE = date(2000, 1, 1)
LATEST_POLICY_DATE = date(2100, 12, 31)
MAX_POLICY_YEARS = 5
MAX_PREMIUM = Decimal("10000000.00")


class Page(ApiModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    limit: int
    offset: int


class QueueItem(ApiModel):
    """Who asked and on which loan; shared by every queue."""

    id: int
    borrower_id: int
    borrower_first_name: str
    loan_id: int | None
    contract_number: str | None
    created_at: datetime


class DecidedItem(QueueItem):
    status: str
    decided_at: datetime | None
    decided_by: int | None
    decision_reason: str | None


class HolidayItem(DecidedItem):
    reason: str
    income_before: Money
    income_after: Money
    months: int
    mode: str
    reduced_payment: Money | None
    start_date: date
    comment: str | None
    precheck_eligible: bool
    precheck: dict[str, Any]


class CertificateItem(DecidedItem):
    kind: str
    year: int | None
    on_date: date | None
    signed: bool
    issued_on: date | None


class DocumentItem(DecidedItem):
    purpose: str
    policy_kind: str | None
    holiday_id: int | None
    file_name: str
    content_type: str
    size: int


class QuoteItem(QueueItem):
    """A renewal quote: waiting for the partner's price, or priced (and the borrower's choice, once made)."""

    kind: str
    status: str
    insurer: str | None
    premium: Money | None
    valid_until: date | None
    pay_by: date | None
    answered_at: datetime | None
    answered_by: int | None
    pay_later: bool | None = Field(description="The borrower's choice once priced: later (true) or at once (false).")
    chosen_at: datetime | None


class CaseItem(QueueItem):
    borrower_id: int | None = Field(description="Null for a chat not linked to a borrower.")
    linked: bool = Field(description="False for an unlinked chat's case: its Telegram name, no loan data.")
    status: str
    reason: str = Field(description="The leading reason: hardship, else a complaint, else the first request's.")
    reasons: list[str] = Field(description="Every request's reason, hardship first.")
    hardship: bool = Field(description="Money trouble among the reasons: these cases come first in the queue.")
    summary: str
    recent_steps: list[str]
    assigned_to: int | None
    topic_id: int | None
    closed_at: datetime | None
    needs_supervisor: bool = Field(description="Reopened or flagged for a supervisor after a low rating.")


class TranscriptMessage(ApiModel):
    at: datetime
    direction: str = Field(description="`borrower`, `staff` (relayed to the borrower) or `note` (internal).")
    author: str = Field(description="`borrower`, or the staff member's name (`staff` if the account is gone).")
    kind: str
    text: str | None
    file_id: str | None = Field(description="Telegram's file id of a photo or document; the file stays there.")


class Transcript(ApiModel):
    case_id: int
    messages: list[TranscriptMessage] = Field(description="Oldest first.")


class LoanSummary(ApiModel):
    """A loan on the borrower card; figures from the engine, None for a closed loan or records that do not add up."""

    id: int
    contract_number: str
    status: str
    principal_outstanding: Money | None
    overdue: bool | None
    overdue_amount: Money | None
    days_overdue: int | None
    next_due_date: date | None
    next_payment: Money | None


class BorrowerCard(ApiModel):
    id: int
    first_name: str
    last_name: str
    middle_name: str | None
    language: str
    time_zone: str
    linked: bool
    reminders_enabled: bool
    unreachable_since: datetime | None
    loans: list[LoanSummary]
    holidays: list[HolidayItem] = Field(description="Applications awaiting a decision.")
    certificates: list[CertificateItem] = Field(description="Certificates awaiting a staff signature.")
    documents: list[DocumentItem] = Field(description="Documents awaiting review.")
    cases: list[CaseItem] = Field(description="Support cases not closed yet.")


class Decision(ApiModel):
    decision: Literal["approve", "reject"]
    reason: Reason | None = Field(default=None, description="Shown to the borrower; required to reject.")

    @model_validator(mode="after")
    def _reason_to_reject(self) -> "Decision":
        if self.decision == "reject" and self.reason is None:
            raise ValueError("a reason is required to reject")
        return self

    @property
    def approved(self) -> bool:
        return self.decision == "approve"


class NewPolicy(ApiModel):
    """The renewed policy read off an approved insurance document."""

    insurer: ShortText
    policy_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    kind: PolicyKind
    starts_on: date
    expires_on: date
    premium: PositiveMoney | None = None

    @model_validator(mode="after")
    def _dates(self) -> "NewPolicy":
        if not EARLIEST_POLICY_DATE <= self.starts_on < self.expires_on <= LATEST_POLICY_DATE:
            raise ValueError(
                f"starts_on must come before expires_on, both between {EARLIEST_POLICY_DATE} and {LATEST_POLICY_DATE}"
            )
        if (self.expires_on - self.starts_on).days > MAX_POLICY_YEARS * 366:
            raise ValueError(f"a policy runs for at most {MAX_POLICY_YEARS} years")
        return self


class DocumentDecision(Decision):
    policy: NewPolicy | None = Field(
        default=None, description="Approving an insurance policy document may register the new policy."
    )

    @model_validator(mode="after")
    def _policy_on_approval(self) -> "DocumentDecision":
        if self.policy is not None and not self.approved:
            raise ValueError("a policy comes only with an approval")
        return self


def _printable(value: str) -> str:
    if any(not character.isprintable() for character in value):
        raise ValueError("control characters are not allowed")
    return value


class QuoteAnswer(ApiModel):
    """The partner insurer's price for a renewal quote, as staff obtained it."""

    insurer: Annotated[ShortText, AfterValidator(_printable)]
    premium: Annotated[PositiveMoney, Field(le=MAX_PREMIUM)]
    valid_until: date = Field(description="The last day the price holds: from today to a year ahead (bank's time).")


class QuoteAnswerResult(ApiModel):
    id: int
    status: str
    insurer: str
    premium: Money
    valid_until: date
    pay_by: date
    answered_at: datetime
    answered_by: int
    notification_id: int | None = Field(default=None, description="The borrower's notice in the outbox.")


class DecisionResult(ApiModel):
    id: int
    status: str
    decided_at: datetime
    decided_by: int
    decision_reason: str | None
    issued_on: date | None = None
    policy_id: int | None = None
    notification_id: int | None = Field(default=None, description="The borrower's notice in the outbox.")

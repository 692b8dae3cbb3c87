"""Insurance: the policies on a loan and the borrower's requests for a renewal quote."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import Money, UtcDateTime, str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class PolicyKind(StrEnum):
    PROPERTY = "property"
    LIFE = "life"
    TITLE = "title"

    @property
    def mandatory(self) -> bool:
        """Only the collateral (property) cover is required by law; life and title are voluntary."""
        return self is PolicyKind.PROPERTY


class QuoteStatus(StrEnum):
    """Requested: waiting in the staff queue for the partner's price. Sent: priced by staff and told to the borrower."""

    REQUESTED = "requested"
    SENT = "sent"
    CANCELLED = "cancelled"


class InsurancePolicy(IdMixin, CreatedMixin, Base):
    """`ix_insurance_policy_loan_kind_expires` serves a loan's policies by kind in expiry order: the latest of a kind
    is the current one, an earlier one was renewed."""

    __tablename__ = "insurance_policy"
    __table_args__ = (Index("ix_insurance_policy_loan_kind_expires", "loan_id", "kind", "expires_on"),)

    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PolicyKind] = mapped_column(str_enum(PolicyKind))
    insurer: Mapped[str] = mapped_column(String(200))
    policy_number: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    premium: Mapped[Decimal | None] = mapped_column(Money)


class InsuranceQuoteRequest(IdMixin, CreatedMixin, Base):
    """A renewal quote: asked by the borrower, priced by staff with the partner insurer (insurer, premium and how long
    the price holds), then the borrower's choice to pay at once or later (`pay_later`, None until chosen)."""

    __tablename__ = "insurance_quote_request"
    __table_args__ = (
        Index(
            "uq_insurance_quote_request_open_kind",
            "loan_id",
            "kind",
            unique=True,
            postgresql_where=text("status = 'requested'"),
            sqlite_where=text("status = 'requested'"),
        ),
        UniqueConstraint("borrower_id", "idempotency_key"),
    )

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    #: The bot's key for the borrower's one request: a repeat with it returns this row (none from older clients).
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[PolicyKind] = mapped_column(str_enum(PolicyKind))
    status: Mapped[QuoteStatus] = mapped_column(str_enum(QuoteStatus), default=QuoteStatus.REQUESTED)
    insurer: Mapped[str | None] = mapped_column(String(200))
    premium: Mapped[Decimal | None] = mapped_column(Money)
    valid_until: Mapped[date | None] = mapped_column(Date)
    #: The last day to pay when paying later, as the borrower was told: the price's last day, or the current
    #: policy's end when that comes first (so the cover runs on without a break).
    pay_by: Mapped[date | None] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"))
    pay_later: Mapped[bool | None] = mapped_column(Boolean)
    chosen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

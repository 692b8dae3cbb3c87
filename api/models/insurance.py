"""Insurance: the policies on a loan and the borrower's requests for a renewal quote."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import Money, str_enum
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
    )

    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[PolicyKind] = mapped_column(str_enum(PolicyKind))
    pay_later: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[QuoteStatus] = mapped_column(str_enum(QuoteStatus), default=QuoteStatus.REQUESTED)

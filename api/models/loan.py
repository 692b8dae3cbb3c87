"""A mortgage loan: contract terms, status and the insured property."""

import secrets
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db_types import Money, str_enum
from api.engine import DayCount
from api.models.base import Base, CreatedMixin, IdMixin


def new_records_version() -> int:
    """A fresh value for `Loan.records_version`: 63 random bits, a positive BIGINT."""
    return secrets.randbits(63)


class LoanStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Loan(IdMixin, CreatedMixin, Base):
    __tablename__ = "loan"
    __table_args__ = (
        CheckConstraint("principal > 0", name="principal_positive"),
        CheckConstraint("rate_percent >= 0 AND rate_percent < 100", name="rate_range"),
        CheckConstraint("term_months BETWEEN 1 AND 600", name="term_range"),
        CheckConstraint("payment_day BETWEEN 1 AND 31", name="payment_day_range"),
    )

    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    contract_number: Mapped[str] = mapped_column(String(32), unique=True)
    contract_date: Mapped[date] = mapped_column(Date)
    principal: Mapped[Decimal] = mapped_column(Money)
    rate_percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    term_months: Mapped[int] = mapped_column(Integer)
    first_payment_date: Mapped[date] = mapped_column(Date)
    payment_day: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[LoanStatus] = mapped_column(str_enum(LoanStatus), default=LoanStatus.ACTIVE)
    closed_on: Mapped[date | None] = mapped_column(Date)
    #: How each period's interest is counted (the engine's convention; monthly: 1/12 of the annual rate).
    day_count: Mapped[DayCount] = mapped_column(
        str_enum(DayCount), default=DayCount.MONTHLY, server_default=DayCount.MONTHLY.value
    )
    property_address: Mapped[str] = mapped_column(String(300))
    property_is_only_home: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The loan's own 20-digit account that repayments are paid into (the bank's data); None only for a loan loaded
    #: before the bank began to send it, whose payment details then say to ask the bank.
    repayment_account: Mapped[str | None] = mapped_column(String(20))
    #: The borrower's local date from which the planner looks at the loan again: its next reminder day, a month off
    #: at most. None (look now) after any change that could call for another reminder (api/outbox/replanning.py).
    reminders_next_on: Mapped[date | None] = mapped_column(Date, index=True)
    #: Drawn anew by every replanning of the loan (api/outbox/replanning.py), as its payments, early repayments or
    #: granted holiday may have changed: the key under which each backend process keeps the loan's records
    #: (api/loans/state.py). Random rather than counted, so a database restored or rebuilt under a running backend
    #: never meets a key it held for other records.
    records_version: Mapped[int] = mapped_column(BigInteger, default=new_records_version, server_default="0")

    borrower: Mapped["Borrower"] = relationship(  # noqa: F821
        back_populates="loans", foreign_keys=[borrower_id]
    )

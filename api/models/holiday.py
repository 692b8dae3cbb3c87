"""A payment-holiday (hardship deferral) application under 353-FZ art. 6.1-1."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import Money, str_enum
from api.models.base import Base, CreatedMixin, DecisionMixin, IdMixin


class HolidayReason(StrEnum):
    JOB_LOSS = "job_loss"
    INCOME_DROP = "income_drop"
    SICK_LEAVE = "sick_leave"
    DISABILITY = "disability"
    NEW_DEPENDANT = "new_dependant"
    OTHER = "other"


class HolidayMode(StrEnum):
    FULL = "full"
    REDUCED = "reduced"


class HolidayStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class HolidayApplication(IdMixin, CreatedMixin, DecisionMixin, Base):
    __tablename__ = "holiday_application"
    __table_args__ = (
        UniqueConstraint("borrower_id", "idempotency_key"),
        CheckConstraint("months BETWEEN 1 AND 6", name="months_range"),
        CheckConstraint("income_before >= 0 AND income_after >= 0", name="income_non_negative"),
        Index(
            "uq_holiday_application_pending_loan",
            "loan_id",
            unique=True,
            postgresql_where=text("status = 'submitted'"),
            sqlite_where=text("status = 'submitted'"),
        ),
    )

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64))
    reason: Mapped[HolidayReason] = mapped_column(str_enum(HolidayReason))
    income_before: Mapped[Decimal] = mapped_column(Money)
    income_after: Mapped[Decimal] = mapped_column(Money)
    months: Mapped[int] = mapped_column(SmallInteger)
    mode: Mapped[HolidayMode] = mapped_column(str_enum(HolidayMode))
    reduced_payment: Mapped[Decimal | None] = mapped_column(Money)
    start_date: Mapped[date] = mapped_column(Date)
    comment: Mapped[str | None] = mapped_column(String(2000))
    precheck_eligible: Mapped[bool] = mapped_column(Boolean)
    precheck: Mapped[dict] = mapped_column(JSON)
    status: Mapped[HolidayStatus] = mapped_column(str_enum(HolidayStatus), default=HolidayStatus.SUBMITTED, index=True)

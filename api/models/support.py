"""A support case: the borrower asked for a person (or the bot offered one) and staff take it over."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime, str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class CaseReason(StrEnum):
    REQUESTED = "requested"
    MISUNDERSTOOD = "misunderstood"
    COMPLAINT = "complaint"
    LOW_RATING = "low_rating"
    EARLY_REPAYMENT = "early_repayment"
    REFINANCING = "refinancing"
    RE_REGISTRATION = "re_registration"
    CERTIFICATE = "certificate"
    OTHER = "other"


class CaseStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    CLOSED = "closed"


class SupportCase(IdMixin, CreatedMixin, Base):
    __tablename__ = "support_case"
    __table_args__ = (
        Index(
            "uq_support_case_active_borrower",
            "borrower_id",
            unique=True,
            postgresql_where=text("status IN ('open', 'taken')"),
            sqlite_where=text("status IN ('open', 'taken')"),
        ),
    )

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loan.id", ondelete="SET NULL"))
    reason: Mapped[CaseReason] = mapped_column(str_enum(CaseReason))
    summary: Mapped[str] = mapped_column(String(2000), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    recent_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.OPEN, index=True)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"))
    topic_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    needs_supervisor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

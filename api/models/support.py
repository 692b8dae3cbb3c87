"""A support case: the borrower asked for a person (or the bot offered one) and staff take it over."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime, str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class CaseReason(StrEnum):
    HARDSHIP = "hardship"  # money trouble: a payment holiday may be due; flagged above every other reason
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


_ACTIVE = text("status IN ('open', 'taken')")


class SupportCase(IdMixin, CreatedMixin, Base):
    """A borrower's case, or an unlinked chat's (no borrower: its Telegram id and name, and no loan data)."""

    __tablename__ = "support_case"
    __table_args__ = (
        Index(
            "uq_support_case_active_borrower",
            "borrower_id",
            unique=True,
            postgresql_where=_ACTIVE,
            sqlite_where=_ACTIVE,
        ),
        Index(
            "uq_support_case_active_chat",
            "telegram_user_id",
            unique=True,
            postgresql_where=_ACTIVE,
            sqlite_where=_ACTIVE,
        ),
    )

    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)  # an unlinked chat's case only
    telegram_name: Mapped[str | None] = mapped_column(String(64))  # the name the unlinked chat's Telegram gives
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loan.id", ondelete="SET NULL"))
    reason: Mapped[CaseReason] = mapped_column(str_enum(CaseReason))  # the first request's; `reasons` has every one
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(String(2000), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    recent_steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus), default=CaseStatus.OPEN, index=True)
    assigned_to: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # since when `assigned_to` holds the case
    topic_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    needs_supervisor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def linked(self) -> bool:
        """The case is a borrower's, not an unlinked chat's."""
        return self.borrower_id is not None

    @property
    def hardship(self) -> bool:
        """Money trouble is among the case's reasons: staff see it above the rest."""
        return CaseReason.HARDSHIP in self.reasons

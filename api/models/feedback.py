"""A 1–5 rating, with an optional comment, of a delivered certificate, a decision or a handed-back chat."""

from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class FeedbackSubject(StrEnum):
    CERTIFICATE = "certificate"
    HOLIDAY = "holiday"
    SUPPORT_CASE = "support_case"
    GENERAL = "general"


class Feedback(IdMixin, CreatedMixin, Base):
    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        UniqueConstraint("borrower_id", "idempotency_key"),
    )

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    #: The bot's key for the borrower's one rating: a repeat with it returns this row (none from older clients).
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[FeedbackSubject] = mapped_column(str_enum(FeedbackSubject))
    subject_id: Mapped[int | None] = mapped_column(BigInteger)
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(String(2000))

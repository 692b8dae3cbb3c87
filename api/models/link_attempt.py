"""One attempt to link a Telegram account, kept to lock out guessing of the second factor: per account, and per
borrower whose phone was given (none for a phone the bank does not know)."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime
from api.models.base import Base, IdMixin, utcnow


class LinkAttempt(IdMixin, Base):
    __tablename__ = "link_attempt"
    __table_args__ = (
        Index("ix_link_attempt_user_at", "telegram_user_id", "at"),
        Index("ix_link_attempt_borrower_at", "borrower_id", "at"),
    )

    telegram_user_id: Mapped[int] = mapped_column(BigInteger)
    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)

"""The staff console's server-side sessions and its failed sign-ins (counted for the lock-out)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime
from api.models.base import Base, IdMixin


class ConsoleSession(IdMixin, Base):
    """A signed-in browser: the cookie's random id is kept only as its SHA-256 (the session's CSRF token is derived
    from the id, so it is not stored either)."""

    __tablename__ = "console_session"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    address: Mapped[str | None] = mapped_column(String(45))


class ConsoleSignInFailure(IdMixin, Base):
    """One failed sign-in: by whom when the name was known, and from which address."""

    __tablename__ = "console_sign_in_failure"
    __table_args__ = (
        Index("ix_console_sign_in_failure_staff_at", "staff_id", "at"),
        Index("ix_console_sign_in_failure_address_at", "address", "at"),
    )

    at: Mapped[datetime] = mapped_column(UtcDateTime)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(45))

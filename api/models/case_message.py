"""The transcript of a support case: each relayed message (or staff note) once, files referenced by Telegram file id;
the console's replies and notes too (no Telegram message of their own; a reply's file kept in `case_file`)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime, str_enum
from api.models.base import Base, IdMixin


class MessageDirection(StrEnum):
    BORROWER = "borrower"  # from the borrower's chat into the staff topic
    STAFF = "staff"  # a staff reply relayed to the borrower
    NOTE = "note"  # internal, never relayed


class MessageKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"
    OTHER = "other"


class CaseMessage(IdMixin, Base):
    """One message; (case, direction, Telegram message id) is unique, so a retried relay is stored once. A message
    written in the console has no Telegram message id (nulls never collide)."""

    __tablename__ = "case_message"
    __table_args__ = (UniqueConstraint("case_id", "direction", "telegram_message_id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    direction: Mapped[MessageDirection] = mapped_column(str_enum(MessageDirection))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"))
    kind: Mapped[MessageKind] = mapped_column(str_enum(MessageKind))
    text: Mapped[str | None] = mapped_column(String(4096))
    file_id: Mapped[str | None] = mapped_column(String(256))
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)

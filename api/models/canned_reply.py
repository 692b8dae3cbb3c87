"""A canned reply: a text supervisors keep for operators to insert into a console reply."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime
from api.models.base import Base, CreatedMixin, IdMixin


class CannedReply(IdMixin, CreatedMixin, Base):
    __tablename__ = "canned_reply"

    title: Mapped[str] = mapped_column(String(100), unique=True)
    text: Mapped[str] = mapped_column(String(4096))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"))

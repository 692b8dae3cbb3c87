"""A file a member of staff attached to a console reply, kept until (and after) the bot sends it to the borrower."""

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from api.models.base import Base, IdMixin


class CaseFile(IdMixin, Base):
    __tablename__ = "case_file"

    message_id: Mapped[int] = mapped_column(ForeignKey("case_message.id", ondelete="CASCADE"), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

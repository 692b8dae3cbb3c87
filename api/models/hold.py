"""Who of the staff holds a work item (a holiday application, a certificate, a document, a quote) and since when.

One row per item at most (the unique constraint is what keeps two members from holding the same item); support
cases keep their holder on the case itself (`support_case.assigned_to`), as the Telegram relay's /take does.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime, str_enum
from api.models.base import Base, IdMixin


class HoldKind(StrEnum):
    HOLIDAY = "holiday"
    CERTIFICATE = "certificate"
    DOCUMENT = "document"
    QUOTE = "quote"


class WorkHold(IdMixin, Base):
    __tablename__ = "work_hold"
    __table_args__ = (UniqueConstraint("kind", "item_id"),)

    kind: Mapped[HoldKind] = mapped_column(str_enum(HoldKind))
    item_id: Mapped[int] = mapped_column(BigInteger)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id", ondelete="CASCADE"), index=True)
    since: Mapped[datetime] = mapped_column(UtcDateTime)

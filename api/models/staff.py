"""A member of the support staff with a role and an API token (stored as a hash)."""

from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class StaffRole(StrEnum):
    OPERATOR = "operator"
    SUPERVISOR = "supervisor"


class StaffMember(IdMixin, CreatedMixin, Base):
    __tablename__ = "staff_member"

    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

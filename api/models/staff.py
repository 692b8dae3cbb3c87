"""A member of the support staff with a role, an API token (stored as a hash) and the console's credentials."""

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
    # The console's sign-in: an argon2 hash, the TOTP secret (base32) and the last TOTP time step accepted, so a
    # code is good once; without a password the member has no console access.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    #: The console's language the member chose ("ru" or "en"); None until they choose.
    language: Mapped[str | None] = mapped_column(String(2))

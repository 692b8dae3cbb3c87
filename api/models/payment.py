"""A payment actually received on a loan: a regular instalment or an early repayment."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import Money, str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class PaymentKind(StrEnum):
    REGULAR = "regular"
    EARLY = "early"


class EarlyMode(StrEnum):
    SHORTER_TERM = "shorter_term"
    SMALLER_PAYMENT = "smaller_payment"


class Payment(IdMixin, CreatedMixin, Base):
    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("kind = 'regular' OR early_mode IS NOT NULL", name="early_has_mode"),
    )

    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    kind: Mapped[PaymentKind] = mapped_column(str_enum(PaymentKind), default=PaymentKind.REGULAR)
    early_mode: Mapped[EarlyMode | None] = mapped_column(str_enum(EarlyMode))

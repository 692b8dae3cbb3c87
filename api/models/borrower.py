"""A borrower: identity, Telegram link, language, consents and reminder preferences."""

from datetime import date, datetime, time

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, String, Time, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db_types import UtcDateTime
from api.models.base import Base, CreatedMixin, IdMixin


class Borrower(IdMixin, CreatedMixin, Base):
    __tablename__ = "borrower"

    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2), default="ru")
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    linked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    personal_data_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminders_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The thanks-and-progress notice when a payment is recorded; sent only with reminders on, and this on.
    payment_received_notices: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    reminder_days_ahead: Mapped[list[int]] = mapped_column(JSON, default=lambda: [3, 1])
    daytime_start: Mapped[time] = mapped_column(Time, default=time(9, 0))
    daytime_end: Mapped[time] = mapped_column(Time, default=time(21, 0))
    selected_loan_id: Mapped[int | None] = mapped_column(ForeignKey("loan.id", use_alter=True, ondelete="SET NULL"))
    unreachable_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_survey_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    loans: Mapped[list["Loan"]] = relationship(  # noqa: F821
        back_populates="borrower", foreign_keys="Loan.borrower_id", order_by="Loan.id"
    )

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    @property
    def is_linked(self) -> bool:
        return self.telegram_user_id is not None

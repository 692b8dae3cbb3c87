"""The outbox and reminder log: every push the borrower must get, keyed so it is sent at most once."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, ForeignKey, Index, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime, str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class NotificationKind(StrEnum):
    PAYMENT_DUE = "payment_due"
    PAYMENT_OVERDUE = "payment_overdue"
    INSURANCE_EXPIRY = "insurance_expiry"
    HOLIDAY_DECIDED = "holiday_decided"
    CERTIFICATE_READY = "certificate_ready"
    CERTIFICATE_REJECTED = "certificate_rejected"
    INSURANCE_DOCUMENT_DECIDED = "insurance_document_decided"
    PAYMENT_RECEIVED = "payment_received"
    INSURANCE_QUOTE_READY = "insurance_quote_ready"


#: Reminders are planned from the loan's records (and withdrawn while waiting when those records change).
REMINDER_KINDS = frozenset(
    {NotificationKind.PAYMENT_DUE, NotificationKind.PAYMENT_OVERDUE, NotificationKind.INSURANCE_EXPIRY}
)
#: Pushes that need the borrower's consent to reminders: the reminders and the thanks for a payment received
#: (written by the payment itself, so never withdrawn by it). Status notices are owed to everyone linked.
CONSENTED_KINDS = REMINDER_KINDS | {NotificationKind.PAYMENT_RECEIVED}
STATUS_KINDS = frozenset(NotificationKind) - CONSENTED_KINDS


class NotificationStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Notification(IdMixin, CreatedMixin, Base):
    """`dedupe_key` is the reminder's identity: kind, loan and due date (or the decided entity).

    `ix_notification_due` holds only the rows a claim can take, in the order it takes them, so a claim reads its
    batch off the index instead of sorting every due row (the outbox keeps its sent rows).
    """

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_status_not_before", "status", "not_before"),
        Index(
            "ix_notification_due",
            "not_before",
            "id",
            postgresql_where=text("status IN ('pending', 'claimed')"),
            sqlite_where=text("status IN ('pending', 'claimed')"),
        ),
    )

    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(str_enum(NotificationKind))
    due_date: Mapped[date | None] = mapped_column(Date)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[NotificationStatus] = mapped_column(str_enum(NotificationStatus), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Set by the sender just before it calls Telegram; a lease that lapses with it set is never sent again.
    send_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

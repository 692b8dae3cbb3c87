"""What the bot must carry out in Telegram for a case: a console reply to deliver (and mirror into the staff topic),
who joined, the chat handed back with the survey, and every copy of the Telegram relay (the borrower's message into
the staff topic, a staff reply in the topic to the borrower). The bot claims tasks under a lease, a case's in order,
and reports each step, so a restart mid-delivery neither repeats nor loses one."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db_types import UtcDateTime, str_enum
from api.models.base import Base, CreatedMixin, IdMixin


class RelayTaskKind(StrEnum):
    REPLY = "reply"  # a console reply for the borrower's chat, mirrored into the topic
    JOINED = "joined"  # a member took the case in the console: the borrower and the topic are told
    CLOSED = "closed"  # closed in the console: the chat goes back to the bot, with the survey
    COPY_IN = "copy_in"  # the borrower's message, copied into the case's staff topic
    COPY_OUT = "copy_out"  # a staff member's message in the topic, copied to the borrower


class RelayTaskStatus(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    DONE = "done"
    FAILED = "failed"


class RelayTask(IdMixin, CreatedMixin, Base):
    __tablename__ = "relay_task"
    __table_args__ = (Index("ix_relay_task_status_id", "status", "id"),)

    case_id: Mapped[int] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RelayTaskKind] = mapped_column(str_enum(RelayTaskKind))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("case_message.id", ondelete="CASCADE"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id", ondelete="SET NULL"))
    #: A copy's source: the chat its message is in (the message's id is the transcript's `telegram_message_id`).
    source_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[RelayTaskStatus] = mapped_column(str_enum(RelayTaskStatus), default=RelayTaskStatus.PENDING)
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Set just before the bot sends to the borrower; a lease that lapses with it set and no delivery is not resent.
    send_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The borrower's chat has it (a copy into the topic: the topic has it).
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    borrower_message_id: Mapped[int | None] = mapped_column(BigInteger)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the topic told too, or there is none
    last_error: Mapped[str | None] = mapped_column(String(500))

"""A request for a person made under the bot's idempotency key, and the case it reached: the same request again
under the key adds nothing to the case a second time."""

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, CreatedMixin, IdMixin


class CaseRequest(IdMixin, CreatedMixin, Base):
    """A keyed request of a borrower's (its key unique per borrower) or of an unlinked chat's (per Telegram account);
    whether it opened the case or joined the active one, and the digest of what it asked, so the key coming back
    with another request is told apart. Only keyed requests have a row: a case's words are in the case."""

    __tablename__ = "case_request"
    __table_args__ = (
        UniqueConstraint("borrower_id", "idempotency_key"),
        UniqueConstraint("telegram_user_id", "idempotency_key"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("support_case.id", ondelete="CASCADE"), index=True)
    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)  # an unlinked chat's request only
    idempotency_key: Mapped[str] = mapped_column(String(64))
    opened: Mapped[bool] = mapped_column(Boolean)
    request_sha256: Mapped[str] = mapped_column(String(64))

"""A file the borrower uploaded (a new insurance policy, proof for a payment holiday), kept for review."""

from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from api.db_types import str_enum
from api.models.base import Base, CreatedMixin, DecisionMixin, IdMixin
from api.models.insurance import PolicyKind


class DocumentPurpose(StrEnum):
    INSURANCE_POLICY = "insurance_policy"
    HOLIDAY_PROOF = "holiday_proof"


class ReviewStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


#: A file under review, by what it is for: a policy of a kind on a loan, or proof for a holiday application.
_WAITING = "status = 'submitted'"
_WAITING_BY = {
    "policy": (("loan_id", "policy_kind", "sha256"), f"{_WAITING} AND policy_kind IS NOT NULL"),
    "proof": (("holiday_id", "sha256"), f"{_WAITING} AND holiday_id IS NOT NULL"),
}


class Document(IdMixin, CreatedMixin, DecisionMixin, Base):
    """The same file for the same purpose is under review once: a repeat finds the waiting one."""

    __tablename__ = "document"
    __table_args__ = (
        *(
            Index(
                f"uq_document_waiting_{name}",
                *columns,
                unique=True,
                postgresql_where=text(where),
                sqlite_where=text(where),
            )
            for name, (columns, where) in _WAITING_BY.items()
        ),
        UniqueConstraint("borrower_id", "idempotency_key"),
    )

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    #: The bot's key for the borrower's one upload: a repeat with it returns this row (none from older clients).
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    purpose: Mapped[DocumentPurpose] = mapped_column(str_enum(DocumentPurpose))
    policy_kind: Mapped[PolicyKind | None] = mapped_column(str_enum(PolicyKind))
    holiday_id: Mapped[int | None] = mapped_column(ForeignKey("holiday_application.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    status: Mapped[ReviewStatus] = mapped_column(str_enum(ReviewStatus), default=ReviewStatus.SUBMITTED, index=True)

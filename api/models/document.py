"""A file the borrower uploaded (a new insurance policy, proof for a payment holiday), kept for review."""

from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
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


class Document(IdMixin, CreatedMixin, DecisionMixin, Base):
    __tablename__ = "document"

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[DocumentPurpose] = mapped_column(str_enum(DocumentPurpose))
    policy_kind: Mapped[PolicyKind | None] = mapped_column(str_enum(PolicyKind))
    holiday_id: Mapped[int | None] = mapped_column(ForeignKey("holiday_application.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    status: Mapped[ReviewStatus] = mapped_column(str_enum(ReviewStatus), default=ReviewStatus.SUBMITTED, index=True)

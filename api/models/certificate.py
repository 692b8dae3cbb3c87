"""A borrower's request for a certificate and its delivery."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, LargeBinary, SmallInteger
from sqlalchemy.orm import Mapped, deferred, mapped_column

from api.db_types import UtcDateTime, str_enum
from api.models.base import Base, CreatedMixin, DecisionMixin, IdMixin


class CertificateKind(StrEnum):
    INTEREST_PAID = "interest_paid"
    OUTSTANDING_DEBT = "outstanding_debt"
    SCHEDULE = "schedule"
    CLOSURE = "closure"


class CertificateStatus(StrEnum):
    READY = "ready"
    PENDING_STAFF = "pending_staff"
    REJECTED = "rejected"


class CertificateRequest(IdMixin, CreatedMixin, DecisionMixin, Base):
    __tablename__ = "certificate_request"

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind))
    year: Mapped[int | None] = mapped_column(SmallInteger)
    on_date: Mapped[date | None] = mapped_column(Date)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[CertificateStatus] = mapped_column(str_enum(CertificateStatus), index=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The PDF a member of staff signed and uploaded; the borrower receives it instead of the rendered one.
    signed_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

"""A borrower's request for a certificate and its delivery."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, LargeBinary, SmallInteger, String, UniqueConstraint, text
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


#: A signed request waiting for staff, by what it covers: a year (interest paid), a date (outstanding debt), or
#: neither (schedule, closure). Three indexes, as a unique index counts NULLs as distinct on either database.
_PENDING = "status = 'pending_staff'"
_PENDING_BY = {
    "year": (("loan_id", "kind", "year"), f"{_PENDING} AND year IS NOT NULL"),
    "date": (("loan_id", "kind", "on_date"), f"{_PENDING} AND on_date IS NOT NULL"),
    "kind": (("loan_id", "kind"), f"{_PENDING} AND year IS NULL AND on_date IS NULL"),
}


class CertificateRequest(IdMixin, CreatedMixin, DecisionMixin, Base):
    """One signed request per loan, kind and year or date waits for staff at a time: a repeat finds the waiting one."""

    __tablename__ = "certificate_request"
    __table_args__ = (
        UniqueConstraint("borrower_id", "idempotency_key"),
        *(
            Index(
                f"uq_certificate_request_pending_{name}",
                *columns,
                unique=True,
                postgresql_where=text(where),
                sqlite_where=text(where),
            )
            for name, (columns, where) in _PENDING_BY.items()
        ),
    )

    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id", ondelete="CASCADE"), index=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loan.id", ondelete="CASCADE"), index=True)
    #: The bot's key for the borrower's one press: a repeat with it returns this request (none from older clients).
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[CertificateKind] = mapped_column(str_enum(CertificateKind))
    year: Mapped[int | None] = mapped_column(SmallInteger)
    on_date: Mapped[date | None] = mapped_column(Date)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[CertificateStatus] = mapped_column(str_enum(CertificateStatus), index=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: The PDF a member of staff signed and uploaded; the borrower receives it instead of the rendered one.
    signed_pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

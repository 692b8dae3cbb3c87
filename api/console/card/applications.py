"""The borrower's applications on the card, each with its history from the audit log, newest first.

Applications are what waits for a staff decision or once did: payment holidays, uploaded documents (a renewed
policy, holiday proof), renewal quotes and certificates asked for with the bank's signature.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    AuditEntry,
    CertificateRequest,
    Document,
    HolidayApplication,
    InsuranceQuoteRequest,
)
from api.models.base import Base

STAFF_ACTOR = "staff:"


class ApplicationKind(StrEnum):
    HOLIDAY = "holiday_application"
    DOCUMENT = "document"
    QUOTE = "insurance_quote_request"
    CERTIFICATE = "certificate_request"


_MODELS: dict[ApplicationKind, type[Base]] = {
    ApplicationKind.HOLIDAY: HolidayApplication,
    ApplicationKind.DOCUMENT: Document,
    ApplicationKind.QUOTE: InsuranceQuoteRequest,
    ApplicationKind.CERTIFICATE: CertificateRequest,
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    #: The member of staff who acted, by name; None when the assistant acted on the borrower's behalf (or a system).
    staff_name: str | None
    #: The actor's code as the audit holds it (`bot`, `integration`, `staff:7`).
    actor: str


@dataclass(frozen=True)
class Application:
    kind: ApplicationKind
    record: HolidayApplication | Document | InsuranceQuoteRequest | CertificateRequest
    history: list[HistoryEntry]

    @property
    def created_at(self) -> datetime:
        return self.record.created_at


async def applications(session: AsyncSession, *, borrower_id: int, staff_names: dict[int, str]) -> list[Application]:
    """Every application of the borrower, newest first; `staff_names` (id → name) names who acted."""
    found: list[tuple[ApplicationKind, Base]] = []
    for kind, model in _MODELS.items():
        query = select(model).where(model.borrower_id == borrower_id)
        if model is CertificateRequest:
            query = query.where(CertificateRequest.signed.is_(True))
        found += [(kind, record) for record in await session.scalars(query)]
    history = await _history(session, [(kind, record.id) for kind, record in found], staff_names)
    listed = [Application(kind, record, history[(kind.value, str(record.id))]) for kind, record in found]
    return sorted(listed, key=lambda a: (a.created_at, a.record.id), reverse=True)


async def _history(
    session: AsyncSession, keys: list[tuple[ApplicationKind, int]], staff_names: dict[int, str]
) -> dict[tuple[str, str], list[HistoryEntry]]:
    """The audit entries of these records, oldest first, in one query."""
    history: dict[tuple[str, str], list[HistoryEntry]] = defaultdict(list)
    by_kind: dict[ApplicationKind, list[str]] = defaultdict(list)
    for kind, record_id in keys:
        by_kind[kind].append(str(record_id))
    if not by_kind:
        return history
    entries = await session.scalars(
        select(AuditEntry)
        .where(
            or_(
                *(and_(AuditEntry.entity == kind.value, AuditEntry.entity_id.in_(ids)) for kind, ids in by_kind.items())
            )
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    for entry in entries:
        history[(entry.entity, entry.entity_id)].append(
            HistoryEntry(
                at=entry.at, action=entry.action, staff_name=staff_name(entry.actor, staff_names), actor=entry.actor
            )
        )
    return history


def staff_name(actor: str, staff_names: dict[int, str]) -> str | None:
    """The name of the member of staff an audit actor code names (`staff:7`), else None."""
    if not actor.startswith(STAFF_ACTOR):
        return None
    number = actor.removeprefix(STAFF_ACTOR)
    return staff_names.get(int(number)) if number.isdigit() else None

"""Certificates issued in the period by kind: at once from the system, or signed by staff."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.portfolio.period import Period
from api.models import CertificateKind, CertificateRequest, CertificateStatus


@dataclass(frozen=True)
class KindIssued:
    kind: CertificateKind
    instant: int
    signed: int

    @property
    def total(self) -> int:
        return self.instant + self.signed


async def issued_by_kind(session: AsyncSession, period: Period) -> list[KindIssued]:
    """Every kind in its declared order; a signed one counts when staff issued it, an instant one when asked."""
    issued_at = func.coalesce(CertificateRequest.decided_at, CertificateRequest.created_at)
    rows = await session.execute(
        select(CertificateRequest.kind, CertificateRequest.signed, func.count())
        .where(CertificateRequest.status == CertificateStatus.READY, period.covers(issued_at))
        .group_by(CertificateRequest.kind, CertificateRequest.signed)
    )
    counts = {(kind, signed): count for kind, signed, count in rows}
    return [KindIssued(kind, counts.get((kind, False), 0), counts.get((kind, True), 0)) for kind in CertificateKind]

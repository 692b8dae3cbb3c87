"""Open hardship cases (money trouble among their reasons) by how long they have waited since they were opened."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import CaseReason, CaseStatus, SupportCase

#: The bands' upper edges; a case older than the last edge falls in the last band, "over 7 days".
EDGES = (timedelta(days=1), timedelta(days=3), timedelta(days=7))


@dataclass(frozen=True)
class AgeBand:
    #: The band's lower and upper age; None above for the last band.
    older_than: timedelta
    younger_than: timedelta | None
    cases: int


async def open_hardship_by_age(session: AsyncSession, *, now: datetime) -> list[AgeBand]:
    """Every band, empty ones included. A case's leading reason is hardship whenever hardship is among its reasons
    (api/support/reasons.py), so the reason column alone finds them."""
    band = case(*((SupportCase.created_at > now - edge, index) for index, edge in enumerate(EDGES)), else_=len(EDGES))
    rows = (
        select(band.label("band"))
        .where(SupportCase.status.in_((CaseStatus.OPEN, CaseStatus.TAKEN)), SupportCase.reason == CaseReason.HARDSHIP)
        .subquery()
    )
    counts = dict((await session.execute(select(rows.c.band, func.count()).group_by(rows.c.band))).all())
    lowers = (timedelta(0), *EDGES)
    uppers = (*EDGES, None)
    return [AgeBand(lowers[index], uppers[index], counts.get(index, 0)) for index in range(len(EDGES) + 1)]

"""Satisfaction by week: the ratings borrowers gave (1–5) and the share of them that were 4 or 5 (CSAT)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.portfolio.period import Period
from api.models import Feedback

SATISFIED = 4  # a 4 or a 5 counts as satisfied


@dataclass(frozen=True)
class CsatWeek:
    week: date
    ratings: int
    satisfied: int

    @property
    def share(self) -> Decimal | None:
        """Satisfied ratings as a percentage of all, to one decimal; None for a week without ratings."""
        if not self.ratings:
            return None
        return (Decimal(100 * self.satisfied) / self.ratings).quantize(Decimal("0.1"), ROUND_HALF_UP)


async def weekly_csat(session: AsyncSession, period: Period) -> list[CsatWeek]:
    """Every week of the period, those without ratings included."""
    rows = (
        select(
            period.week_index(Feedback.created_at).label("week"),
            case((Feedback.score >= SATISFIED, 1), else_=0).label("satisfied"),
        )
        .where(period.covers(Feedback.created_at))
        .subquery()
    )
    counts = {
        week: (ratings, satisfied)
        for week, ratings, satisfied in await session.execute(
            select(rows.c.week, func.count(), func.sum(rows.c.satisfied)).group_by(rows.c.week)
        )
    }
    return [CsatWeek(monday, *counts.get(index, (0, 0))) for index, monday in enumerate(period.weeks)]

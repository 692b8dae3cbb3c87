"""Staff first-response time by week: from a case's escalation (its opening) to the first staff reply relayed to the
borrower, as the median and the 90th percentile (continuous, interpolated) of the week's answered cases.

Time is counted on the clock, nights and weekends included: what the borrower waited. PostgreSQL computes the
percentiles itself (`percentile_cont`); elsewhere (SQLite) the database still finds each case's first reply and
the percentiles are taken here from one row per case, by the same definition.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from math import floor

from sqlalchemy import extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.portfolio.period import Period
from api.models import CaseMessage, MessageDirection, SupportCase

MEDIAN, NINETIETH = 0.5, 0.9


@dataclass(frozen=True)
class ResponseWeek:
    week: date
    #: Cases opened in the week, and of those, the ones a member of staff has answered.
    cases: int
    answered: int
    median: timedelta | None
    p90: timedelta | None


def percentile(values: list[float], fraction: float) -> float:
    """The continuous percentile of sorted `values`, interpolated between neighbours (PostgreSQL's percentile_cont)."""
    position = fraction * (len(values) - 1)
    lower = floor(position)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (position - lower)


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=round(float(value)))


async def weekly_first_response(session: AsyncSession, period: Period) -> list[ResponseWeek]:
    first_reply = (
        select(CaseMessage.case_id, func.min(CaseMessage.at).label("at"))
        .join(SupportCase, SupportCase.id == CaseMessage.case_id)
        .where(
            CaseMessage.direction == MessageDirection.STAFF,
            CaseMessage.at >= SupportCase.created_at,
            period.covers(SupportCase.created_at),
        )
        .group_by(CaseMessage.case_id)
        .subquery()
    )
    cases = (
        select(
            period.week_index(SupportCase.created_at).label("week"),
            SupportCase.created_at.label("opened"),
            first_reply.c.at.label("answered"),
        )
        .outerjoin(first_reply, first_reply.c.case_id == SupportCase.id)
        .where(period.covers(SupportCase.created_at))
        .subquery()
    )
    if session.bind.dialect.name == "postgresql":
        waited = extract("epoch", cases.c.answered - cases.c.opened)
        rows = await session.execute(
            select(
                cases.c.week,
                func.count(),
                func.count(cases.c.answered),
                func.percentile_cont(MEDIAN).within_group(waited),
                func.percentile_cont(NINETIETH).within_group(waited),
            ).group_by(cases.c.week)
        )
        found = {
            week: (count, answered, _seconds(median), _seconds(p90)) for week, count, answered, median, p90 in rows
        }
    else:
        found = await _computed_here(session, cases)
    return [ResponseWeek(monday, *found.get(index, (0, 0, None, None))) for index, monday in enumerate(period.weeks)]


async def _computed_here(session: AsyncSession, cases) -> dict[int, tuple]:
    """The same figures from one row per case, for a database without percentile_cont."""
    opened: dict[int, int] = defaultdict(int)
    waits: dict[int, list[float]] = defaultdict(list)
    for week, when_opened, when_answered in await session.execute(
        select(cases.c.week, cases.c.opened, cases.c.answered)
    ):
        opened[week] += 1
        if when_answered is not None:
            waits[week].append((when_answered - when_opened).total_seconds())
    found = {}
    for week, count in opened.items():
        values = sorted(waits[week])
        if values:
            found[week] = (
                count,
                len(values),
                _seconds(percentile(values, MEDIAN)),
                _seconds(percentile(values, NINETIETH)),
            )
        else:
            found[week] = (count, 0, None, None)
    return found

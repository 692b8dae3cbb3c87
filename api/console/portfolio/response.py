"""Staff first-response time: from a case's escalation (its opening) to the first staff reply relayed to the
borrower, as the median and the 90th percentile (continuous, interpolated) of the answered cases, by the week the
case was opened and by the member of staff who answered first.

Time is counted on the clock, nights and weekends included: what the borrower waited. PostgreSQL computes the
percentiles itself (`percentile_cont`); elsewhere (SQLite) the database still finds each case's first reply and
the percentiles are taken here from one row per case, by the same definition.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from math import floor

from sqlalchemy import ColumnElement, Subquery, and_, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.console.portfolio.period import Period
from api.models import CaseMessage, MessageDirection, StaffMember, SupportCase

MEDIAN, NINETIETH = 0.5, 0.9


@dataclass(frozen=True)
class Waits:
    #: Cases in the group, and of those, the ones a member of staff has answered.
    cases: int
    answered: int
    median: timedelta | None
    p90: timedelta | None


NONE = Waits(0, 0, None, None)


@dataclass(frozen=True)
class ResponseWeek:
    week: date
    waits: Waits


@dataclass(frozen=True)
class ResponseByStaff:
    #: The member's name; None for replies whose staff account was deleted since.
    name: str | None
    waits: Waits


def percentile(values: list[float], fraction: float) -> float:
    """The continuous percentile of sorted `values`, interpolated between neighbours (PostgreSQL's percentile_cont)."""
    position = fraction * (len(values) - 1)
    lower = floor(position)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (position - lower)


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=round(float(value)))


def _first_replies(period: Period) -> Subquery:
    """Per case opened in the period: when staff first replied after it was opened, and who (one row per case)."""
    first = (
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
    return (
        select(first.c.case_id, first.c.at, func.min(CaseMessage.staff_id).label("staff_id"))
        .join(
            CaseMessage,
            and_(
                CaseMessage.case_id == first.c.case_id,
                CaseMessage.at == first.c.at,
                CaseMessage.direction == MessageDirection.STAFF,
            ),
        )
        .group_by(first.c.case_id, first.c.at)
        .subquery()
    )


async def _waits_by(
    session: AsyncSession, period: Period, key_of: Callable[[Subquery], ColumnElement], *, answered_only: bool
) -> dict:
    """`Waits` per value of the key `key_of` makes from the first replies (an expression over them and the case)."""
    replies = _first_replies(period)
    cases = (
        select(key_of(replies).label("key"), SupportCase.created_at.label("opened"), replies.c.at.label("answered"))
        .select_from(SupportCase)
        .join(replies, replies.c.case_id == SupportCase.id, isouter=not answered_only)
        .where(period.covers(SupportCase.created_at))
        .subquery()
    )
    if session.bind.dialect.name == "postgresql":
        waited = extract("epoch", cases.c.answered - cases.c.opened)
        rows = await session.execute(
            select(
                cases.c.key,
                func.count(),
                func.count(cases.c.answered),
                func.percentile_cont(MEDIAN).within_group(waited),
                func.percentile_cont(NINETIETH).within_group(waited),
            ).group_by(cases.c.key)
        )
        return {key: Waits(count, answered, _seconds(p50), _seconds(p90)) for key, count, answered, p50, p90 in rows}
    opened: dict = defaultdict(int)
    waits: dict = defaultdict(list)
    for group, when_opened, when_answered in await session.execute(
        select(cases.c.key, cases.c.opened, cases.c.answered)
    ):
        opened[group] += 1
        if when_answered is not None:
            waits[group].append((when_answered - when_opened).total_seconds())
    found = {}
    for group, count in opened.items():
        values = sorted(waits[group])
        found[group] = Waits(
            count,
            len(values),
            _seconds(percentile(values, MEDIAN)) if values else None,
            _seconds(percentile(values, NINETIETH)) if values else None,
        )
    return found


async def weekly_first_response(session: AsyncSession, period: Period) -> list[ResponseWeek]:
    """Every week of the period by the cases opened in it (those not answered yet count in `cases` only)."""
    found = await _waits_by(
        session, period, lambda _replies: period.week_index(SupportCase.created_at), answered_only=False
    )
    return [ResponseWeek(monday, found.get(index, NONE)) for index, monday in enumerate(period.weeks)]


async def first_response_by_staff(session: AsyncSession, period: Period) -> list[ResponseByStaff]:
    """Each member of staff who answered a case of the period first, by name."""
    found = await _waits_by(session, period, lambda replies: replies.c.staff_id, answered_only=True)
    names = dict(
        (
            await session.execute(
                select(StaffMember.id, StaffMember.name).where(
                    StaffMember.id.in_([key for key in found if key is not None])
                )
            )
        ).all()
    )
    rows = [ResponseByStaff(names.get(staff_id), waits) for staff_id, waits in found.items()]
    return sorted(rows, key=lambda row: (row.name is None, row.name or ""))

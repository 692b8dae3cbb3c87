"""The weeks a portfolio covers, in the bank's time zone, and the SQL that puts a timestamp into its week.

A week runs Monday 00:00 to Monday 00:00 bank time; the boundaries are computed here as UTC instants, so the
database only compares timestamps (the same SQL on PostgreSQL and SQLite, daylight saving included) and groups
the rows by the index of their week.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, and_, case, literal

#: The lengths a supervisor chooses from, in weeks; the first is the default.
CHOICES = (12, 4, 26, 52)


@dataclass(frozen=True)
class Period:
    #: The Monday of each week, oldest first.
    weeks: tuple[date, ...]
    #: Each week's start as a UTC instant, and the end of the last week: one more than `weeks`.
    bounds: tuple[datetime, ...]

    @property
    def start(self) -> datetime:
        return self.bounds[0]

    @property
    def end(self) -> datetime:
        return self.bounds[-1]

    def covers(self, column: ColumnElement[datetime]) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)

    def week_index(self, column: ColumnElement[datetime]) -> ColumnElement[int]:
        """The index in `weeks` of the week `column` falls in (for rows the period `covers`)."""
        if len(self.weeks) == 1:
            return literal(0, Integer)
        return case(
            *((column < bound, index) for index, bound in enumerate(self.bounds[1:-1])), else_=len(self.weeks) - 1
        )


def last_weeks(count: int, *, now: datetime, zone: ZoneInfo) -> Period:
    """The `count` weeks up to and including the current one."""
    today = now.astimezone(zone).date()
    this_monday = today - timedelta(days=today.weekday())
    mondays = tuple(this_monday - timedelta(weeks=back) for back in range(count - 1, -1, -1))
    starts = (*mondays, this_monday + timedelta(weeks=1))
    return Period(
        weeks=mondays, bounds=tuple(datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC) for day in starts)
    )

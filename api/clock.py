"""The backend's clock: one injectable source of aware `now`, so tests control time, and the calendar date it is in a
time zone."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def local_date(now: datetime, time_zone: str) -> date:
    """The calendar date at `now` in `time_zone` (a borrower's, or the bank's)."""
    return now.astimezone(ZoneInfo(time_zone)).date()

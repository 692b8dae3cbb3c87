"""Staff working hours: whether staff are in at a moment and, if not, when they are back (Mon–Fri)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WORKING_DAYS = range(5)  # Monday to Friday


@dataclass(frozen=True)
class StaffAvailability:
    in_hours: bool
    staff_back_at: datetime | None  # the next opening in the bank's time zone; None while staff are in


def availability(now: datetime, *, start_hour: int, end_hour: int, zone: ZoneInfo) -> StaffAvailability:
    """Staff are in on working days from `start_hour` to `end_hour` (local to `zone`, end exclusive)."""
    local = now.astimezone(zone)
    if local.weekday() in WORKING_DAYS and start_hour <= local.hour < end_hour:
        return StaffAvailability(in_hours=True, staff_back_at=None)
    day = local.date() if local.hour < start_hour else local.date() + timedelta(days=1)
    while day.weekday() not in WORKING_DAYS:
        day += timedelta(days=1)
    return StaffAvailability(in_hours=False, staff_back_at=datetime.combine(day, time(start_hour), tzinfo=zone))


def working_time(start: datetime, end: datetime, *, start_hour: int, end_hour: int, zone: ZoneInfo) -> timedelta:
    """The staff hours between `start` and `end`: the part of each working day's `start_hour`–`end_hour` inside it.

    The days strictly between the first and the last are whole, so their weeks are counted at once and an item
    months old costs no more than one a week old.
    """
    if end <= start:
        return timedelta(0)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()

    def inside(day: date) -> timedelta:
        if day.weekday() not in WORKING_DAYS:
            return timedelta(0)
        opens = datetime.combine(day, time(start_hour), tzinfo=zone)
        closes = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=end_hour)
        return max(min(closes, end) - max(opens, start), timedelta(0))

    total = inside(first) + (inside(last) if last != first else timedelta(0))
    weeks, rest = divmod(max((last - first).days - 1, 0), 7)
    total += timedelta(hours=weeks * len(WORKING_DAYS) * (end_hour - start_hour))
    following = first + timedelta(days=1 + 7 * weeks)
    for offset in range(rest):
        if (following + timedelta(days=offset)).weekday() in WORKING_DAYS:
            total += timedelta(hours=end_hour - start_hour)
    return total

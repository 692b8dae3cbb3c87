"""Staff working hours: whether staff are in at a moment and, if not, when they are back (Mon–Fri)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
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

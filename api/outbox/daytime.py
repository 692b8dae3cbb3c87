"""Quiet hours: the first moment at or after a given one that falls inside the borrower's local daytime."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def in_daytime(local: time, *, start: time, end: time) -> bool:
    """True when the local wall-clock time is inside [start, end); a window with start after end spans midnight."""
    if start == end:
        return True
    if start < end:
        return start <= local < end
    return local >= start or local < end


def next_daytime(moment: datetime, *, time_zone: str, start: time, end: time) -> datetime:
    """`moment` itself if it is daytime in `time_zone`, else the next local `start`; always in UTC.

    Equal bounds mean any time of day will do.
    """
    zone = ZoneInfo(time_zone)
    local = moment.astimezone(zone)
    if in_daytime(local.time(), start=start, end=end):
        return moment.astimezone(UTC)
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    opening = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
    return max(opening, moment.astimezone(UTC))

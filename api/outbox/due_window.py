"""Calendar windows for planning: which payment days of the month can put a due date inside a date range."""

from calendar import monthrange
from datetime import date, timedelta

ALL_DAYS = frozenset(range(1, 32))


def payment_days_between(first: date, last: date) -> frozenset[int]:
    """`Loan.payment_day` values whose due date can fall in [first, last].

    A payment day beyond a month's length is due on its last day (31 → 28 February), so a month's last
    day in the range admits every larger payment day too.
    """
    days: set[int] = set()
    day = first
    while day <= last and len(days) < len(ALL_DAYS):
        days.add(day.day)
        month_length = monthrange(day.year, day.month)[1]
        if day.day == month_length:
            days.update(range(month_length + 1, 32))
        day += timedelta(days=1)
    return frozenset(days)

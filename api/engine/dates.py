"""Calendar arithmetic: adding months with the day clamped to the month's last day."""

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int, *, day_of_month: int | None = None) -> date:
    """`day` moved by `months` months onto `day_of_month` (default: its own day), clamped to the month end."""
    year, month_index = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month_index + 1
    wanted = day_of_month or day.day
    return date(year, month, min(wanted, monthrange(year, month)[1]))

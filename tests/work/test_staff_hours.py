"""Staff hours between two moments: working days only, each day's opening hours only, whole weeks at once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from api.support.hours import working_time

MOSCOW = ZoneInfo("Europe/Moscow")


def hours(start: datetime, end: datetime) -> timedelta:
    return working_time(start, end, start_hour=9, end_hour=18, zone=MOSCOW)


def moscow(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=MOSCOW)


def test_within_one_day():
    assert hours(moscow(26, 10), moscow(26, 12, 30)) == timedelta(hours=2, minutes=30)


def test_before_opening_and_after_closing_do_not_count():
    assert hours(moscow(26, 7), moscow(26, 20)) == timedelta(hours=9)
    assert hours(moscow(26, 19), moscow(27, 8)) == timedelta(0)


def test_weekend_does_not_count():
    # Friday 17:00 to Monday 10:00: one hour on Friday, one on Monday.
    assert hours(moscow(27, 17), moscow(30, 10)) == timedelta(hours=2)


def test_from_friday_afternoon_to_thursday_noon():
    assert hours(moscow(20, 13), moscow(26, 12)) == timedelta(hours=5 + 9 + 9 + 9 + 3)


def test_end_before_start_is_nothing():
    assert hours(moscow(26, 12), moscow(26, 10)) == timedelta(0)


def test_months_count_whole_weeks():
    # 2 March 2026 is a Monday; ten whole weeks later, the same hour.
    start = datetime(2026, 3, 2, 9, tzinfo=MOSCOW)
    assert hours(start, start + timedelta(weeks=10)) == timedelta(hours=10 * 5 * 9)


def _day_by_day(start: datetime, end: datetime) -> timedelta:
    total, moment = timedelta(0), start
    while moment < end:
        step = min(end, moment + timedelta(minutes=30))
        local = moment.astimezone(MOSCOW)
        if local.weekday() < 5 and 9 <= local.hour < 18:
            total += step - moment
        moment = step
    return total


@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)),
    half_hours=st.integers(min_value=0, max_value=24 * 2 * 40),
)
def test_agrees_with_counting_half_hours(start, half_hours):
    start = start.replace(minute=0 if start.minute < 30 else 30, second=0, microsecond=0, tzinfo=UTC)
    end = start + timedelta(minutes=30 * half_hours)
    assert hours(start, end) == _day_by_day(start, end)

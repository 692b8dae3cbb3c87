"""Pure planning arithmetic: quiet hours in several time zones, payment-day windows, catch-up, back-off."""

from datetime import UTC, date, datetime, time

import pytest

from api.outbox.daytime import next_daytime
from api.outbox.delivery import backoff_seconds
from api.outbox.due_window import ALL_DAYS, payment_days_between
from api.outbox.reminders import PlanningDay

NINE, NINE_PM = time(9, 0), time(21, 0)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        # Moscow, UTC+3 all year
        ("Europe/Moscow", utc(2026, 12, 7, 9, 0), utc(2026, 12, 7, 9, 0)),  # 12:00 local: now
        ("Europe/Moscow", utc(2026, 12, 7, 6, 0), utc(2026, 12, 7, 6, 0)),  # 09:00 sharp opens the window
        ("Europe/Moscow", utc(2026, 12, 7, 5, 59), utc(2026, 12, 7, 6, 0)),  # 08:59 waits a minute
        ("Europe/Moscow", utc(2026, 12, 7, 18, 0), utc(2026, 12, 8, 6, 0)),  # 21:00 is already night
        ("Europe/Moscow", utc(2026, 12, 7, 20, 0), utc(2026, 12, 8, 6, 0)),  # 23:00 waits for the morning
        ("Europe/Moscow", utc(2026, 12, 7, 22, 30), utc(2026, 12, 8, 6, 0)),  # 01:30 next local day, same morning
        # Vladivostok, UTC+10 all year: its night is the UTC afternoon
        ("Asia/Vladivostok", utc(2026, 12, 7, 13, 0), utc(2026, 12, 7, 23, 0)),  # 23:00 local
        ("Asia/Vladivostok", utc(2026, 12, 7, 9, 0), utc(2026, 12, 7, 9, 0)),  # 19:00 local
        ("Asia/Vladivostok", utc(2026, 12, 7, 22, 0), utc(2026, 12, 7, 23, 0)),  # 08:00 local on the 8th
        # Berlin keeps DST: 09:00 local is 08:00 UTC in winter and 07:00 UTC in summer
        ("Europe/Berlin", utc(2026, 12, 7, 22, 0), utc(2026, 12, 8, 8, 0)),
        ("Europe/Berlin", utc(2026, 7, 7, 22, 0), utc(2026, 7, 8, 7, 0)),
        ("Europe/Berlin", utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 7, 0)),  # the night the clocks go forward
    ],
)
def test_next_daytime(zone, moment, expected):
    assert next_daytime(moment, time_zone=zone, start=NINE, end=NINE_PM) == expected


def test_window_across_midnight_and_whole_day():
    night_shift = {"time_zone": "Europe/Moscow", "start": time(22, 0), "end": time(6, 0)}
    assert next_daytime(utc(2026, 12, 7, 20, 0), **night_shift) == utc(2026, 12, 7, 20, 0)  # 23:00 inside
    assert next_daytime(utc(2026, 12, 7, 9, 0), **night_shift) == utc(2026, 12, 7, 19, 0)  # 12:00 → 22:00
    always = {"time_zone": "Asia/Vladivostok", "start": NINE, "end": NINE}
    assert next_daytime(utc(2026, 12, 7, 15, 0), **always) == utc(2026, 12, 7, 15, 0)


def test_result_is_utc():
    result = next_daytime(
        datetime.fromisoformat("2026-12-07T23:00:00+03:00"), time_zone="Europe/Moscow", start=NINE, end=NINE_PM
    )
    assert result.tzinfo is UTC
    assert result == utc(2026, 12, 8, 6, 0)


@pytest.mark.parametrize(
    ("first", "last", "days"),
    [
        (date(2026, 12, 5), date(2026, 12, 9), {5, 6, 7, 8, 9}),
        # 30 November is the month's last day: loans paying on the 31st are due then
        (date(2026, 11, 29), date(2026, 12, 2), {29, 30, 31, 1, 2}),
        # 28 February 2027 takes the 29th, 30th and 31st
        (date(2027, 2, 27), date(2027, 3, 1), {27, 28, 29, 30, 31, 1}),
        (date(2028, 2, 28), date(2028, 2, 28), {28}),  # a leap year: the 29th still comes
        (date(2026, 12, 1), date(2026, 12, 31), set(ALL_DAYS)),
    ],
)
def test_payment_days_between(first, last, days):
    assert payment_days_between(first, last) == days


def test_planning_day_picks_the_latest_missed_reminder():
    due = date(2026, 12, 10)
    normal = PlanningDay(today=date(2026, 12, 7), since=date(2026, 12, 7), send_date=date(2026, 12, 7))
    assert normal.days_before_due(due, {3, 1, 0}) == 3
    catch_up = PlanningDay(today=date(2026, 12, 9), since=date(2026, 12, 6), send_date=date(2026, 12, 9))
    assert catch_up.days_before_due(due, {3, 1, 0}) == 1  # the 3-day one is superseded, not sent as well
    late = PlanningDay(today=date(2026, 12, 11), since=date(2026, 12, 6), send_date=date(2026, 12, 11))
    assert late.days_before_due(due, {3, 1, 0}) is None  # the due date has passed
    night = PlanningDay(today=date(2026, 12, 10), since=date(2026, 12, 10), send_date=date(2026, 12, 11))
    assert night.days_before_due(due, {3, 1, 0}) is None  # it could only go out after the due date
    early = PlanningDay(today=date(2026, 12, 5), since=date(2026, 12, 5), send_date=date(2026, 12, 5))
    assert early.days_before_due(due, {3, 1, 0}) is None  # not yet


def test_backoff_grows_and_is_capped():
    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff_seconds(20) == 3600

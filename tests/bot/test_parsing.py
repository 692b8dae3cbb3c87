"""Sums and dates as borrowers type them; the date picker's bounds."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.calendar import BLANK, date_picker, shift_month
from bot.parsing import parse_amount, parse_date
from dialogs.callbacks import CalendarBlank, DatePage, PickDate


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("150 000", Decimal(150000)),
        ("150000,50", Decimal("150000.50")),
        ("1 500 000 ₽", Decimal(1500000)),
        ("1,500,000.00", Decimal("1500000.00")),
        ("1.500.000,50", Decimal("1500000.50")),
        ("200 000 рублей", Decimal(200000)),
        ("1\u00a0000 руб.", Decimal(1000)),
        ("RUB 75000", Decimal(75000)),
        ("-5000", Decimal(-5000)),
        ("0", Decimal(0)),
        ("12.345", Decimal(12345)),
    ],
)
def test_amounts_people_write(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(
    "typed", ["", "abc", "1e6", "NaN", "inf", "1,2,3", "100,123.45,6", "12.34.56", "9" * 16, "1.5.000", "—"]
)
def test_what_is_not_an_amount(typed):
    assert parse_amount(typed) is None


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_an_amount_written_with_spaces_and_a_comma_reads_back(value):
    whole, _, kopecks = f"{value:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    assert parse_amount(f"{grouped},{kopecks} ₽") == value


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("25.12.2026", date(2026, 12, 25)),
        ("25/12/26", date(2026, 12, 25)),
        ("5-1-2027", date(2027, 1, 5)),
        ("2026-12-25", date(2026, 12, 25)),
        (" 01.03.2025 ", date(2025, 3, 1)),
    ],
)
def test_dates_people_write(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["31.02.2026", "00.01.2026", "12.13.2026", "2026-13-01", "99", "", "today", "1.1"])
def test_what_is_not_a_date(typed):
    assert parse_date(typed) is None


def test_the_picker_offers_only_days_in_range_and_turns_only_towards_them():
    earliest, latest = date(2026, 9, 26), date(2026, 12, 26)
    markup = date_picker(
        date(2026, 9, 1),
        earliest=earliest,
        latest=latest,
        locale="en",
        pick=lambda day: PickDate(ordinal=day.toordinal()),
        page=lambda first: DatePage(ordinal=first.toordinal()),
        blank=CalendarBlank(),
    )
    rows = markup.inline_keyboard
    assert rows[0][0].text == "September 2026"
    picked = [
        date.fromordinal(int(b.callback_data.split(":")[1]))
        for r in rows
        for b in r
        if b.callback_data.startswith("date:")
    ]
    assert picked == [date(2026, 9, day) for day in range(26, 31)]
    assert [b.text for b in rows[-1]] == ["▶️"], "no arrow back past the earliest month"
    assert all(b.text == BLANK for b in rows[2] if b.callback_data == "cal")
    weeks = rows[2:-1]
    assert len(weeks) == 2, "only the weeks holding 26–30 September: no rows of blanks"
    assert all(any(b.callback_data.startswith("date:") for b in week) for week in weeks)


def test_a_month_outside_the_range_is_clamped_to_it():
    markup = date_picker(
        date(2030, 1, 1),
        earliest=date(2026, 9, 26),
        latest=date(2026, 12, 26),
        locale="ru",
        pick=lambda day: PickDate(ordinal=day.toordinal()),
        page=lambda first: DatePage(ordinal=first.toordinal()),
        blank=CalendarBlank(),
    )
    assert markup.inline_keyboard[0][0].text == "Декабрь 2026"
    assert shift_month(date(2026, 12, 15), 1) == date(2027, 1, 1)
    assert shift_month(date(2026, 1, 31), -1) == date(2025, 12, 1)

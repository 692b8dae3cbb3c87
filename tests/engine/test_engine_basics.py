"""Money rounding, month arithmetic, loan-term validation and the annuity formula."""

from datetime import date
from decimal import Decimal

import pytest

from api.engine import KOPECK, LoanTerms, annuity_payment, to_kopecks
from api.engine.dates import add_months


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.005", "1.01"),
        ("1.004999", "1.00"),
        ("-1.005", "-1.01"),
        (3, "3.00"),
        (Decimal("2.675"), "2.68"),
    ],
)
def test_to_kopecks_rounds_half_up(value, expected):
    assert to_kopecks(value) == Decimal(expected)
    assert to_kopecks(value).as_tuple().exponent == KOPECK.as_tuple().exponent


def test_to_kopecks_refuses_floats_and_non_numbers():
    with pytest.raises(TypeError):
        to_kopecks(1.5)
    with pytest.raises(ValueError, match="not a number"):
        to_kopecks("abc")
    with pytest.raises(ValueError, match="finite"):
        to_kopecks("NaN")


@pytest.mark.parametrize(
    ("start", "months", "day", "expected"),
    [
        (date(2024, 1, 31), 1, None, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, None, date(2023, 2, 28)),
        (date(2024, 1, 31), 3, None, date(2024, 4, 30)),
        (date(2024, 11, 15), 2, None, date(2025, 1, 15)),
        (date(2024, 3, 31), -1, None, date(2024, 2, 29)),
        (date(2024, 2, 29), 1, 31, date(2024, 3, 31)),
        (date(2024, 1, 10), 12, 30, date(2025, 1, 30)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, day, expected):
    assert add_months(start, months, day_of_month=day) == expected


def test_due_dates_follow_the_payment_day_clamped():
    terms = LoanTerms(Decimal(100_000), Decimal(10), 6, date(2023, 11, 30), payment_day=31)
    assert [terms.due_date(i) for i in range(5)] == [
        date(2023, 11, 30),
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
    ]
    default_day = LoanTerms(Decimal(100_000), Decimal(10), 6, date(2024, 1, 31))
    assert [default_day.due_date(i) for i in range(4)] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]


def test_first_period_start():
    assert LoanTerms(Decimal(1000), Decimal(1), 1, date(2024, 3, 31)).first_period_start == date(2024, 2, 29)
    issued = LoanTerms(Decimal(1000), Decimal(1), 1, date(2024, 3, 31), issue_date=date(2024, 2, 10))
    assert issued.first_period_start == date(2024, 2, 10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"principal": Decimal(0)}, "principal"),
        ({"principal": Decimal("0.004")}, "principal"),
        ({"rate_percent": Decimal(-1)}, "rate_percent"),
        ({"rate_percent": Decimal(100)}, "rate_percent"),
        ({"months": 0}, "months"),
        ({"months": 601}, "months"),
        ({"payment_day": 0}, "payment_day"),
        ({"payment_day": 32}, "payment_day"),
        ({"issue_date": date(2024, 2, 1)}, "issue_date"),
    ],
)
def test_loan_terms_validation(kwargs, message):
    fields = {
        "principal": Decimal(100_000),
        "rate_percent": Decimal(10),
        "months": 12,
        "first_payment_date": date(2024, 2, 1),
    }
    with pytest.raises(ValueError, match=message):
        LoanTerms(**(fields | kwargs))


def test_loan_terms_normalise_numbers():
    terms = LoanTerms(4_000_000, "12.5", 180, date(2024, 1, 15))
    assert terms.principal == Decimal("4000000.00")
    assert terms.rate_percent == Decimal("12.5")


def test_annuity_seed_value():
    assert annuity_payment(Decimal(4_000_000), Decimal("12.5"), 180) == Decimal("49300.88")


def test_annuity_hand_checked():
    # 300,000 at 12% for 3 months: 300000 * 0.01 * 1.030301 / 0.030301 = 102006.633...
    assert annuity_payment(Decimal(300_000), Decimal(12), 3) == Decimal("102006.63")
    # one month: principal plus one month's interest
    assert annuity_payment(Decimal(100_000), Decimal(12), 1) == Decimal("101000.00")


def test_annuity_zero_rate_and_bad_term():
    assert annuity_payment(Decimal(100_000), Decimal(0), 3) == Decimal("33333.33")
    assert annuity_payment(Decimal(200), Decimal(0), 3) == Decimal("66.67")
    with pytest.raises(ValueError, match="months"):
        annuity_payment(Decimal(100_000), Decimal(1), 0)

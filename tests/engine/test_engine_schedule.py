"""Hand-checked schedules: plain annuity, month ends, zero rate, early repayments and a payment holiday.

Expected kopecks were worked out independently (exact fractions, half-up rounding), not by the engine.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from api.engine import (
    DayCount,
    EarlyRepayment,
    Installment,
    LoanTerms,
    PaymentHoliday,
    RepaymentMode,
    build_schedule,
)

D = Decimal
SHORTER = RepaymentMode.SHORTER_TERM
SMALLER = RepaymentMode.SMALLER_PAYMENT
# 300,000 at 12% (r = 0.01) for 3 months, paid on the 31st: A = 102006.63.
SMALL = LoanTerms(D(300_000), D(12), 3, date(2024, 1, 31))


def rows(schedule):
    return [
        (row.due_date, str(row.payment), str(row.principal), str(row.interest), str(row.balance_after), row.kind)
        for row in schedule.installments
    ]


def test_seed_loan():
    terms = LoanTerms(D(4_000_000), D("12.5"), 180, date(2024, 2, 15))
    schedule = build_schedule(terms)
    payments = [row.payment for row in schedule.installments]
    assert len(payments) == 180
    assert set(payments[:-1]) == {D("49300.88")}
    assert round(schedule.total_payment / terms.principal, 2) == D("2.22")
    after_120 = schedule.installments[119].balance_after
    assert D(2_180_000) < after_120 < D(2_200_000)
    assert round(after_120 / terms.principal * 100) == 55
    assert schedule.balance_after(schedule.installments[119].due_date) == after_120
    assert schedule.total_principal == terms.principal


def test_three_month_loan_by_hand():
    schedule = build_schedule(SMALL)
    # interest 1% of the balance; the last payment takes the rest
    assert rows(schedule) == [
        (date(2024, 1, 31), "102006.63", "99006.63", "3000.00", "200993.37", "regular"),
        (date(2024, 2, 29), "102006.63", "99996.70", "2009.93", "100996.67", "regular"),
        (date(2024, 3, 31), "102006.64", "100996.67", "1009.97", "0.00", "regular"),
    ]
    assert schedule.total_payment == D("306019.90")
    assert schedule.total_interest == D("6019.90")
    assert schedule.last_date == date(2024, 3, 31)


def test_month_end_clamping_in_a_non_leap_year():
    schedule = build_schedule(LoanTerms(D(120_000), D(6), 4, date(2022, 12, 31)))
    assert [row.due_date for row in schedule.installments] == [
        date(2022, 12, 31),
        date(2023, 1, 31),
        date(2023, 2, 28),
        date(2023, 3, 31),
    ]


def test_zero_rate_splits_the_principal():
    schedule = build_schedule(LoanTerms(D(100_000), D(0), 3, date(2024, 5, 10)))
    assert [str(row.payment) for row in schedule.installments] == ["33333.33", "33333.33", "33333.34"]
    assert schedule.total_interest == 0


def test_balance_after_a_day():
    schedule = build_schedule(SMALL)
    assert schedule.balance_after(date(2024, 1, 30)) == D(300_000)
    assert schedule.balance_after(date(2024, 1, 31)) == D("200993.37")
    assert schedule.balance_after(date(2024, 3, 30)) == D("100996.67")
    assert schedule.balance_after(date(2030, 1, 1)) == 0


def test_early_repayment_mid_period_shorter_term():
    # 29-day period 31 Jan - 29 Feb, the month's 1% prorated by days: (200993.37 * 10 + 100993.37 * 19) / 29 * 1%
    # = 1354.7613 -> 1354.76; the payment stays, principal 100651.87; 1% of the 341.50 left is 3.415 -> 3.42.
    repayment = EarlyRepayment(date(2024, 2, 10), D(100_000), SHORTER)
    schedule = build_schedule(SMALL, early_repayments=[repayment])
    assert rows(schedule)[1:] == [
        (date(2024, 2, 29), "102006.63", "100651.87", "1354.76", "341.50", "regular"),
        (date(2024, 3, 31), "344.92", "341.50", "3.42", "0.00", "regular"),
    ]
    assert schedule.total_principal == SMALL.principal
    assert schedule.total_payment == D("102006.63") * 2 + D(100_000) + D("344.92")
    assert schedule.balance_after(date(2024, 2, 10)) == D("100993.37")


def test_early_repayment_mid_period_smaller_payment():
    # The payment drops by the annuity of 100000 over the 2 installments left: 100000 * 0.01 / (1 - 1.01^-2)
    # = 50751.24, so A' = 102006.63 - 50751.24 = 51255.39; interest prorated 1354.76 (as above), principal
    # 49900.63, 51092.74 left; then 1% of it, 510.9274 -> 510.93, and the last payment takes the rest.
    repayment = EarlyRepayment(date(2024, 2, 10), D(100_000), SMALLER)
    schedule = build_schedule(SMALL, early_repayments=[repayment])
    assert rows(schedule)[1:] == [
        (date(2024, 2, 29), "51255.39", "49900.63", "1354.76", "51092.74", "regular"),
        (date(2024, 3, 31), "51603.67", "51092.74", "510.93", "0.00", "regular"),
    ]


def test_early_repayment_on_a_due_date_follows_that_installment():
    # After the 31 Jan installment 200993.37 is owed; 100993.37 remains, 1% interest a month.
    repayment = EarlyRepayment(date(2024, 1, 31), D(100_000), SMALLER)
    schedule = build_schedule(SMALL, early_repayments=[repayment])
    assert rows(schedule)[0][4] == "200993.37"
    # A' = 51255.39 as above, now with r/12 interest 1009.93 in a whole period
    assert rows(schedule)[1:] == [
        (date(2024, 2, 29), "51255.39", "50245.46", "1009.93", "50747.91", "regular"),
        (date(2024, 3, 31), "51255.39", "50747.91", "507.48", "0.00", "regular"),
    ]


def test_early_repayment_of_the_whole_balance_closes_the_loan():
    on_due_date = build_schedule(SMALL, early_repayments=[EarlyRepayment(date(2024, 1, 31), D("200993.37"), SHORTER)])
    assert len(on_due_date.installments) == 1
    assert on_due_date.total_principal == SMALL.principal
    # Between due dates the interest accrued to that day is due with it: 10 of the period's 29 days of 1%.
    between = build_schedule(SMALL, early_repayments=[EarlyRepayment(date(2024, 2, 10), D("200993.37"), SHORTER)])
    assert rows(between)[1:] == [(date(2024, 2, 10), "693.08", "0.00", "693.08", "0.00", "regular")]
    assert between.last_date == date(2024, 2, 10)


def test_several_early_repayments_apply_in_date_order():
    later = EarlyRepayment(date(2024, 2, 20), D(50_000), SHORTER)
    earlier = EarlyRepayment(date(2024, 2, 10), D(50_000), SHORTER)
    schedule = build_schedule(SMALL, early_repayments=[later, earlier])
    assert schedule.early_repayments == (earlier, later)
    # (200993.37 * 10 + 150993.37 * 10 + 100993.37 * 9) / 29 * 1% = 1527.1751 -> 1527.18
    assert schedule.installments[1].interest == D("1527.18")
    assert schedule.total_principal == SMALL.principal


def test_first_period_repayment_uses_the_issue_date():
    # issued 10 Jan, a 21-day first period: 300000 for 11 days and 200000 for 10 -> 5300000 / 21 * 1% = 2523.81
    terms = LoanTerms(D(300_000), D(12), 3, date(2024, 1, 31), issue_date=date(2024, 1, 10))
    schedule = build_schedule(terms, early_repayments=[EarlyRepayment(date(2024, 1, 21), D(100_000), SHORTER)])
    assert schedule.installments[0].interest == D("2523.81")
    actual = replace(terms, day_count=DayCount.ACTUAL_365)  # (3300000 + 2000000) * 0.12 / 365 = 1742.47
    assert build_schedule(
        actual, early_repayments=[EarlyRepayment(date(2024, 1, 21), D(100_000), SHORTER)]
    ).installments[0].interest == D("1742.47")


def test_actual_365_by_hand():
    # The payment stays the annuity, 102006.63; interest rate x days / 365 on the balance; principal the rest.
    # 31 Dec - 31 Jan: 300000 * 0.12 * 31 / 365 = 3057.534 -> 3057.53, principal 98949.10, 201050.90 left;
    # 31 Jan - 29 Feb: 201050.90 * 0.12 * 29 / 365 = 1916.87, principal 100089.76, 100961.14 left;
    # 29 Feb - 31 Mar: 100961.14 * 0.12 * 31 / 365 = 1028.97, and the last payment 100961.14 + 1028.97.
    schedule = build_schedule(replace(SMALL, day_count=DayCount.ACTUAL_365))
    assert rows(schedule) == [
        (date(2024, 1, 31), "102006.63", "98949.10", "3057.53", "201050.90", "regular"),
        (date(2024, 2, 29), "102006.63", "100089.76", "1916.87", "100961.14", "regular"),
        (date(2024, 3, 31), "101990.11", "100961.14", "1028.97", "0.00", "regular"),
    ]


def test_actual_actual_counts_each_year_by_its_length():
    # 31 Dec 2023 - 31 Jan 2024: one day of 2023 over 365 and 30 of leap 2024 over 366:
    # 300000 * 0.12 * (1/365 + 30/366) = 3049.45.
    schedule = build_schedule(replace(SMALL, day_count=DayCount.ACTUAL_ACTUAL))
    assert schedule.installments[0].interest == D("3049.45")
    assert schedule.installments[0].payment == D("102006.63")


def test_day_count_is_data_and_checked():
    assert SMALL.day_count is DayCount.MONTHLY
    assert LoanTerms(D(1000), D(1), 1, date(2024, 1, 31), day_count="actual_365").day_count is DayCount.ACTUAL_365
    with pytest.raises(ValueError):
        LoanTerms(D(1000), D(1), 1, date(2024, 1, 31), day_count="30_360")


@pytest.mark.parametrize(
    ("repayment", "message"),
    [
        (EarlyRepayment(date(2023, 12, 31), D(1000), SHORTER), "not after the loan start"),
        (EarlyRepayment(date(2024, 2, 10), D("200993.38"), SHORTER), "exceeds the outstanding balance"),
        (EarlyRepayment(date(2024, 4, 1), D(1), SHORTER), "after the last regular installment"),
    ],
)
def test_invalid_early_repayments(repayment, message):
    with pytest.raises(ValueError, match=message):
        build_schedule(SMALL, early_repayments=[repayment])


def test_early_repayment_amount_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        EarlyRepayment(date(2024, 2, 10), D(0), SHORTER)


def test_full_payment_holiday_moves_the_installment_to_the_end():
    schedule = build_schedule(SMALL, holiday=PaymentHoliday(date(2024, 2, 1), 1))
    assert rows(schedule) == [
        (date(2024, 1, 31), "102006.63", "99006.63", "3000.00", "200993.37", "regular"),
        (date(2024, 2, 29), "0.00", "0.00", "0.00", "200993.37", "holiday"),
        (date(2024, 3, 31), "102006.64", "100996.67", "1009.97", "99996.70", "regular"),
        (date(2024, 4, 30), "102006.63", "99996.70", "2009.93", "0.00", "deferred"),
    ]
    assert schedule.total_payment == build_schedule(SMALL).total_payment


def test_reduced_payment_holiday_pays_interest_first():
    reduced = build_schedule(SMALL, holiday=PaymentHoliday(date(2024, 2, 1), 1, D(1000)))
    assert rows(reduced)[1] == (date(2024, 2, 29), "1000.00", "0.00", "1000.00", "200993.37", "holiday")
    assert rows(reduced)[3] == (date(2024, 4, 30), "101006.63", "99996.70", "1009.93", "0.00", "deferred")
    covers_interest = build_schedule(SMALL, holiday=PaymentHoliday(date(2024, 2, 1), 1, D(3000)))
    assert rows(covers_interest)[1] == (date(2024, 2, 29), "3000.00", "990.07", "2009.93", "200003.30", "holiday")
    assert rows(covers_interest)[3] == (date(2024, 4, 30), "99006.63", "99006.63", "0.00", "0.00", "deferred")


def test_two_month_holiday_keeps_order_and_dates():
    schedule = build_schedule(SMALL, holiday=PaymentHoliday(date(2024, 1, 31), 2))
    assert [(row.due_date, row.kind) for row in schedule.installments] == [
        (date(2024, 1, 31), "holiday"),
        (date(2024, 2, 29), "holiday"),
        (date(2024, 3, 31), "regular"),
        (date(2024, 4, 30), "deferred"),
        (date(2024, 5, 31), "deferred"),
    ]
    assert [str(row.payment) for row in schedule.installments[3:]] == ["102006.63", "102006.63"]
    assert schedule.total_principal == SMALL.principal


@pytest.mark.parametrize(
    ("holiday", "message"),
    [
        (PaymentHoliday(date(2024, 2, 1), 1, D("102006.64")), "exceeds the installment"),
        (PaymentHoliday(date(2025, 1, 1), 3), "covers no installment"),
    ],
)
def test_invalid_holidays(holiday, message):
    with pytest.raises(ValueError, match=message):
        build_schedule(SMALL, holiday=holiday)


@pytest.mark.parametrize(("months", "reduced"), [(0, None), (7, None), (1, D(-1))])
def test_holiday_validation(months, reduced):
    with pytest.raises(ValueError, match=r"months|reduced_payment"):
        PaymentHoliday(date(2024, 2, 1), months, reduced)


def test_installment_kind_defaults_to_regular():
    row = Installment(1, date(2024, 1, 1), D(1), D(1), D(0), D(0))
    assert row.kind == "regular"

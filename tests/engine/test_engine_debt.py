"""The debt on a date line by line, and the interest accrued since the last due date: hand-checked figures."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from api.engine import (
    DayCount,
    EarlyRepayment,
    LoanTerms,
    Payment,
    build_schedule,
    debt_on,
    interest_accrued,
    position_on,
)

D = Decimal
# 300,000 at 12% for 3 months from 2023-12-31: 102006.63 due 2024-01-31 (interest 3000.00, principal 99006.63),
# 102006.63 due 2024-02-29 (2009.93, 99996.70), 102006.64 due 2024-03-31 (1009.97, 100996.67).
SMALL = LoanTerms(D(300_000), D(12), 3, date(2024, 1, 31))
SCHEDULE = build_schedule(SMALL)
FIRST, SECOND, THIRD = SCHEDULE.installments


def paid(*rows, on=None):
    return [Payment(on or row.due_date, row.payment) for row in rows]


def test_on_time_between_due_dates():
    debt = debt_on(SCHEDULE, paid(FIRST), on_date=date(2024, 2, 15))
    assert debt.principal_not_due == D("200993.37")
    assert debt.overdue_principal == debt.overdue_interest == 0
    assert debt.accrued_interest == D("1039.62")  # the month's 2009.93 (200993.37 × 12%/12) × 15/29 days
    assert debt.total == D("202032.99")
    assert debt.prepaid == 0


def test_in_arrears_each_part_once():
    debt = debt_on(SCHEDULE, [], on_date=date(2024, 3, 10))
    assert debt.overdue_principal == FIRST.principal + SECOND.principal == D("199003.33")
    assert debt.overdue_interest == FIRST.interest + SECOND.interest == D("5009.93")
    assert debt.principal_not_due == THIRD.principal == D("100996.67")
    assert debt.accrued_interest == D("325.80")  # 100996.67 × 12%/12 × 10/31, on the scheduled balance
    assert debt.total == D("305335.73")
    position = position_on(SCHEDULE, [], on_date=date(2024, 3, 10))
    assert debt.overdue_principal + debt.overdue_interest == position.overdue_amount
    assert debt.principal_not_due + debt.overdue_principal == position.principal_outstanding


def test_accrual_in_the_loans_own_day_count():
    terms = LoanTerms(D(300_000), D(12), 3, date(2024, 1, 31), day_count=DayCount.ACTUAL_365)
    schedule = build_schedule(terms)
    first = schedule.installments[0]
    debt = debt_on(schedule, paid(first), on_date=date(2024, 2, 15))
    assert debt.principal_not_due == first.balance_after == D("201050.90")
    assert debt.accrued_interest == D("991.48")  # 201050.90 × 12% × 15/365


def test_a_part_payment_goes_to_interest_first():
    debt = debt_on(SCHEDULE, [Payment(date(2024, 1, 31), D("1000.00"))], on_date=date(2024, 2, 10))
    assert debt.overdue_interest == D("2000.00")
    assert debt.overdue_principal == FIRST.principal


def test_an_installment_due_on_the_date_is_due_not_overdue():
    unpaid = debt_on(SCHEDULE, paid(FIRST), on_date=SECOND.due_date)
    assert unpaid.overdue_principal == unpaid.overdue_interest == 0
    assert unpaid.principal_not_due == D("200993.37")
    assert unpaid.accrued_interest == SECOND.interest
    settled = debt_on(SCHEDULE, paid(FIRST, SECOND), on_date=SECOND.due_date)
    assert settled.principal_not_due == THIRD.principal
    assert settled.accrued_interest == 0
    assert settled.total == THIRD.principal


def test_money_paid_ahead_is_told_apart_not_subtracted():
    debt = debt_on(SCHEDULE, [*paid(FIRST), *paid(SECOND, on=date(2024, 2, 10))], on_date=date(2024, 2, 15))
    assert debt.prepaid == SECOND.payment
    assert debt.principal_not_due == D("200993.37")
    assert debt.accrued_interest == D("1039.62")


def test_an_early_repayment_splits_the_accrual():
    schedule = build_schedule(SMALL, early_repayments=(EarlyRepayment(date(2024, 2, 10), D(50_000), "shorter_term"),))
    # (200993.37 × 10 + 150993.37 × 5) × 12%/12 / 29: the month's interest prorated by days on each balance
    assert interest_accrued(schedule, date(2024, 2, 15)) == D("953.41")
    assert debt_on(schedule, paid(FIRST), on_date=date(2024, 2, 15)).principal_not_due == D("150993.37")


def test_no_accrual_on_a_due_date_before_the_start_or_once_repaid():
    assert interest_accrued(SCHEDULE, FIRST.due_date) == 0
    assert interest_accrued(SCHEDULE, date(2023, 12, 1)) == 0
    assert interest_accrued(SCHEDULE, date(2024, 1, 1)) == D("96.77")  # 300000 × 12%/12 × 1/31
    assert interest_accrued(SCHEDULE, date(2024, 4, 15)) == 0
    closed = debt_on(SCHEDULE, paid(FIRST, SECOND, THIRD), on_date=date(2024, 4, 15))
    assert closed.total == 0


@given(st.integers(min_value=0, max_value=3), st.dates(min_value=date(2023, 12, 31), max_value=date(2024, 4, 30)))
def test_principal_is_split_once_and_overdue_only_after_the_due_date(paid_count, on_date):
    made = paid(*SCHEDULE.installments[:paid_count])
    debt = debt_on(SCHEDULE, made, on_date=on_date)
    position = position_on(SCHEDULE, made, on_date=on_date)
    assert debt.principal_not_due + debt.overdue_principal == position.principal_outstanding
    assert min(debt.principal_not_due, debt.overdue_principal, debt.overdue_interest, debt.accrued_interest) >= 0
    in_arrears = position.overdue_since is not None and position.overdue_since < on_date
    assert (debt.overdue_principal + debt.overdue_interest > 0) == in_arrears

"""Loan position on a date, payments by year, and the early-repayment estimate."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine import (
    EarlyRepayment,
    LoanTerms,
    Payment,
    PaymentHoliday,
    RepaymentMode,
    build_schedule,
    estimate_early_repayment,
    paid_in_year,
    position_on,
)

D = Decimal
# 300,000 at 12% for 3 months: 102006.63 (interest 3000.00), 102006.63 (2009.93), 102006.64 (1009.97).
SMALL = LoanTerms(D(300_000), D(12), 3, date(2024, 1, 31))
SCHEDULE = build_schedule(SMALL)


def on_schedule(schedule):
    return [Payment(row.due_date, row.payment) for row in schedule.installments if row.payment]


def test_everything_paid_on_time():
    position = position_on(SCHEDULE, on_schedule(SCHEDULE), on_date=date(2024, 3, 31))
    assert position.closed
    assert position.overdue_amount == 0
    assert position.overdue_since is None
    assert position.days_overdue == 0
    assert position.principal_outstanding == 0
    assert position.principal_paid == SMALL.principal
    assert position.interest_paid == D("6019.90")
    assert position.percent_repaid == D("100.00")
    assert position.installments_left == 0
    assert position.next_due_date is None
    assert position.next_payment is None


def test_on_schedule_midway():
    position = position_on(SCHEDULE, on_schedule(SCHEDULE)[:1], on_date=date(2024, 2, 15))
    assert position.overdue_amount == 0
    assert not position.closed
    assert position.principal_outstanding == D("200993.37")
    assert position.percent_repaid == D("33.00")  # 99006.63 / 300000
    assert position.next_due_date == date(2024, 2, 29)
    assert position.next_payment == D("102006.63")
    assert position.installments_left == 2


def test_one_missed_payment():
    paid = on_schedule(SCHEDULE)[:1]
    position = position_on(SCHEDULE, paid, on_date=date(2024, 3, 10))
    assert position.overdue_amount == D("102006.63")
    assert position.overdue_since == date(2024, 2, 29)
    assert position.days_overdue == 10
    assert position.next_due_date == date(2024, 3, 31)
    assert position.next_payment == D("102006.64")
    assert position.installments_left == 2
    assert not position.closed


def test_partial_payment_covers_interest_first():
    position = position_on(SCHEDULE, [Payment(date(2024, 1, 31), D(50_000))], on_date=date(2024, 2, 3))
    assert position.interest_paid == D("3000.00")
    assert position.principal_paid == D("47000.00")
    assert position.overdue_amount == D("52006.63")
    assert position.overdue_since == date(2024, 1, 31)
    assert position.days_overdue == 3


def test_overpayment_is_prepaid_for_the_next_installment():
    position = position_on(SCHEDULE, [Payment(date(2024, 1, 31), D(150_000))], on_date=date(2024, 2, 1))
    assert position.principal_paid == D("99006.63")
    assert position.interest_paid == D("3000.00")
    assert position.prepaid_amount == D("47993.37")
    assert position.overdue_amount == 0
    assert position.next_payment == D("102006.63") - D("47993.37")
    # once the next installment falls due, the prepaid money pays it (interest first)
    later = position_on(SCHEDULE, [Payment(date(2024, 1, 31), D(150_000))], on_date=date(2024, 2, 29))
    assert later.interest_paid == D("5009.93")
    assert later.overdue_amount == D("54013.26")
    assert later.prepaid_amount == 0


def test_payments_after_the_date_are_ignored_and_money_beyond_the_loan_is_prepaid():
    payments = [*on_schedule(SCHEDULE), Payment(date(2024, 3, 31), D(10))]
    position = position_on(SCHEDULE, payments, on_date=date(2024, 3, 31))
    assert position.prepaid_amount == D("10.00")
    assert position.closed
    assert position_on(SCHEDULE, payments, on_date=date(2024, 1, 30)).principal_paid == 0


def test_early_repayment_counts_as_principal_paid():
    schedule = build_schedule(
        SMALL, early_repayments=[EarlyRepayment(date(2024, 2, 10), D(100_000), RepaymentMode.SMALLER_PAYMENT)]
    )
    payments = on_schedule(schedule)[:1]
    before = position_on(schedule, payments, on_date=date(2024, 2, 9))
    after = position_on(schedule, payments, on_date=date(2024, 2, 10))
    assert after.principal_paid - before.principal_paid == D(100_000)
    assert after.principal_outstanding == schedule.balance_after(date(2024, 2, 10))
    assert after.next_payment == schedule.installments[1].payment


def test_holiday_rows_need_no_payment():
    schedule = build_schedule(SMALL, holiday=PaymentHoliday(date(2024, 2, 1), 1))
    position = position_on(schedule, on_schedule(schedule)[:1], on_date=date(2024, 3, 1))
    assert position.overdue_amount == 0
    assert position.principal_outstanding == D("200993.37")


payment_amounts = st.integers(1, 20_000_000).map(lambda kopecks: Decimal(kopecks) / 100)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-40, 140), payment_amounts), max_size=8),
    st.integers(-40, 140),
)
def test_payments_are_fully_accounted_for(raw_payments, day):
    payments = [Payment(date(2024, 1, 1) + timedelta(days=offset), amount) for offset, amount in raw_payments]
    on_date = date(2024, 1, 1) + timedelta(days=day)
    position = position_on(SCHEDULE, payments, on_date=on_date)
    made = sum((p.amount for p in payments if p.paid_on <= on_date), D(0))
    assert position.principal_paid + position.interest_paid + position.prepaid_amount == made
    due = sum((row.payment for row in SCHEDULE.installments if row.due_date <= on_date), D(0))
    assert position.overdue_amount == max(due - made, D(0))
    assert position.principal_outstanding == SMALL.principal - position.principal_paid
    assert D(0) <= position.percent_repaid <= D(100)
    if position.overdue_since:
        assert position.days_overdue == (on_date - position.overdue_since).days


def test_paid_in_year_buckets_by_payment_month():
    terms = LoanTerms(D(1_200_000), D("9.5"), 36, date(2024, 3, 15))
    repayment = EarlyRepayment(date(2025, 6, 1), D(100_000), RepaymentMode.SHORTER_TERM)
    schedule = build_schedule(terms, early_repayments=[repayment])
    payments = on_schedule(schedule)
    years = [paid_in_year(schedule, payments, year=year) for year in range(2024, 2028)]
    assert sum(y.principal for y in years) == terms.principal
    assert sum(y.interest for y in years) == schedule.total_interest
    first = years[0]
    assert [m.month for m in first.months] == list(range(1, 13))
    assert first.months[0].principal == first.months[0].interest == 0
    march = schedule.installments[0]
    assert (first.months[2].principal, first.months[2].interest) == (march.principal, march.interest)
    june_2025 = years[1].months[5]
    june_row = next(row for row in schedule.installments if row.due_date == date(2025, 6, 15))
    assert june_2025.principal == june_row.principal + D(100_000)
    assert sum(m.interest for m in first.months) == first.interest


@settings(max_examples=100, deadline=None)
@given(
    principal=st.integers(1_000_000, 3_000_000_000).map(lambda kopecks: Decimal(kopecks) / 100),
    rate=st.integers(0, 3000).map(lambda hundredths: Decimal(hundredths) / 100),
    months=st.integers(1, 360),
    first=st.dates(date(2000, 1, 1), date(2040, 12, 31)),
)
def test_paid_in_year_sums_to_the_totals(principal, rate, months, first):
    terms = LoanTerms(principal, rate, months, first)
    schedule = build_schedule(terms)
    payments = on_schedule(schedule)
    years = [paid_in_year(schedule, payments, year=year) for year in range(first.year, first.year + 31)]
    assert sum(y.principal for y in years) == schedule.total_principal
    assert sum(y.interest for y in years) == schedule.total_interest


def test_estimate_by_hand():
    # Before: the plain schedule, 2009.93 + 1009.97 of interest after 31 Jan. After: the 29-day period prorated,
    # (200993.37 * 10 + 100993.37 * 19) / 29 * 1% = 1354.76, principal 102006.63 - 1354.76 = 100651.87, so 341.50
    # is left for 31 March: 1% of it is 3.415 -> 3.42, a last payment of 344.92.
    estimate = estimate_early_repayment(
        SMALL, on_date=date(2024, 2, 10), amount=D(100_000), mode=RepaymentMode.SHORTER_TERM
    )
    assert estimate.balance_before == D("200993.37")
    assert estimate.payment_before == estimate.first_payment_after == D("102006.63")
    assert estimate.payment_after == D("344.92")
    assert (estimate.installments_before, estimate.installments_after) == (2, 2)
    assert (estimate.last_date_before, estimate.last_date_after) == (date(2024, 3, 31), date(2024, 3, 31))
    assert estimate.interest_before == D("3019.90")
    assert estimate.interest_after == D("1358.18")
    assert estimate.interest_saved == D("1661.72")
    assert not estimate.closes and estimate.interest_to_date == 0


def test_full_payoff_by_hand():
    # The whole 200993.37 on 10 Feb: the interest of the 10 days since 31 Jan, 200993.37 * 10 / 29 * 1% = 693.08.
    estimate = estimate_early_repayment(
        SMALL, on_date=date(2024, 2, 10), amount=D("200993.37"), mode=RepaymentMode.SHORTER_TERM
    )
    assert estimate.closes
    assert estimate.interest_to_date == estimate.interest_after == D("693.08")
    assert estimate.interest_saved == D("3019.90") - D("693.08")
    assert estimate.last_date_after == date(2024, 2, 10)
    on_a_due_date = estimate_early_repayment(
        SMALL, on_date=date(2024, 1, 31), amount=D("200993.37"), mode=RepaymentMode.SHORTER_TERM
    )
    assert on_a_due_date.closes and on_a_due_date.interest_to_date == 0  # that day's installment paid it


def test_full_payoff_after_a_payment_holiday():
    # February's installment deferred to 30 April (99996.70 principal, 2009.93 interest). On 10 March the principal
    # owed is 100996.67 amortized plus the 99996.70 deferred; interest: 10 of March's 31 days on 100996.67, 1% a
    # month, 325.7957 -> 325.80, and the deferred 2009.93.
    holiday = PaymentHoliday(date(2024, 2, 1), 1)
    estimate = estimate_early_repayment(
        SMALL, on_date=date(2024, 3, 10), amount=D("200993.37"), mode=RepaymentMode.SHORTER_TERM, holiday=holiday
    )
    assert estimate.closes and estimate.balance_before == D("200993.37")
    assert (estimate.interest_to_date, estimate.interest_deferred) == (D("325.80"), D("2009.93"))
    assert estimate.interest_after == D("325.80") + D("2009.93")
    assert estimate.period_start == date(2024, 2, 29)


def test_estimate_smaller_payment_on_a_due_date():
    estimate = estimate_early_repayment(
        SMALL, on_date=date(2024, 1, 31), amount=D(100_000), mode=RepaymentMode.SMALLER_PAYMENT
    )
    assert estimate.payment_after == D("51255.39")
    assert estimate.installments_after == estimate.installments_before == 2
    assert estimate.interest_before == D("3019.90")
    assert estimate.interest_after == D("1517.41")  # 1009.93 + 507.48


@pytest.mark.parametrize(("amount", "message"), [(D(0), "positive"), (D("200993.38"), "exceeds")])
def test_estimate_rejects_bad_amounts(amount, message):
    with pytest.raises(ValueError, match=message):
        estimate_early_repayment(SMALL, on_date=date(2024, 2, 10), amount=amount, mode=RepaymentMode.SHORTER_TERM)

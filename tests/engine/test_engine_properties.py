"""Property-based checks of the schedule invariants, with early repayments and payment holidays."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from api.engine import (
    DayCount,
    EarlyRepayment,
    LoanTerms,
    PaymentHoliday,
    RepaymentMode,
    annuity_payment,
    build_schedule,
    estimate_early_repayment,
    to_kopecks,
)
from api.engine.dates import add_months

FAST = settings(max_examples=120, deadline=None)

principals = st.integers(1_000_000, 3_000_000_000).map(lambda kopecks: Decimal(kopecks) / 100)
rates = st.integers(0, 3000).map(lambda hundredths: Decimal(hundredths) / 100)


@st.composite
def loan_terms(draw, *, min_rate: int = 0, day_counts=tuple(DayCount)):
    """A loan in one of `day_counts`, issued a month before its first payment or on a day of its own."""
    first = draw(st.dates(date(2000, 1, 1), date(2040, 12, 31)))
    return LoanTerms(
        principal=draw(principals),
        rate_percent=draw(st.integers(min_rate * 100, 3000).map(lambda hundredths: Decimal(hundredths) / 100)),
        months=draw(st.integers(1, 360)),
        first_payment_date=first,
        issue_date=draw(st.none() | st.integers(1, 45).map(lambda days: first - timedelta(days=days))),
        payment_day=draw(st.none() | st.integers(1, 31)),
        day_count=draw(st.sampled_from(day_counts)),
    )


@st.composite
def repayment_day(draw, schedule, *, not_before: date | None = None):
    """A day after the loan start and no later than the last installment (and `not_before`)."""
    first = schedule.terms.first_period_start + timedelta(days=1)
    return draw(st.dates(max(first, not_before or first), schedule.last_date))


@st.composite
def early_repayments(draw, terms, *, most: int = 3):
    """Up to `most` repayments in date order, each a share of the balance outstanding on its day."""
    repayments: list[EarlyRepayment] = []
    schedule = build_schedule(terms)
    for _ in range(draw(st.integers(1, most))):
        day = draw(repayment_day(schedule, not_before=repayments[-1].on_date if repayments else None))
        balance = schedule.balance_after(day)
        if balance == 0:
            break
        share = draw(st.integers(1, 100))
        amount = max(to_kopecks(balance * share / 100), Decimal("0.01"))
        repayments.append(EarlyRepayment(day, amount, draw(st.sampled_from(RepaymentMode))))
        schedule = build_schedule(terms, early_repayments=repayments)
    return repayments


@st.composite
def holidays(draw, schedule):
    """A holiday starting on one of the regular due dates, paying nothing or part of the smallest installment."""
    assume(schedule.installments)
    start = draw(st.sampled_from([row.due_date for row in schedule.installments]))
    months = draw(st.integers(1, 6))
    window = [row for row in schedule.installments if start <= row.due_date < add_months(start, months)]
    share = draw(st.none() | st.integers(0, 100))
    reduced = None if share is None else to_kopecks(min(row.payment for row in window) * share / 100)
    return PaymentHoliday(start, months, reduced)


def assert_consistent(schedule):
    """Principal adds up, each payment is principal + interest, the balance never rises and ends at 0."""
    terms, rows = schedule.terms, schedule.installments
    assert schedule.total_principal == terms.principal
    assert schedule.total_payment == schedule.total_principal + schedule.total_interest
    assert [row.number for row in rows] == list(range(1, len(rows) + 1))
    assert all(row.payment == row.principal + row.interest for row in rows)
    assert all(row.principal >= 0 and row.interest >= 0 for row in rows)
    assert all(a.due_date < b.due_date for a, b in pairwise(rows))
    balances = [terms.principal] + [row.balance_after for row in rows]
    assert all(a >= b for a, b in pairwise(balances))
    assert schedule.balance_after(schedule.last_date) == 0
    for row in rows:  # a repayment follows that day's installment, or closes the loan before it
        repaid_that_day = sum(e.amount for e in schedule.early_repayments if e.on_date == row.due_date)
        assert schedule.balance_after(row.due_date) in {row.balance_after, row.balance_after - repaid_that_day}


def rounding_slack(rate, months):
    """Bound on how far kopeck rounding can move the last payment: 0.01 compounded over the term."""
    r = rate / 1200
    return Decimal("0.01") * ((Decimal(months) if r == 0 else ((1 + r) ** months - 1) / r) + 1)


@FAST
@given(loan_terms(day_counts=(DayCount.MONTHLY,)))
def test_plain_schedule(terms):
    schedule = build_schedule(terms)
    assert_consistent(schedule)
    payment = annuity_payment(terms.principal, terms.rate_percent, terms.months)
    rows = schedule.installments
    slack = rounding_slack(terms.rate_percent, terms.months)
    assert all(row.payment == payment for row in rows[:-1])
    assert abs(rows[-1].payment - payment) <= slack
    assert [row.due_date for row in rows] == [terms.due_date(i) for i in range(len(rows))]
    # a kopeck's rounding compounded over a long term at a high rate can end a small loan early
    assert len(rows) == terms.months or (len(rows) < terms.months and slack >= payment / 2)


@FAST
@given(st.data())
def test_random_early_repayments_keep_the_invariants(data):
    terms = data.draw(loan_terms())
    repayments = data.draw(early_repayments(terms))
    schedule = build_schedule(terms, early_repayments=repayments)
    assert_consistent(schedule)


@FAST
@given(loan_terms())
def test_every_installment_but_the_last_is_the_annuity(terms):
    """In every convention the payment is the annuity; the interest varies with the days and the last takes the rest."""
    schedule = build_schedule(terms)
    assert_consistent(schedule)
    payment = annuity_payment(terms.principal, terms.rate_percent, terms.months)
    assert all(row.payment == max(payment, row.interest) for row in schedule.installments[:-1])
    assert len(schedule.installments) <= terms.months


@FAST
@given(st.data())
def test_shorter_term_keeps_the_payment(data):
    terms = data.draw(loan_terms())
    base = build_schedule(terms)
    repayments = data.draw(early_repayments(terms, most=1))
    assume(repayments)
    (repayment,) = repayments
    assume(repayment.amount < base.balance_after(repayment.on_date))
    schedule = build_schedule(
        terms, early_repayments=[EarlyRepayment(repayment.on_date, repayment.amount, RepaymentMode.SHORTER_TERM)]
    )
    assert_consistent(schedule)
    payment = annuity_payment(terms.principal, terms.rate_percent, terms.months)
    assert all(row.payment == max(payment, row.interest) for row in schedule.installments[:-1])
    assert len(schedule.installments) <= len(base.installments)
    assert schedule.last_date <= base.last_date


@FAST
@given(st.data())
def test_smaller_payment_keeps_the_count(data):
    terms = data.draw(loan_terms())
    base = build_schedule(terms)
    repayments = data.draw(early_repayments(terms, most=1))
    assume(repayments)
    (repayment,) = repayments
    balance = base.balance_after(repayment.on_date)
    assume(repayment.amount < balance)
    assume(len(base.installments) == terms.months)  # not ended early by rounding drift (see test_plain_schedule)
    assume(terms.day_count is DayCount.MONTHLY)  # in the actual conventions the last payment takes the days' drift
    schedule = build_schedule(
        terms,
        early_repayments=[EarlyRepayment(repayment.on_date, repayment.amount, RepaymentMode.SMALLER_PAYMENT)],
    )
    assert_consistent(schedule)
    later = [row for row in base.installments if row.due_date > repayment.on_date]
    payment = annuity_payment(terms.principal, terms.rate_percent, terms.months)
    new_payment = payment - annuity_payment(repayment.amount, terms.rate_percent, len(later))
    assert abs(new_payment - annuity_payment(balance - repayment.amount, terms.rate_percent, len(later))) <= (
        rounding_slack(terms.rate_percent, terms.months)
    )
    # a kopeck's rounding compounded over a long term can end a tiny balance a month early
    if rounding_slack(terms.rate_percent, len(later)) < new_payment / 2:
        assert len(schedule.installments) == len(base.installments)
        assert schedule.last_date == base.last_date
    later = [row for row in schedule.installments if row.due_date > repayment.on_date]
    assert new_payment <= payment
    assert all(row.payment == max(new_payment, row.interest) for row in later[:-1])


@FAST
@given(st.data())
def test_holiday_moves_payments_to_the_end(data):
    terms = data.draw(loan_terms())
    base = build_schedule(terms)
    holiday = data.draw(holidays(base))
    schedule = build_schedule(terms, holiday=holiday)
    assert_consistent(schedule)
    assert schedule.total_payment == base.total_payment
    assert schedule.total_interest == base.total_interest
    window_end = add_months(holiday.start_date, holiday.months)
    window = [row for row in base.installments if holiday.start_date <= row.due_date < window_end]
    kinds = [row.kind for row in schedule.installments]
    assert kinds.count("holiday") == len(window)
    deferred = sum(row.payment > (holiday.reduced_payment or 0) for row in window)
    assert kinds.count("deferred") == deferred
    assert len(schedule.installments) == len(base.installments) + deferred
    assert schedule.last_date == terms.due_date(len(base.installments) - 1 + deferred)
    outside = [(row.due_date, row.payment, row.interest) for row in base.installments if row not in window]
    regular = [(row.due_date, row.payment, row.interest) for row in schedule.installments if row.kind == "regular"]
    assert regular == outside
    if holiday.reduced_payment is None and window_end <= base.last_date:
        assert deferred >= holiday.months


@FAST
@given(st.data())
def test_holiday_with_early_repayments(data):
    terms = data.draw(loan_terms())
    repayments = data.draw(early_repayments(terms))
    without = build_schedule(terms, early_repayments=repayments)
    holiday = data.draw(holidays(without))
    schedule = build_schedule(terms, early_repayments=repayments, holiday=holiday)
    assert_consistent(schedule)
    assert schedule.total_payment == without.total_payment


@FAST
@given(st.data())
def test_early_repayment_saves_interest(data):
    terms = data.draw(loan_terms(min_rate=1))
    base = build_schedule(terms)
    last_due = base.installments[-1].due_date
    assume(base.terms.first_period_start + timedelta(days=1) < last_due)
    on_date = data.draw(st.dates(terms.first_period_start + timedelta(days=1), last_due - timedelta(days=1)))
    balance = base.balance_after(on_date)
    assume(balance >= 1000)
    amount = data.draw(st.integers(100_000, int(balance * 100)).map(lambda kopecks: Decimal(kopecks) / 100))
    mode = data.draw(st.sampled_from(RepaymentMode))
    estimate = estimate_early_repayment(terms, on_date=on_date, amount=amount, mode=mode)
    assert estimate.balance_before == balance
    assert estimate.interest_saved > 0
    assert estimate.interest_after < estimate.interest_before
    if mode is RepaymentMode.SHORTER_TERM:
        assert estimate.installments_after <= estimate.installments_before
        assert estimate.last_date_after <= estimate.last_date_before
    elif (
        amount < balance
        and terms.day_count is DayCount.MONTHLY  # the actual conventions' last payment takes the days' drift
        and rounding_slack(terms.rate_percent, terms.months) < estimate.payment_after / 2
    ):
        assert estimate.installments_after == estimate.installments_before
        assert estimate.last_date_after == estimate.last_date_before

"""Properties of the early-repayment estimate in every day-count convention, against `ipoteka schedule`'s CSV.

The estimate's "before" is the schedule `ipoteka schedule` prints for the loan and its "after" what it prints with
`--early`, so the interest saved is the difference of the interest those two print after the date.
"""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.engine import EarlyRepayment, LoanTerms, RepaymentMode, build_schedule, estimate_early_repayment
from ipoteka.cli import app
from tests.engine.test_engine_properties import loan_terms

KOPECK = Decimal("0.01")
#: The seed's loan as demo borrower 1 holds it.
SEED_TERMS = LoanTerms(Decimal(4_000_000), Decimal("12.5"), 180, date(2021, 4, 10), issue_date=date(2021, 3, 10))
runner = CliRunner()


@st.composite
def repayment_on(draw, terms):
    """A date strictly inside the loan's life (after its start, before the last installment) and a mode."""
    base = build_schedule(terms)
    first, last = terms.first_period_start + timedelta(days=1), base.installments[-1].due_date - timedelta(days=1)
    assume(first <= last)
    return draw(st.dates(first, last)), draw(st.sampled_from(RepaymentMode))


def printed(terms, *early: str) -> list[list[str]]:
    """The rows `ipoteka schedule` prints for `terms` (and `--early` repayments), header dropped."""
    args = ["schedule", "--principal", str(terms.principal), "--rate", str(terms.rate_percent)]
    args += ["--months", str(terms.months), "--start", terms.first_payment_date.isoformat()]
    args += ["--day-count", terms.day_count.value]
    if terms.issue_date:
        args += ["--issue-date", terms.issue_date.isoformat()]
    if terms.payment_day:
        args += ["--payment-day", str(terms.payment_day)]
    for repayment in early:
        args += ["--early", repayment]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))[1:]


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_interest_saved_is_the_difference_of_the_printed_schedules(data):
    terms = data.draw(loan_terms())
    on_date, mode = data.draw(repayment_on(terms))
    balance = build_schedule(terms).balance_after(on_date)
    assume(balance > 0)
    amount = data.draw(st.integers(1, int(balance * 100)).map(lambda kopecks: Decimal(kopecks) / 100))
    estimate = estimate_early_repayment(terms, on_date=on_date, amount=amount, mode=mode)

    without = printed(terms)
    with_it = printed(terms, f"{on_date.isoformat()}:{amount}:{mode.value}")
    settled = sum(1 for row in without if row[1] <= on_date.isoformat())
    assert with_it[:settled] == without[:settled]
    interest_without = sum((Decimal(row[4]) for row in without[settled:]), Decimal(0))
    interest_with = sum((Decimal(row[4]) for row in with_it[settled:]), Decimal(0))
    assert estimate.interest_before == interest_without
    assert estimate.interest_after == interest_with
    assert estimate.interest_saved == interest_without - interest_with
    assert estimate.installments_before == len(without) - settled
    assert estimate.installments_after == len(with_it) - settled
    assert estimate.payment_before == Decimal(without[settled][2])
    assert estimate.closes == (amount == balance)
    if estimate.closes:
        assert estimate.interest_to_date == interest_with  # all that is left is the interest to the date
    else:
        assert estimate.first_payment_after == Decimal(with_it[settled][2])


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_kopeck_repaid_returns_the_plain_schedule(data):
    """0.01 repaid: every installment as in the plain schedule (the next one within a kopeck), the last less the
    kopeck's worth at the end; the interest saved is that worth less the kopeck itself, never below zero."""
    terms = data.draw(loan_terms())
    on_date, mode = data.draw(repayment_on(terms))
    before = build_schedule(terms)
    assume(before.balance_after(on_date) > KOPECK)
    estimate = estimate_early_repayment(terms, on_date=on_date, amount=KOPECK, mode=mode)
    after = build_schedule(terms, early_repayments=[EarlyRepayment(on_date, KOPECK, mode)])

    if estimate.installments_before > 1:
        assert abs(estimate.first_payment_after - estimate.payment_before) <= KOPECK
    else:  # the next payment is the last: it is the kopeck less, and perhaps its kopeck of interest
        assert 0 <= estimate.payment_before - estimate.first_payment_after <= 2 * KOPECK
    settled = sum(1 for row in before.installments if row.due_date <= on_date)
    old, new = before.installments[settled:], after.installments[settled:]
    assert len(old) - 1 <= len(new) <= len(old)
    assert abs(old[0].payment - new[0].payment) <= KOPECK or len(old) == 1
    annuity = [(a, b) for a, b in zip(old[1:-1], new[1:-1], strict=False) if a.principal > 0 and b.principal > 0]
    assert all(a.payment == b.payment for a, b in annuity)  # (a month's interest above the annuity is paid as due)
    paid_less = sum((row.payment for row in old), Decimal(0)) - sum((row.payment for row in new), Decimal(0))
    assert estimate.interest_saved == paid_less - KOPECK >= 0


def test_the_seed_loan_on_5_january_2027():
    """Borrower 1 on 6 December 2026 (issue 14): the next payment stays 49 300,88 whatever is repaid, and the
    interest saved is the difference of the two printed schedules. A kopeck repaid 111 installments before the end
    is worth 0.01 * (1 + 12.5% / 12)^111 = 0.0316 there, so it saves 0.02 of interest: true, not noise."""
    terms = SEED_TERMS
    on_date = date(2027, 1, 5)
    for amount in ("100000", "1", "0.01"):
        estimate = estimate_early_repayment(terms, on_date=on_date, amount=Decimal(amount), mode="shorter_term")
        assert estimate.payment_before == estimate.first_payment_after == Decimal("49300.88"), amount
        without, with_it = printed(terms), printed(terms, f"{on_date}:{amount}:shorter_term")
        settled = sum(1 for row in without if row[1] <= on_date.isoformat())
        saved = sum(Decimal(row[4]) for row in without[settled:]) - sum(Decimal(row[4]) for row in with_it[settled:])
        assert estimate.interest_saved == saved, amount
    assert estimate.interest_saved == Decimal("0.02")
    assert estimate_early_repayment(
        terms, on_date=on_date, amount=Decimal("100000"), mode="shorter_term"
    ).interest_saved == (Decimal("204785.90"))

"""The early-repayment estimate: figures from the engine, the notice period, the balance cap, a closed loan."""

import csv
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from api.engine import DayCount, EarlyRepayment, RepaymentMode, build_schedule, estimate_early_repayment, to_kopecks
from ipoteka.cli import app
from tests.api.loan_helpers import (
    DUE_BY_TODAY,
    SEED_TERMS,
    SMALL_LOAN,
    SMALL_TERMS,
    linked_loan,
    other_borrower_loan,
    pay_installments,
    seed_schedule,
)
from tests.helpers import as_user, put, seed_borrower

USER = 700_000_301
OTHER = 700_000_302
EARLIEST = date(2026, 12, 26)  # today (2026-11-26) plus the default 30 days' notice


def _path(loan_id: int) -> str:
    return f"/api/v1/me/loans/{loan_id}/early-repayment/estimate"


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


@pytest.mark.parametrize("mode", ["shorter_term", "smaller_payment"])
async def test_estimate_matches_the_engine(bank, client, paid_loan_id, mode):
    loan_id = paid_loan_id
    response = await client.post(_path(loan_id), json={"amount": "500000", "mode": mode}, headers=as_user(USER))
    assert response.status_code == 200, response.text
    body = response.json()
    expected = estimate_early_repayment(
        SEED_TERMS, on_date=EARLIEST, amount=Decimal("500000"), mode=RepaymentMode(mode)
    )
    assert body["on_date"] == "2026-12-26"
    assert body["amount"] == "500000.00"
    assert body["mode"] == mode
    assert body["balance_before"] == _money(expected.balance_before)
    assert body["balance_after"] == _money(expected.balance_before - Decimal("500000"))
    assert body["payment_before"] == _money(expected.payment_before)
    assert body["payment_after"] == _money(expected.payment_after)
    assert body["installments_before"] == expected.installments_before == 180 - DUE_BY_TODAY - 1
    assert body["installments_after"] == expected.installments_after
    assert body["last_date_before"] == "2036-03-10"
    assert body["last_date_after"] == expected.last_date_after.isoformat()
    assert body["interest_saved"] == _money(expected.interest_saved)
    assert Decimal(body["interest_saved"]) > 0
    assert body["interest_before"] == _money(expected.interest_before)
    assert body["interest_after"] == _money(expected.interest_after)
    assert body["notice_days"] == 30
    assert body["earliest_date"] == "2026-12-26"
    if mode == "shorter_term":
        assert body["installments_after"] < body["installments_before"]
        assert body["last_date_after"] < body["last_date_before"]
    else:
        assert Decimal(body["payment_after"]) < Decimal(body["payment_before"])
        assert body["installments_after"] == body["installments_before"]


async def test_the_filing_deadline_is_the_notice_before_the_date(client, loan_id, settings):
    body = {"amount": "100000", "mode": "shorter_term", "on_date": "2027-02-01"}
    answer = (await client.post(_path(loan_id), json=body, headers=as_user(USER))).json()
    assert answer["apply_by"] == "2027-01-02"
    assert answer["bank_phone"] == settings.bank.phone


async def test_shorter_term_keeps_the_monthly_payment(bank, client, paid_loan_id):
    loan_id = paid_loan_id
    body = {"amount": "500000", "mode": "shorter_term"}
    answer = (await client.post(_path(loan_id), json=body, headers=as_user(USER))).json()
    assert answer["payment_before"] == answer["payment_after"] == answer["first_payment_after"] == "49300.88"


async def test_an_early_repayment_on_record_is_taken_into_account(bank, client, loan_id):
    early = {
        "loan_external_id": "L-1",
        "paid_on": "2025-06-10",
        "amount": "800000.00",
        "kind": "early",
        "early_mode": "smaller_payment",
    }
    await put(bank, "payments/E-1", early)
    response = await client.post(
        _path(loan_id), json={"amount": "100000", "mode": "shorter_term"}, headers=as_user(USER)
    )
    expected = estimate_early_repayment(
        SEED_TERMS,
        on_date=EARLIEST,
        amount=Decimal("100000"),
        mode=RepaymentMode.SHORTER_TERM,
        early_repayments=[EarlyRepayment(date(2025, 6, 10), Decimal("800000"), RepaymentMode.SMALLER_PAYMENT)],
    )
    body = response.json()
    assert body["balance_before"] == _money(expected.balance_before)
    assert body["payment_before"] == _money(expected.payment_before)
    assert Decimal(body["payment_before"]) < Decimal("49300.88")
    assert body["interest_saved"] == _money(expected.interest_saved)


async def test_a_date_inside_the_notice_period_is_refused(client, loan_id):
    response = await client.post(
        _path(loan_id), json={"amount": "1000", "mode": "shorter_term", "on_date": "2026-12-25"}, headers=as_user(USER)
    )
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "notice_period",
        "message": "An early repayment needs 30 days' notice: the earliest repayment date is 2026-12-26.",
        "notice_days": 30,
        "earliest_date": "2026-12-26",
    }
    on_time = {"amount": "1000", "mode": "shorter_term", "on_date": "2026-12-26"}
    assert (await client.post(_path(loan_id), json=on_time, headers=as_user(USER))).status_code == 200


async def test_the_notice_period_comes_from_settings(bank, client, settings, loan_id):
    settings.early_repayment_notice_days = 10
    body = (
        await client.post(_path(loan_id), json={"amount": "1000", "mode": "shorter_term"}, headers=as_user(USER))
    ).json()
    assert body["on_date"] == body["earliest_date"] == "2026-12-06"
    assert body["notice_days"] == 10


@pytest.mark.parametrize("on_date", ["2036-03-10", "2040-01-01", "9999-12-31"])
async def test_a_date_at_or_after_the_loan_end_is_refused(client, loan_id, on_date):
    response = await client.post(
        _path(loan_id), json={"amount": "1000", "mode": "shorter_term", "on_date": on_date}, headers=as_user(USER)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "on_date_out_of_range"
    assert response.json()["error"]["last_payment_date"] == "2036-03-10"


async def test_amount_above_the_balance_is_refused_with_the_balance(client, loan_id):
    balance = estimate_early_repayment(
        SEED_TERMS, on_date=EARLIEST, amount=Decimal("1"), mode=RepaymentMode.SHORTER_TERM
    ).balance_before
    above = {"amount": _money(balance + Decimal("0.01")), "mode": "shorter_term"}
    response = await client.post(_path(loan_id), json=above, headers=as_user(USER))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "amount_above_balance"
    assert error["balance"] == _money(balance)
    whole = {"amount": _money(balance), "mode": "shorter_term"}
    full = await client.post(_path(loan_id), json=whole, headers=as_user(USER))
    assert full.status_code == 200, full.text
    assert full.json()["balance_after"] == "0.00"
    assert full.json()["last_date_after"] == "2026-12-26"  # the interest accrued to that day closes the loan


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-100"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "1.001"}, "amount"),
        ({"amount": "1e20"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": None}, "amount"),
        ({"mode": "cheaper"}, "mode"),
        ({"mode": None}, "mode"),
        ({"on_date": "2027-02-30"}, "on_date"),
        ({"on_date": "soon"}, "on_date"),
        ({"on_date": 12}, "on_date"),
        ({"surprise": True}, "surprise"),
    ],
)
async def test_bad_requests_are_422(client, loan_id, body, field):
    request = {"amount": "1000", "mode": "shorter_term"} | body
    response = await client.post(_path(loan_id), json=request, headers=as_user(USER))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert any(f["field"].startswith(field) for f in error["fields"])


async def test_absurd_amount_is_above_the_balance(client, loan_id):
    response = await client.post(
        _path(loan_id), json={"amount": "999999999999.99", "mode": "smaller_payment"}, headers=as_user(USER)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "amount_above_balance"


async def test_missing_body_is_422(client, loan_id):
    response = await client.post(_path(loan_id), headers=as_user(USER))
    assert response.status_code == 422


async def test_a_closed_loan_is_409(bank, client):
    loan_id = await linked_loan(bank, client, USER, status="closed", closed_on="2026-01-15")
    response = await client.post(_path(loan_id), json={"amount": "1000", "mode": "shorter_term"}, headers=as_user(USER))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "loan_closed"


async def test_another_borrowers_loan_is_not_found(bank, client, loan_id):
    other_id = await other_borrower_loan(bank, client, OTHER)
    body = {"amount": "1000", "mode": "shorter_term"}
    theirs = await client.post(_path(other_id), json=body, headers=as_user(USER))
    missing = await client.post(_path(987654), json=body, headers=as_user(USER))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


async def test_tokens_and_linking_are_checked(bank, client, anonymous):
    loan_id = await seed_borrower(bank)
    body = {"amount": "1000", "mode": "shorter_term"}
    assert (await anonymous.post(_path(loan_id), json=body, headers=as_user(USER))).status_code == 401
    assert (await bank.post(_path(loan_id), json=body, headers=as_user(USER))).status_code == 401
    unlinked = await client.post(_path(loan_id), json=body, headers=as_user(USER))
    assert unlinked.status_code == 403
    assert unlinked.json()["error"]["code"] == "not_linked"


async def test_a_loan_repaid_by_its_payments_is_409(bank, client):
    loan_id = await linked_loan(bank, client, USER, **SMALL_LOAN)
    await pay_installments(bank, 12, schedule=seed_schedule(SMALL_TERMS))
    response = await client.post(_path(loan_id), json={"amount": "1000", "mode": "shorter_term"}, headers=as_user(USER))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "loan_closed"


def _cli_interest(*early: str) -> list[tuple[str, Decimal]]:
    """(date, interest) of each row `ipoteka schedule` prints for the seed loan (with `early` repayments)."""
    args = ["schedule", "--principal", "4000000", "--rate", "12.5", "--months", "180", "--start", "2021-04-10"]
    args += ["--payment-day", "10", "--issue-date", "2021-03-10"]
    for repayment in early:
        args += ["--early", repayment]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return [(row[1], Decimal(row[4])) for row in list(csv.reader(io.StringIO(result.stdout)))[1:]]


def _after(rows: list[tuple[str, Decimal]], settled: int) -> Decimal:
    return sum((interest for _day, interest in rows[settled:]), Decimal(0))


@pytest.mark.parametrize(
    ("amount", "mode"), [("100000", "shorter_term"), ("100000", "smaller_payment"), ("1", "shorter_term")]
)
async def test_interest_saved_is_what_ipoteka_schedule_prints(bank, client, loan_id, amount, mode):
    body = (await client.post(_path(loan_id), json={"amount": amount, "mode": mode}, headers=as_user(USER))).json()
    without = _cli_interest()
    with_it = _cli_interest(f"{EARLIEST}:{amount}:{mode}")
    settled = sum(1 for day, _interest in without if day <= EARLIEST.isoformat())
    assert Decimal(body["interest_before"]) == _after(without, settled)
    assert Decimal(body["interest_after"]) == _after(with_it, settled)
    assert Decimal(body["interest_saved"]) == _after(without, settled) - _after(with_it, settled)
    assert body["payment_before"] == "49300.88"
    if mode == "shorter_term":
        assert body["first_payment_after"] == "49300.88"


async def test_a_full_payoff_is_itemised(bank, client, paid_loan_id):
    loan_id = paid_loan_id
    balance = seed_schedule().balance_after(EARLIEST)
    body = {"amount": _money(balance), "mode": "shorter_term"}
    answer = (await client.post(_path(loan_id), json=body, headers=as_user(USER))).json()
    expected = estimate_early_repayment(SEED_TERMS, on_date=EARLIEST, amount=balance, mode=RepaymentMode.SHORTER_TERM)
    # 16 of the 31 days from 10 December to 10 January, the month's interest prorated: balance * 12.5% / 12 * 16 / 31
    interest = to_kopecks(balance * Decimal("12.5") / 1200 * 16 / 31)
    assert expected.interest_to_date == interest > 0
    assert answer["payoff"] == {
        "principal": _money(balance),
        "interest": _money(interest),
        "interest_since": "2026-12-10",
        "deferred_interest": "0.00",
        "overdue_amount": "0.00",
        "total": _money(balance + interest),
    }
    assert answer["overdue_amount"] == "0.00" and answer["overdue_since"] is None
    assert answer["due_before"] == "49300.88"  # the installment of 10 December, paid as usual
    partial = {"amount": "1000", "mode": "shorter_term"}
    assert (await client.post(_path(loan_id), json=partial, headers=as_user(USER))).json()["payoff"] is None


async def test_arrears_are_in_every_estimate_and_in_the_payoff(bank, client, loan_id):
    await pay_installments(bank, DUE_BY_TODAY - 2)  # October and November unpaid
    overdue = sum((row.payment for row in seed_schedule().installments[DUE_BY_TODAY - 2 : DUE_BY_TODAY]), Decimal(0))
    partial = await client.post(_path(loan_id), json={"amount": "1000", "mode": "shorter_term"}, headers=as_user(USER))
    assert partial.json()["overdue_amount"] == _money(overdue) == "98601.76"
    assert partial.json()["overdue_since"] == "2026-10-10"
    balance = seed_schedule().balance_after(EARLIEST)
    full = (
        await client.post(
            _path(loan_id), json={"amount": _money(balance), "mode": "shorter_term"}, headers=as_user(USER)
        )
    ).json()
    payoff = full["payoff"]
    assert payoff["overdue_amount"] == _money(overdue)
    assert Decimal(payoff["total"]) == balance + Decimal(payoff["interest"]) + overdue


async def test_an_actual_365_loan_is_estimated_in_its_own_convention(bank, client):
    loan_id = await linked_loan(bank, client, USER, day_count="actual_365")
    summary = (await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))).json()
    assert summary["day_count"] == "actual_365"
    terms = replace(SEED_TERMS, day_count=DayCount.ACTUAL_365)
    rows = (await client.get(f"/api/v1/me/loans/{loan_id}/schedule", headers=as_user(USER))).json()["rows"]
    assert [row["interest"] for row in rows] == [_money(row.interest) for row in build_schedule(terms).installments]
    assert rows[0]["interest"] == "42465.75"  # 4000000 * 12.5% * 31 / 365
    answer = (
        await client.post(_path(loan_id), json={"amount": "100000", "mode": "shorter_term"}, headers=as_user(USER))
    ).json()
    expected = estimate_early_repayment(
        terms, on_date=EARLIEST, amount=Decimal(100_000), mode=RepaymentMode.SHORTER_TERM
    )
    assert answer["interest_saved"] == _money(expected.interest_saved)
    assert answer["interest_before"] == _money(expected.interest_before)
    plain = estimate_early_repayment(
        SEED_TERMS, on_date=EARLIEST, amount=Decimal(100_000), mode=RepaymentMode.SHORTER_TERM
    )
    assert expected.interest_saved != plain.interest_saved

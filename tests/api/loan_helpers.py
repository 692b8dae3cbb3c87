"""Helpers for the loans, profile and certificates tests: the seed loan's engine schedule and payments over HTTP."""

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from api.engine import LoanTerms, Payment, Schedule, build_schedule
from tests.helpers import borrower_body, link, loan_body, put, seed_borrower

SEED_TERMS = LoanTerms(
    principal=Decimal("4000000.00"),
    rate_percent=Decimal("12.5"),
    months=180,
    first_payment_date=date(2021, 4, 10),
    issue_date=date(2021, 3, 10),
    payment_day=10,
)
#: Installments due by the fixtures' today (2026-11-26): 2021-04-10 … 2026-11-10.
DUE_BY_TODAY = 68
OTHER_PHONE = "+79167654321"


def seed_schedule(terms: LoanTerms = SEED_TERMS) -> Schedule:
    return build_schedule(terms)


def installments_paid(count: int, schedule: Schedule | None = None) -> list[Payment]:
    """The first `count` installments as payments made on their due dates, in the engine's amounts."""
    return [Payment(row.due_date, row.payment) for row in (schedule or seed_schedule()).installments[:count]]


async def pay_installments(
    bank: httpx.AsyncClient, count: int, *, loan_ext: str = "L-1", schedule: Schedule | None = None
) -> list[Payment]:
    """Pay the first `count` installments on their due dates, in the engine's amounts; returns the payments."""
    rows = (schedule or seed_schedule()).installments[:count]
    payments = installments_paid(count, schedule)
    for row, payment in zip(rows, payments, strict=True):
        body = {"loan_external_id": loan_ext, "paid_on": payment.paid_on.isoformat(), "amount": f"{payment.amount:.2f}"}
        await put(bank, f"payments/{loan_ext}-{row.number}", body)
    return payments


async def linked_loan(bank: httpx.AsyncClient, client: httpx.AsyncClient, user: int, **loan: Any) -> int:
    """The seed borrower and loan, linked to `user`; returns the loan id."""
    loan_id = await seed_borrower(bank, **loan)
    assert (await link(client, user)).status_code == 200
    return loan_id


async def other_borrower_loan(bank: httpx.AsyncClient, client: httpx.AsyncClient, user: int) -> int:
    """A second borrower with a loan of their own, linked to `user`; returns that loan's id."""
    await put(bank, "borrowers/B-2", borrower_body(first_name="Пётр", phone=OTHER_PHONE))
    loan_id = (await put(bank, "loans/L-2", loan_body("B-2", contract_number="ИК-2022/000999")))["id"]
    assert (await link(client, user, factor="0999", phone=OTHER_PHONE)).status_code == 200
    return loan_id


SMALL_TERMS = LoanTerms(
    principal=Decimal("120000.00"),
    rate_percent=Decimal("12.5"),
    months=12,
    first_payment_date=date(2021, 4, 10),
    issue_date=date(2021, 3, 10),
    payment_day=10,
)
#: The seed borrower's loan with SMALL_TERMS, as the integration API takes it.
SMALL_LOAN = {"principal": "120000.00", "term_months": 12}

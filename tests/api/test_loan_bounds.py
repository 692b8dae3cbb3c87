"""What the integration API accepts, every read can serve: any loan inside the bounds yields a schedule, a summary,
a balance, an early-repayment estimate and its certificates (PDFs) with no server error; a loan outside them is a
422 naming the field, never stored."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.integration.schemas import EARLIEST_CONTRACT, MAX_PRINCIPAL, MAX_RATE
from tests.helpers import as_user, borrower_body, link, loan_body, put

USER = 700_009_501
TODAY = date(2026, 11, 26)  # the test clock's
LATEST_CONTRACT = TODAY


@pytest.fixture
async def linked(bank, client) -> None:
    await put(bank, "borrowers/B-1", borrower_body())
    await put(bank, "loans/L-1", loan_body())
    assert (await link(client, USER)).status_code == 200


async def _read_everything(client, loan_id: int, principal: Decimal, *, pdfs: bool) -> None:
    headers = as_user(USER)
    base = f"/api/v1/me/loans/{loan_id}"
    for path in ("/summary", "/balance", "/schedule", "/certificates/years", "/holidays/terms"):
        response = await client.get(base + path, headers=headers)
        assert response.status_code == 200, (path, response.text)
    for mode in ("shorter_term", "smaller_payment"):
        amount = max(Decimal("1000.00"), (principal / 3).quantize(Decimal("0.01")))
        response = await client.post(
            base + "/early-repayment/estimate", json={"amount": str(amount), "mode": mode}, headers=headers
        )
        assert response.status_code in (200, 409, 422), response.text
        if response.status_code != 200:
            assert response.json()["error"]["code"] not in ("validation_error", "internal_error"), response.text
    for body in ({"kind": "schedule"}, {"kind": "outstanding_debt"}):
        response = await client.post(base + "/certificates", json=body, headers=headers)
        assert response.status_code == 201, response.text
        certificate = response.json()
        if pdfs and certificate["status"] == "ready":
            pdf = await client.get(f"/api/v1/me/certificates/{certificate['id']}/pdf", headers=headers)
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.text[:200]


EXTREMES = [
    (MAX_PRINCIPAL, MAX_RATE, 600, date(2026, 1, 10), 31, "actual_actual"),
    (MAX_PRINCIPAL, Decimal("1"), 600, date(2026, 1, 10), 31, "monthly"),
    (Decimal("1000.00"), Decimal("0"), 1, LATEST_CONTRACT, 62, "monthly"),
    (MAX_PRINCIPAL, MAX_RATE, 600, EARLIEST_CONTRACT, 1, "actual_365"),
]


async def _accepted(bank, principal, rate, months, start, first_after, day_count) -> int:
    body = loan_body(
        principal=str(principal),
        rate_percent=str(rate),
        term_months=months,
        contract_date=start.isoformat(),
        first_payment_date=(start + timedelta(days=first_after)).isoformat(),
        day_count=day_count,
    )
    response = await bank.put("/api/v1/integration/loans/L-1", json=body)
    assert response.status_code == 200, response.text
    return response.json()["id"]


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    principal=st.decimals(min_value=Decimal("1000.00"), max_value=MAX_PRINCIPAL, places=2),
    rate=st.decimals(min_value=Decimal("0"), max_value=MAX_RATE, places=4),
    months=st.integers(min_value=1, max_value=600),
    start=st.dates(min_value=EARLIEST_CONTRACT, max_value=LATEST_CONTRACT),
    first_after=st.integers(min_value=1, max_value=366),
    day_count=st.sampled_from(["monthly", "actual_365", "actual_actual"]),
)
async def test_any_accepted_loan_can_be_read(
    bank, client, linked, principal, rate, months, start, first_after, day_count
):
    loan_id = await _accepted(bank, principal, rate, months, start, first_after, day_count)
    await _read_everything(client, loan_id, principal, pdfs=False)


@pytest.mark.parametrize("loan", EXTREMES, ids=["largest, dearest", "largest, cheapest", "smallest, today", "oldest"])
async def test_the_extreme_loans_certificates_render(bank, client, linked, loan):
    """The widest figures and the longest schedule: the PDFs (costly to render) only for these."""
    loan_id = await _accepted(bank, *loan)
    await _read_everything(client, loan_id, loan[0], pdfs=True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"principal": "999999999999.99"}, "principal"),
        ({"principal": str(MAX_PRINCIPAL + Decimal("0.01"))}, "principal"),
        ({"rate_percent": "99.9999"}, "rate_percent"),
        ({"rate_percent": str(MAX_RATE + Decimal("0.0001"))}, "rate_percent"),
        ({"contract_date": "9998-01-01", "first_payment_date": "9998-02-01"}, "contract_date"),
        ({"contract_date": "1899-01-01", "first_payment_date": "1899-02-01"}, "contract_date"),
        ({"contract_date": "2026-11-27", "first_payment_date": "2026-12-27"}, "contract_date"),
        ({"first_payment_date": "2022-03-12"}, "first_payment_date"),
    ],
    ids=[
        "a trillion",
        "over the cap",
        "99.9999%",
        "over the rate cap",
        "year 9998",
        "1899",
        "tomorrow",
        "a year on",
    ],
)
async def test_a_loan_outside_the_bounds_is_refused_naming_the_field(bank, change, field):
    await put(bank, "borrowers/B-1", borrower_body())
    response = await bank.put("/api/v1/integration/loans/L-2", json=loan_body(**change))
    assert response.status_code == 422, response.text
    assert field in response.text

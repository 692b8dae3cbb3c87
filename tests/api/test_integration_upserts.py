"""The bank's upserts: created once, a repeat changes nothing, bad records are refused with a reason."""

import pytest

from tests.helpers import borrower_body, loan_body, put


async def test_borrower_upsert_is_idempotent(bank):
    first = await bank.put("/api/v1/integration/borrowers/B-1", json=borrower_body())
    assert first.status_code == 201
    assert first.json()["created"] is True
    again = await bank.put("/api/v1/integration/borrowers/B-1", json=borrower_body())
    assert again.status_code == 200
    assert again.json() == {"id": first.json()["id"], "external_id": "B-1", "created": False, "changed": False}
    changed = await bank.put("/api/v1/integration/borrowers/B-1", json=borrower_body(first_name="Пётр"))
    assert changed.json()["changed"] is True


async def test_loan_needs_a_known_borrower(bank):
    response = await bank.put("/api/v1/integration/loans/L-1", json=loan_body("NOPE"))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "borrower_not_found"


async def test_payment_and_policy_upserts(bank):
    await put(bank, "borrowers/B-1", borrower_body())
    await put(bank, "loans/L-1", loan_body())
    payment = {"loan_external_id": "L-1", "paid_on": "2021-04-10", "amount": "49300.88"}
    assert (await bank.put("/api/v1/integration/payments/P-1", json=payment)).status_code == 201
    assert (await bank.put("/api/v1/integration/payments/P-1", json=payment)).json()["changed"] is False
    policy = {
        "loan_external_id": "L-1",
        "kind": "property",
        "insurer": "СК Надёжная",
        "policy_number": "IP-1",
        "starts_on": "2026-01-01",
        "expires_on": "2027-01-01",
    }
    assert (await bank.put("/api/v1/integration/policies/POL-1", json=policy)).status_code == 201


async def test_phone_taken_by_another_borrower_is_409(bank):
    await put(bank, "borrowers/B-1", borrower_body())
    response = await bank.put("/api/v1/integration/borrowers/B-2", json=borrower_body())
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("borrowers/B-9", borrower_body(phone="12")),
        ("borrowers/B-9", borrower_body(time_zone="Mars/Olympus")),
        ("borrowers/B-9", borrower_body(birth_date="1850-01-01")),
        ("borrowers/B-9", borrower_body(first_name="")),
        ("borrowers/B-9", borrower_body(last_name="Я" * 101)),
        ("borrowers/B-9", borrower_body(language="de")),
        ("loans/L-9", loan_body(principal="-100")),
        ("loans/L-9", loan_body(principal="0")),
        ("loans/L-9", loan_body(principal="1e20")),
        ("loans/L-9", loan_body(principal="100.001")),
        ("loans/L-9", loan_body(principal="NaN")),
        ("loans/L-9", loan_body(rate_percent="150")),
        ("loans/L-9", loan_body(term_months=0)),
        ("loans/L-9", loan_body(term_months="twelve")),
        ("loans/L-9", loan_body(first_payment_date="2020-01-01")),
        ("loans/L-9", loan_body(status="closed")),
        ("loans/L-9", {k: v for k, v in loan_body().items() if k != "repayment_account"}),
        ("loans/L-9", loan_body(repayment_account="4081781040000000000")),  # 19 digits
        ("loans/L-9", loan_body(repayment_account="408178104000000000012")),  # 21
        ("loans/L-9", loan_body(repayment_account="4081 7810 4000 0000 0001")),
        ("loans/L-9", loan_body(repayment_account="40817810400000000O01")),  # a letter O
        ("loans/L-9", loan_body(repayment_account="٤٠٨١٧٨١٠٤٠٠٠٠٠٠٠٠٠٠١")),  # Arabic-Indic digits
        ("loans/L-9", loan_body(repayment_account=40817810400000000001)),
        ("loans/L-9", loan_body(day_count="30_360")),
        ("loans/L-9", loan_body(day_count=None)),
        ("payments/P-9", {"loan_external_id": "L-1", "paid_on": "2021-04-10", "amount": "-5"}),
        ("payments/P-9", {"loan_external_id": "L-1", "paid_on": "2021-04-10", "amount": "5", "kind": "early"}),
        (
            "policies/X",
            {
                "loan_external_id": "L-1",
                "kind": "car",
                "insurer": "X",
                "policy_number": "1",
                "starts_on": "2026-01-01",
                "expires_on": "2027-01-01",
            },
        ),
    ],
)
async def test_bad_records_are_422(bank, path, body):
    response = await bank.put(f"/api/v1/integration/{path}", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("account", ["40817810500000000001", "40817810400000000010", "04817810400000000001"])
async def test_a_repayment_account_whose_control_key_does_not_fit_the_banks_bic_is_refused(bank, account):
    await put(bank, "borrowers/B-1", borrower_body())
    response = await bank.put("/api/v1/integration/loans/L-1", json=loan_body(repayment_account=account))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "repayment_account_key"
    assert (await bank.put("/api/v1/integration/loans/L-1", json=loan_body())).status_code == 201


async def test_bad_external_id_and_tokens(bank, client, anonymous):
    assert (await bank.put("/api/v1/integration/borrowers/" + "x" * 65, json=borrower_body())).status_code == 422
    assert (await client.put("/api/v1/integration/borrowers/B-1", json=borrower_body())).status_code == 401
    assert (await anonymous.put("/api/v1/integration/borrowers/B-1", json=borrower_body())).status_code == 401

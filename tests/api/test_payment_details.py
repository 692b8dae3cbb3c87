"""Payment details a borrower can pay with: every field, the amount due now, and the GOST QR payload, over HTTP."""

from decimal import Decimal

from sqlalchemy import update

from api.models import Loan
from tests.api.loan_helpers import DUE_BY_TODAY, linked_loan, pay_installments, seed_schedule
from tests.gost_qr import fields
from tests.helpers import SEED_ACCOUNT, as_user, loan_body, put

USER = 700_000_901
PURPOSE = "Погашение кредита по договору № ИК-2021/000457 от 10.03.2021"


async def _details(client, loan_id: int, query: str = "") -> dict:
    response = await client.get(f"/api/v1/me/loans/{loan_id}/summary{query}", headers=as_user(USER))
    assert response.status_code == 200, response.text
    return response.json()["payment_details"]


def _expected_fields(settings, *, kopecks: int | None) -> dict[str, str]:
    bank = settings.bank
    expected = {
        "Name": bank.name,
        "PersonalAcc": SEED_ACCOUNT,
        "BankName": bank.name,
        "BIC": bank.bik,
        "CorrespAcc": bank.correspondent_account,
        "PayeeINN": bank.inn,
        "KPP": bank.kpp,
        "Purpose": PURPOSE,
    }
    return expected | ({"Sum": str(kopecks)} if kopecks is not None else {})


async def test_a_loan_paid_to_date_is_told_its_next_payment_with_every_field(client, settings, paid_loan_id):
    loan_id = paid_loan_id
    upcoming = seed_schedule().installments[DUE_BY_TODAY]

    details = await _details(client, loan_id)

    bank_details = settings.bank
    assert details == {
        "recipient": bank_details.name,
        "inn": bank_details.inn,
        "kpp": bank_details.kpp,
        "account": SEED_ACCOUNT,
        "bank_name": bank_details.name,
        "bik": bank_details.bik,
        "correspondent_account": bank_details.correspondent_account,
        "amount_due": f"{upcoming.payment:.2f}",
        "amount_due_reason": "next_payment",
        "purpose": PURPOSE,
        "qr_payload": details["qr_payload"],
        "bank_phone": bank_details.phone,
    }
    assert details["qr_payload"].startswith("ST00012|Name=")
    assert fields(details["qr_payload"]) == _expected_fields(settings, kopecks=int(upcoming.payment * 100))
    assert upcoming.payment == Decimal("49300.88")


async def test_arrears_come_first(bank, client, settings):
    loan_id = await linked_loan(bank, client, USER)
    await pay_installments(bank, DUE_BY_TODAY - 2)
    rows = seed_schedule().installments
    overdue = rows[DUE_BY_TODAY - 2].payment + rows[DUE_BY_TODAY - 1].payment

    details = await _details(client, loan_id)

    assert (details["amount_due"], details["amount_due_reason"]) == (f"{overdue:.2f}", "overdue")
    assert fields(details["qr_payload"]) == _expected_fields(settings, kopecks=int(overdue * 100))


async def test_a_covered_installment_leaves_nothing_due_and_no_sum(bank, client, settings):
    loan_id = await linked_loan(bank, client, USER)
    await put(bank, "payments/X-1", {"loan_external_id": "L-1", "paid_on": "2021-04-05", "amount": "60000.00"})

    details = await _details(client, loan_id, "?on=2021-04-06")

    assert (details["amount_due"], details["amount_due_reason"]) == (None, None)
    payload = fields(details["qr_payload"])
    assert "Sum" not in payload  # never Sum=0: the payer types an amount, if they want to pay ahead
    assert payload == _expected_fields(settings, kopecks=None)


async def test_a_closed_loan_has_nothing_to_pay_and_no_qr(bank, client):
    loan_id = await linked_loan(bank, client, USER, status="closed", closed_on="2026-10-10")

    details = await _details(client, loan_id)

    assert (details["amount_due"], details["amount_due_reason"], details["qr_payload"]) == (None, None, None)


async def test_a_loan_loaded_before_the_account_was_sent_has_no_qr(bank, client, engine):
    loan_id = await linked_loan(bank, client, USER)
    async with engine.begin() as conn:
        await conn.execute(update(Loan).where(Loan.id == loan_id).values(repayment_account=None))

    details = await _details(client, loan_id)

    assert (details["account"], details["qr_payload"]) == (None, None)
    assert details["amount_due_reason"] == "overdue"  # nothing paid: still told what is due


async def test_the_account_is_stored_and_updated_by_the_bank(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    again = await bank.put("/api/v1/integration/loans/L-1", json=loan_body(repayment_account="40817810700000000002"))
    assert again.json()["changed"] is True
    assert (await _details(client, loan_id))["account"] == "40817810700000000002"

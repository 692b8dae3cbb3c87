"""The backend's cache of a loan's records (api/loans/state.py): a change through any process is seen on the next
read, since it draws the loan's records version anew in the database (no process's cache is told, as a second
worker's would not be); records read while the version moved are not kept."""

from datetime import date

from sqlalchemy import select

from api.engine import position_on
from api.loans import state
from api.models import Loan
from api.outbox.replanning import replan_loan
from tests.api.loan_helpers import DUE_BY_TODAY, linked_loan, pay_installments, seed_schedule
from tests.helpers import as_user, loan_body, put

USER = 700_000_301
TODAY = date(2026, 11, 26)


async def _summary(client, loan_id: int) -> dict:
    response = await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))
    assert response.status_code == 200, response.text
    return response.json()


async def _version(app, loan_id: int) -> int:
    async with app.state.sessionmaker() as session:
        return await session.scalar(select(Loan.records_version).where(Loan.id == loan_id))


async def test_a_payment_is_seen_by_the_next_read_after_one_was_kept(app, bank, client):
    loan_id = await linked_loan(bank, client, USER)
    payments = await pay_installments(bank, DUE_BY_TODAY - 1)
    before = await _summary(client, loan_id)
    kept_under = await _version(app, loan_id)
    assert state.RECORDS.get((loan_id, kept_under)) is not None
    assert before["overdue_since"] == "2026-11-10"

    payments += (await pay_installments(bank, DUE_BY_TODAY))[-1:]  # the bank's call: another process, as it may be
    after = await _summary(client, loan_id)
    assert await _version(app, loan_id) != kept_under
    assert state.RECORDS.get((loan_id, kept_under)) is not None  # nothing here was told: the version alone moved on
    position = position_on(seed_schedule(), payments, on_date=TODAY)
    assert after["overdue_amount"] == "0.00"
    assert after["outstanding_principal"] == f"{position.principal_outstanding:.2f}"
    assert after["interest_paid"] == f"{position.interest_paid:.2f}"


async def test_a_payment_moved_to_another_loan_leaves_the_first(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    other = (await put(bank, "loans/L-3", loan_body(contract_number="ИК-2024/000777")))["id"]
    row = seed_schedule().installments[0]
    body = {"loan_external_id": "L-1", "paid_on": row.due_date.isoformat(), "amount": f"{row.payment:.2f}"}
    await put(bank, "payments/P-1", body)
    assert (await _summary(client, loan_id))["interest_paid"] == f"{row.interest:.2f}"

    await put(bank, "payments/P-1", body | {"loan_external_id": "L-3"})
    assert (await _summary(client, loan_id))["interest_paid"] == "0.00"
    assert (await _summary(client, other))["interest_paid"] == f"{row.interest:.2f}"


async def test_records_read_while_the_version_moved_are_not_kept(app, bank, client, monkeypatch):
    loan_id = await linked_loan(bank, client, USER)
    read_under = await _version(app, loan_id)
    load_records = state.load_records

    async def replanned_meanwhile(session, loan_ids):
        records = await load_records(session, loan_ids)
        async with app.state.sessionmaker() as elsewhere:  # a payment's transaction commits between the two reads
            await replan_loan(elsewhere, loan_id)
            await elsewhere.commit()
        return records

    monkeypatch.setattr(state, "load_records", replanned_meanwhile)
    await _summary(client, loan_id)
    assert state.RECORDS.get((loan_id, read_under)) is None
    monkeypatch.undo()
    await _summary(client, loan_id)
    assert state.RECORDS.get((loan_id, await _version(app, loan_id))) is not None


async def test_the_certificates_read_the_kept_records_and_see_a_payment_at_once(app, bank, client):
    loan_id = await linked_loan(bank, client, USER)
    await pay_installments(bank, 3)
    overview = f"/api/v1/me/loans/{loan_id}/certificates/interest"
    before = (await client.get(overview, headers=as_user(USER))).json()
    assert state.RECORDS.get((loan_id, await _version(app, loan_id))) is not None  # kept by the certificate's read
    assert before["total_interest"] == _interest_of_first(3)

    await pay_installments(bank, 4)
    after = (await client.get(overview, headers=as_user(USER))).json()
    assert after["total_interest"] == _interest_of_first(4) != before["total_interest"]


def _interest_of_first(count: int) -> str:
    return f"{sum(row.interest for row in seed_schedule().installments[:count]):.2f}"

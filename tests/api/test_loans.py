"""The loans API: the list, the balance summary, the schedule as JSON and CSV; figures checked against the engine."""

import io
from datetime import date
from decimal import Decimal

import pytest

from api.engine import position_on, write_schedule_csv
from tests.api.loan_helpers import (
    DUE_BY_TODAY,
    installments_paid,
    linked_loan,
    other_borrower_loan,
    pay_installments,
    seed_schedule,
)
from tests.helpers import SEED_ACCOUNT, as_user, loan_body, put, seed_borrower

USER = 700_000_201
OTHER = 700_000_202
TODAY = date(2026, 11, 26)


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


async def test_list_flags_the_selected_loan(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    second = (await put(bank, "loans/L-3", loan_body(contract_number="ИК-2024/000777", principal="1500000.00")))["id"]
    response = await client.get("/api/v1/me/loans", headers=as_user(USER))
    assert response.status_code == 200, response.text
    assert response.json() == [
        {
            "id": loan_id,
            "contract_number": "ИК-2021/000457",
            "contract_date": "2021-03-10",
            "status": "active",
            "principal": "4000000.00",
            "selected": True,
        },
        {
            "id": second,
            "contract_number": "ИК-2024/000777",
            "contract_date": "2021-03-10",
            "status": "active",
            "principal": "1500000.00",
            "selected": False,
        },
    ]


async def test_list_shows_only_the_callers_loans(bank, client):
    await linked_loan(bank, client, USER)
    other_id = await other_borrower_loan(bank, client, OTHER)
    mine = (await client.get("/api/v1/me/loans", headers=as_user(USER))).json()
    theirs = (await client.get("/api/v1/me/loans", headers=as_user(OTHER))).json()
    assert other_id not in [loan["id"] for loan in mine]
    assert [loan["id"] for loan in theirs] == [other_id]


async def test_summary_of_a_loan_paid_to_date_matches_the_engine(client, paid_loan_id):
    loan_id = paid_loan_id
    payments = installments_paid(DUE_BY_TODAY)
    schedule = seed_schedule()
    position = position_on(schedule, payments, on_date=TODAY)

    response = await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))
    assert response.status_code == 200, response.text
    body = response.json()
    upcoming = schedule.installments[DUE_BY_TODAY]
    assert body["on_date"] == "2026-11-26"
    assert body["principal"] == "4000000.00"
    assert body["rate_percent"] == "12.5"
    assert body["term_months"] == 180
    assert body["monthly_payment"] == "49300.88"
    assert body["outstanding_principal"] == _money(position.principal_outstanding)
    assert body["outstanding_principal"] == _money(schedule.installments[DUE_BY_TODAY - 1].balance_after)
    assert body["next_payment_date"] == "2026-12-10" == upcoming.due_date.isoformat()
    assert body["next_payment_amount"] == _money(upcoming.payment)
    assert body["principal_paid"] == _money(sum(row.principal for row in schedule.installments[:DUE_BY_TODAY]))
    assert body["interest_paid"] == _money(sum(row.interest for row in schedule.installments[:DUE_BY_TODAY]))
    assert Decimal(body["percent_repaid"]) == position.percent_repaid
    assert body["installments_left"] == 180 - DUE_BY_TODAY
    assert body["last_payment_date"] == "2036-03-10"
    assert (body["overdue_amount"], body["overdue_since"], body["days_overdue"]) == ("0.00", None, 0)
    assert body["prepaid_amount"] == "0.00"
    assert body["closed"] is False
    assert body["status"] == "active"
    assert "chart" not in body  # the payoff chart is drawn from the schedule's balances
    details = body["payment_details"]
    assert (details["amount_due"], details["amount_due_reason"]) == (_money(upcoming.payment), "next_payment")
    assert details["account"] == SEED_ACCOUNT  # the rest: tests/api/test_payment_details.py


async def test_summary_states_arrears(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    await pay_installments(bank, DUE_BY_TODAY - 2)
    rows = seed_schedule().installments
    body = (await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))).json()
    assert body["overdue_amount"] == _money(rows[DUE_BY_TODAY - 2].payment + rows[DUE_BY_TODAY - 1].payment)
    assert body["overdue_since"] == "2026-10-10"
    assert body["days_overdue"] == 47
    assert body["installments_left"] == 180 - DUE_BY_TODAY + 2
    assert body["outstanding_principal"] == _money(rows[DUE_BY_TODAY - 3].balance_after)


async def test_summary_on_a_past_date_and_a_prepayment(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    await put(bank, "payments/X-1", {"loan_external_id": "L-1", "paid_on": "2021-04-05", "amount": "60000.00"})
    rows = seed_schedule().installments
    body = (await client.get(f"/api/v1/me/loans/{loan_id}/summary?on=2021-04-06", headers=as_user(USER))).json()
    assert body["on_date"] == "2021-04-06"
    assert body["principal_paid"] == "0.00"  # nothing is due yet: the money waits for the installment
    assert body["prepaid_amount"] == "60000.00"
    assert body["next_payment_date"] == "2021-04-10"
    assert body["next_payment_amount"] == "0.00"
    later = (await client.get(f"/api/v1/me/loans/{loan_id}/summary?on=2021-04-10", headers=as_user(USER))).json()
    assert later["principal_paid"] == _money(rows[0].principal)
    assert later["prepaid_amount"] == _money(Decimal("60000.00") - rows[0].payment)


async def test_summary_default_date_is_today_in_the_borrowers_time_zone(bank, client, clock):
    loan_id = await linked_loan(bank, client, USER)
    clock.advance(days=4, hours=12)  # 2026-11-30 21:00 UTC is already 1 December in Moscow
    body = (await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))).json()
    assert body["on_date"] == "2026-12-01"


async def test_summary_of_a_closed_loan(bank, client):
    loan_id = await linked_loan(bank, client, USER, status="closed", closed_on="2026-01-15")
    body = (await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))).json()
    assert body["closed"] is True
    assert body["status"] == "closed"


@pytest.mark.parametrize(
    ("on", "code"),
    [
        ("2026-02-30", "validation_error"),
        ("yesterday", "validation_error"),
        ("2026-11-26T10:30", "validation_error"),
        ("", "validation_error"),
        ("2021-03-09", "on_date_out_of_range"),
        ("1900-01-01", "on_date_out_of_range"),
        ("2037-03-11", "on_date_out_of_range"),
        ("9999-12-31", "on_date_out_of_range"),
    ],
)
async def test_summary_refuses_bad_dates(bank, client, on, code):
    loan_id = await linked_loan(bank, client, USER)
    response = await client.get(f"/api/v1/me/loans/{loan_id}/summary", params={"on": on}, headers=as_user(USER))
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code


async def test_summary_date_limits_are_inclusive(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    for on in ("2021-03-10", "2037-03-10"):
        response = await client.get(f"/api/v1/me/loans/{loan_id}/summary?on={on}", headers=as_user(USER))
        assert response.status_code == 200, response.text
    late = await client.get(f"/api/v1/me/loans/{loan_id}/summary?on=2037-03-10", headers=as_user(USER))
    assert late.json()["outstanding_principal"] == "4000000.00"  # nothing was paid
    assert late.json()["installments_left"] == 180


async def test_schedule_rows_are_the_engines(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    schedule = seed_schedule()
    response = await client.get(f"/api/v1/me/loans/{loan_id}/schedule", headers=as_user(USER))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["loan_id"] == loan_id
    assert body["total_payment"] == _money(schedule.total_payment)
    assert body["total_interest"] == _money(schedule.total_interest)
    assert len(body["rows"]) == 180
    first, last = schedule.installments[0], schedule.installments[-1]
    assert body["rows"][0] == {
        "number": 1,
        "date": "2021-04-10",
        "payment": "49300.88",
        "principal": _money(first.principal),
        "interest": _money(first.interest),
        "balance": _money(first.balance_after),
        "kind": "regular",
    }
    assert body["rows"][-1]["number"] == 180
    assert body["rows"][-1]["date"] == "2036-03-10"
    assert body["rows"][-1]["payment"] == _money(last.payment)
    assert body["rows"][-1]["balance"] == "0.00"


async def test_schedule_as_csv(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    expected = io.StringIO()
    write_schedule_csv(seed_schedule(), expected)
    response = await client.get(f"/api/v1/me/loans/{loan_id}/schedule?format=csv", headers=as_user(USER))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == f'attachment; filename="grafik-{loan_id}.csv"'
    assert response.text == expected.getvalue()
    lines = response.text.splitlines()
    assert lines[0] == "number,date,payment,principal,interest,balance,kind"
    assert lines[1].startswith("1,2021-04-10,49300.88,")
    assert len(lines) == 181


async def test_schedule_reflects_an_early_repayment_on_record(bank, client):
    loan_id = await linked_loan(bank, client, USER)
    early = {
        "loan_external_id": "L-1",
        "paid_on": "2024-05-10",
        "amount": "1000000.00",
        "kind": "early",
        "early_mode": "shorter_term",
    }
    await put(bank, "payments/E-1", early)
    rows = (await client.get(f"/api/v1/me/loans/{loan_id}/schedule", headers=as_user(USER))).json()["rows"]
    assert len(rows) < 180
    assert rows[-1]["balance"] == "0.00"
    assert {row["payment"] for row in rows[38:-1]} == {"49300.88"}  # shorter term: the payment stays


async def test_balance_is_the_summary_and_the_owed_principal_of_the_schedule_in_one_answer(client, paid_loan_id):
    loan_id = paid_loan_id
    response = await client.get(f"/api/v1/me/loans/{loan_id}/balance", headers=as_user(USER))
    assert response.status_code == 200, response.text
    summary = await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))
    schedule = await client.get(f"/api/v1/me/loans/{loan_id}/schedule", headers=as_user(USER))
    owed_after = [{"date": row["date"], "balance": row["balance"]} for row in schedule.json()["rows"]]
    assert response.json() == {"summary": summary.json(), "owed_after": owed_after}
    assert response.json()["summary"]["on_date"] == TODAY.isoformat()


@pytest.mark.parametrize("output", ["xml", "CSV", ""])
async def test_schedule_refuses_unknown_formats(bank, client, output):
    loan_id = await linked_loan(bank, client, USER)
    response = await client.get(
        f"/api/v1/me/loans/{loan_id}/schedule", params={"format": output}, headers=as_user(USER)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("suffix", ["summary", "schedule", "schedule?format=csv", "balance"])
async def test_another_borrowers_loan_is_not_found(bank, client, suffix):
    await linked_loan(bank, client, USER)
    other_id = await other_borrower_loan(bank, client, OTHER)
    theirs = await client.get(f"/api/v1/me/loans/{other_id}/{suffix}", headers=as_user(USER))
    missing = await client.get(f"/api/v1/me/loans/987654/{suffix}", headers=as_user(USER))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"error": {"code": "loan_not_found", "message": "No such loan."}}
    assert (await client.get(f"/api/v1/me/loans/{other_id}/{suffix}", headers=as_user(OTHER))).status_code == 200


@pytest.mark.parametrize("loan_id", ["abc", "0", "-3", "1.5", str(2**63)])
async def test_bad_loan_ids_are_422(bank, client, loan_id):
    await linked_loan(bank, client, USER)
    response = await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("suffix", ["", "/1/summary", "/1/schedule"])
async def test_tokens_and_linking_are_checked(bank, client, anonymous, suffix):
    await seed_borrower(bank)
    path = f"/api/v1/me/loans{suffix}"
    assert (await anonymous.get(path, headers=as_user(USER))).status_code == 401
    assert (await bank.get(path, headers=as_user(USER))).status_code == 401
    unlinked = await client.get(path, headers=as_user(USER))
    assert unlinked.status_code == 403
    assert unlinked.json()["error"]["code"] == "not_linked"


async def test_a_borrower_with_two_loans_reaches_both(bank, client):
    first = await linked_loan(bank, client, USER)
    second = (await put(bank, "loans/L-3", loan_body(contract_number="ИК-2024/000777", principal="1500000.00")))["id"]
    for loan_id, principal in ((first, "4000000.00"), (second, "1500000.00")):
        response = await client.get(f"/api/v1/me/loans/{loan_id}/summary", headers=as_user(USER))
        assert response.status_code == 200, response.text
        assert response.json()["principal"] == principal

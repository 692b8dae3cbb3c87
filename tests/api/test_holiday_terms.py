"""The terms of a payment-holiday application: what the bot's wizard asks within, the same the pre-check judges by."""

from datetime import UTC, date, datetime

import pytest

from tests.helpers import as_user, link, seed_borrower

USER = 700_000_401
OTHER_USER = 700_000_402
LIMIT = 4096
BODY = {
    "reason": "income_drop",
    "income_before": "100000.00",
    "income_after": "60000.00",
    "months": 3,
    "mode": "full",
}


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"max_upload_bytes": LIMIT})


async def _linked(bank, client, **loan) -> int:
    loan_id = await seed_borrower(bank, **loan)
    assert (await link(client, USER)).status_code == 200
    return loan_id


def _terms(client, loan_id: int, user: int = USER):
    return client.get(f"/api/v1/me/loans/{loan_id}/holidays/terms", headers=as_user(user))


def _start_rule(client, loan_id: int, start: date):
    return client.post(
        f"/api/v1/me/loans/{loan_id}/holidays/precheck",
        json=BODY | {"start_date": start.isoformat()},
        headers=as_user(USER),
    )


async def test_the_terms_of_the_seed_loan_today(client, bank):
    loan_id = await _linked(bank, client)
    response = await _terms(client, loan_id)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "contract_number": "ИК-2021/000457",
        "contract_date": "2021-03-10",
        "on_date": "2026-11-26",
        "monthly_payment": "49300.88",
        "earliest_start": "2026-09-26",
        "latest_start": "2026-12-26",
        "min_months": 1,
        "max_months": 6,
        "reasons": ["job_loss", "income_drop", "sick_leave", "disability", "new_dependant", "other"],
        "modes": ["full", "reduced"],
        "max_income": "100000000.00",
        "max_files": 5,
        "max_file_bytes": LIMIT,
    }


async def test_the_terms_are_the_ones_the_precheck_judges_by(client, bank):
    loan_id = await _linked(bank, client)
    terms = (await _terms(client, loan_id)).json()
    earliest, latest = date.fromisoformat(terms["earliest_start"]), date.fromisoformat(terms["latest_start"])
    outcomes = {}
    for start in (
        earliest,
        latest,
        date.fromordinal(earliest.toordinal() - 1),
        date.fromordinal(latest.toordinal() + 1),
    ):
        body = (await _start_rule(client, loan_id, start)).json()
        outcomes[start] = next(rule["outcome"] for rule in body["rules"] if rule["code"] == "start_date")
        assert body["monthly_payment"] == terms["monthly_payment"]
    assert list(outcomes.values()) == ["start_ok", "start_ok", "too_far_back", "too_far_ahead"]


async def test_today_is_the_borrowers_day_not_the_servers(client, bank, clock):
    """At 22:30 UTC on 25 November it is already 26 November in Moscow, the borrower's zone."""
    loan_id = await _linked(bank, client)
    clock.now = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)
    assert (await _terms(client, loan_id)).json()["on_date"] == "2026-11-26"
    changed = await client.patch("/api/v1/me/settings", json={"time_zone": "America/New_York"}, headers=as_user(USER))
    assert changed.status_code == 200, changed.text
    terms = (await _terms(client, loan_id)).json()
    assert (terms["on_date"], terms["earliest_start"], terms["latest_start"]) == (
        "2026-11-25",
        "2026-09-25",
        "2026-12-25",
    )


async def test_a_closed_loan_has_no_terms(client, bank):
    loan_id = await _linked(bank, client, status="closed", closed_on="2026-10-10")
    response = await _terms(client, loan_id)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "loan_closed")


async def test_terms_are_the_callers_own(client, bank, anonymous):
    loan_id = await _linked(bank, client)
    assert (await _terms(client, 999999)).json()["error"]["code"] == "loan_not_found"
    assert (await _terms(client, loan_id, OTHER_USER)).json()["error"]["code"] == "not_linked"
    path = f"/api/v1/me/loans/{loan_id}/holidays/terms"
    assert (await anonymous.get(path, headers=as_user(USER))).status_code == 401


async def test_the_general_terms(client, anonymous):
    response = await client.get("/api/v1/terms")
    assert response.status_code == 200, response.text
    assert response.json() == {"max_text": 2000, "max_file_bytes": LIMIT}
    assert (await anonymous.get("/api/v1/terms")).status_code == 401

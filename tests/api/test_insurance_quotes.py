"""A renewal quote reaches someone: the staff queue, the partner's price answered once and audited, the borrower told
through the outbox, and only then the choice to pay at once or later, honest about the date a later payment is due."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from api.models import AuditEntry, NotificationKind, StaffRole
from tests.api.outbox_helpers import OPERATOR_TOKEN, add_staff, client_with, linked_borrower, outbox, session_of
from tests.helpers import as_user, put

USER = 700_500_001
OTHER_USER = 700_500_002
STAFF = "/api/v1/staff/insurance-quotes"
PRICE = {"insurer": "СК Надёжная", "premium": "12345.67", "valid_until": "2026-12-20"}


@pytest.fixture
async def operator(app, engine):
    await add_staff(engine, StaffRole.OPERATOR, OPERATOR_TOKEN)
    async with client_with(app, OPERATOR_TOKEN) as staff:
        yield staff


@pytest.fixture
async def borrower(bank, client, engine) -> tuple[int, int]:
    """The seed borrower with a property policy ending on 2026-12-15 and life cover ending in 2027."""
    ids = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    for kind, ends in (("property", "2026-12-15"), ("life", "2027-06-01")):
        body = {
            "loan_external_id": "L-1",
            "kind": kind,
            "insurer": "СК Прежняя",
            "policy_number": f"POL-{kind}",
            "starts_on": "2025-12-15",
            "expires_on": ends,
        }
        await put(bank, f"policies/POL-{kind}", body)
    return ids


async def ask(client, loan_id: int, kind: str = "property", user: int = USER) -> dict:
    response = await client.post(
        f"/api/v1/me/loans/{loan_id}/insurance/quote-requests", json={"kind": kind}, headers=as_user(user)
    )
    assert response.status_code == 201, response.text
    return response.json()


def choose(client, loan_id: int, quote_id: int, *, later: bool, user: int = USER):
    return client.post(
        f"/api/v1/me/loans/{loan_id}/insurance/quote-requests/{quote_id}/choice",
        json={"pay_later": later},
        headers=as_user(user),
    )


async def test_a_request_is_queued_priced_once_audited_and_told(client, operator, engine, borrower):
    borrower_id, loan_id = borrower
    quote = await ask(client, loan_id)
    queue = (await operator.get(STAFF)).json()
    assert queue["total"] == 1
    [item] = queue["items"]
    assert (item["id"], item["borrower_id"], item["borrower_first_name"], item["kind"], item["status"]) == (
        quote["id"],
        borrower_id,
        "Иван",
        "property",
        "requested",
    )
    assert (await choose(client, loan_id, quote["id"], later=True)).json()["error"]["code"] == "quote_not_priced"

    answered = await operator.post(f"{STAFF}/{quote['id']}/answer", json=PRICE)
    assert answered.status_code == 200, answered.text
    result = answered.json()
    assert (result["status"], result["insurer"], result["premium"], result["valid_until"]) == (
        "sent",
        "СК Надёжная",
        "12345.67",
        "2026-12-20",
    )
    assert (await operator.get(STAFF)).json()["total"] == 0
    again = await operator.post(f"{STAFF}/{quote['id']}/answer", json=PRICE | {"premium": "1.00"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_decided")

    [notice] = await outbox(engine, kind=NotificationKind.INSURANCE_QUOTE_READY)
    assert notice.id == result["notification_id"]
    assert notice.payload == {
        "quote_id": quote["id"],
        "loan_id": loan_id,
        "policy_kind": "property",
        "mandatory": True,
        "insurer": "СК Надёжная",
        "premium": "12345.67",
        "valid_until": "2026-12-20",
        "pay_by": "2026-12-15",  # the current policy ends before the price lapses
    }
    assert result["pay_by"] == "2026-12-15"
    async with session_of(engine) as session:
        actions = (await session.scalars(select(AuditEntry.action).where(AuditEntry.actor.like("staff:%")))).all()
    assert actions == ["price_quote"]
    overview = (await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(USER))).json()
    assert [(q["status"], q["premium"], q["pay_later"]) for q in overview["open_quote_requests"]] == [
        ("sent", "12345.67", None)
    ]


async def test_two_answers_at_the_same_moment_price_it_once(client, operator, engine, borrower):
    _, loan_id = borrower
    quote = await ask(client, loan_id, "life")
    responses = await asyncio.gather(
        operator.post(f"{STAFF}/{quote['id']}/answer", json=PRICE),
        operator.post(f"{STAFF}/{quote['id']}/answer", json=PRICE | {"insurer": "СК Другая"}),
    )
    assert sorted(response.status_code for response in responses) == [200, 409]
    [notice] = await outbox(engine, kind=NotificationKind.INSURANCE_QUOTE_READY)
    winner = next(response.json() for response in responses if response.status_code == 200)
    assert notice.payload["insurer"] == winner["insurer"]
    assert notice.payload["pay_by"] == "2026-12-20"  # the life cover runs into 2027: the price's last day


async def test_the_choice_is_recorded_once_while_the_price_holds(client, operator, clock, borrower):
    _, loan_id = borrower
    quote = await ask(client, loan_id)
    await operator.post(f"{STAFF}/{quote['id']}/answer", json=PRICE)
    chosen = await choose(client, loan_id, quote["id"], later=True)
    assert chosen.status_code == 200, chosen.text
    assert (chosen.json()["pay_later"], chosen.json()["chosen_at"][:10]) == (True, "2026-11-26")
    assert (await choose(client, loan_id, quote["id"], later=True)).json() == chosen.json()  # a double tap
    other_way = await choose(client, loan_id, quote["id"], later=False)
    assert (other_way.status_code, other_way.json()["error"]["code"]) == (409, "quote_already_chosen")
    priced = (await operator.get(STAFF, params={"status": "sent"})).json()["items"]
    assert [(item["id"], item["pay_later"]) for item in priced] == [(quote["id"], True)]

    clock.now = datetime(2026, 12, 21, 9, 0, tzinfo=UTC)  # the price has lapsed
    second = await ask(client, loan_id, "life")
    await operator.post(f"{STAFF}/{second['id']}/answer", json=PRICE | {"valid_until": "2026-12-21"})
    clock.now = datetime(2026, 12, 22, 9, 0, tzinfo=UTC)
    expired = await choose(client, loan_id, second["id"], later=False)
    assert (expired.status_code, expired.json()["error"]["code"]) == (409, "quote_expired")
    overview = (await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(USER))).json()
    assert overview["open_quote_requests"] == []


async def test_another_borrowers_quote_is_404_like_a_missing_one(client, bank, operator, borrower, other_loan_id):
    _, loan_id = borrower
    theirs = await ask(client, other_loan_id, user=OTHER_USER)
    await operator.post(f"{STAFF}/{theirs['id']}/answer", json=PRICE)
    for target_loan, quote_id in ((other_loan_id, theirs["id"]), (loan_id, theirs["id"]), (loan_id, 999_999)):
        response = await choose(client, target_loan, quote_id, later=True)
        assert response.status_code == 404, (target_loan, quote_id)
    assert (await operator.post(f"{STAFF}/999999/answer", json=PRICE)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"premium": "-1.00"}, "premium"),
        ({"premium": "0"}, "premium"),
        ({"premium": "12.345"}, "premium"),
        ({"premium": "NaN"}, "premium"),
        ({"premium": "99999999999.00"}, "premium"),
        ({"insurer": ""}, "insurer"),
        ({"insurer": "СК\x00Ночная"}, "insurer"),
        ({"insurer": "x" * 201}, "insurer"),
        ({"valid_until": "20.12.2026"}, "valid_until"),
    ],
)
async def test_bad_answers_are_422(client, operator, borrower, body, field):
    quote = await ask(client, borrower[1])
    response = await operator.post(f"{STAFF}/{quote['id']}/answer", json=PRICE | body)
    assert response.status_code == 422, response.text
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"])


@pytest.mark.parametrize("valid_until", ["2026-11-25", "2027-12-01"])
async def test_a_price_holds_from_today_to_a_year_ahead(client, operator, engine, borrower, valid_until):
    quote = await ask(client, borrower[1])
    response = await operator.post(f"{STAFF}/{quote['id']}/answer", json=PRICE | {"valid_until": valid_until})
    assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid_valid_until")
    assert await outbox(engine, kind=NotificationKind.INSURANCE_QUOTE_READY) == []


async def test_the_staff_api_needs_a_staff_token(client, anonymous, borrower):
    quote = await ask(client, borrower[1])
    for caller in (client, anonymous):
        assert (await caller.get(STAFF)).status_code == 401
        assert (await caller.post(f"{STAFF}/{quote['id']}/answer", json=PRICE)).status_code == 401

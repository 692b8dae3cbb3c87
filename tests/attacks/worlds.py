"""Two borrowers, A and B, each linked to a chat of their own and holding one of every record a borrower route
names by id (a loan, a certificate, a payment-holiday application, a support case, an insurance quote request): built
through the API as the bot and the bank's systems would, once a process, then loaded (tests/resets.py)."""

from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests import resets
from tests.api.test_holidays import BODY as HOLIDAY
from tests.helpers import as_user, borrower_body, link, loan_body, put

USER_A = 701_000_001
USER_B = 701_000_002
#: What of B's could leak in a body: their names, phone, contract number, principal and policy number.
B_MARKERS = ("Секретова", "Ольга", "+79160007777", "9160007777", "ИК-2022/000888", "000888", "3333333", "POL-B")

_PEOPLE = {
    USER_A: {"ext": "A", "phone": "+79160006666", "contract": "ИК-2021/000666", "principal": "4000000.00"},
    USER_B: {
        "ext": "B",
        "phone": "+79160007777",
        "contract": "ИК-2022/000888",
        "principal": "3333333.00",
        "last_name": "Секретова",
        "first_name": "Ольга",
    },
}
CASE = {"reason": "requested", "summary": "Хочу поговорить с человеком", "recent_steps": ["menu"], "details": {}}


@dataclass(frozen=True)
class Records:
    """One borrower's chat and the ids of their records, by the name a route's path parameter gives each."""

    user: int
    ids: dict[str, int]


async def _created(response: httpx.Response) -> int:
    assert response.status_code in (200, 201), response.text
    return response.json()["id"]


async def _build_one(bank: httpx.AsyncClient, client: httpx.AsyncClient, user: int) -> Records:
    person = _PEOPLE[user]
    ext, contract = person["ext"], person["contract"]
    names = {key: person[key] for key in ("last_name", "first_name") if key in person}
    await put(bank, f"borrowers/B-{ext}", borrower_body(phone=person["phone"], **names))
    loan = await put(
        bank, f"loans/L-{ext}", loan_body(f"B-{ext}", contract_number=contract, principal=person["principal"])
    )
    policy = {
        "loan_external_id": f"L-{ext}",
        "kind": "property",
        "insurer": "СК «Пример»",
        "policy_number": f"POL-{ext}",
        "starts_on": "2025-12-15",
        "expires_on": "2026-12-15",
    }
    await put(bank, f"policies/POL-{ext}", policy)
    assert (await link(client, user, phone=person["phone"], factor=contract[-4:])).status_code == 200
    me, loans = as_user(user), f"/api/v1/me/loans/{loan['id']}"
    keyed = {**me, "Idempotency-Key": f"attack-{user}"}
    ids = {
        "loan_id": loan["id"],
        "certificate_id": await _created(
            await client.post(f"{loans}/certificates", json={"kind": "outstanding_debt"}, headers=keyed)
        ),
        "holiday_id": await _created(await client.post(f"{loans}/holidays", json=HOLIDAY, headers=keyed)),
        "case_id": await _created(await client.post("/api/v1/me/support-cases", json=CASE, headers=me)),
        "quote_id": await _created(
            await client.post(f"{loans}/insurance/quote-requests", json={"kind": "property"}, headers=me)
        ),
    }
    return Records(user, ids)


async def two_borrowers(
    bank: httpx.AsyncClient, client: httpx.AsyncClient, engine: AsyncEngine, clock
) -> tuple[Records, Records]:
    """(A, B), each with one record of every kind."""

    async def build() -> tuple[Records, Records]:
        return await _build_one(bank, client, USER_A), await _build_one(bank, client, USER_B)

    return await resets.built(engine, ("attack_worlds", clock.now), build)

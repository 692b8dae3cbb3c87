"""The create-requests the bot repeats after a lost answer take its `Idempotency-Key` as the others do: a policy or a
holiday's proof uploaded, a request for a person (a borrower's or an unlinked chat's), a renewal quote asked for. The
same request again under the key answers with what the first stored (200) and stores nothing again, even after the
stored row moved on; another request under it is 409 `idempotency_key_reused`; a malformed key is a 422."""

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import (
    CaseRequest,
    CaseStatus,
    Document,
    HolidayApplication,
    HolidayStatus,
    InsuranceQuoteRequest,
    QuoteStatus,
    ReviewStatus,
    SupportCase,
)
from tests.api.test_holidays import BODY as HOLIDAY
from tests.helpers import as_user
from tests.samples import PNG, pdf

USER = 700_001_901
OTHER_USER = 700_001_902
GUEST = 700_001_999  # a chat linked to no borrower
KEY = "press-2026-0001"
FILE = pdf("keyed file")


def _keyed(key: str = KEY, user: int = USER) -> dict[str, str]:
    return as_user(user) | {"Idempotency-Key": key}


async def _count(engine, model) -> int:
    async with AsyncSession(engine) as session:
        return await session.scalar(select(func.count()).select_from(model))


async def _set(engine, model, row_id: int, **values) -> None:
    async with AsyncSession(engine) as session:
        await session.execute(update(model).where(model.id == row_id).values(**values))
        await session.commit()


# ---- uploads: a policy, a holiday's proof ----


async def _policy_route(client, loan_id: int) -> tuple[str, dict, None]:
    return f"/api/v1/me/loans/{loan_id}/insurance/documents", {"policy_kind": "property"}, None


async def _proof_route(client, loan_id: int) -> tuple[str, dict, int]:
    applied = await client.post(f"/api/v1/me/loans/{loan_id}/holidays", json=HOLIDAY, headers=_keyed("holiday-0001"))
    assert applied.status_code == 201, applied.text
    holiday_id = applied.json()["id"]
    return f"/api/v1/me/holidays/{holiday_id}/documents", {}, holiday_id


def _upload(client, path: str, data: dict, content: bytes = FILE, headers: dict | None = None):
    named = ("file.pdf", "application/pdf") if content.startswith(b"%PDF") else ("file.png", "image/png")
    files = {"file": (named[0], content, named[1])}
    return client.post(path, files=files, data=data, headers=headers or _keyed())


@pytest.mark.parametrize("route", [_policy_route, _proof_route], ids=["policy", "proof"])
async def test_an_upload_repeated_with_its_key_returns_the_stored_document(client, engine, loan_id, route):
    path, data, holiday_id = await route(client, loan_id)
    first = await _upload(client, path, data)
    assert first.status_code == 201, first.text
    document_id = first.json()["id"]
    await _set(engine, Document, document_id, status=ReviewStatus.REJECTED)  # decided: no longer waiting
    if holiday_id is not None:
        await _set(engine, HolidayApplication, holiday_id, status=HolidayStatus.APPROVED)
    again = await _upload(client, path, data)
    assert again.status_code == 200, again.text
    assert again.json() | {"status": "submitted"} == first.json() | {"status": "submitted"}
    other = await _upload(client, path, data, PNG)
    assert other.status_code == 409
    assert other.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different upload.",
        "document_id": document_id,
    }
    assert await _count(engine, Document) == 1


async def test_an_upload_key_names_its_purpose_too(client, engine, loan_id):
    path, data, _ = await _policy_route(client, loan_id)
    assert (await _upload(client, path, data)).status_code == 201
    life = await _upload(client, path, {"policy_kind": "life"})
    proof_path, _, _ = await _proof_route(client, loan_id)
    proof = await _upload(client, proof_path, {})
    assert [r.json()["error"]["code"] for r in (life, proof)] == ["idempotency_key_reused"] * 2
    assert (await _upload(client, path, {"policy_kind": "life"}, headers=_keyed("press-2026-0002"))).status_code == 201
    assert await _count(engine, Document) == 2


async def test_keys_are_the_borrowers_own(client, engine, loan_id, other_loan_id):
    """Another borrower's key of the same spelling is another key: each stores its own."""
    mine = await _upload(client, *(await _policy_route(client, loan_id))[:2])
    theirs = await _upload(client, *(await _policy_route(client, other_loan_id))[:2], headers=_keyed(user=OTHER_USER))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


# ---- renewal quotes ----


def _quote(client, loan_id: int, kind: str = "life", headers: dict | None = None):
    return client.post(
        f"/api/v1/me/loans/{loan_id}/insurance/quote-requests", json={"kind": kind}, headers=headers or _keyed()
    )


async def test_a_quote_request_repeated_with_its_key_returns_the_stored_one(client, engine, loan_id):
    first = await _quote(client, loan_id)
    assert first.status_code == 201, first.text
    quote_id = first.json()["id"]
    await _set(engine, InsuranceQuoteRequest, quote_id, status=QuoteStatus.CANCELLED)  # no longer open
    again = await _quote(client, loan_id)
    assert again.status_code == 200
    assert again.json() == first.json() | {"status": "cancelled"}
    other = await _quote(client, loan_id, "property")
    assert other.status_code == 409
    assert other.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different quote request.",
        "quote_id": quote_id,
    }
    assert await _count(engine, InsuranceQuoteRequest) == 1
    assert (await _quote(client, loan_id, headers=as_user(USER))).status_code == 201  # no key: a new request


# ---- requests for a person ----

CASES = "/api/v1/me/support-cases"
UNLINKED = "/api/v1/unlinked/support-cases"
GUEST_BODY = {"telegram_user_id": GUEST, "telegram_name": "Гость", "language": "ru"}


async def _case(engine) -> SupportCase:
    async with AsyncSession(engine) as session:
        (case,) = (await session.scalars(select(SupportCase))).all()
    return case


@pytest.mark.parametrize(("path", "body"), [(CASES, {}), (UNLINKED, GUEST_BODY)], ids=["borrower", "unlinked"])
async def test_a_request_for_a_person_repeated_with_its_key_adds_nothing(client, engine, loan_id, path, body):
    opening = body | {"reason": "requested", "summary": "Первый вопрос", "recent_steps": ["menu"]}
    first = await client.post(path, json=opening, headers=_keyed("open-0001"))
    assert (first.status_code, first.json()["reopened"]) == (201, False)
    joining = body | {"reason": "complaint", "summary": "Второй вопрос", "recent_steps": ["balance"]}
    joined = await client.post(path, json=joining, headers=_keyed())
    assert (joined.status_code, joined.json()["reopened"]) == (200, True)
    # the retry after a lost answer: the chat's steps grew by the failed attempt, the request is the same
    retried = joining | {"recent_steps": ["balance", "complaint"]}
    again = await client.post(path, json=retried, headers=_keyed())
    reopening = await client.post(path, json=opening, headers=_keyed("open-0001"))
    assert (again.status_code, again.json()) == (200, joined.json())
    assert (reopening.status_code, reopening.json()["reopened"]) == (200, False), "answered unlike the first time"
    case = await _case(engine)
    assert case.summary == "Первый вопрос\n\nВторой вопрос"
    assert case.recent_steps == ["menu", "balance"]
    assert case.reasons == ["requested", "complaint"]
    other = await client.post(path, json=joining | {"summary": "Третий вопрос"}, headers=_keyed())
    assert other.status_code == 409
    assert other.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different request for a person.",
        "case_id": case.id,
    }
    assert await _count(engine, CaseRequest) == 2


async def test_a_request_repeated_after_its_case_closed_opens_no_other(client, engine, loan_id):
    first = await client.post(CASES, json={"reason": "requested", "summary": "Вопрос"}, headers=_keyed())
    await _set(engine, SupportCase, first.json()["id"], status=CaseStatus.CLOSED)
    again = await client.post(CASES, json={"reason": "requested", "summary": "Вопрос"}, headers=_keyed())
    assert (again.status_code, again.json()["id"], again.json()["status"]) == (200, first.json()["id"], "closed")
    assert again.json()["expected_response"] is None
    assert await _count(engine, SupportCase) == 1


# ---- the key itself ----


@pytest.mark.parametrize("key", ["short", "has space!", "x" * 65])
async def test_a_malformed_key_is_422_and_stores_nothing(client, engine, loan_id, key):
    path, data, _ = await _policy_route(client, loan_id)
    answers = [
        await _upload(client, path, data, headers=_keyed(key)),
        await _quote(client, loan_id, headers=_keyed(key)),
        await client.post(CASES, json={"reason": "requested"}, headers=_keyed(key)),
        await client.post(UNLINKED, json=GUEST_BODY, headers=_keyed(key)),
    ]
    for answer in answers:
        assert answer.status_code == 422
        assert any(f["field"] == "header.Idempotency-Key" for f in answer.json()["error"]["fields"])
    for model in (Document, InsuranceQuoteRequest, SupportCase):
        assert await _count(engine, model) == 0

"""Repeats under contention, on both databases with real concurrent requests: twenty identical requests at once
store what the API promises, once: a signed certificate request queued once, the same file stored once (with or
without one idempotency key), a quote request under one key stored once, all twenty answers naming the stored row;
twenty requests for a person share one case that keeps every one's words, and twenty under one key add them once."""

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import CaseRequest, CertificateRequest, Document, InsuranceQuoteRequest, SupportCase
from tests.api.test_holidays import BODY
from tests.helpers import as_user
from tests.samples import pdf

USER = 700_009_701
AT_ONCE = 20


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "schedule"},
        {"kind": "interest_paid", "year": 2022},
        {"kind": "outstanding_debt", "on_date": "2024-05-01"},
    ],
    ids=["neither", "year", "date"],
)
async def test_signed_certificate_requests_at_once_queue_one(client, engine, paid_loan_id, body):
    loan_id = paid_loan_id
    path = f"/api/v1/me/loans/{loan_id}/certificates"
    answers = await asyncio.gather(
        *(client.post(path, json=body | {"signed": True}, headers=as_user(USER)) for _ in range(AT_ONCE))
    )
    assert sorted(a.status_code for a in answers) == [200] * (AT_ONCE - 1) + [201], [a.text for a in answers]
    async with AsyncSession(engine) as session:
        (stored,) = (await session.scalars(select(CertificateRequest))).all()
    assert {a.json()["id"] for a in answers} == {stored.id}


async def test_ready_certificate_requests_at_once_with_one_key_store_one(client, engine, loan_id):
    headers = as_user(USER) | {"Idempotency-Key": "one-press-0001"}
    path = f"/api/v1/me/loans/{loan_id}/certificates"
    answers = await asyncio.gather(
        *(client.post(path, json={"kind": "schedule"}, headers=headers) for _ in range(AT_ONCE))
    )
    assert sorted(a.status_code for a in answers) == [200] * (AT_ONCE - 1) + [201], [a.text for a in answers]
    async with AsyncSession(engine) as session:
        (stored,) = (await session.scalars(select(CertificateRequest))).all()
    assert {a.json()["id"] for a in answers} == {stored.id}


HOLIDAY = {field: value for field, value in BODY.items() if field != "comment"}  # the holiday tests' application


async def _policy_path(client, loan_id: int) -> tuple[str, dict]:
    return f"/api/v1/me/loans/{loan_id}/insurance/documents", {"policy_kind": "property"}


async def _proof_path(client, loan_id: int) -> tuple[str, dict]:
    headers = as_user(USER) | {"Idempotency-Key": "race-holiday-0001"}
    application = await client.post(f"/api/v1/me/loans/{loan_id}/holidays", json=HOLIDAY, headers=headers)
    assert application.status_code == 201, application.text
    return f"/api/v1/me/holidays/{application.json()['id']}/documents", {}


@pytest.mark.parametrize("key", [None, "one-upload-0001"], ids=["no key", "one key"])
@pytest.mark.parametrize("route", [_policy_path, _proof_path], ids=["policy", "proof"])
async def test_the_same_file_uploaded_at_once_is_stored_once(client, engine, loan_id, route, key):
    path, data = await route(client, loan_id)
    content = pdf("the same file")
    headers = as_user(USER) | ({"Idempotency-Key": key} if key else {})
    answers = await asyncio.gather(
        *(
            client.post(path, files={"file": ("f.pdf", content, "application/pdf")}, data=data, headers=headers)
            for _ in range(AT_ONCE)
        )
    )
    assert sorted(a.status_code for a in answers) == [200] * (AT_ONCE - 1) + [201], [a.text for a in answers]
    async with AsyncSession(engine) as session:
        (stored,) = (await session.scalars(select(Document))).all()
    assert {a.json()["id"] for a in answers} == {stored.id}


#: A request for a person from a linked chat and from an unlinked one: each route and its body.
CASE_ROUTES = [
    ("/api/v1/me/support-cases", {}),
    ("/api/v1/unlinked/support-cases", {"telegram_user_id": 700_009_799, "telegram_name": "Гость", "language": "ru"}),
]


@pytest.mark.parametrize(
    ("path", "body"),
    CASE_ROUTES,
    ids=["borrower", "unlinked"],
)
async def test_requests_for_a_person_at_once_keep_every_summary(client, engine, loan_id, path, body):
    summaries = [f"Вопрос {n}." for n in range(AT_ONCE)]
    answers = await asyncio.gather(
        *(
            client.post(path, json=body | {"reason": "requested", "summary": summary}, headers=as_user(USER))
            for summary in summaries
        )
    )
    assert sorted(a.status_code for a in answers) == [200] * (AT_ONCE - 1) + [201], [a.text for a in answers]
    async with AsyncSession(engine) as session:
        (case,) = (await session.scalars(select(SupportCase))).all()
    assert {a.json()["id"] for a in answers} == {case.id}
    assert sorted(case.summary.split("\n\n")) == sorted(summaries)


async def test_quote_requests_at_once_with_one_key_store_one(client, engine, loan_id):
    headers = as_user(USER) | {"Idempotency-Key": "one-quote-0001"}
    path = f"/api/v1/me/loans/{loan_id}/insurance/quote-requests"
    answers = await asyncio.gather(*(client.post(path, json={"kind": "life"}, headers=headers) for _ in range(AT_ONCE)))
    assert sorted(a.status_code for a in answers) == [200] * (AT_ONCE - 1) + [201], [a.text for a in answers]
    async with AsyncSession(engine) as session:
        (stored,) = (await session.scalars(select(InsuranceQuoteRequest))).all()
    assert {a.json()["id"] for a in answers} == {stored.id}
    assert stored.idempotency_key == "one-quote-0001"


@pytest.mark.parametrize("open_before", [False, True], ids=["opening", "joining"])
@pytest.mark.parametrize(
    ("path", "body"),
    CASE_ROUTES,
    ids=["borrower", "unlinked"],
)
async def test_requests_for_a_person_at_once_with_one_key_add_their_words_once(
    client, engine, loan_id, path, body, open_before
):
    if open_before:
        first = await client.post(path, json=body | {"reason": "requested", "summary": "Раньше"}, headers=as_user(USER))
        assert first.status_code == 201, first.text
    headers = as_user(USER) | {"Idempotency-Key": "one-person-0001"}
    request = body | {"reason": "complaint", "summary": "Жалоба", "recent_steps": ["menu", "balance"]}
    answers = await asyncio.gather(*(client.post(path, json=request, headers=headers) for _ in range(AT_ONCE)))
    statuses = [200] * AT_ONCE if open_before else [200] * (AT_ONCE - 1) + [201]
    assert sorted(a.status_code for a in answers) == statuses, [a.text for a in answers]
    assert [a.json()["reopened"] for a in answers] == [open_before] * AT_ONCE, "a repeat answered unlike the first"
    async with AsyncSession(engine) as session:
        (case,) = (await session.scalars(select(SupportCase))).all()
        (noted,) = (await session.scalars(select(CaseRequest))).all()
    assert {a.json()["id"] for a in answers} == {case.id} == {noted.case_id}
    assert case.recent_steps == ["menu", "balance"], "the steps were appended more than once"
    assert case.summary == ("Раньше\n\nЖалоба" if open_before else "Жалоба")

"""Repeats under contention, on both databases with real concurrent requests: twenty identical requests at once
store what the API promises, once (a signed certificate request queued once, all twenty answers naming it)."""

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import CertificateRequest
from tests.api.loan_helpers import DUE_BY_TODAY, linked_loan, pay_installments
from tests.helpers import as_user

USER = 700_009_701
AT_ONCE = 20


@pytest.fixture
async def loan_id(bank, client) -> int:
    return await linked_loan(bank, client, USER)


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "schedule"},
        {"kind": "interest_paid", "year": 2022},
        {"kind": "outstanding_debt", "on_date": "2024-05-01"},
    ],
    ids=["neither", "year", "date"],
)
async def test_signed_certificate_requests_at_once_queue_one(bank, client, engine, loan_id, body):
    await pay_installments(bank, DUE_BY_TODAY)
    path = f"/api/v1/me/loans/{loan_id}/certificates"
    answers = await asyncio.gather(
        *(client.post(path, json=body | {"signed": True}, headers=as_user(USER)) for _ in range(AT_ONCE))
    )
    assert sorted(a.status_code for a in answers) == [200] * (AT_ONCE - 1) + [201], [a.text for a in answers]
    async with AsyncSession(engine) as session:
        (stored,) = (await session.scalars(select(CertificateRequest))).all()
    assert {a.json()["id"] for a in answers} == {stored.id}

"""Feedback: ratings of the borrower's own records, a person offered on a low score, surveys at most weekly."""

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import Borrower, CertificateKind, CertificateRequest, CertificateStatus, Feedback, Loan
from tests.helpers import as_user

USER = 700_000_501
OTHER_USER = 700_000_502
HOLIDAY = {
    "reason": "job_loss",
    "income_before": "90000.00",
    "income_after": "0.00",
    "months": 2,
    "mode": "full",
    "start_date": "2026-12-10",
}


def _rate(client, body: dict, user: int = USER):
    return client.post("/api/v1/me/feedback", json=body, headers=as_user(user))


async def _holiday(client, loan_id: int, user: int) -> int:
    response = await client.post(
        f"/api/v1/me/loans/{loan_id}/holidays",
        json=HOLIDAY,
        headers=as_user(user) | {"Idempotency-Key": f"holiday-{user}"},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _certificate(engine, loan_id: int) -> int:
    async with AsyncSession(engine) as session:
        borrower_id = await session.scalar(select(Loan.borrower_id).where(Loan.id == loan_id))
        request = CertificateRequest(
            borrower_id=borrower_id,
            loan_id=loan_id,
            kind=CertificateKind.OUTSTANDING_DEBT,
            status=CertificateStatus.READY,
        )
        session.add(request)
        await session.flush()
        request_id = request.id
        await session.commit()
        return request_id


@pytest.mark.parametrize(("score", "offer"), [(1, True), (2, True), (3, False), (5, False)])
async def test_low_scores_offer_a_person(client, loan_id, engine, score, offer):
    response = await _rate(client, {"subject": "general", "score": score, "comment": "Спасибо"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body | {"id": 0} == {
        "id": 0,
        "subject": "general",
        "subject_id": None,
        "score": score,
        "comment": "Спасибо",
        "created_at": "2026-11-26T09:00:00Z",
        "offer_person": offer,
    }
    async with AsyncSession(engine) as session:
        (row,) = (await session.scalars(select(Feedback))).all()
    assert (row.id, row.score, row.comment) == (body["id"], score, "Спасибо")


async def test_a_rating_repeated_with_its_key_is_stored_once(client, loan_id, engine):
    headers = as_user(USER) | {"Idempotency-Key": "rating-0001"}
    body = {"subject": "general", "score": 4, "comment": "Удобно"}
    answers = await asyncio.gather(*(client.post("/api/v1/me/feedback", json=body, headers=headers) for _ in range(20)))
    assert sorted(a.status_code for a in answers) == [200] * 19 + [201], [a.text for a in answers]
    again = await client.post("/api/v1/me/feedback", json=body | {"score": 5}, headers=headers)
    assert again.status_code == 409
    async with AsyncSession(engine) as session:
        (stored,) = (await session.scalars(select(Feedback))).all()
    assert {a.json()["id"] for a in answers} == {stored.id}
    assert again.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different rating.",
        "feedback_id": stored.id,
    }
    assert (await _rate(client, body)).json()["id"] != stored.id  # no key: another rating


async def test_rating_the_borrowers_own_records(client, loan_id, engine):
    holiday_id = await _holiday(client, loan_id, USER)
    certificate_id = await _certificate(engine, loan_id)
    case = await client.post("/api/v1/me/support-cases", json={"reason": "requested"}, headers=as_user(USER))
    rated = [
        ("holiday", holiday_id),
        ("certificate", certificate_id),
        ("support_case", case.json()["id"]),
        ("holiday", None),  # the subject's id is optional
    ]
    for subject, subject_id in rated:
        response = await _rate(client, {"subject": subject, "subject_id": subject_id, "score": 4})
        assert response.status_code == 201, response.text
        assert (response.json()["subject"], response.json()["subject_id"]) == (subject, subject_id)
    async with AsyncSession(engine) as session:
        rows = (await session.scalars(select(Feedback).order_by(Feedback.id))).all()
    assert [(row.subject, row.subject_id) for row in rows] == rated


async def test_other_borrowers_records_are_404_like_missing_ones(client, loan_id, other_loan_id, engine):
    theirs = {
        "holiday": await _holiday(client, other_loan_id, OTHER_USER),
        "certificate": await _certificate(engine, other_loan_id),
        "support_case": (
            await client.post("/api/v1/me/support-cases", json={"reason": "other"}, headers=as_user(OTHER_USER))
        ).json()["id"],
    }
    codes = {"holiday": "holiday_not_found", "certificate": "certificate_request_not_found"}
    for subject, their_id in theirs.items():
        missing = await _rate(client, {"subject": subject, "subject_id": 999999, "score": 5})
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == codes.get(subject, "support_case_not_found")
        response = await _rate(client, {"subject": subject, "subject_id": their_id, "score": 5})
        assert (response.status_code, response.json()) == (404, missing.json())
    async with AsyncSession(engine) as session:
        assert (await session.scalars(select(Feedback))).all() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "general", "score": 0}, "score"),
        ({"subject": "general", "score": 6}, "score"),
        ({"subject": "general", "score": "five"}, "score"),
        ({"subject": "general", "score": 4.5}, "score"),
        ({"subject": "general"}, "score"),
        ({"score": 3}, "subject"),
        ({"subject": "pizza", "score": 3}, "subject"),
        ({"subject": "general", "subject_id": 5, "score": 3}, "body"),
        ({"subject": "holiday", "subject_id": 0, "score": 3}, "subject_id"),
        ({"subject": "holiday", "subject_id": "x", "score": 3}, "subject_id"),
        ({"subject": "general", "score": 3, "comment": "x" * 2001}, "comment"),
        ({"subject": "general", "score": 3, "stars": 3}, "stars"),
    ],
)
async def test_bad_feedback_is_422(client, loan_id, body, field):
    response = await _rate(client, body)
    assert response.status_code == 422
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"])


async def test_a_survey_at_most_once_a_week(client, loan_id, engine, clock):
    offered = await client.post("/api/v1/me/surveys", headers=as_user(USER))
    assert offered.status_code == 201
    assert offered.json() == {"offered_at": "2026-11-26T09:00:00Z", "next_survey_after": "2026-12-03T09:00:00Z"}

    clock.advance(days=6, hours=23)
    too_soon = await client.post("/api/v1/me/surveys", headers=as_user(USER))
    assert too_soon.status_code == 409
    assert too_soon.json()["error"] == {
        "code": "survey_too_soon",
        "message": "A survey was offered less than a week ago.",
        "next_survey_after": "2026-12-03T09:00:00+00:00",
    }
    clock.advance(hours=1)
    assert (await client.post("/api/v1/me/surveys", headers=as_user(USER))).status_code == 201
    async with AsyncSession(engine) as session:
        last = await session.scalar(select(Borrower.last_survey_at).where(Borrower.telegram_user_id == USER))
    assert last.isoformat() == "2026-12-03T09:00:00+00:00"


async def test_concurrent_survey_offers_let_one_through(client, loan_id):
    responses = await asyncio.gather(*(client.post("/api/v1/me/surveys", headers=as_user(USER)) for _ in range(3)))
    assert sorted(r.status_code for r in responses) == [201, 409, 409]


async def test_tokens_and_linking_are_checked(client, anonymous, bank, loan_id):
    body = {"subject": "general", "score": 5}
    assert (await anonymous.post("/api/v1/me/feedback", json=body, headers=as_user(USER))).status_code == 401
    assert (await bank.post("/api/v1/me/surveys", headers=as_user(USER))).status_code == 401
    for response in (
        await _rate(client, body, user=USER + 3),
        await client.post("/api/v1/me/surveys", headers=as_user(USER + 3)),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "not_linked"


async def _decide(engine, holiday_id: int, decided_at) -> None:
    from api.models import HolidayApplication, HolidayStatus

    async with AsyncSession(engine) as session:
        holiday = await session.get(HolidayApplication, holiday_id)
        holiday.status, holiday.decided_at = HolidayStatus.APPROVED, decided_at
        await session.commit()


async def test_no_survey_for_a_decision_made_long_ago(client, loan_id, engine, clock):
    holiday_id = await _holiday(client, loan_id, USER)
    await _decide(engine, holiday_id, clock.now - timedelta(days=3, minutes=1))
    body = {"subject": "holiday", "subject_id": holiday_id}
    stale = await client.post("/api/v1/me/surveys", json=body, headers=as_user(USER))
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "survey_stale"
    async with AsyncSession(engine) as session:
        assert await session.scalar(select(Borrower.last_survey_at).where(Borrower.telegram_user_id == USER)) is None
    await _decide(engine, holiday_id, clock.now - timedelta(days=2))
    assert (await client.post("/api/v1/me/surveys", json=body, headers=as_user(USER))).status_code == 201


async def test_a_survey_about_someone_elses_record_is_refused(client, loan_id):
    body = {"subject": "holiday", "subject_id": 999_999}
    assert (await client.post("/api/v1/me/surveys", json=body, headers=as_user(USER))).status_code == 404
    bad = {"subject": "nonsense"}
    assert (await client.post("/api/v1/me/surveys", json=bad, headers=as_user(USER))).status_code == 422


async def test_a_general_survey_names_no_record(client, loan_id):
    """It was a 500 (the service looked the general subject up among the rated records): schemathesis found it."""
    body = {"subject": "general", "subject_id": 1}
    response = await client.post("/api/v1/me/surveys", json=body, headers=as_user(USER))
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "body"

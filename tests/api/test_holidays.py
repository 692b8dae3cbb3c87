"""Payment-holiday applications: sent once per idempotency key, one under review per loan, proof, withdrawal."""

import asyncio
import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import AuditEntry, Document, HolidayApplication, HolidayStatus
from tests.helpers import as_user, loan_body, put
from tests.samples import BROKEN, PNG, pdf

USER = 700_000_301
OTHER_USER = 700_000_302
KEY = "app-2026-11-26-0001"
PDF = pdf("proof")
LIMIT = 2048
BODY = {
    "reason": "income_drop",
    "income_before": "100000.00",
    "income_after": "60000.00",
    "months": 3,
    "mode": "reduced",
    "reduced_payment": "15000.00",
    "start_date": "2026-12-10",
    "comment": "Сократили на работе",
}


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"max_upload_bytes": LIMIT})


def _apply(client, loan_id: int, body: dict = BODY, *, key: str | None = KEY, user: int = USER):
    headers = as_user(user) | ({"Idempotency-Key": key} if key is not None else {})
    return client.post(f"/api/v1/me/loans/{loan_id}/holidays", json=body, headers=headers)


def _upload(client, holiday_id: int, content: bytes = PDF, user: int = USER, *, name: str = "proof.pdf"):
    return client.post(
        f"/api/v1/me/holidays/{holiday_id}/documents",
        files={"file": (name, content, "application/octet-stream")},
        headers=as_user(user),
    )


async def _rows(engine) -> list[HolidayApplication]:
    async with AsyncSession(engine) as session:
        return list((await session.scalars(select(HolidayApplication).order_by(HolidayApplication.id))).all())


async def _decide(engine, holiday_id: int, status: HolidayStatus, reason: str) -> None:
    """What the staff console does (another domain): a decision with a reason."""
    async with AsyncSession(engine) as session:
        await session.execute(
            update(HolidayApplication)
            .where(HolidayApplication.id == holiday_id)
            .values(status=status, decision_reason=reason, decided_at=datetime(2026, 11, 27, 10, tzinfo=UTC))
        )
        await session.commit()


async def test_application_is_stored_with_its_precheck(client, loan_id, engine):
    response = await _apply(client, loan_id)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body | {"id": 0, "precheck": {}} == {
        "id": 0,
        "loan_id": loan_id,
        "status": "submitted",
        "reason": "income_drop",
        "income_before": "100000.00",
        "income_after": "60000.00",
        "months": 3,
        "mode": "reduced",
        "reduced_payment": "15000.00",
        "start_date": "2026-12-10",
        "comment": "Сократили на работе",
        "created_at": "2026-11-26T09:00:00Z",
        "decided_at": None,
        "decision_reason": None,
        "precheck": {},
        "documents": [],
    }
    assert body["precheck"]["eligible"] is True
    assert body["precheck"]["monthly_payment"] == "49300.88"
    (row,) = await _rows(engine)
    assert (row.id, row.idempotency_key, row.precheck_eligible) == (body["id"], KEY, True)
    assert row.precheck["rules"][3]["values"]["drop_percent"] == "40.00"
    async with AsyncSession(engine) as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.entity == "holiday_application"))
    assert (entry.action, entry.entity_id, entry.details) == ("apply", str(row.id), {"eligible": True})


async def test_a_blank_comment_is_stored_as_none(client, loan_id, engine):
    response = await _apply(client, loan_id, BODY | {"comment": "   "})
    assert response.json()["comment"] is None
    assert (await _rows(engine))[0].comment is None


async def test_an_ineligible_application_can_still_be_sent(client, loan_id, engine):
    response = await _apply(client, loan_id, BODY | {"reason": "other", "start_date": "2026-08-01"})
    assert response.status_code == 201
    precheck = response.json()["precheck"]
    assert precheck["eligible"] is False
    assert {r["code"] for r in precheck["rules"] if r["status"] == "not_met"} == {"grounds", "start_date"}
    assert (await _rows(engine))[0].precheck_eligible is False


async def test_same_key_and_body_returns_the_stored_application(client, loan_id, engine, clock):
    first = await _apply(client, loan_id)
    clock.advance(minutes=5)
    again = await _apply(client, loan_id, dict(reversed(BODY.items())) | {"income_before": "100000"})
    assert again.status_code == 200
    assert again.json() == first.json()
    assert len(await _rows(engine)) == 1


@pytest.mark.parametrize(
    "change", [{"months": 4}, {"reduced_payment": "15000.01"}, {"comment": None}, {"reason": "job_loss"}]
)
async def test_same_key_with_another_body_is_409(client, loan_id, engine, change):
    first = await _apply(client, loan_id)
    response = await _apply(client, loan_id, BODY | change)
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "This idempotency key was already used for a different application.",
        "holiday_id": first.json()["id"],
    }
    assert len(await _rows(engine)) == 1


async def test_concurrent_duplicates_store_exactly_one(client, loan_id, engine):
    responses = await asyncio.gather(*(_apply(client, loan_id) for _ in range(4)))
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert len(await _rows(engine)) == 1


async def test_concurrent_applications_with_different_keys_leave_one_pending(client, loan_id, engine):
    responses = await asyncio.gather(*(_apply(client, loan_id, key=f"key-number-{n}") for n in range(3)))
    assert sorted(r.status_code for r in responses) == [201, 409, 409]
    (row,) = await _rows(engine)
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json()["error"]["code"] == "holiday_already_pending"
        assert refused.json()["error"]["holiday_id"] == row.id


async def test_one_pending_application_per_loan_then_withdraw(client, loan_id, engine):
    first = (await _apply(client, loan_id)).json()
    second = await _apply(client, loan_id, key="another-key-01")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "holiday_already_pending"

    withdrawn = await client.post(f"/api/v1/me/holidays/{first['id']}/withdraw", headers=as_user(USER))
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["decision_reason"] is None
    again = await client.post(f"/api/v1/me/holidays/{first['id']}/withdraw", headers=as_user(USER))
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "holiday_not_pending",
        "message": "The application is no longer under review.",
        "holiday_status": "withdrawn",
    }
    third = await _apply(client, loan_id, key="another-key-01")
    assert third.status_code == 201
    assert [row.status for row in await _rows(engine)] == [HolidayStatus.WITHDRAWN, HolidayStatus.SUBMITTED]


async def test_closed_loan_is_409(client, bank, loan_id, engine):
    await put(bank, "loans/L-1", loan_body(status="closed", closed_on="2026-10-10"))
    response = await _apply(client, loan_id)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "loan_closed"
    assert await _rows(engine) == []


async def test_list_and_read_with_the_staff_decision(client, loan_id, engine, clock):
    first = (await _apply(client, loan_id)).json()
    await _decide(engine, first["id"], HolidayStatus.REJECTED, "Нет подтверждения дохода")
    clock.advance(days=1)
    second = (await _apply(client, loan_id, BODY | {"mode": "full", "reduced_payment": None}, key="key-two-2")).json()
    assert second["mode"] == "full" and second["reduced_payment"] is None

    listed = await client.get("/api/v1/me/holidays", headers=as_user(USER))
    assert listed.status_code == 200
    assert [h["id"] for h in listed.json()] == [second["id"], first["id"]]
    decided = await client.get(f"/api/v1/me/holidays/{first['id']}", headers=as_user(USER))
    assert decided.status_code == 200
    assert decided.json()["status"] == "rejected"
    assert decided.json()["decision_reason"] == "Нет подтверждения дохода"
    assert decided.json()["decided_at"] == "2026-11-27T10:00:00Z"
    assert decided.json()["precheck"] == first["precheck"]
    refused = await client.post(f"/api/v1/me/holidays/{first['id']}/withdraw", headers=as_user(USER))
    assert refused.json()["error"]["holiday_status"] == "rejected"


async def test_proof_is_attached_once(client, loan_id, engine):
    holiday = (await _apply(client, loan_id)).json()
    first = await _upload(client, holiday["id"])
    assert first.status_code == 201, first.text
    document = first.json()
    assert (document["purpose"], document["holiday_id"], document["policy_kind"]) == (
        "holiday_proof",
        holiday["id"],
        None,
    )
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    again = await _upload(client, holiday["id"])
    assert (again.status_code, again.json()["id"]) == (200, document["id"])
    png = await _upload(client, holiday["id"], PNG, name="proof.png")
    assert png.status_code == 201

    read = (await client.get(f"/api/v1/me/holidays/{holiday['id']}", headers=as_user(USER))).json()
    assert [d["id"] for d in read["documents"]] == [document["id"], png.json()["id"]]
    async with AsyncSession(engine) as session:
        rows = (await session.scalars(select(Document))).all()
    assert {(row.loan_id, row.holiday_id) for row in rows} == {(loan_id, holiday["id"])}


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"", 422, "empty_file"),
        (b"just text", 415, "unsupported_file_type"),
        (PDF + b"0" * LIMIT, 413, "file_too_large"),
        *((content, 422, code) for content, _, code in BROKEN.values()),
    ],
)
async def test_bad_proof_is_refused(client, loan_id, engine, content, status, code):
    holiday = (await _apply(client, loan_id)).json()
    response = await _upload(client, holiday["id"], content)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    async with AsyncSession(engine) as session:
        assert (await session.scalars(select(Document))).all() == []


async def test_no_proof_after_the_decision(client, loan_id, engine):
    holiday = (await _apply(client, loan_id)).json()
    await _decide(engine, holiday["id"], HolidayStatus.APPROVED, "Одобрено")
    response = await _upload(client, holiday["id"])
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "holiday_not_pending"


async def test_another_borrowers_application_is_404_like_a_missing_one(client, loan_id, other_loan_id):
    theirs = (await _apply(client, other_loan_id, user=OTHER_USER)).json()
    missing = await client.get("/api/v1/me/holidays/999999", headers=as_user(USER))
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "holiday_not_found"
    for response in (
        await client.get(f"/api/v1/me/holidays/{theirs['id']}", headers=as_user(USER)),
        await client.post(f"/api/v1/me/holidays/{theirs['id']}/withdraw", headers=as_user(USER)),
        await _upload(client, theirs["id"]),
    ):
        assert response.status_code == 404
        assert response.json() == missing.json()
    on_their_loan = await _apply(client, other_loan_id, key="mine-on-theirs")
    assert on_their_loan.json()["error"]["code"] == "loan_not_found"
    assert (await client.get("/api/v1/me/holidays", headers=as_user(USER))).json() == []


@pytest.mark.parametrize("key", [None, "short", "has space in it", "key.with.dots", "x" * 65, ""])
async def test_bad_idempotency_keys_are_422(client, loan_id, engine, key):
    response = await _apply(client, loan_id, key=key)
    assert response.status_code == 422
    assert any(f["field"] == "header.Idempotency-Key" for f in response.json()["error"]["fields"])
    assert await _rows(engine) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "lottery"}, "reason"),
        ({"income_before": "-1.00"}, "income_before"),
        ({"income_after": "100000000.01"}, "income_after"),
        ({"income_after": "abc"}, "income_after"),
        ({"income_before": "1.001"}, "income_before"),
        ({"income_before": "NaN"}, "income_before"),
        ({"months": 0}, "months"),
        ({"months": 7}, "months"),
        ({"months": "six"}, "months"),
        ({"mode": "half"}, "mode"),
        ({"reduced_payment": None}, "body"),  # reduced needs a payment
        ({"mode": "full"}, "body"),  # full takes none
        ({"reduced_payment": "0.00"}, "reduced_payment"),
        ({"reduced_payment": "-5.00"}, "reduced_payment"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"start_date": "tomorrow"}, "start_date"),
        ({"comment": "x" * 2001}, "comment"),
        ({"surprise": True}, "surprise"),
    ],
)
async def test_bad_applications_are_422(client, loan_id, engine, change, field):
    response = await _apply(client, loan_id, BODY | change)
    assert response.status_code == 422
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"])
    assert await _rows(engine) == []


@pytest.mark.parametrize("field", ["reason", "income_before", "income_after", "months", "mode", "start_date"])
async def test_missing_fields_are_422(client, loan_id, field):
    body = {name: value for name, value in BODY.items() if name != field}
    response = await _apply(client, loan_id, body)
    assert response.status_code == 422
    assert any(f["field"] == field for f in response.json()["error"]["fields"])


@pytest.mark.parametrize("holiday_path", ["0", "-3", "abc", str(2**63)])
async def test_bad_holiday_ids_are_422(client, loan_id, holiday_path):
    assert (await client.get(f"/api/v1/me/holidays/{holiday_path}", headers=as_user(USER))).status_code == 422


async def test_tokens_and_linking_are_checked(client, anonymous, bank, loan_id):
    assert (await anonymous.get("/api/v1/me/holidays", headers=as_user(USER))).status_code == 401
    assert (await bank.get("/api/v1/me/holidays", headers=as_user(USER))).status_code == 401
    headers = as_user(USER) | {"Idempotency-Key": KEY}
    assert (await bank.post(f"/api/v1/me/loans/{loan_id}/holidays", json=BODY, headers=headers)).status_code == 401
    for response in (
        await client.get("/api/v1/me/holidays", headers=as_user(USER + 5)),
        await _apply(client, loan_id, user=USER + 5),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "not_linked"

"""Staff decisions: recorded, audited and told to the borrower through the outbox in the same transaction."""

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from api.models import (
    AuditEntry,
    CertificateRequest,
    Document,
    DocumentPurpose,
    HolidayApplication,
    HolidayStatus,
    InsurancePolicy,
    StaffRole,
)
from tests.api.outbox_helpers import (
    OPERATOR_TOKEN,
    PDF,
    SCHEDULER,
    SUPERVISOR_TOKEN,
    add_record,
    add_staff,
    certificate_row,
    client_with,
    document_row,
    holiday_row,
    linked_borrower,
    outbox,
    pay_through,
    session_of,
)
from tests.helpers import as_user

USER = 700_400_001
STAFF = "/api/v1/staff"
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
APPROVE = {"decision": "approve"}
REJECT = {"decision": "reject", "reason": "Не хватает справки о доходах"}
HOLIDAY = {
    "reason": "job_loss",
    "income_before": "150000.00",
    "income_after": "0.00",
    "months": 3,
    "mode": "full",
    "start_date": "2026-12-10",
}


@pytest.fixture
async def supervisor_id(engine) -> int:
    return await add_staff(engine, StaffRole.SUPERVISOR, SUPERVISOR_TOKEN)


@pytest.fixture
async def supervisor(app, supervisor_id):
    async with client_with(app, SUPERVISOR_TOKEN) as client:
        yield client


@pytest.fixture
async def operator_id(engine) -> int:
    return await add_staff(engine, StaffRole.OPERATOR, OPERATOR_TOKEN)


@pytest.fixture
async def operator(app, operator_id):
    async with client_with(app, OPERATOR_TOKEN) as client:
        yield client


@pytest.fixture
async def borrower(bank, client, engine) -> tuple[int, int]:
    ids = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", date(2026, 11, 10))
    return ids


async def audit_entries(engine, entity: str) -> list[AuditEntry]:
    async with session_of(engine) as session:
        return list(await session.scalars(select(AuditEntry).where(AuditEntry.entity == entity)))


async def fetch(engine, model, record_id: int):
    async with session_of(engine) as session:
        return await session.get(model, record_id)


def decide(staff, what: str, record_id: int, body: dict):
    return staff.post(f"{STAFF}/{what}/{record_id}/decision", json=body)


async def claim(client) -> list[dict]:
    response = await client.post(f"{SCHEDULER}/outbox/claim", json={"limit": 10, "lease_seconds": 60})
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_holiday_flow_from_application_to_the_borrowers_chat(
    client, supervisor, supervisor_id, engine, clock, borrower
):
    borrower_id, loan_id = borrower
    headers = as_user(USER) | {"Idempotency-Key": "flow-application-1"}
    applied = await client.post(f"/api/v1/me/loans/{loan_id}/holidays", json=HOLIDAY, headers=headers)
    assert applied.status_code == 201, applied.text
    holiday_id = applied.json()["id"]
    [queued] = (await supervisor.get(f"{STAFF}/holidays")).json()["items"]
    assert (queued["id"], queued["borrower_first_name"], queued["contract_number"]) == (
        holiday_id,
        "Иван",
        "ИК-2021/000457",
    )

    clock.now = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)  # 22:00 in Moscow: decided late in the evening
    response = await decide(supervisor, "holidays", holiday_id, {"decision": "approve", "reason": "Всё в порядке"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["status"] == "approved"
    assert (result["decided_by"], result["decision_reason"]) == (supervisor_id, "Всё в порядке")
    assert result["decided_at"] == "2026-11-26T19:00:00Z"

    [notice] = await outbox(engine, borrower_id=borrower_id)
    assert result["notification_id"] == notice.id
    assert (notice.kind, notice.dedupe_key, notice.loan_id) == (
        "holiday_decided",
        f"holiday_decided:{holiday_id}",
        loan_id,
    )
    assert notice.payload == {
        "holiday_id": holiday_id,
        "loan_id": loan_id,
        "decision": "approved",
        "reason": "Всё в порядке",
        "start_date": "2026-12-10",
        "months": 3,
        "mode": "full",
    }
    assert notice.not_before == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)  # told at 09:00 Moscow, not at night

    assert await claim(client) == []
    clock.now = datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    [item] = await claim(client)
    assert (item["id"], item["chat_id"], item["kind"]) == (notice.id, USER, "holiday_decided")
    assert (await client.post(f"{SCHEDULER}/outbox/{notice.id}/sent")).status_code == 200
    assert await claim(client) == []

    application = await fetch(engine, HolidayApplication, holiday_id)
    assert application.status == HolidayStatus.APPROVED
    assert application.decided_at == datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    [entry] = [e for e in await audit_entries(engine, "holiday_application") if e.actor.startswith("staff")]
    assert (entry.actor, entry.action) == (f"staff:{supervisor_id}", "decide_approved")
    assert entry.entity_id == str(holiday_id)
    assert "Всё в порядке" not in str(entry.details)
    assert (await supervisor.get(f"{STAFF}/holidays")).json()["total"] == 0
    card = (await supervisor.get(f"{STAFF}/borrowers/{borrower_id}")).json()
    assert card["loans"][0]["next_payment"] == "0.00"  # December falls inside the granted holiday


async def test_operator_cannot_decide_a_holiday(operator, engine, borrower):
    borrower_id, loan_id = borrower
    holiday_id = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    response = await decide(operator, "holidays", holiday_id, APPROVE)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert (await fetch(engine, HolidayApplication, holiday_id)).status == HolidayStatus.SUBMITTED
    assert await outbox(engine) == []


async def test_reject_holiday_with_a_reason(supervisor, engine, borrower):
    borrower_id, loan_id = borrower
    holiday_id = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    response = await decide(supervisor, "holidays", holiday_id, REJECT)
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_reason"]) == ("rejected", REJECT["reason"])
    [notice] = await outbox(engine)
    assert (notice.payload["decision"], notice.payload["reason"]) == ("rejected", REJECT["reason"])


async def test_deciding_twice_or_an_unknown_holiday(supervisor, engine, borrower):
    borrower_id, loan_id = borrower
    holiday_id = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    assert (await decide(supervisor, "holidays", holiday_id, APPROVE)).status_code == 200
    again = await decide(supervisor, "holidays", holiday_id, REJECT)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_decided"
    assert again.json()["error"]["current_status"] == "approved"
    assert (await fetch(engine, HolidayApplication, holiday_id)).status == HolidayStatus.APPROVED
    assert len(await outbox(engine)) == 1
    withdrawn = await add_record(
        engine,
        holiday_row(borrower_id, loan_id, created_at=T0, status=HolidayStatus.WITHDRAWN, idempotency_key="gone"),
    )
    assert (await decide(supervisor, "holidays", withdrawn, APPROVE)).json()["error"]["code"] == "already_decided"
    unknown = await decide(supervisor, "holidays", 999_999, APPROVE)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "holiday_not_found"


async def test_concurrent_decisions_one_wins(supervisor, engine, borrower):
    borrower_id, loan_id = borrower
    holiday_id = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    responses = await asyncio.gather(
        decide(supervisor, "holidays", holiday_id, APPROVE), decide(supervisor, "holidays", holiday_id, REJECT)
    )
    assert sorted(response.status_code for response in responses) == [200, 409]
    assert len(await outbox(engine)) == 1


async def test_one_holiday_per_contract(supervisor, engine, borrower):
    borrower_id, loan_id = borrower
    first = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    assert (await decide(supervisor, "holidays", first, APPROVE)).status_code == 200
    second = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0, idempotency_key="second"))
    refused = await decide(supervisor, "holidays", second, APPROVE)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "holiday_already_granted"
    assert (await fetch(engine, HolidayApplication, second)).status == HolidayStatus.SUBMITTED
    assert len(await outbox(engine)) == 1
    assert (await decide(supervisor, "holidays", second, REJECT)).status_code == 200


async def test_holiday_that_does_not_fit_the_schedule(supervisor, engine, borrower):
    borrower_id, loan_id = borrower
    holiday_id = await add_record(
        engine, holiday_row(borrower_id, loan_id, created_at=T0, start_date=date(2040, 1, 10))
    )  # after the last installment in 2036
    response = await decide(supervisor, "holidays", holiday_id, APPROVE)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "holiday_not_applicable"
    application = await fetch(engine, HolidayApplication, holiday_id)
    assert (application.status, application.decided_at) == (HolidayStatus.SUBMITTED, None)
    assert await outbox(engine) == []
    assert await audit_entries(engine, "holiday_application") == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"decision": "maybe"},
        {"decision": "reject"},
        {"decision": "reject", "reason": ""},
        {"decision": "reject", "reason": "   "},
        {"decision": "reject", "reason": "x" * 1001},
        {"decision": "approve", "reason": 42},
        {"decision": "approve", "approved_by": "me"},
    ],
)
async def test_bad_decisions(supervisor, engine, borrower, body):
    borrower_id, loan_id = borrower
    holiday_id = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    response = await decide(supervisor, "holidays", holiday_id, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert (await fetch(engine, HolidayApplication, holiday_id)).status == HolidayStatus.SUBMITTED


@pytest.mark.parametrize("what", ["holidays", "certificates", "documents"])
async def test_bad_ids(supervisor, what):
    for bad in ("0", "-1", "abc", str(2**63)):
        response = await supervisor.post(f"{STAFF}/{what}/{bad}/decision", json=APPROVE)
        assert response.status_code == 422


async def test_decisions_need_a_staff_token(client, bank, anonymous, engine, borrower):
    borrower_id, loan_id = borrower
    holiday_id = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    for caller in (client, bank, anonymous):
        for what in ("holidays", "certificates", "documents"):
            response = await decide(caller, what, holiday_id, APPROVE)
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "unauthorized"
    assert (await fetch(engine, HolidayApplication, holiday_id)).status == HolidayStatus.SUBMITTED


async def test_certificate_signed_by_an_operator(operator, operator_id, engine, clock, borrower):
    borrower_id, loan_id = borrower
    certificate_id = await add_record(engine, certificate_row(borrower_id, loan_id, created_at=T0))
    clock.now = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)  # already 27 November at the bank in Moscow
    response = await decide(operator, "certificates", certificate_id, APPROVE)
    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["issued_on"]) == ("ready", "2026-11-27")
    certificate = await fetch(engine, CertificateRequest, certificate_id)
    assert (certificate.issued_on, certificate.decided_by) == (date(2026, 11, 27), operator_id)
    [notice] = await outbox(engine)
    assert (notice.kind, notice.dedupe_key) == ("certificate_ready", f"certificate_ready:{certificate_id}")
    assert notice.payload == {
        "certificate_id": certificate_id,
        "loan_id": loan_id,
        "certificate_kind": "interest_paid",
        "year": 2025,
        "on_date": None,
        "reason": None,
    }
    assert (await decide(operator, "certificates", certificate_id, APPROVE)).status_code == 409


async def test_certificate_rejected(operator, engine, borrower):
    borrower_id, loan_id = borrower
    certificate_id = await add_record(engine, certificate_row(borrower_id, loan_id, created_at=T0))
    response = await decide(operator, "certificates", certificate_id, REJECT)
    assert (response.json()["status"], response.json()["issued_on"]) == ("rejected", None)
    [notice] = await outbox(engine)
    assert (notice.kind, notice.payload["reason"]) == ("certificate_rejected", REJECT["reason"])
    unknown = await decide(operator, "certificates", 999_999, APPROVE)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "certificate_not_found")


NEW_POLICY = {
    "insurer": "СК Надёжная",
    "policy_number": "IP-2027-001",
    "kind": "property",
    "starts_on": "2026-12-26",
    "expires_on": "2027-12-26",
    "premium": "18500.00",
}


async def test_insurance_document_approved_with_the_new_policy(operator, operator_id, engine, borrower):
    borrower_id, loan_id = borrower
    document_id = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0))
    response = await decide(operator, "documents", document_id, APPROVE | {"policy": NEW_POLICY})
    assert response.status_code == 200, response.text
    policy_id = response.json()["policy_id"]
    policy = await fetch(engine, InsurancePolicy, policy_id)
    assert (policy.external_id, policy.loan_id, policy.kind, policy.insurer) == (
        f"staff-document-{document_id}",
        loan_id,
        "property",
        "СК Надёжная",
    )
    assert (policy.starts_on, policy.expires_on, policy.premium) == (
        date(2026, 12, 26),
        date(2027, 12, 26),
        Decimal("18500.00"),
    )
    [notice] = await outbox(engine)
    assert notice.dedupe_key == f"insurance_document_decided:{document_id}"
    assert notice.payload == {
        "document_id": document_id,
        "loan_id": loan_id,
        "decision": "approved",
        "reason": None,
        "policy_kind": "property",
        "policy_id": policy_id,
        "expires_on": "2027-12-26",
    }
    actions = {(entry.entity, entry.action) for entry in await audit_entries(engine, "insurance_policy")}
    assert actions == {("insurance_policy", "create")}


async def test_insurance_document_approved_or_rejected_without_a_policy(operator, engine, borrower):
    borrower_id, loan_id = borrower
    approved = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0))
    rejected = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0, content=b"%PDF-1.4\n%%EOF\n"))
    assert (await decide(operator, "documents", approved, APPROVE)).json()["policy_id"] is None
    assert (await decide(operator, "documents", rejected, REJECT)).json()["status"] == "rejected"
    payloads = [row.payload for row in await outbox(engine)]
    assert [(p["decision"], p["policy_kind"], p["policy_id"]) for p in payloads] == [
        ("approved", "property", None),
        ("rejected", "property", None),
    ]
    again = await decide(operator, "documents", approved, REJECT)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_decided")


async def test_holiday_proof_is_decided_without_a_notice(operator, engine, borrower):
    borrower_id, loan_id = borrower
    proof = await add_record(
        engine,
        document_row(borrower_id, loan_id, created_at=T0, purpose=DocumentPurpose.HOLIDAY_PROOF, policy_kind=None),
    )
    refused = await decide(operator, "documents", proof, APPROVE | {"policy": NEW_POLICY})
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "policy_not_applicable")
    assert (await fetch(engine, Document, proof)).status == "submitted"
    response = await decide(operator, "documents", proof, APPROVE)
    assert (response.json()["status"], response.json()["notification_id"]) == ("approved", None)
    assert await outbox(engine) == []


@pytest.mark.parametrize(
    "policy",
    [
        {"expires_on": "2026-12-01"},  # before it starts
        {"starts_on": "1999-01-01", "expires_on": "2000-01-01"},
        {"expires_on": "2040-12-26"},  # a 14-year policy
        {"kind": "car"},
        {"premium": "-5.00"},
        {"premium": "1.005"},
        {"insurer": ""},
        {"policy_number": "x" * 65},
        {"starts_on": "soon"},
    ],
)
async def test_bad_policies(operator, engine, borrower, policy):
    borrower_id, loan_id = borrower
    document_id = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0))
    response = await decide(operator, "documents", document_id, APPROVE | {"policy": NEW_POLICY | policy})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert (await fetch(engine, Document, document_id)).status == "submitted"


async def test_a_policy_only_with_an_approval(operator, engine, borrower):
    borrower_id, loan_id = borrower
    document_id = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0))
    response = await decide(operator, "documents", document_id, REJECT | {"policy": NEW_POLICY})
    assert response.status_code == 422


async def test_document_content(operator, operator_id, engine, borrower):
    borrower_id, loan_id = borrower
    document_id = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0))
    response = await operator.get(f"{STAFF}/documents/{document_id}/content")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="document-{document_id}"')
    assert "filename*=UTF-8''%D0%BF%D0%BE%D0%BB%D0%B8%D1%81%202027.pdf" in disposition
    [entry] = await audit_entries(engine, "document")
    assert (entry.actor, entry.action, entry.entity_id) == (f"staff:{operator_id}", "view", str(document_id))
    missing = await operator.get(f"{STAFF}/documents/999999/content")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "document_not_found")


async def test_decision_and_notice_commit_together(supervisor, engine, clock, borrower):
    """A notice for a refused decision never reaches the outbox; an accepted one is there at once."""
    borrower_id, loan_id = borrower
    holiday_id = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0))
    clock.advance(hours=1)
    assert (await decide(supervisor, "holidays", holiday_id, APPROVE)).status_code == 200
    [notice] = await outbox(engine)
    application = await fetch(engine, HolidayApplication, holiday_id)
    assert notice.created_at == application.decided_at == clock.now
    assert notice.created_at - T0 > timedelta(0)

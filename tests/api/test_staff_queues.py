"""The staff queues and the borrower card: oldest first, paginated, with the engine's figures; staff tokens only."""

from datetime import UTC, date, datetime, timedelta

import pytest

from api.models import (
    CaseReason,
    CaseStatus,
    CertificateStatus,
    DocumentPurpose,
    HolidayStatus,
    ReviewStatus,
    StaffRole,
)
from tests.api.outbox_helpers import (
    OPERATOR_TOKEN,
    add_record,
    add_staff,
    case_row,
    certificate_row,
    client_with,
    document_row,
    holiday_row,
    installment_on,
    linked_borrower,
    pay_through,
)
from tests.helpers import SEED_PHONE, loan_body, put

USER = 700_300_001
STAFF = "/api/v1/staff"
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
async def operator(app, engine):
    await add_staff(engine, StaffRole.OPERATOR, OPERATOR_TOKEN)
    async with client_with(app, OPERATOR_TOKEN) as client:
        yield client


@pytest.fixture
async def two_borrowers(bank, client, engine) -> tuple[tuple[int, int], tuple[int, int]]:
    first = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    second = await linked_borrower(bank, client, engine, telegram_user_id=USER + 1, number=2)
    return first, second


async def get(operator, path: str, **params) -> dict:
    response = await operator.get(f"{STAFF}/{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_holiday_queue(operator, engine, two_borrowers):
    (first, first_loan), (second, second_loan) = two_borrowers
    newest = await add_record(engine, holiday_row(first, first_loan, created_at=T0 + timedelta(hours=2)))
    oldest = await add_record(
        engine,
        holiday_row(
            second, second_loan, created_at=T0, mode="reduced", reduced_payment="20000.00", comment="Сократили"
        ),
    )
    await add_record(
        engine,
        holiday_row(
            first,
            first_loan,
            created_at=T0 - timedelta(days=1),
            status=HolidayStatus.REJECTED,
            idempotency_key="old-one",
        ),
    )
    page = await get(operator, "holidays")
    assert (page["total"], page["limit"], page["offset"]) == (2, 50, 0)
    assert [item["id"] for item in page["items"]] == [oldest, newest]
    item = page["items"][0]
    assert item == {
        "id": oldest,
        "borrower_id": second,
        "borrower_first_name": "Иван",
        "loan_id": second_loan,
        "contract_number": "ИК-2021/000458",
        "created_at": "2026-11-20T10:00:00Z",
        "status": "submitted",
        "decided_at": None,
        "decided_by": None,
        "decision_reason": None,
        "reason": "income_drop",
        "income_before": "150000.00",
        "income_after": "60000.00",
        "months": 3,
        "mode": "reduced",
        "reduced_payment": "20000.00",
        "start_date": "2026-12-10",
        "comment": "Сократили",
        "precheck_eligible": True,
        "precheck": {"eligible": True},
    }
    rejected = await get(operator, "holidays", status="rejected")
    assert [i["status"] for i in rejected["items"]] == ["rejected"]


async def test_pagination(operator, engine, two_borrowers):
    (borrower, loan), _ = two_borrowers
    ids = [
        await add_record(engine, certificate_row(borrower, loan, created_at=T0 + timedelta(minutes=n), year=2020 + n))
        for n in range(5)
    ]
    page = await get(operator, "certificates", limit=2, offset=2)
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 2)
    assert [item["id"] for item in page["items"]] == ids[2:4]
    assert [item["year"] for item in page["items"]] == [2022, 2023]
    tail = await get(operator, "certificates", limit=2, offset=4)
    assert [item["id"] for item in tail["items"]] == ids[4:]
    beyond = await get(operator, "certificates", offset=10)
    assert (beyond["items"], beyond["total"]) == ([], 5)


async def test_certificate_queue(operator, engine, two_borrowers):
    (borrower, loan), _ = two_borrowers
    waiting = await add_record(engine, certificate_row(borrower, loan, created_at=T0))
    await add_record(
        engine,
        certificate_row(
            borrower, loan, created_at=T0, status=CertificateStatus.READY, signed=False, issued_on=date(2026, 11, 20)
        ),
    )
    [item] = (await get(operator, "certificates"))["items"]
    assert item["id"] == waiting
    assert (item["kind"], item["year"], item["signed"], item["status"]) == (
        "interest_paid",
        2025,
        True,
        "pending_staff",
    )
    assert item["contract_number"] == "ИК-2021/000457"
    ready = (await get(operator, "certificates", status="ready"))["items"]
    assert [i["issued_on"] for i in ready] == ["2026-11-20"]


async def test_document_queue_filters_by_purpose(operator, engine, two_borrowers):
    (borrower, loan), _ = two_borrowers
    policy = await add_record(engine, document_row(borrower, loan, created_at=T0))
    proof = await add_record(
        engine,
        document_row(
            borrower,
            loan,
            created_at=T0 + timedelta(minutes=1),
            purpose=DocumentPurpose.HOLIDAY_PROOF,
            policy_kind=None,
        ),
    )
    await add_record(engine, document_row(borrower, loan, created_at=T0, status=ReviewStatus.APPROVED))
    assert [i["id"] for i in (await get(operator, "documents"))["items"]] == [policy, proof]
    [item] = (await get(operator, "documents", purpose="insurance_policy"))["items"]
    assert item["id"] == policy
    assert (item["file_name"], item["content_type"], item["policy_kind"]) == (
        "полис 2027.pdf",
        "application/pdf",
        "property",
    )
    assert item["size"] > 0
    assert "content" not in item
    assert [i["id"] for i in (await get(operator, "documents", purpose="holiday_proof"))["items"]] == [proof]


async def test_support_case_queue(operator, engine, two_borrowers):
    (borrower, loan), (other, _) = two_borrowers
    without_loan = await add_record(engine, case_row(other, None, created_at=T0))
    with_loan = await add_record(engine, case_row(borrower, loan, created_at=T0 + timedelta(minutes=5)))
    await add_record(engine, case_row(borrower, loan, created_at=T0, status=CaseStatus.CLOSED))
    items = (await get(operator, "support-cases"))["items"]
    assert [i["id"] for i in items] == [without_loan, with_loan]
    assert (items[0]["loan_id"], items[0]["contract_number"]) == (None, None)
    assert items[1]["recent_steps"] == ["menu", "balance"]
    assert (await get(operator, "support-cases", status="closed"))["total"] == 1


async def test_hardship_comes_first_and_an_unlinked_chat_has_its_name(operator, engine, two_borrowers):
    (borrower, loan), (other, _) = two_borrowers
    older = await add_record(engine, case_row(borrower, loan, created_at=T0))
    unlinked = await add_record(
        engine, case_row(None, None, created_at=T0 + timedelta(minutes=1), telegram_user_id=555, telegram_name="Пётр")
    )
    hardship = await add_record(
        engine,
        case_row(
            other,
            None,
            created_at=T0 + timedelta(minutes=9),
            reason=CaseReason.HARDSHIP,
            reasons=["hardship", "requested"],
        ),
    )
    items = (await get(operator, "support-cases"))["items"]
    assert [i["id"] for i in items] == [hardship, older, unlinked]
    assert (items[0]["hardship"], items[0]["reasons"], items[0]["linked"]) == (True, ["hardship", "requested"], True)
    assert (items[2]["borrower_id"], items[2]["borrower_first_name"], items[2]["linked"]) == (None, "Пётр", False)
    assert items[2]["hardship"] is False


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("holidays", {"status": "maybe"}),
        ("holidays", {"limit": 0}),
        ("holidays", {"limit": 201}),
        ("certificates", {"limit": "ten"}),
        ("certificates", {"offset": -1}),
        ("documents", {"purpose": "passport"}),
        ("documents", {"offset": 10**7}),
        ("support-cases", {"status": "lost"}),
    ],
)
async def test_bad_queue_parameters(operator, path, params):
    response = await operator.get(f"{STAFF}/{path}", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_borrower_card(bank, operator, engine, clock, two_borrowers):
    (borrower, loan), (other, other_loan) = two_borrowers
    await pay_through(bank, "L-1", date(2026, 10, 10))  # November unpaid: 16 days overdue on 26 November
    await add_record(engine, holiday_row(borrower, loan, created_at=T0))
    await add_record(engine, certificate_row(borrower, loan, created_at=T0))
    await add_record(engine, document_row(borrower, loan, created_at=T0))
    await add_record(engine, case_row(borrower, loan, created_at=T0, status=CaseStatus.TAKEN))
    await add_record(engine, case_row(borrower, loan, created_at=T0, status=CaseStatus.CLOSED))
    await add_record(engine, holiday_row(other, other_loan, created_at=T0))  # someone else's
    card = await get(operator, f"borrowers/{borrower}")
    assert (card["id"], card["first_name"], card["last_name"], card["middle_name"]) == (
        borrower,
        "Иван",
        "Иванов",
        "Петрович",
    )
    assert (card["linked"], card["reminders_enabled"], card["unreachable_since"]) == (True, True, None)
    assert SEED_PHONE not in str(card)
    [summary] = card["loans"]
    november = installment_on(date(2026, 11, 10))
    assert summary == {
        "id": loan,
        "contract_number": "ИК-2021/000457",
        "status": "active",
        "principal_outstanding": str(november.balance_after + november.principal),
        "overdue": True,
        "overdue_amount": "49300.88",
        "days_overdue": 16,
        "next_due_date": "2026-12-10",
        "next_payment": "49300.88",
    }
    assert [h["borrower_id"] for h in card["holidays"]] == [borrower]
    assert len(card["certificates"]) == len(card["documents"]) == 1
    assert [c["status"] for c in card["cases"]] == ["taken"]


async def test_card_of_a_paid_up_and_a_closed_loan(bank, client, operator, engine):
    borrower, loan = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", date(2026, 11, 10))
    old = loan_body("B-1", contract_number="ИК-2015/000001", status="closed", closed_on="2024-01-10")
    closed = (await put(bank, "loans/L-9", old))["id"]
    card = await get(operator, f"borrowers/{borrower}")
    paid_up, finished = card["loans"]
    assert (paid_up["id"], paid_up["overdue"], paid_up["overdue_amount"], paid_up["days_overdue"]) == (
        loan,
        False,
        "0.00",
        0,
    )
    assert paid_up["principal_outstanding"] == str(installment_on(date(2026, 11, 10)).balance_after)
    assert finished == {
        "id": closed,
        "contract_number": "ИК-2015/000001",
        "status": "closed",
        "principal_outstanding": None,
        "overdue": None,
        "overdue_amount": None,
        "days_overdue": None,
        "next_due_date": None,
        "next_payment": None,
    }
    assert card["holidays"] == card["certificates"] == card["documents"] == card["cases"] == []


async def test_unknown_borrower(operator):
    response = await operator.get(f"{STAFF}/borrowers/999999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "borrower_not_found"
    assert (await operator.get(f"{STAFF}/borrowers/0")).status_code == 422
    assert (await operator.get(f"{STAFF}/borrowers/abc")).status_code == 422


@pytest.mark.parametrize(
    "path",
    ["holidays", "certificates", "documents", "support-cases", "borrowers/1", "documents/1/content"],
)
async def test_staff_routes_need_a_staff_token(app, engine, anonymous, client, bank, path):
    await add_staff(engine, StaffRole.SUPERVISOR, "retired-token", active=False)
    async with client_with(app, "retired-token") as retired:
        for caller in (
            anonymous,
            client,
            bank,
            retired,
        ):  # nobody, the service and integration tokens, a disabled account
            response = await caller.get(f"{STAFF}/{path}")
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "unauthorized"

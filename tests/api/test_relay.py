"""The relay API the bot drives: staff by Telegram id, cases and topics, the card, messages, take and close."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from api.models import Borrower, CaseMessage, CaseStatus, HolidayStatus, Notification, NotificationKind
from tests.api.outbox_helpers import (
    add_record,
    certificate_row,
    client_with,
    document_row,
    holiday_row,
    linked_borrower,
    outbox,
    pay_through,
    session_of,
    set_borrower,
)
from tests.api.relay_helpers import audit_of, case_of, close, message, open_case, relay
from tests.helpers import SEED_PHONE, as_user, loan_body, put

USER = 700_600_001
OTHER_USER = 700_600_002
ANNA, BORIS, RETIRED = 800_600_001, 800_600_002, 800_600_003
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
async def case_id(client, borrower) -> int:
    return await open_case(client, USER, summary="Не понимаю начисления", recent_steps=["menu", "balance"])


async def get(client, path: str) -> dict:
    response = await relay(client, "GET", path)
    assert response.status_code == 200, response.text
    return response.json()


def error(response, status: int) -> str:
    assert response.status_code == status, response.text
    return response.json()["error"]["code"]


async def chat_case(client, user: int = USER):
    response = await client.get("/api/v1/me", headers=as_user(user))
    assert response.status_code == 200, response.text
    return response.json()["chat_case"]


# ---- staff members ----


async def test_staff_by_telegram_id(client, staff):
    assert await get(client, f"staff/{ANNA}") == {"id": staff[ANNA], "name": "Анна", "role": "operator"}
    assert (await get(client, f"staff/{BORIS}"))["role"] == "supervisor"
    for stranger in (RETIRED, 123):
        assert error(await relay(client, "GET", f"staff/{stranger}"), 404) == "staff_not_found"
    assert error(await relay(client, "GET", "staff/0"), 422) == "validation_error"


# ---- the case, its topic ----


async def test_case_as_the_bot_relays_it(client, borrower, case_id, staff):
    assert await get(client, f"cases/{case_id}") == {
        "id": case_id,
        "status": "open",
        "reason": "requested",
        "borrower_id": borrower[0],
        "chat_id": USER,
        "first_name": "Иван",
        "language": "ru",
        "topic_id": None,
        "assigned_to": None,
        "assigned_name": None,
        "created_at": "2026-11-26T09:00:00Z",
        "in_hours": True,  # Thursday, 12:00 in Moscow
        "staff_back_at": None,
    }
    taken = (await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": ANNA})).json()
    assert (taken["status"], taken["assigned_to"], taken["assigned_name"]) == ("taken", staff[ANNA], "Анна")
    assert error(await relay(client, "GET", "cases/999999"), 404) == "case_not_found"


async def test_out_of_hours_and_an_unlinked_borrower(client, engine, borrower, case_id, clock):
    clock.now = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # Friday 19:30 in Moscow
    await set_borrower(engine, borrower[0], telegram_user_id=None)
    case = await get(client, f"cases/{case_id}")
    assert (case["in_hours"], case["staff_back_at"], case["chat_id"]) == (False, "2026-11-30T09:00:00+03:00", None)


async def test_topic_set_replaced_and_found(client, case_id):
    first = await relay(client, "PUT", f"cases/{case_id}/topic", json={"topic_id": 501})
    assert (first.status_code, first.json()["topic_id"]) == (200, 501)
    assert (await get(client, "topics/501"))["id"] == case_id
    recreated = await relay(client, "PUT", f"cases/{case_id}/topic", json={"topic_id": 777})
    assert recreated.json()["topic_id"] == 777
    assert (await get(client, "topics/777"))["id"] == case_id
    assert error(await relay(client, "GET", "topics/501"), 404) == "case_not_found"

    await close(client, case_id)
    closed = await get(client, "topics/777")  # the bot can tell staff the case is closed
    assert (closed["id"], closed["status"]) == (case_id, "closed")
    refused = await relay(client, "PUT", f"cases/{case_id}/topic", json={"topic_id": 778})
    assert error(refused, 409) == "case_closed"
    assert (await get(client, f"cases/{case_id}"))["topic_id"] == 777


async def test_a_topic_reused_by_a_new_case_finds_the_newest(client, case_id):
    await relay(client, "PUT", f"cases/{case_id}/topic", json={"topic_id": 900})
    await close(client, case_id)
    newer = await open_case(client, USER)
    await relay(client, "PUT", f"cases/{newer}/topic", json={"topic_id": 900})
    assert (await get(client, "topics/900"))["id"] == newer


@pytest.mark.parametrize("body", [{"topic_id": 0}, {"topic_id": -5}, {"topic_id": "x"}, {}, {"topic_id": 1, "x": 1}])
async def test_bad_topics_are_422(client, case_id, body):
    assert error(await relay(client, "PUT", f"cases/{case_id}/topic", json=body), 422) == "validation_error"


async def test_topic_of_a_missing_case(client, borrower):
    assert error(await relay(client, "PUT", "cases/424242/topic", json={"topic_id": 1}), 404) == "case_not_found"


# ---- the summary card ----


async def test_card_has_no_phone_last_name_or_contract(client, bank, engine, borrower, case_id):
    borrower_id, loan_id = borrower
    await pay_through(bank, "L-1", date(2026, 10, 10))  # November unpaid: in arrears on 26 November
    response = await relay(client, "GET", f"cases/{case_id}/card")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "case_id": case_id,
        "first_name": "Иван",
        "linked": True,
        "reason": "requested",
        "reasons": ["requested"],
        "hardship": False,
        "summary": "Не понимаю начисления",
        "recent_steps": ["menu", "balance"],
        "borrower_id": borrower_id,
        "loans": [
            {
                "id": loan_id,
                "status": "active",
                "in_arrears": True,
                "overdue_amount": "49300.88",
                "next_payment_date": "2026-12-10",
            }
        ],
        "open_applications": [],
        "needs_supervisor": False,
        "created_at": "2026-11-26T09:00:00Z",
    }
    for secret in (SEED_PHONE, SEED_PHONE[2:], "Иванов", "Петрович", "ИК-2021", "000457", "1985"):
        assert secret not in response.text


async def test_card_keeps_every_reason_with_hardship_first(client, borrower, case_id):
    await open_case(client, USER, "complaint", summary="Жалоба")
    await open_case(client, USER, "hardship", summary="Потерял работу")
    card = await get(client, f"cases/{case_id}/card")
    assert (card["reason"], card["reasons"], card["hardship"]) == (
        "hardship",
        ["hardship", "requested", "complaint"],
        True,
    )


async def test_an_unlinked_chats_case_has_its_name_and_no_loan_data(client, bank, borrower):
    stranger = 700_600_099
    body = {"telegram_user_id": stranger, "telegram_name": "Пётр", "language": "en", "summary": "Can't link"}
    created = await client.post("/api/v1/unlinked/support-cases", json=body)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    card = await get(client, f"cases/{case_id}/card")
    assert (card["first_name"], card["linked"], card["borrower_id"]) == ("Пётр", False, None)
    assert (card["loans"], card["open_applications"], card["summary"]) == ([], [], "Can't link")
    case = await get(client, f"cases/{case_id}")
    assert (case["chat_id"], case["first_name"], case["language"], case["borrower_id"]) == (
        stranger,
        "Пётр",
        "en",
        None,
    )
    stored = await relay(client, "POST", f"cases/{case_id}/messages", json=message(telegram_message_id=7))
    assert stored.status_code == 201, stored.text
    closed = await relay(client, "POST", f"cases/{case_id}/close", json={"blocked": True})
    assert closed.json()["status"] == "closed"
    assert (await client.get(f"/api/v1/unlinked/support-cases/{stranger}")).status_code == 404


async def test_card_without_arrears_and_with_a_closed_loan(client, bank, borrower, case_id):
    await pay_through(bank, "L-1", date(2026, 11, 10))
    old = loan_body("B-1", contract_number="ИК-2015/000001", status="closed", closed_on="2024-01-10")
    closed_loan = (await put(bank, "loans/L-9", old))["id"]
    loans = (await get(client, f"cases/{case_id}/card"))["loans"]
    assert loans == [
        {
            "id": borrower[1],
            "status": "active",
            "in_arrears": False,
            "overdue_amount": None,
            "next_payment_date": "2026-12-10",
        },
        {"id": closed_loan, "status": "closed", "in_arrears": False, "overdue_amount": None, "next_payment_date": None},
    ]


async def test_card_lists_open_applications_only(client, bank, engine, borrower, case_id):
    borrower_id, loan_id = borrower
    other_id, other_loan = await linked_borrower(bank, client, engine, telegram_user_id=OTHER_USER, number=2)
    holiday = await add_record(engine, holiday_row(borrower_id, loan_id, created_at=T0 + timedelta(hours=2)))
    certificate = await add_record(engine, certificate_row(borrower_id, loan_id, created_at=T0))
    document = await add_record(engine, document_row(borrower_id, loan_id, created_at=T0 + timedelta(hours=1)))
    decided = holiday_row(
        borrower_id, loan_id, created_at=T0, status=HolidayStatus.REJECTED, idempotency_key="decided-one"
    )
    await add_record(engine, decided)
    await add_record(engine, certificate_row(borrower_id, loan_id, created_at=T0, status="ready"))
    await add_record(engine, document_row(borrower_id, loan_id, created_at=T0, status="approved"))
    await add_record(engine, holiday_row(other_id, other_loan, created_at=T0, idempotency_key="someone-else"))
    card = await get(client, f"cases/{case_id}/card")
    assert card["open_applications"] == [
        {"kind": "certificate", "id": certificate, "status": "pending_staff", "created_at": "2026-11-20T10:00:00Z"},
        {"kind": "document", "id": document, "status": "submitted", "created_at": "2026-11-20T11:00:00Z"},
        {"kind": "holiday", "id": holiday, "status": "submitted", "created_at": "2026-11-20T12:00:00Z"},
    ]


async def test_card_of_a_missing_case(client, borrower):
    assert error(await relay(client, "GET", "cases/424242/card"), 404) == "case_not_found"


# ---- messages ----


async def _messages(engine) -> list[CaseMessage]:
    async with session_of(engine) as session:
        return list(await session.scalars(select(CaseMessage).order_by(CaseMessage.id)))


async def test_messages_are_stored_once(client, engine, case_id, staff):
    first = await relay(client, "POST", f"cases/{case_id}/messages", json=message(telegram_message_id=10))
    assert first.status_code == 201, first.text
    body = first.json()
    assert body == {
        "id": body["id"],
        "at": "2026-11-26T09:00:00Z",
        "direction": "borrower",
        "staff_id": None,
        "kind": "text",
        "text": "Здравствуйте",
        "file_id": None,
        "telegram_message_id": 10,
    }
    again = await relay(client, "POST", f"cases/{case_id}/messages", json=message(telegram_message_id=10))
    assert (again.status_code, again.json()) == (200, body)

    reply = message("staff", 10, staff_telegram_id=ANNA, kind="document", text="Договор", file_id="BQACAgIAAx0")
    stored = await relay(client, "POST", f"cases/{case_id}/messages", json=reply)  # the same id in the other chat
    assert stored.status_code == 201, stored.text
    assert (stored.json()["staff_id"], stored.json()["kind"], stored.json()["file_id"]) == (
        staff[ANNA],
        "document",
        "BQACAgIAAx0",
    )
    note = message("note", 11, staff_telegram_id=BORIS, text="Проверить платёж")
    assert (await relay(client, "POST", f"cases/{case_id}/messages", json=note)).json()["staff_id"] == staff[BORIS]
    photo = message(telegram_message_id=12, kind="photo", text=None, file_id="AgACAgIAAxk")
    sticker = message(telegram_message_id=13, kind="other", text=None)
    for body in (photo, sticker):
        assert (await relay(client, "POST", f"cases/{case_id}/messages", json=body)).status_code == 201
    rows = await _messages(engine)
    assert [(row.direction, row.telegram_message_id, row.kind) for row in rows] == [
        ("borrower", 10, "text"),
        ("staff", 10, "document"),
        ("note", 11, "text"),
        ("borrower", 12, "photo"),
        ("borrower", 13, "other"),
    ]


async def test_concurrent_retries_leave_one_row(client, engine, case_id, staff):
    body = message("staff", 42, staff_telegram_id=ANNA)
    answers = await asyncio.gather(*(relay(client, "POST", f"cases/{case_id}/messages", json=body) for _ in range(6)))
    assert sorted(a.status_code for a in answers) == [200] * 5 + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(await _messages(engine)) == 1


async def test_messages_need_active_staff_and_an_active_case(client, engine, case_id, staff):
    for author in (RETIRED, 123):
        refused = await relay(
            client, "POST", f"cases/{case_id}/messages", json=message("staff", 5, staff_telegram_id=author)
        )
        assert error(refused, 404) == "staff_not_found"
    missing = await relay(client, "POST", "cases/424242/messages", json=message())
    assert error(missing, 404) == "case_not_found"
    await close(client, case_id, staff_telegram_id=ANNA)
    for body in (message(), message("staff", 6, staff_telegram_id=ANNA), message("note", 7, staff_telegram_id=ANNA)):
        assert error(await relay(client, "POST", f"cases/{case_id}/messages", json=body), 409) == "case_closed"
    assert await _messages(engine) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": "robot"}, "direction"),
        ({"kind": "video"}, "kind"),
        ({"text": "x" * 4097}, "text"),
        ({"text": ""}, "text"),
        ({"kind": "photo", "file_id": "f" * 257}, "file_id"),
        ({"telegram_message_id": 0}, "telegram_message_id"),
        ({"telegram_message_id": "one"}, "telegram_message_id"),
        ({"telegram_message_id": None}, "telegram_message_id"),
        ({"direction": "staff"}, "body"),  # who wrote it?
        ({"direction": "note"}, "body"),
        ({"staff_telegram_id": ANNA}, "body"),  # a borrower's message has no staff author
        ({"direction": "staff", "staff_telegram_id": 0}, "staff_telegram_id"),
        ({"text": None}, "body"),  # a text message without text
        ({"kind": "photo", "text": None}, "body"),  # a photo without its file id
        ({"kind": "document", "file_id": None}, "body"),
        ({"bytes": "AAAA"}, "bytes"),
    ],
)
async def test_bad_messages_are_422(client, engine, case_id, staff, change, field):
    response = await relay(client, "POST", f"cases/{case_id}/messages", json=message() | change)
    assert error(response, 422) == "validation_error"
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"]), response.text
    assert await _messages(engine) == []


async def test_a_4096_character_message_fits(client, case_id):
    response = await relay(client, "POST", f"cases/{case_id}/messages", json=message(text="я" * 4096))
    assert response.status_code == 201


# ---- take and close ----


async def test_take_and_take_over(client, engine, case_id, staff):
    anna = await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": ANNA})
    assert anna.status_code == 200, anna.text
    boris = await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": BORIS})
    assert (boris.json()["status"], boris.json()["assigned_to"], boris.json()["assigned_name"]) == (
        "taken",
        staff[BORIS],
        "Борис",
    )
    takes = [entry for entry in await audit_of(engine, "support_case", case_id) if entry[1] == "take_case"]
    assert takes == [
        (f"staff:{staff[ANNA]}", "take_case", {"previous": None}),
        (f"staff:{staff[BORIS]}", "take_case", {"previous": staff[ANNA]}),
    ]


async def test_take_refusals(client, engine, case_id, staff):
    for stranger in (RETIRED, 123):
        refused = await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": stranger})
        assert error(refused, 404) == "staff_not_found"
    missing = await relay(client, "POST", "cases/424242/take", json={"staff_telegram_id": ANNA})
    assert error(missing, 404) == "case_not_found"
    for body in ({}, {"staff_telegram_id": None}, {"staff_telegram_id": "anna"}):
        assert error(await relay(client, "POST", f"cases/{case_id}/take", json=body), 422) == "validation_error"
    await close(client, case_id)
    closed = await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": ANNA})
    assert error(closed, 409) == "case_closed"
    assert (await case_of(engine, case_id)).assigned_to is None


async def test_staff_close_and_close_again(client, engine, case_id, staff, clock):
    await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": ANNA})
    clock.advance(minutes=30)
    closed = await close(client, case_id, staff_telegram_id=ANNA)
    assert (closed["status"], closed["assigned_to"]) == ("closed", staff[ANNA])
    row = await case_of(engine, case_id)
    assert (row.status, row.closed_at) == (CaseStatus.CLOSED, datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    clock.advance(minutes=30)
    again = await close(client, case_id, staff_telegram_id=BORIS)
    assert again == closed
    assert (await case_of(engine, case_id)).closed_at == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    closes = [entry for entry in await audit_of(engine, "support_case", case_id) if entry[1] == "close_case"]
    assert closes == [(f"staff:{staff[ANNA]}", "close_case", {"by": "staff", "blocked": False})]


async def test_the_borrower_leaves(client, engine, borrower, case_id):
    closed = await close(client, case_id, staff_telegram_id=None)
    assert closed["status"] == "closed"
    assert await audit_of(engine, "support_case", case_id) == [
        ("bot", "open_case", {"reason": "requested"}),
        ("bot", "close_case", {"by": "borrower", "blocked": False}),
    ]
    async with session_of(engine) as session:
        assert (await session.get(Borrower, borrower[0])).unreachable_since is None


async def test_a_blocked_bot_closes_and_marks_the_borrower_unreachable(client, engine, borrower, case_id, clock):
    borrower_id, loan_id = borrower
    await add_record(
        engine,
        Notification(
            dedupe_key="due-1",
            borrower_id=borrower_id,
            loan_id=loan_id,
            kind=NotificationKind.PAYMENT_DUE,
            not_before=clock.now + timedelta(days=1),
        ),
    )
    closed = await close(client, case_id, blocked=True)
    assert closed["status"] == "closed"
    async with session_of(engine) as session:
        assert (await session.get(Borrower, borrower_id)).unreachable_since == clock.now
    assert [row.status for row in await outbox(engine)] == ["cancelled"]
    assert ("bot", "borrower_unreachable", {}) in await audit_of(engine, "borrower", borrower_id)
    assert (await audit_of(engine, "support_case", case_id))[-1] == (
        "bot",
        "close_case",
        {"by": "borrower", "blocked": True},
    )


async def test_blocked_on_a_closed_case_changes_nothing(client, engine, borrower, case_id):
    await close(client, case_id)
    await close(client, case_id, blocked=True)
    async with session_of(engine) as session:
        assert (await session.get(Borrower, borrower[0])).unreachable_since is None


async def test_close_refusals(client, case_id, staff):
    refused = await relay(client, "POST", f"cases/{case_id}/close", json={"staff_telegram_id": RETIRED})
    assert error(refused, 404) == "staff_not_found"
    assert error(await relay(client, "POST", "cases/424242/close", json={}), 404) == "case_not_found"
    for body in ({"blocked": "maybe"}, {"staff_telegram_id": 0}, {"why": "bored"}):
        assert error(await relay(client, "POST", f"cases/{case_id}/close", json=body), 422) == "validation_error"
    assert (await get(client, f"cases/{case_id}"))["status"] == "open"


# ---- the chat case in the profile ----


async def test_profile_shows_the_chat_case_until_it_closes(client, borrower, staff):
    assert await chat_case(client) is None
    case_id = await open_case(client, USER)
    assert await chat_case(client) == {"id": case_id, "status": "open", "topic_id": None}
    await relay(client, "PUT", f"cases/{case_id}/topic", json={"topic_id": 31})
    await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": ANNA})
    assert await chat_case(client) == {"id": case_id, "status": "taken", "topic_id": 31}
    await close(client, case_id, staff_telegram_id=ANNA)
    assert await chat_case(client) is None


@pytest.mark.parametrize(
    ("reason", "chat"),
    [
        ("requested", True),
        ("misunderstood", True),
        ("complaint", True),
        ("low_rating", True),
        ("early_repayment", False),
        ("refinancing", False),
        ("re_registration", False),
        ("certificate", False),
        ("other", False),
    ],
)
async def test_only_chat_reasons_make_a_chat_case(client, borrower, reason, chat):
    case_id = await open_case(client, USER, reason)
    assert await chat_case(client) == ({"id": case_id, "status": "open", "topic_id": None} if chat else None)


async def test_someone_elses_case_is_not_my_chat_case(client, bank, engine, borrower):
    await linked_borrower(bank, client, engine, telegram_user_id=OTHER_USER, number=2)
    theirs = await open_case(client, OTHER_USER)
    assert await chat_case(client) is None
    assert (await chat_case(client, OTHER_USER))["id"] == theirs


# ---- who may call ----


ROUTES = [
    ("GET", f"staff/{ANNA}", None),
    ("GET", "cases/{case}", None),
    ("GET", "topics/1", None),
    ("PUT", "cases/{case}/topic", {"topic_id": 1}),
    ("GET", "cases/{case}/card", None),
    ("POST", "cases/{case}/messages", message()),
    ("POST", "cases/{case}/take", {"staff_telegram_id": ANNA}),
    ("POST", "cases/{case}/close", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
async def test_the_service_token_is_required(app, engine, anonymous, bank, case_id, staff, method, path, body):
    async with client_with(app, f"token-{ANNA}") as staff_member:  # a staff token is not the bot's either
        for caller in (anonymous, bank, staff_member):
            response = await relay(caller, method, path.format(case=case_id), json=body)
            assert error(response, 401) == "unauthorized"
    assert (await case_of(engine, case_id)).status is CaseStatus.OPEN
    async with session_of(engine) as session:
        assert await session.scalar(select(func.count()).select_from(CaseMessage)) == 0


@pytest.mark.parametrize("bad", ["0", "abc", str(2**63)])
async def test_bad_case_ids_are_422(client, bad):
    for path in (f"cases/{bad}", f"cases/{bad}/card", f"topics/{bad}"):
        assert error(await relay(client, "GET", path), 422) == "validation_error"

"""The transcript for staff, and a low rating of a support case bringing it back for a supervisor."""

import pytest
from sqlalchemy import select

from api.feedback import reopen
from api.models import AuditEntry, CaseStatus
from tests.api.outbox_helpers import client_with, linked_borrower, session_of
from tests.api.relay_helpers import audit_of, case_of, close, message, open_case, relay
from tests.helpers import as_user

USER = 700_700_001
OTHER_USER = 700_700_002
ANNA, BORIS, RETIRED = 800_700_001, 800_700_002, 800_700_003
STAFF = "/api/v1/staff/support-cases"


@pytest.fixture
async def anna(app, staff):
    async with client_with(app, f"token-{ANNA}") as client:
        yield client


@pytest.fixture
async def case_id(client, borrower) -> int:
    return await open_case(client, USER, summary="Хочу поговорить с человеком")


async def post(client, case_id: int, body: dict) -> None:
    response = await relay(client, "POST", f"cases/{case_id}/messages", json=body)
    assert response.status_code == 201, response.text


def rate(client, case_id: int, score: int, comment: str | None = None, user: int = USER):
    body = {"subject": "support_case", "subject_id": case_id, "score": score, "comment": comment}
    return client.post("/api/v1/me/feedback", json=body, headers=as_user(user))


async def queue(staff_client, **params) -> list[dict]:
    response = await staff_client.get(STAFF, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


# ---- the transcript ----


async def test_transcript_oldest_first_with_authors(client, anna, engine, case_id, staff, clock):
    await post(client, case_id, message(telegram_message_id=100, text="Мне не пришёл график"))
    clock.advance(minutes=2)
    await post(client, case_id, message("note", 501, staff_telegram_id=BORIS, text="Проверить график"))
    clock.advance(minutes=1)
    reply = message("staff", 502, staff_telegram_id=ANNA, kind="document", text="Ваш график", file_id="BQAC-1")
    await post(client, case_id, reply)
    clock.advance(minutes=1)
    await post(client, case_id, message(telegram_message_id=101, kind="photo", text=None, file_id="AgAC-7"))
    response = await anna.get(f"{STAFF}/{case_id}/transcript")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "case_id": case_id,
        "messages": [
            {
                "at": "2026-11-26T09:00:00Z",
                "direction": "borrower",
                "author": "borrower",
                "kind": "text",
                "text": "Мне не пришёл график",
                "file_id": None,
            },
            {
                "at": "2026-11-26T09:02:00Z",
                "direction": "note",
                "author": "Борис",
                "kind": "text",
                "text": "Проверить график",
                "file_id": None,
            },
            {
                "at": "2026-11-26T09:03:00Z",
                "direction": "staff",
                "author": "Анна",
                "kind": "document",
                "text": "Ваш график",
                "file_id": "BQAC-1",
            },
            {
                "at": "2026-11-26T09:04:00Z",
                "direction": "borrower",
                "author": "borrower",
                "kind": "photo",
                "text": None,
                "file_id": "AgAC-7",
            },
        ],
    }
    assert (f"staff:{staff[ANNA]}", "read_transcript", {}) in await audit_of(engine, "support_case", case_id)


async def test_transcript_of_a_closed_case_and_of_a_missing_one(client, anna, case_id):
    await post(client, case_id, message(telegram_message_id=1))
    await close(client, case_id)
    assert len((await anna.get(f"{STAFF}/{case_id}/transcript")).json()["messages"]) == 1
    missing = await anna.get(f"{STAFF}/424242/transcript")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "support_case_not_found")
    assert (await anna.get(f"{STAFF}/0/transcript")).status_code == 422


async def test_transcript_needs_a_staff_token(app, client, anonymous, bank, engine, case_id, staff):
    async with client_with(app, f"token-{RETIRED}") as retired:
        for caller in (anonymous, client, bank, retired):
            response = await caller.get(f"{STAFF}/{case_id}/transcript")
            assert (response.status_code, response.json()["error"]["code"]) == (401, "unauthorized")
    async with session_of(engine) as session:
        reads = await session.scalars(select(AuditEntry).where(AuditEntry.action == "read_transcript"))
        assert reads.all() == []


# ---- a low rating brings the case back for a supervisor ----


async def test_a_low_rating_reopens_the_case_for_a_supervisor(client, anna, engine, case_id, staff):
    await relay(client, "PUT", f"cases/{case_id}/topic", json={"topic_id": 77})
    await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": ANNA})
    await close(client, case_id, staff_telegram_id=ANNA)
    assert await queue(anna, needs_supervisor="true") == []

    response = await rate(client, case_id, 1, "Так и не ответили")
    assert response.status_code == 201, response.text
    assert response.json()["offer_person"] is True
    case = await case_of(engine, case_id)
    assert (case.status, case.assigned_to, case.closed_at, case.needs_supervisor, case.topic_id) == (
        CaseStatus.OPEN,
        None,
        None,
        True,
        77,
    )
    assert case.summary == "Хочу поговорить с человеком\n\n1/5: Так и не ответили"
    [flagged] = await queue(anna, needs_supervisor="true")
    assert (flagged["id"], flagged["needs_supervisor"], flagged["status"]) == (case_id, True, "open")
    assert await queue(anna, needs_supervisor="false") == []
    feedback_id = response.json()["id"]
    assert (await audit_of(engine, "support_case", case_id))[-1] == (
        "bot",
        "reopen_for_supervisor",
        {"rated_case": case_id, "feedback": feedback_id, "score": 1},
    )
    profile = (await client.get("/api/v1/me", headers=as_user(USER))).json()
    assert profile["chat_case"] == {"id": case_id, "status": "open", "topic_id": 77}
    card = (await relay(client, "GET", f"cases/{case_id}/card")).json()
    assert card["needs_supervisor"] is True


async def test_a_low_rating_flags_the_borrowers_other_active_case(client, anna, engine, case_id, staff):
    await close(client, case_id, staff_telegram_id=ANNA)
    newer = await open_case(client, USER, "complaint", summary="Жалоба")
    await relay(client, "POST", f"cases/{newer}/take", json={"staff_telegram_id": BORIS})
    response = await rate(client, case_id, 2)
    assert response.status_code == 201, response.text
    old, active = await case_of(engine, case_id), await case_of(engine, newer)
    assert (old.status, old.needs_supervisor) == (CaseStatus.CLOSED, False)
    assert (active.status, active.assigned_to, active.needs_supervisor) == (CaseStatus.TAKEN, staff[BORIS], True)
    assert active.summary == "Жалоба\n\n2/5"
    assert [item["id"] for item in await queue(anna, status="taken", needs_supervisor="true")] == [newer]
    assert (await audit_of(engine, "support_case", newer))[-1][:2] == ("bot", "flag_for_supervisor")


async def test_a_low_rating_of_a_case_still_active_flags_it_in_place(client, engine, case_id, staff):
    await relay(client, "POST", f"cases/{case_id}/take", json={"staff_telegram_id": ANNA})
    assert (await rate(client, case_id, 1)).status_code == 201
    case = await case_of(engine, case_id)
    assert (case.status, case.assigned_to, case.needs_supervisor) == (CaseStatus.TAKEN, staff[ANNA], True)


async def test_a_case_opened_while_reopening_is_flagged_instead(client, engine, case_id, monkeypatch):
    """The race: the check saw no active case, but one was opened before the reopening; the index refuses it."""
    await close(client, case_id)
    newer = await open_case(client, USER, "misunderstood")
    real, calls = reopen._active_case, []

    async def missed_first(session, borrower_id):
        calls.append(borrower_id)
        return None if len(calls) == 1 else await real(session, borrower_id)

    monkeypatch.setattr(reopen, "_active_case", missed_first)
    response = await rate(client, case_id, 1, "Плохо")
    assert response.status_code == 201, response.text
    assert len(calls) == 2
    old, active = await case_of(engine, case_id), await case_of(engine, newer)
    assert (old.status, old.needs_supervisor) == (CaseStatus.CLOSED, False)
    assert (active.status, active.needs_supervisor, active.summary) == (CaseStatus.OPEN, True, "1/5: Плохо")
    async with session_of(engine) as session:
        rated = await session.scalar(select(AuditEntry.details).where(AuditEntry.action == "rate"))
    assert rated["score"] == 1  # the rating survived the refused reopening


@pytest.mark.parametrize("score", [3, 4, 5])
async def test_a_fair_rating_changes_no_case(client, engine, case_id, score):
    closed = await close(client, case_id)
    assert (await rate(client, case_id, score, "Нормально")).status_code == 201
    case = await case_of(engine, case_id)
    assert (case.status, case.needs_supervisor, case.summary) == (
        CaseStatus.CLOSED,
        False,
        "Хочу поговорить с человеком",
    )
    assert (await relay(client, "GET", f"cases/{case_id}")).json() == closed


async def test_the_summary_stays_within_2000_characters(client, engine, borrower):
    case_id = await open_case(client, USER, summary="с" * 1990)
    await close(client, case_id)
    assert (await rate(client, case_id, 1, "к" * 2000)).status_code == 201
    assert (await case_of(engine, case_id)).summary == "1/5: " + "к" * 1995  # the newest kept, score first


async def test_a_low_rating_of_someone_elses_case_is_404_and_reopens_nothing(client, bank, engine, borrower):
    await linked_borrower(bank, client, engine, telegram_user_id=OTHER_USER, number=2)
    theirs = await open_case(client, OTHER_USER)
    await close(client, theirs)
    response = await rate(client, theirs, 1)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "support_case_not_found")
    case = await case_of(engine, theirs)
    assert (case.status, case.needs_supervisor) == (CaseStatus.CLOSED, False)


async def test_a_low_rating_of_something_else_reopens_no_case(client, engine, case_id):
    await close(client, case_id)
    response = await client.post("/api/v1/me/feedback", json={"subject": "general", "score": 1}, headers=as_user(USER))
    assert response.status_code == 201
    assert (await case_of(engine, case_id)).status is CaseStatus.CLOSED


async def test_queue_shows_the_flag_and_refuses_a_bad_filter(anna, case_id):
    [item] = await queue(anna)
    assert (item["id"], item["needs_supervisor"]) == (case_id, False)
    response = await anna.get(STAFF, params={"needs_supervisor": "perhaps"})
    assert (response.status_code, response.json()["error"]["code"]) == (422, "validation_error")

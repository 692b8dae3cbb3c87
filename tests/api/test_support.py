"""Support cases: one active case per borrower, reused by a new request, and when staff will answer."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import CaseStatus, SupportCase
from api.support.hours import availability
from tests.helpers import as_user

USER = 700_000_401
OTHER_USER = 700_000_402
MOSCOW = ZoneInfo("Europe/Moscow")
PATH = "/api/v1/me/support-cases"
BODY = {
    "reason": "requested",
    "summary": "Хочу поговорить с человеком",
    "recent_steps": ["menu", "balance"],
    "details": {"dialog": "balance", "misunderstood": 0},
}


def _open(client, body: dict = BODY, user: int = USER):
    return client.post(PATH, json=body, headers=as_user(user))


async def _set_status(engine, case_id: int, status: CaseStatus) -> None:
    async with AsyncSession(engine) as session:
        await session.execute(update(SupportCase).where(SupportCase.id == case_id).values(status=status))
        await session.commit()


# ---- working hours (pure) ----


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("now", "in_hours", "back_at"),
    [
        (_at(2026, 11, 27, 19, 30), False, _at(2026, 11, 30, 9)),  # Friday evening → Monday 09:00
        (_at(2026, 11, 28, 12, 0), False, _at(2026, 11, 30, 9)),  # Saturday
        (_at(2026, 11, 29, 23, 59), False, _at(2026, 11, 30, 9)),  # Sunday night
        (_at(2026, 11, 30, 8, 59), False, _at(2026, 11, 30, 9)),  # Monday before opening
        (_at(2026, 11, 30, 9, 0), True, None),
        (_at(2026, 11, 26, 17, 59), True, None),  # Thursday, a minute before closing
        (_at(2026, 11, 26, 18, 0), False, _at(2026, 11, 27, 9)),  # closing time → Friday 09:00
    ],
)
def test_staff_hours(now, in_hours, back_at):
    staff = availability(now, start_hour=9, end_hour=18, zone=MOSCOW)
    assert (staff.in_hours, staff.staff_back_at) == (in_hours, back_at)


def test_staff_hours_are_judged_in_the_bank_zone_whatever_the_moment_zone():
    friday_evening_utc = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # 19:30 in Moscow
    staff = availability(friday_evening_utc, start_hour=9, end_hour=18, zone=MOSCOW)
    assert staff.staff_back_at == _at(2026, 11, 30, 9)
    assert staff.staff_back_at.utcoffset().total_seconds() == 3 * 3600


# ---- over HTTP ----


async def test_first_request_opens_a_case_in_hours(client, loan_id, engine):
    response = await _open(client, BODY | {"loan_id": loan_id})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body | {"id": 0} == {
        "id": 0,
        "status": "open",
        "reason": "requested",
        "reasons": ["requested"],
        "summary": "Хочу поговорить с человеком",
        "recent_steps": ["menu", "balance"],
        "loan_id": loan_id,
        "details": {"dialog": "balance", "misunderstood": 0},
        "created_at": "2026-11-26T09:00:00Z",
        "closed_at": None,
        "expected_response": {"in_hours": True, "staff_back_at": None},  # Thursday 12:00 in Moscow
        "reopened": False,
    }
    async with AsyncSession(engine) as session:
        (row,) = (await session.scalars(select(SupportCase))).all()
    assert (row.id, row.status, row.loan_id) == (body["id"], CaseStatus.OPEN, loan_id)


async def test_out_of_hours_says_when_staff_are_back(client, loan_id, clock):
    clock.now = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # Friday 19:30 in Moscow
    response = await _open(client)
    assert response.json()["expected_response"] == {
        "in_hours": False,
        "staff_back_at": "2026-11-30T09:00:00+03:00",
    }


async def test_active_case_is_reused_and_a_complaint_takes_over(client, loan_id, engine):
    first = (await _open(client)).json()
    again = await _open(client, {"reason": "misunderstood", "summary": "И ещё вопрос", "recent_steps": ["estimate"]})
    assert again.status_code == 200
    body = again.json()
    assert (body["id"], body["reopened"], body["reason"], body["summary"]) == (
        first["id"],
        True,
        "requested",
        "Хочу поговорить с человеком\n\nИ ещё вопрос",
    )
    assert body["recent_steps"] == ["menu", "balance", "estimate"]

    await _set_status(engine, first["id"], CaseStatus.TAKEN)
    complaint = await _open(
        client, {"reason": "complaint", "summary": "Жалоба на списание", "details": {"misunderstood": 3}}
    )
    assert complaint.status_code == 200
    body = complaint.json()
    assert (body["id"], body["status"], body["reason"], body["summary"]) == (
        first["id"],
        "taken",
        "complaint",
        "Хочу поговорить с человеком\n\nИ ещё вопрос\n\nЖалоба на списание",
    )
    assert body["details"] == {"dialog": "balance", "misunderstood": 3}
    assert body["reasons"] == ["requested", "misunderstood", "complaint"], "every reason kept, not only the first"
    async with AsyncSession(engine) as session:
        assert len((await session.scalars(select(SupportCase))).all()) == 1


async def test_hardship_leads_the_case_whenever_it_comes(client, loan_id):
    await _open(client, {"reason": "early_repayment", "summary": "Досрочно 100 000"})
    await _open(client, {"reason": "complaint", "summary": "Жалоба"})
    body = (await _open(client, {"reason": "hardship", "summary": "Потерял работу"})).json()
    assert body["reason"] == "hardship"
    assert body["reasons"] == ["hardship", "early_repayment", "complaint"]
    again = (await _open(client, {"reason": "requested"})).json()
    assert (again["reason"], again["reasons"]) == (
        "hardship",
        ["hardship", "early_repayment", "complaint", "requested"],
    )


async def test_a_person_asked_for_on_a_back_office_case_makes_it_a_chat_case(client, loan_id):
    await _open(client, {"reason": "early_repayment"})
    assert (await client.get("/api/v1/me", headers=as_user(USER))).json()["chat_case"] is None
    await _open(client, {"reason": "requested"})
    assert (await client.get("/api/v1/me", headers=as_user(USER))).json()["chat_case"] is not None


async def test_steps_kept_are_the_newest_fifty(client, loan_id):
    for batch in range(3):
        response = await _open(client, {"reason": "requested", "recent_steps": [f"s{batch}-{n}" for n in range(20)]})
    steps = response.json()["recent_steps"]
    assert len(steps) == 50
    assert steps[0] == "s0-10" and steps[-1] == "s2-19"


async def test_closed_case_is_not_reused(client, loan_id, engine, clock):
    first = (await _open(client)).json()
    await _set_status(engine, first["id"], CaseStatus.CLOSED)
    clock.advance(hours=1)
    second = await _open(client)
    assert second.status_code == 201
    assert second.json()["reopened"] is False
    assert second.json()["id"] != first["id"]

    listed = await client.get(PATH, headers=as_user(USER))
    assert [(c["id"], c["status"]) for c in listed.json()] == [(second.json()["id"], "open"), (first["id"], "closed")]
    closed = (await client.get(f"{PATH}/{first['id']}", headers=as_user(USER))).json()
    assert closed["expected_response"] is None
    assert "reopened" not in closed


async def test_another_borrowers_case_and_loan_are_404(client, loan_id, other_loan_id):
    theirs = (await _open(client, user=OTHER_USER)).json()
    missing = await client.get(f"{PATH}/999999", headers=as_user(USER))
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "support_case_not_found"
    mine = await client.get(f"{PATH}/{theirs['id']}", headers=as_user(USER))
    assert (mine.status_code, mine.json()) == (404, missing.json())
    on_their_loan = await _open(client, BODY | {"loan_id": other_loan_id})
    assert on_their_loan.status_code == 404
    assert on_their_loan.json()["error"]["code"] == "loan_not_found"
    assert (await client.get(PATH, headers=as_user(USER))).json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "angry"}, "reason"),
        ({"summary": "x" * 2001}, "summary"),
        ({"recent_steps": ["step"] * 21}, "recent_steps"),
        ({"recent_steps": ["x" * 201]}, "recent_steps"),
        ({"recent_steps": [""]}, "recent_steps"),
        ({"recent_steps": "menu"}, "recent_steps"),
        ({"loan_id": "abc"}, "loan_id"),
        ({"loan_id": 0}, "loan_id"),
        ({"details": {"nested": {"a": 1}}}, "details"),
        ({"details": {"list": [1, 2]}}, "details"),
        ({"details": {"Bad Key": 1}}, "details"),
        ({"details": {"note": "x" * 201}}, "details"),
        ({"details": {f"k{n}": n for n in range(21)}}, "details"),
        ({"surprise": 1}, "surprise"),
    ],
)
async def test_bad_requests_are_422(client, loan_id, change, field):
    response = await _open(client, BODY | change)
    assert response.status_code == 422
    assert any(f["field"].startswith(field) for f in response.json()["error"]["fields"])


async def test_reason_is_required(client, loan_id):
    response = await _open(client, {"summary": "help"})
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == ["reason"]


@pytest.mark.parametrize("case_path", ["0", "abc", str(2**63)])
async def test_bad_case_ids_are_422(client, loan_id, case_path):
    assert (await client.get(f"{PATH}/{case_path}", headers=as_user(USER))).status_code == 422


async def test_tokens_and_linking_are_checked(client, anonymous, bank, loan_id):
    assert (await anonymous.post(PATH, json=BODY, headers=as_user(USER))).status_code == 401
    assert (await bank.get(PATH, headers=as_user(USER))).status_code == 401
    unlinked = await _open(client, user=USER + 7)
    assert unlinked.status_code == 403
    assert unlinked.json()["error"]["code"] == "not_linked"


async def test_requests_at_once_share_one_case(client, engine, loan_id):
    import asyncio

    answers = await asyncio.gather(*(_open(client) for _ in range(5)))
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 200, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    async with AsyncSession(engine) as session:
        assert len((await session.scalars(select(SupportCase))).all()) == 1


# ---- an unlinked chat ----

UNLINKED = "/api/v1/unlinked/support-cases"
STRANGER = 700_000_499
ASKED = {"telegram_user_id": STRANGER, "telegram_name": "Пётр", "language": "ru", "summary": "Не могу привязать чат"}


async def test_an_unlinked_chat_opens_a_case_with_its_name_and_words(client, loan_id, engine):
    response = await client.post(UNLINKED, json=ASKED)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["reason"], body["summary"], body["loan_id"], body["reopened"]) == (
        "requested",
        "Не могу привязать чат",
        None,
        False,
    )
    assert body["expected_response"] == {"in_hours": True, "staff_back_at": None}
    async with AsyncSession(engine) as session:
        (row,) = (await session.scalars(select(SupportCase))).all()
    assert (row.borrower_id, row.telegram_user_id, row.telegram_name) == (None, STRANGER, "Пётр")

    again = await client.post(UNLINKED, json=ASKED | {"summary": "Ещё раз", "reason": "complaint"})
    assert again.status_code == 200
    assert (again.json()["id"], again.json()["reasons"]) == (body["id"], ["requested", "complaint"])
    found = await client.get(f"{UNLINKED}/{STRANGER}")
    assert found.status_code == 200 and found.json()["id"] == body["id"]
    assert (await client.get(f"{UNLINKED}/{STRANGER + 1}")).status_code == 404


async def test_a_linked_chat_cannot_ask_as_unlinked(client, loan_id):
    response = await client.post(UNLINKED, json=ASKED | {"telegram_user_id": USER})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "chat_linked"


async def test_an_unlinked_case_is_never_a_borrowers(client, loan_id):
    await client.post(UNLINKED, json=ASKED | {"telegram_user_id": USER + 50})
    assert (await client.get(PATH, headers=as_user(USER))).json() == []
    assert (await client.get(f"{UNLINKED}/{USER}")).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"telegram_user_id": 0},
        {"telegram_name": "x" * 65},
        {"language": "de"},
        {"reason": "early_repayment"},
        {"reason": "hardship"},
        {"summary": "x" * 2001},
        {"loan_id": 1},
    ],
)
async def test_bad_unlinked_requests_are_422(client, loan_id, change):
    assert (await client.post(UNLINKED, json=ASKED | change)).status_code == 422


async def test_the_unlinked_api_needs_the_service_token(anonymous, loan_id):
    assert (await anonymous.post(UNLINKED, json=ASKED)).status_code == 401
    assert (await anonymous.get(f"{UNLINKED}/{STRANGER}")).status_code == 401

"""The relay's copies through HTTP: a relayed message is kept in the transcript with the relay task that copies it,
in one transaction, once however often the bot retries; the claim hands out its source; bad bodies are 422."""

import asyncio

import pytest
from sqlalchemy import select

from api.models import CaseMessage, RelayTask, RelayTaskKind, RelayTaskStatus
from tests.api.outbox_helpers import session_of
from tests.api.relay_helpers import close, message, open_case, relay

USER = 700_610_001
ANNA, BORIS, RETIRED = 800_610_001, 800_610_002, 800_610_003
STAFF_CHAT = -1001000000001


@pytest.fixture
async def case_id(client, borrower) -> int:
    return await open_case(client, USER, summary="Вопрос по платежу")


def copy(direction: str = "borrower", telegram_message_id: int = 1, **fields) -> dict:
    source = USER if direction == "borrower" else STAFF_CHAT
    return message(direction, telegram_message_id, source_chat_id=source, **fields)


async def rows(engine) -> list[tuple[CaseMessage, RelayTask | None]]:
    async with session_of(engine) as db:
        result = await db.execute(
            select(CaseMessage, RelayTask).outerjoin(RelayTask, RelayTask.message_id == CaseMessage.id)
        )
        return [tuple(row) for row in result.all()]


async def test_a_copy_is_kept_with_its_task_once_however_often_retried(client, engine, case_id, staff):
    answers = await asyncio.gather(*(relay(client, "POST", f"cases/{case_id}/copies", json=copy()) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    reply = copy("staff", 7, staff_telegram_id=ANNA, kind="document", text=None, file_id="BQACAgIAAx0")
    assert (await relay(client, "POST", f"cases/{case_id}/copies", json=reply)).status_code == 201

    [(borrower_line, copy_in), (staff_line, copy_out)] = await rows(engine)
    assert (copy_in.kind, copy_in.source_chat_id, copy_in.status) == (RelayTaskKind.COPY_IN, USER, "pending")
    assert (copy_out.kind, copy_out.source_chat_id, copy_out.staff_id) == (
        RelayTaskKind.COPY_OUT,
        STAFF_CHAT,
        staff[ANNA],
    )
    assert staff_line.file_id == "BQACAgIAAx0" and borrower_line.text == "Здравствуйте"


async def test_the_claim_gives_the_source_and_a_cases_copies_in_order(client, case_id, staff):
    for n in (3, 4):
        await relay(client, "POST", f"cases/{case_id}/copies", json=copy(telegram_message_id=n))
    first = (await relay(client, "POST", "tasks/claim", json={"limit": 10})).json()["items"]
    assert [(t["kind"], t["copy_of"]) for t in first] == [("copy_in", {"from_chat_id": USER, "message_id": 3})]
    assert first[0]["message"]["text"] == "Здравствуйте"
    task = first[0]
    for step in ("sending", "delivered", "done"):
        answer = await relay(client, "POST", f"tasks/{task['id']}/{step}", json={"attempt": task["attempt"]})
        assert answer.status_code == 200, answer.text
    [second] = (await relay(client, "POST", "tasks/claim", json={"limit": 10})).json()["items"]
    assert second["copy_of"] == {"from_chat_id": USER, "message_id": 4}


async def test_a_copy_telegram_failed_is_handed_back_unstarted_and_claimed_again_after_its_wait(
    client, engine, clock, case_id, staff
):
    for n in (3, 4):
        await relay(client, "POST", f"cases/{case_id}/copies", json=copy(telegram_message_id=n))
    [task] = (await relay(client, "POST", "tasks/claim", json={"limit": 10})).json()["items"]
    path, attempt = f"tasks/{task['id']}", task["attempt"]
    assert (await relay(client, "POST", f"{path}/sending", json={"attempt": attempt})).status_code == 200
    unsent = {"attempt": attempt, "error": "Telegram 5xx: Internal Server Error", "retry_after": 30}
    stale = await relay(client, "POST", f"{path}/unsent", json=unsent | {"attempt": attempt + 1})
    assert stale.status_code == 409  # only the claim that holds it hands it back
    answer = await relay(client, "POST", f"{path}/unsent", json=unsent)
    assert answer.status_code == 200 and answer.json()["status"] == "claimed"
    assert (await relay(client, "POST", "tasks/claim", json={"limit": 10})).json()["items"] == []  # its wait, and
    # the case's next copy waits behind it

    clock.advance(seconds=31)
    [again] = (await relay(client, "POST", "tasks/claim", json={"limit": 10})).json()["items"]
    assert (again["id"], again["attempt"], again["delivered"]) == (task["id"], attempt + 1, False)
    for step in ("sending", "delivered", "done"):  # not given up as unconfirmed: its start was taken back
        assert (await relay(client, "POST", f"{path}/{step}", json={"attempt": again["attempt"]})).status_code == 200
    delivered = {"attempt": again["attempt"], "error": "late", "retry_after": 30}
    assert (await relay(client, "POST", f"{path}/unsent", json=delivered)).status_code == 409
    for bad in ({"retry_after": 0}, {"retry_after": 3601}, {"error": "x" * 501}):
        assert (await relay(client, "POST", f"{path}/unsent", json=unsent | bad)).status_code == 422


async def test_a_closed_case_queues_nothing_but_what_was_queued_still_goes(client, engine, case_id, staff):
    await relay(client, "POST", f"cases/{case_id}/copies", json=copy(telegram_message_id=5))
    await close(client, case_id, staff_telegram_id=ANNA)
    refused = await relay(client, "POST", f"cases/{case_id}/copies", json=copy(telegram_message_id=6))
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "case_closed")
    [task] = (await relay(client, "POST", "tasks/claim", json={})).json()["items"]
    assert task["copy_of"]["message_id"] == 5
    async with session_of(engine) as db:
        assert (await db.get(RelayTask, task["id"])).status is RelayTaskStatus.CLAIMED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": "note", "staff_telegram_id": ANNA}, "direction"),
        ({"source_chat_id": None}, "source_chat_id"),
        ({"source_chat_id": 2**63}, "source_chat_id"),
        ({"staff_telegram_id": ANNA}, None),  # a borrower's message has no author among staff
    ],
)
async def test_bad_copies_are_422(client, case_id, staff, change, field):
    response = await relay(client, "POST", f"cases/{case_id}/copies", json=copy() | change)
    assert response.status_code == 422, response.text
    if field:
        assert field in response.text

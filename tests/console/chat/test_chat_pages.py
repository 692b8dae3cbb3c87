"""The chat page over HTTP: both roles read the transcript and act on the case (reply with text or a file, keep a
private note, take, close), every action needs the session's CSRF token, a closed case refuses replies and notes,
a note gives the bot nothing to send, and each change is published on the event bus with ids only."""

import pytest

from api.models import CaseStatus, RelayTaskKind, StaffRole
from tests.api.relay_helpers import case_of, close
from tests.console.chat.helpers import escalated_case, tasks_of
from tests.samples import FAKE_PDF, pdf

HTMX = {"HX-Request": "true"}


def headers(client) -> dict[str, str]:
    return {**HTMX, "X-CSRF-Token": client.csrf}


@pytest.fixture
async def case_id(bank, client) -> int:
    return await escalated_case(bank, client)


@pytest.mark.parametrize("role", [StaffRole.OPERATOR, StaffRole.SUPERVISOR])
async def test_both_roles_read_the_chat_with_no_more_of_the_borrower_than_the_topic(console_client, case_id, role):
    staff = await console_client(role)
    page = await staff.get(f"/console/cases/{case_id}")
    assert page.status_code == 200
    assert "Почему вырос платёж?" in page.text and f"№ {case_id}" in page.text
    assert "Иван" in page.text and "Иванов" not in page.text and "+7916" not in page.text
    assert f'data-events="/console/cases/{case_id}/events"' in page.text


@pytest.mark.parametrize("role", [StaffRole.OPERATOR, StaffRole.SUPERVISOR])
async def test_a_reply_is_stored_queued_for_the_bot_and_announced(app, engine, console_client, case_id, role):
    staff = await console_client(role)
    async with app.state.events.subscribe() as heard:
        response = await staff.post(
            f"/console/cases/{case_id}/reply", data={"text": "Добрый день!"}, headers=headers(staff)
        )
        assert response.status_code == 204
        event = await heard.get()
    [task] = await tasks_of(engine, case_id)
    assert (task.kind, task.status.value) == (RelayTaskKind.REPLY, "pending")
    assert event.name == "case.message" and event.ids == {"case_id": case_id, "message_id": task.message_id}
    page = await staff.get(f"/console/cases/{case_id}/transcript")
    assert "Добрый день!" in page.text and 'class="delivery waiting"' in page.text


async def test_a_plain_form_post_comes_back_to_the_page(console_client, case_id):
    staff = await console_client()
    response = await staff.post(
        f"/console/cases/{case_id}/reply", data={"text": "Без скрипта", "csrf_token": staff.csrf}
    )
    assert (response.status_code, response.headers["location"]) == (303, f"/console/cases/{case_id}")


@pytest.mark.parametrize("action", ["reply", "note", "take", "close"])
@pytest.mark.parametrize("token", [None, "forged"])
async def test_every_action_needs_the_sessions_csrf_token(engine, console_client, case_id, action, token):
    staff = await console_client()
    sent = {"X-CSRF-Token": token} if token else {}
    response = await staff.post(f"/console/cases/{case_id}/{action}", data={"text": "x"}, headers={**HTMX, **sent})
    assert response.status_code == 403
    assert await tasks_of(engine, case_id) == []
    assert (await case_of(engine, case_id)).status is CaseStatus.OPEN


async def test_a_closed_case_refuses_replies_and_notes(engine, client, console_client, case_id):
    staff = await console_client()
    await close(client, case_id)
    for action in ("reply", "note", "take", "close"):
        response = await staff.post(f"/console/cases/{case_id}/{action}", data={"text": "Ещё"}, headers=headers(staff))
        assert (response.status_code, response.json()["error"]["code"]) == (409, "case_closed"), action
    assert await tasks_of(engine, case_id) == []
    page = await staff.get(f"/console/cases/{case_id}")
    assert 'id="reply-form"' not in page.text


async def test_a_note_is_kept_and_gives_the_bot_nothing_to_send(engine, client, console_client, case_id):
    staff = await console_client()
    response = await staff.post(
        f"/console/cases/{case_id}/note", data={"text": "Клиент нервничает"}, headers=headers(staff)
    )
    assert response.status_code == 204
    assert await tasks_of(engine, case_id) == []
    claimed = await client.post("/api/v1/relay/tasks/claim", json={"limit": 10})
    assert claimed.json()["items"] == []
    page = await staff.get(f"/console/cases/{case_id}/transcript")
    assert "Клиент нервничает" in page.text and 'class="line note"' in page.text


async def test_a_file_reply_is_kept_linked_and_handed_to_the_bot(client, console_client, case_id):
    staff = await console_client()
    content = pdf("schedule")
    files = {"file": ("график.pdf", content, "application/pdf")}
    response = await staff.post(
        f"/console/cases/{case_id}/reply", data={"text": "Ваш график"}, files=files, headers=headers(staff)
    )
    assert response.status_code == 204
    page = await staff.get(f"/console/cases/{case_id}/transcript")
    [link] = [part.split('"')[0] for part in page.text.split('href="')[1:] if "/files/" in part]
    downloaded = await staff.get(link)
    assert (downloaded.status_code, downloaded.content) == (200, content)
    [task] = (await client.post("/api/v1/relay/tasks/claim", json={"limit": 10})).json()["items"]
    assert task["message"]["file"] == {
        "file_name": "график.pdf",
        "content_type": "application/pdf",
        "size": len(content),
    }
    assert (await client.get(f"/api/v1/relay/tasks/{task['id']}/file")).content == content


async def test_a_file_that_is_not_a_pdf_or_picture_is_refused(engine, console_client, case_id):
    staff = await console_client()
    files = {"file": ("fake.pdf", FAKE_PDF, "application/pdf")}
    response = await staff.post(f"/console/cases/{case_id}/reply", files=files, headers=headers(staff))
    assert response.status_code == 422
    assert await tasks_of(engine, case_id) == []


async def test_a_file_of_another_case_is_not_served(bank, client, console_client, case_id):
    staff = await console_client()
    files = {"file": ("a.pdf", pdf(), "application/pdf")}
    await staff.post(f"/console/cases/{case_id}/reply", files=files, headers=headers(staff))
    page = await staff.get(f"/console/cases/{case_id}/transcript")
    message_id = page.text.split("/files/")[1].split('"')[0]
    assert (await staff.get(f"/console/cases/{case_id + 1}/files/{message_id}")).status_code == 404


async def test_taking_shows_the_holder_and_tells_the_bot(engine, console_client, case_id):
    olga = await console_client()
    maria = await console_client(StaffRole.SUPERVISOR)
    assert (await olga.post(f"/console/cases/{case_id}/take", headers=headers(olga))).status_code == 204
    case = await case_of(engine, case_id)
    assert (case.status, case.assigned_to) == (CaseStatus.TAKEN, olga.login.member.id)
    header = await maria.get(f"/console/cases/{case_id}/header")
    assert olga.login.name in header.text and 'id="take"' in header.text  # Maria may take it over, knowingly
    [task] = await tasks_of(engine, case_id)
    assert task.kind is RelayTaskKind.JOINED


async def test_closing_hands_the_chat_to_the_bot_once(engine, console_client, case_id):
    staff = await console_client()
    assert (await staff.post(f"/console/cases/{case_id}/close", headers=headers(staff))).status_code == 204
    assert (await case_of(engine, case_id)).status is CaseStatus.CLOSED
    again = await staff.post(f"/console/cases/{case_id}/close", headers=headers(staff))
    assert again.status_code == 409
    assert [task.kind for task in await tasks_of(engine, case_id)] == [RelayTaskKind.CLOSED]


async def test_an_unknown_case_is_not_found(console_client):
    staff = await console_client()
    assert (await staff.get("/console/cases/999999")).status_code == 404
    response = await staff.post("/console/cases/999999/reply", data={"text": "x"}, headers=headers(staff))
    assert response.status_code == 404

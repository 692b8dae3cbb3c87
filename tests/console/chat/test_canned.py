"""Canned replies: supervisors add, edit and delete them (each audited; titles unique); operators read them and find
them on the chat page for insertion, but may not change them."""

from sqlalchemy import select

from api.models import AuditEntry, CannedReply, StaffRole
from tests.api.outbox_helpers import session_of
from tests.console.chat.helpers import escalated_case


async def canned(engine) -> list[tuple[str, str]]:
    async with session_of(engine) as db:
        return [(r.title, r.text) for r in await db.scalars(select(CannedReply).order_by(CannedReply.title))]


async def test_a_supervisor_adds_edits_and_deletes(engine, console_client):
    boss = await console_client(StaffRole.SUPERVISOR)
    add = await boss.post(
        "/console/canned", data={"title": "Приветствие", "text": "Здравствуйте!", "csrf_token": boss.csrf}
    )
    assert (add.status_code, add.headers["location"]) == (303, "/console/canned")
    assert await canned(engine) == [("Приветствие", "Здравствуйте!")]
    async with session_of(engine) as db:
        reply_id = await db.scalar(select(CannedReply.id))
    edit = await boss.post(
        f"/console/canned/{reply_id}", data={"title": "Привет", "text": "Добрый день!", "csrf_token": boss.csrf}
    )
    assert edit.status_code == 303 and await canned(engine) == [("Привет", "Добрый день!")]
    page = await boss.get("/console/canned")
    assert "Добрый день!" in page.text and 'id="canned-new"' in page.text
    assert (await boss.post(f"/console/canned/{reply_id}/delete", data={"csrf_token": boss.csrf})).status_code == 303
    assert await canned(engine) == []
    async with session_of(engine) as db:
        actions = list(await db.scalars(select(AuditEntry.action).where(AuditEntry.entity == "canned_reply")))
    assert actions == ["add_canned_reply", "edit_canned_reply", "delete_canned_reply"]


async def test_titles_are_unique_and_both_fields_needed(engine, console_client):
    boss = await console_client(StaffRole.SUPERVISOR)
    body = {"title": "Реквизиты", "text": "Смотрите в разделе «Оплата».", "csrf_token": boss.csrf}
    assert (await boss.post("/console/canned", data=body)).status_code == 303
    assert (await boss.post("/console/canned", data=body)).status_code == 409
    assert (await boss.post("/console/canned", data={**body, "title": "  "})).status_code == 422
    assert (await boss.post("/console/canned", data={**body, "title": "x" * 101})).status_code == 422
    assert len(await canned(engine)) == 1


async def test_an_operator_reads_and_inserts_but_may_not_edit(engine, bank, client, console_client):
    boss = await console_client(StaffRole.SUPERVISOR)
    await boss.post(
        "/console/canned", data={"title": "Часы", "text": "Мы работаем с 9 до 18.", "csrf_token": boss.csrf}
    )
    operator = await console_client()
    page = await operator.get("/console/canned")
    assert page.status_code == 200 and "Мы работаем с 9 до 18." in page.text and 'id="canned-new"' not in page.text
    refused = await operator.post("/console/canned", data={"title": "Своё", "text": "Нет", "csrf_token": operator.csrf})
    assert refused.status_code == 403
    async with session_of(engine) as db:
        reply_id = await db.scalar(select(CannedReply.id))
    for path in (f"/console/canned/{reply_id}", f"/console/canned/{reply_id}/delete"):
        response = await operator.post(path, data={"title": "Часы", "text": "Иначе", "csrf_token": operator.csrf})
        assert response.status_code == 403
    assert await canned(engine) == [("Часы", "Мы работаем с 9 до 18.")]
    case_id = await escalated_case(bank, client)
    chat = await operator.get(f"/console/cases/{case_id}")
    assert 'data-text="Мы работаем с 9 до 18."' in chat.text

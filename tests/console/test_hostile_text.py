"""Hostile text and the console: a form field or query with a control character (NUL breaks PostgreSQL) is refused
with a 422 before it reaches the database, nothing stored; a borrower's name holding bidirectional overrides is
shown without them, so it reads as it is."""

from sqlalchemy import func, select

from api.models import CannedReply, StaffRole
from tests.api.outbox_helpers import linked_borrower, session_of
from tests.helpers import borrower_body, put


async def test_a_canned_reply_with_nul_is_refused_and_not_stored(engine, console_client):
    boss = await console_client(StaffRole.SUPERVISOR)
    for body in ({"title": "При\x00вет", "text": "Добрый день"}, {"title": "Привет", "text": "Добрый\x00 день"}):
        response = await boss.post("/console/canned", data={**body, "csrf_token": boss.csrf})
        assert response.status_code == 422
    async with session_of(engine) as db:
        assert await db.scalar(select(func.count()).select_from(CannedReply)) == 0


async def test_a_search_with_nul_is_refused_not_an_error(console_client):
    operator = await console_client()
    assert (await operator.get("/console/borrowers", params={"q": "Ив\x00ан"})).status_code == 422
    assert (await operator.get("/console/borrowers", params={"q": "Иван"})).status_code == 200


async def test_a_sign_in_name_with_nul_is_refused_not_an_error(anonymous):
    page = await anonymous.get("/console/login")
    assert page.status_code == 200
    response = await anonymous.post("/console/login", data={"name": "a\x00", "password": "x", "code": "1"})
    assert response.status_code == 422


async def test_a_name_with_bidirectional_overrides_is_shown_without_them(bank, client, engine, console_client):
    borrower, _loan = await linked_borrower(bank, client, engine, telegram_user_id=700_920_001)
    await put(bank, "borrowers/B-1", borrower_body(first_name="Иван\u202eвонавИ", last_name="\u2067Иванов\u2069"))
    operator = await console_client()
    page = await operator.get(f"/console/borrowers/{borrower}")
    assert page.status_code == 200
    assert "Иванов ИванвонавИ" in page.text
    assert not any(mark in page.text for mark in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

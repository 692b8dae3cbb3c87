"""The borrower card's pages over HTTP: the card in ru and en, the search, an audited transcript, what a role sees."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from api.models import AuditEntry, Feedback, FeedbackSubject, StaffRole
from tests.api.outbox_helpers import add_record, linked_borrower, pay_through, set_borrower
from tests.api.relay_helpers import message, open_case, relay
from tests.helpers import SEED_BIRTH, SEED_PHONE

USER = 700_910_001
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
async def ivan(bank, client, engine) -> tuple[int, int]:
    """The seed borrower, November's installment unpaid (16 days overdue on the clock's 26 November)."""
    borrower, loan = await linked_borrower(bank, client, engine, telegram_user_id=USER)
    await pay_through(bank, "L-1", date(2026, 10, 10))
    return borrower, loan


async def in_english(console) -> None:
    response = await console.post("/console/language", data={"csrf_token": console.csrf, "language": "en"})
    assert response.status_code == 303


async def test_the_card_in_russian(console_client, ivan):
    borrower, _loan = ivan
    console = await console_client(StaffRole.OPERATOR)
    page = await console.get(f"/console/borrowers/{borrower}")
    assert page.status_code == 200
    html = page.text
    assert "Иванов Иван Петрович" in html
    assert "Договор ИК-2021/000457 от 10 мар. 2021\u202fг." in html
    assert "Telegram привязан" in html and "Доступен в Telegram" in html
    assert "Действует" in html  # the loan's status in words, not `active`
    assert "Просрочка: 49\xa0300,88\xa0₽ с 10 нояб. 2026\u202fг. (дней: 16)" in html
    assert "1/12 годовой ставки в месяц" in html
    assert SEED_PHONE not in html and SEED_BIRTH not in html and "12.04.1985" not in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


async def test_the_card_in_english_with_the_bots_figures(console_client, client, ivan):
    borrower, loan = ivan
    console = await console_client(StaffRole.OPERATOR)
    await in_english(console)
    html = (await console.get(f"/console/borrowers/{borrower}")).text
    summary = (await client.get(f"/api/v1/me/loans/{loan}/summary", headers={"X-Telegram-User-Id": str(USER)})).json()
    assert f"Repaid: {summary['percent_repaid']} %" in html
    assert "In arrears: RUB49,300.88 overdue since Nov 10, 2026 (16 days)" in html
    assert "Telegram linked" in html and "Reachable in Telegram" in html
    assert "Active" in html and "Payments received (1)" in html


async def test_an_unlinked_or_unreachable_borrower_says_so(console_client, engine, ivan):
    borrower, _loan = ivan
    await set_borrower(engine, borrower, unreachable_since=T0)
    console = await console_client(StaffRole.OPERATOR)
    await in_english(console)
    html = (await console.get(f"/console/borrowers/{borrower}")).text
    assert "Unreachable since 11/20/26, 1:00\u202fPM: the bot was blocked" in html
    await set_borrower(engine, borrower, telegram_user_id=None, unreachable_since=None)
    html = (await console.get(f"/console/borrowers/{borrower}")).text
    assert "Telegram not linked: the borrower gets no messages" in html


async def test_a_rating_comment_is_shown_to_a_supervisor_only(console_client, engine, ivan):
    borrower, _loan = ivan
    feedback = Feedback(
        borrower_id=borrower, subject=FeedbackSubject.SUPPORT_CASE, score=1, comment="Оператор был груб", created_at=T0
    )
    await add_record(engine, feedback)
    operator = await console_client(StaffRole.OPERATOR)
    html = (await operator.get(f"/console/borrowers/{borrower}")).text
    assert "Оператор был груб" not in html and "Есть комментарий (для супервайзеров)" in html
    assert "1 / 5" in html and "Чат с сотрудником" in html
    supervisor = await console_client(StaffRole.SUPERVISOR)
    assert "Оператор был груб" in (await supervisor.get(f"/console/borrowers/{borrower}")).text


async def test_a_transcript_is_read_on_demand_and_audited(console_client, client, engine, ivan):
    borrower, _loan = ivan
    case_id = await open_case(client, USER, summary="Хочу поговорить с человеком")
    sent = await relay(client, "POST", f"cases/{case_id}/messages", json=message(text="<b>Мне не пришёл</b> график"))
    assert sent.status_code == 201
    console = await console_client(StaffRole.OPERATOR)
    card = (await console.get(f"/console/borrowers/{borrower}")).text
    assert f'href="/console/cases/{case_id}"' in card and "Показать переписку (1)" in card
    fragment = await console.get(
        f"/console/borrowers/{borrower}/cases/{case_id}/transcript", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert "&lt;b&gt;Мне не пришёл&lt;/b&gt; график" in fragment.text and "<b>" not in fragment.text
    async with engine.connect() as conn:
        readings = (
            (await conn.execute(select(AuditEntry.actor).where(AuditEntry.action == "read_transcript"))).scalars().all()
        )
    assert readings == [f"staff:{console.login.member.id}"]
    elsewhere = await console.get(f"/console/borrowers/{borrower + 1}/cases/{case_id}/transcript")
    assert elsewhere.status_code == 404 and "нет такого обращения" in elsewhere.text


async def test_search_by_contract_or_name(console_client, ivan):
    borrower, _loan = ivan
    console = await console_client(StaffRole.OPERATOR)
    for query in ("000457", "иванов", "Иван Петрович"):
        page = await console.get("/console/borrowers", params={"q": query})
        assert page.status_code == 200
        assert f'href="/console/borrowers/{borrower}"' in page.text, query
    nobody = await console.get("/console/borrowers", params={"q": "<script>"})
    assert "По запросу «&lt;script&gt;» никого не нашлось." in nobody.text
    assert (await console.get("/console/borrowers", params={"q": "x" * 101})).status_code == 422


async def test_an_unknown_borrower_is_a_page_not_json(console_client):
    console = await console_client(StaffRole.OPERATOR)
    page = await console.get("/console/borrowers/999999")
    assert page.status_code == 404 and "Такого заёмщика нет." in page.text

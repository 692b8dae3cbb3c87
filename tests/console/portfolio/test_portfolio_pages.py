"""The portfolio over HTTP: a supervisor's page with its charts and period, each table as a CSV file for Excel
(headers, encoding, separators, no formula from a staff name), and an operator refused."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from api.models import (
    CaseMessage,
    CaseReason,
    Feedback,
    FeedbackSubject,
    MessageDirection,
    MessageKind,
    StaffRole,
    SupportCase,
)
from tests.api.outbox_helpers import add_record
from tests.console.portfolio.test_portfolio_figures import borrower

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # the clock fixture's now
TABLES = ("csat", "reminders", "reach", "hardship", "certificates", "response", "response_by_staff")


@pytest.fixture
async def rated(engine) -> int:
    borrower_id = await add_record(engine, borrower(1, telegram_user_id=1001))
    for score, days_ago in ((5, 1), (4, 2), (2, 3), (5, 10)):
        await add_record(
            engine,
            Feedback(
                borrower_id=borrower_id,
                subject=FeedbackSubject.GENERAL,
                score=score,
                created_at=NOW - timedelta(days=days_ago),
            ),
        )
    return borrower_id


async def answered_by(engine, staff_id: int, borrower_id: int) -> None:
    """A case opened an hour ago, answered by `staff_id` 30 minutes later."""
    opened = NOW - timedelta(hours=1)
    case_id = await add_record(
        engine,
        SupportCase(borrower_id=borrower_id, created_at=opened, reason=CaseReason.REQUESTED, reasons=["requested"]),
    )
    reply = CaseMessage(
        case_id=case_id,
        at=opened + timedelta(minutes=30),
        direction=MessageDirection.STAFF,
        staff_id=staff_id,
        kind=MessageKind.TEXT,
        text="Здравствуйте",
        telegram_message_id=1,
    )
    await add_record(engine, reply)


def rows_of(response, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.parametrize("path", ["/console/portfolio", "/console/portfolio.csv?table=csat"])
async def test_an_operator_is_refused(console_client, path):
    operator = await console_client(StaffRole.OPERATOR)
    page = await operator.get(path)
    assert page.status_code == 403
    assert "Эта страница доступна только супервайзеру." in page.text


async def test_the_page_shows_every_table_with_its_chart_and_csv_link(console_client, rated):
    supervisor = await console_client(StaffRole.SUPERVISOR)
    page = await supervisor.get("/console/portfolio")
    assert page.status_code == 200
    html = page.text
    assert "Клиентский портфель" in html and "Удовлетворённость по неделям" in html
    for key in TABLES:
        assert f'href="/console/portfolio.csv?table={key}&amp;weeks=12"' in html
    assert html.count("<svg") == 5  # reach and the by-staff table have none
    assert '<option value="12" selected>последние 12 недель</option>' in html
    assert "66,7" in html  # this week: 5, 4 and 2 (the 5 of ten days ago is last week's)


async def test_the_period_selector(console_client, rated):
    supervisor = await console_client(StaffRole.SUPERVISOR)
    four = (await supervisor.get("/console/portfolio", params={"weeks": 4})).text
    assert '<option value="4" selected>' in four and "weeks=4" in four
    odd = (await supervisor.get("/console/portfolio", params={"weeks": 7})).text
    assert '<option value="12" selected>' in odd  # a length not offered is the default


async def test_a_csv_file_for_russian_excel(console_client, rated):
    supervisor = await console_client(StaffRole.SUPERVISOR)
    response = await supervisor.get("/console/portfolio.csv", params={"table": "csat", "weeks": 4})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="portfolio-csat-4w-2026-11-26.csv"'
    assert response.content.startswith("\ufeff".encode())
    assert rows_of(response, ";") == [
        ["Неделя с", "Оценки", "Оценки 4–5", "CSAT, %"],
        ["2026-11-02", "0", "0", ""],
        ["2026-11-09", "0", "0", ""],
        ["2026-11-16", "1", "1", "100,0"],
        ["2026-11-23", "3", "2", "66,7"],
    ]


async def test_a_csv_file_for_english_excel(console_client, rated):
    supervisor = await console_client(StaffRole.SUPERVISOR)
    changed = await supervisor.post("/console/language", data={"csrf_token": supervisor.csrf, "language": "en"})
    assert changed.status_code == 303
    response = await supervisor.get("/console/portfolio.csv", params={"table": "reach"})
    assert rows_of(response, ",") == [
        ["Borrowers", "Linked to a chat", "Reachable", "Unreachable (blocked the bot)"],
        ["1", "1", "1", "0"],
    ]


async def test_a_staff_name_cannot_become_a_formula(console_client, engine, staff_login, rated):
    login = await staff_login(StaffRole.OPERATOR, name='=HYPERLINK("http://evil.example","Click")')
    await answered_by(engine, login.member.id, rated)
    supervisor = await console_client(StaffRole.SUPERVISOR)
    response = await supervisor.get("/console/portfolio.csv", params={"table": "response_by_staff"})
    [header, row] = rows_of(response, ";")
    assert header == ["Сотрудник", "Обращений с его первым ответом", "Медиана, мин", "90-й процентиль, мин"]
    assert row == ["'" + login.name, "1", "30,0", "30,0"]
    page = (await supervisor.get("/console/portfolio")).text
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;Click&#34;)" in page  # escaped on the page


async def test_an_unknown_table_is_refused(console_client):
    supervisor = await console_client(StaffRole.SUPERVISOR)
    assert (await supervisor.get("/console/portfolio.csv", params={"table": "borrowers"})).status_code == 422

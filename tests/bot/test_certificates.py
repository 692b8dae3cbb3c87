"""Certificates walked in both languages: every kind, the PDF the borrower receives opened and its figures checked
against the schedule the backend serves."""

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from aiogram.methods import SendDocument
from pypdf import PdfReader

from bot.offline import Call
from tests.bot.conftest import ALEXEI, ANNA, DEMO_DAY, IVAN
from tests.bot.replies import text
from tests.bot.walks import question, state_of
from tests.helpers import as_user

WORDS = {
    "ru": {
        "menu": "📄 Справки",
        "tax": "нужна налоговой для имущественного вычета",
        "interest": "Уплаченные проценты",
        "debt": "Остаток долга на дату",
        "schedule": "📅 График платежей",
        "closure": "О закрытии кредита",
        "pdf": "Сразу в PDF",
        "today": "Сегодня, 26 ноября 2026",
        "interest_title": "Справка об уплаченных процентах за {year} год",
        "debt_title": "Справка об остатке задолженности на {date}",
        "schedule_title": "График платежей",
        "closure_title": "Справка о закрытии кредита",
        "date_question": (
            "На какую дату? Выберите день или напишите его в виде ДД.ММ.ГГГГ, с 10 марта 2021 по 26 ноября 2026."
        ),
    },
    "en": {
        "menu": "📄 Certificates",
        "tax": "what the tax office needs for the deduction on mortgage interest",
        "interest": "Interest paid for a year",
        "debt": "Outstanding debt on a date",
        "schedule": "📅 Payment schedule",
        "closure": "Loan closure",
        "pdf": "Ready now as PDF",
        "today": "Today, 26 November 2026",
        "interest_title": "Certificate of interest paid in {year}",
        "debt_title": "Certificate of the outstanding debt on {date}",
        "schedule_title": "Payment schedule",
        "closure_title": "Certificate of loan closure",
        "date_question": (
            "On which date? Choose a day or type it as DD.MM.YYYY, from 10 March 2021 to 26 November 2026."
        ),
    },
}
LANGUAGES = list(WORDS)
ACTIVE_KINDS = ("cert:interest_paid", "cert:outstanding_debt", "cert:schedule", "certtax", "certs", "nav:menu")
CLOSED_KINDS = (
    "cert:interest_paid",
    "cert:outstanding_debt",
    "cert:schedule",
    "certtax",
    "cert:closure",
    "certs",
    "nav:menu",
)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def documents(calls: list[Call]) -> list[SendDocument]:
    return [call.method for call in calls if isinstance(call.method, SendDocument)]


def pdf_text(document: SendDocument) -> str:
    """Every page's text of the PDF the bot sent, non-breaking spaces made plain."""
    reader = PdfReader(io.BytesIO(document.document.data))
    return "\n".join(page.extract_text() for page in reader.pages).translate(_SPACES)


def rub(amount: Decimal) -> str:
    """Money as the certificates print it, written without Babel: 49 300,88 ₽."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",") + " ₽"


def dmy(value: date) -> str:
    return value.strftime("%d.%m.%Y")


async def loan_of(client: httpx.AsyncClient, user_id: int) -> int:
    return (await client.get("/api/v1/me", headers=as_user(user_id))).json()["selected_loan_id"]


async def schedule_of(client: httpx.AsyncClient, user_id: int) -> dict[str, Any]:
    loan = await loan_of(client, user_id)
    response = await client.get(f"/api/v1/me/loans/{loan}/schedule", headers=as_user(user_id))
    assert response.status_code == 200, response.text
    return response.json()


async def stored(client: httpx.AsyncClient, user_id: int) -> list[dict[str, Any]]:
    """The borrower's certificate requests as the backend keeps them, newest first."""
    response = await client.get("/api/v1/me/certificates", headers=as_user(user_id))
    assert response.status_code == 200, response.text
    return response.json()


def paid_rows(schedule: dict[str, Any], *, year: int | None = None, until: date = DEMO_DAY) -> list[dict[str, Any]]:
    """The schedule's rows due by `until` (the demo borrowers pay on the due day), of `year` if given."""
    rows = [row for row in schedule["rows"] if date.fromisoformat(row["date"]) <= until]
    return [row for row in rows if year is None or row["date"].startswith(str(year))]


def total(rows: list[dict[str, Any]], column: str) -> Decimal:
    return sum((Decimal(row[column]) for row in rows), start=Decimal(0))


def accrued(balance: Decimal, rate: str, since: date, on_date: date, until: date) -> Decimal:
    """Interest on `balance` from the last due date `since` to `on_date`, to the kopeck: the demo loans count
    `monthly`, so the period's month of interest prorated by the days gone of the period up to the due date `until`."""
    share = Decimal((on_date - since).days) / (until - since).days
    return (balance * Decimal(rate) / 1200 * share).quantize(Decimal("0.01"), ROUND_HALF_UP)


def debt_lines(
    on_date: date, *, not_due: Decimal, principal: Decimal, interest: Decimal, accrued: Decimal
) -> list[str]:
    """The debt certificate's lines as they should read, and the total as their sum."""
    return [
        f"Основной долг, срок уплаты которого не истёк {rub(not_due)}",
        f"Просроченный основной долг {rub(principal)}",
        f"Просроченные проценты {rub(interest)}",
        f"Проценты, начисленные по {dmy(on_date)} {rub(accrued)}",
        f"Итого задолженность {rub(not_due + principal + interest + accrued)}",
    ]


async def _open(chat, words: dict[str, str]) -> list[Call]:
    return await chat.press(words["menu"])


@pytest.mark.parametrize(("language", "year"), [("ru", 2025), ("en", 2026), ("ru", 2021)])
async def test_interest_paid_for_a_year_matches_the_schedule(language, year, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 21001, language_code=language)
    menu_text, keys = question(await _open(chat, words))
    assert keys == ACTIVE_KINDS
    assert words["tax"] in menu_text
    loan = await loan_of(client, 21001)
    years = (await client.get(f"/api/v1/me/loans/{loan}/certificates/years", headers=as_user(21001))).json()["years"]
    assert years == [2021, 2022, 2023, 2024, 2025, 2026]

    calls = await chat.press(words["interest"])
    assert question(calls)[1] == (*(f"certyear:{y}" for y in reversed(years)), "nav:certificates")
    await chat.press(str(year))
    assert await state_of(chat) == "Certificates:delivery"
    calls = await chat.press(words["pdf"])

    [document] = documents(calls)
    assert document.document.filename == f"spravka-procenty-{year}.pdf"
    assert document.caption == words["interest_title"].format(year=year)
    rows = paid_rows(await schedule_of(client, 21001), year=year, until=date(2026, 10, 31))
    assert len(rows) == {2021: 9, 2025: 12, 2026: 10}[year]  # 2026: the months completed by 26 November
    interest, principal = total(rows, "interest"), total(rows, "principal")
    text_of_pdf = pdf_text(document)
    period = f"{year} год по состоянию на 31.10.2026" if year == 2026 else f"{year} год"
    assert f"За {period} уплачено процентов: {rub(interest)}, основного долга: {rub(principal)}." in " ".join(
        text_of_pdf.splitlines()
    )
    assert f"Итого {rub(principal)} {rub(interest)}" in text_of_pdf.splitlines()
    assert "Кредитный договор: № ИК-2021/000457 от 10.03.2021" in text_of_pdf
    assert "Заёмщик: Иванов Иван Петрович" in text_of_pdf
    [request] = await stored(client, 21001)
    assert (request["kind"], request["year"], request["status"]) == ("interest_paid", year, "ready")
    assert request["delivered_at"] is not None
    assert "rate:5" in question(calls)[1], "the survey was not offered after the delivery"
    assert await state_of(chat) == "Survey:score"


@pytest.mark.parametrize(
    ("language", "how", "on_date"),
    [("ru", "15.06.2024", date(2024, 6, 15)), ("en", "2021-03-10", date(2021, 3, 10)), ("en", "picker", None)],
)
async def test_outstanding_debt_on_a_date_is_the_schedules_balance(language, how, on_date, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 21002, language_code=language)
    await _open(chat, words)
    calls = await chat.press(words["debt"])
    assert question(calls)[0] == words["date_question"]
    if how == "picker":
        await chat.press("10")  # 10 November 2026, in the month the picker opens on
        on_date = date(2026, 11, 10)
    else:
        await chat.send(how)
    assert await state_of(chat) == "Certificates:delivery"
    calls = await chat.press(words["pdf"])

    [document] = documents(calls)
    assert document.document.filename == f"spravka-ostatok-{on_date.isoformat()}.pdf"
    assert document.caption.startswith(words["debt_title"].format(date=""))
    schedule = await schedule_of(client, 21002)
    paid = paid_rows(schedule, until=on_date)
    balance = Decimal(paid[-1]["balance"]) if paid else Decimal(4_000_000)
    since = date.fromisoformat(paid[-1]["date"]) if paid else on_date  # from the contract date nothing has accrued
    upcoming = schedule["rows"][len(paid)]
    text_of_pdf = pdf_text(document)
    assert f"По состоянию на {dmy(on_date)} задолженность" in text_of_pdf
    lines = text_of_pdf.splitlines()
    zero = Decimal(0)
    expected = debt_lines(
        on_date,
        not_due=balance,
        principal=zero,
        interest=zero,
        accrued=accrued(balance, "12.5", since, on_date, date.fromisoformat(upcoming["date"])),
    )
    for line in expected:
        assert line in lines, line
    assert f"Дата очередного платежа: {dmy(date.fromisoformat(upcoming['date']))}" in text_of_pdf
    assert f"Сумма очередного платежа: {rub(Decimal(upcoming['payment']))}" in text_of_pdf
    [request] = await stored(client, 21002)
    assert (request["kind"], request["on_date"]) == ("outstanding_debt", on_date.isoformat())


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_today_shortcut(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 21003, language_code=language)
    await _open(chat, words)
    await chat.press(words["debt"])
    await chat.press(words["today"])
    [document] = documents(await chat.press(words["pdf"]))
    assert document.document.filename == "spravka-ostatok-2026-11-26.pdf"
    assert document.caption == words["debt_title"].format(date=words["today"].split(", ")[1])
    schedule = await schedule_of(client, 21003)
    paid = paid_rows(schedule)
    last, upcoming = paid[-1], schedule["rows"][len(paid)]
    balance = Decimal(last["balance"])
    interest = accrued(
        balance, "12.5", date.fromisoformat(last["date"]), DEMO_DAY, date.fromisoformat(upcoming["date"])
    )
    lines = pdf_text(document).splitlines()
    for line in debt_lines(DEMO_DAY, not_due=balance, principal=Decimal(0), interest=Decimal(0), accrued=interest):
        assert line in lines, line


@pytest.mark.parametrize("language", LANGUAGES)
async def test_payment_schedule(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 21004, language_code=language)
    await _open(chat, words)
    await chat.press(words["schedule"])
    [document] = documents(await chat.press(words["pdf"]))
    [request] = await stored(client, 21004)
    assert document.document.filename == f"grafik-platezhey-{request['number']}.pdf" == request["file_name"]
    assert document.caption == words["schedule_title"]
    schedule = await schedule_of(client, 21004)
    text_of_pdf = pdf_text(document)
    lines = text_of_pdf.splitlines()
    assert f"Количество платежей: {len(schedule['rows'])}" in text_of_pdf
    payments, interest = Decimal(schedule["total_payment"]), Decimal(schedule["total_interest"])
    assert f"Всего платежей: {rub(payments)}, в том числе проценты: {rub(interest)}." in " ".join(lines)
    for row in (schedule["rows"][0], schedule["rows"][100], schedule["rows"][-1]):
        figures = " ".join(rub(Decimal(row[c])) for c in ("payment", "principal", "interest", "balance"))
        assert f"{row['number']} {dmy(date.fromisoformat(row['date']))} {figures}" in lines


@pytest.mark.parametrize("language", LANGUAGES)
async def test_closure_for_a_repaid_loan(language, linked, client):
    words = WORDS[language]
    chat = await linked(ALEXEI, 21005, language_code=language)
    assert question(await _open(chat, words))[1] == CLOSED_KINDS
    calls = await chat.press(words["closure"])
    assert await state_of(chat) == "Certificates:delivery", text(calls)
    [document] = documents(await chat.press(words["pdf"]))
    assert document.caption == words["closure_title"]
    assert document.document.filename.startswith("spravka-zakrytie-")
    schedule = await schedule_of(client, 21005)
    last = date.fromisoformat(schedule["rows"][-1]["date"])
    text_of_pdf = " ".join(pdf_text(document).splitlines())
    assert "№ ИК-001142" in text_of_pdf and "исполнены в полном объёме" in text_of_pdf
    assert f"кредит закрыт {dmy(last)}" in text_of_pdf
    assert "Сумма кредита: 1 200 000,00 ₽" in text_of_pdf
    assert f"Всего уплачено по договору: {rub(Decimal(schedule['total_payment']))}" in text_of_pdf


@pytest.mark.parametrize("language", LANGUAGES)
async def test_outstanding_debt_in_arrears_states_each_part_once(language, linked, client):
    """Demo borrower 2 missed the last two payments: they are overdue principal and interest, apart from the rest."""
    words = WORDS[language]
    chat = await linked(ANNA, 21006, language_code=language)
    await _open(chat, words)
    await chat.press(words["debt"])
    await chat.press(words["today"])
    [document] = documents(await chat.press(words["pdf"]))
    loan = await loan_of(client, 21006)
    rate = (await client.get(f"/api/v1/me/loans/{loan}/summary", headers=as_user(21006))).json()["rate_percent"]
    rows = (await schedule_of(client, 21006))["rows"]
    past = [row for row in rows if date.fromisoformat(row["date"]) < DEMO_DAY]
    unpaid, last, upcoming = past[-2:], past[-1], rows[len(past)]
    balance = Decimal(last["balance"])
    expected = debt_lines(
        DEMO_DAY,
        not_due=balance,
        principal=total(unpaid, "principal"),
        interest=total(unpaid, "interest"),
        accrued=accrued(
            balance, rate, date.fromisoformat(last["date"]), DEMO_DAY, date.fromisoformat(upcoming["date"])
        ),
    )
    lines = pdf_text(document).splitlines()
    for line in expected:
        assert line in lines, line
    assert Decimal(past[-3]["balance"]) == balance + total(unpaid, "principal"), "principal counted twice or lost"

"""The borrower's payment-holiday applications: the list with statuses, one application, withdrawing it (asked
first), more proof for it; a decided one shows the staff's reason and offers the survey; forged and stale buttons."""

import httpx
import pytest

from tests.bot.conftest import IVAN
from tests.bot.replies import text, texts, toasts
from tests.bot.walks import data_of, enter, question, state_of
from tests.helpers import as_user, link
from tests.samples import pdf

PDF = pdf()
ELENA = ("+79160000006", "2674")  # demo borrower 6: a payment holiday approved and taken
SUPERVISOR = {"Authorization": "Bearer demo-supervisor-token"}
WORDS = {
    "ru": {
        "title": "Ваши заявления на ипотечные каникулы:",
        "line": "№ {number} от 26 ноября 2026: ⏳ на рассмотрении; 3 месяца с 10 декабря 2026, платёж: уменьшен до "
        "15\xa0000,00\xa0₽ в месяц",
        "status": "Статус: ⏳ на рассмотрении",
        "withdraw": "Отозвать",
        "sure": "Отозвать заявление № {number}?",
        "keep": "Нет, оставить",
        "yes": "Да, отозвать",
        "withdrawn": "Заявление № {number} отозвано.",
        "withdrawn_status": "Статус: ↩️ отозвано",
        "rejected": "Статус: ❌ отклонено",
        "comment": "Комментарий сотрудников: Нужна справка о доходах за 2025 год &lt;2-НДФЛ&gt;",
        "survey": "Насколько вы довольны",
        "decided": "Сотрудники уже приняли решение по этому заявлению, поэтому отозвать его нельзя.",
    },
    "en": {
        "title": "Your payment-holiday applications:",
        "line": "№ {number} of 26 November 2026: ⏳ under review; 3 months from 10 December 2026, payment: reduced to "
        "RUB\xa015,000.00 a month",
        "status": "Status: ⏳ under review",
        "withdraw": "Withdraw",
        "sure": "Withdraw application № {number}?",
        "keep": "No, keep it",
        "yes": "Yes, withdraw",
        "withdrawn": "Application № {number} is withdrawn.",
        "withdrawn_status": "Status: ↩️ withdrawn",
        "rejected": "Status: ❌ declined",
        "comment": "The staff's comment: Нужна справка о доходах за 2025 год &lt;2-НДФЛ&gt;",
        "survey": "How satisfied are you",
        "decided": "The staff have already decided on this application, so it cannot be withdrawn.",
    },
}
LANGUAGES = list(WORDS)


async def stored(client: httpx.AsyncClient, user_id: int) -> list[dict]:
    return (await client.get("/api/v1/me/holidays", headers=as_user(user_id))).json()


async def decide(client: httpx.AsyncClient, holiday_id: int, decision: str, reason: str | None = None) -> None:
    body = {"decision": decision, "reason": reason}
    response = await client.post(f"/api/v1/staff/holidays/{holiday_id}/decision", json=body, headers=SUPERVISOR)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_list_detail_and_withdrawal(language, demo, chat_factory, client):
    words = WORDS[language]
    chat, shown = await enter(chat_factory, "holiday_detail", 23501, language_code=language)
    [holiday] = await stored(client, 23501)
    number = holiday["id"]
    assert words["status"] in text(shown)
    assert question(shown)[1] == (f"holact:proof:{number}", f"holact:withdraw:{number}", "hol:list", "nav:menu")

    listing = await chat.press_data("hol:list")
    assert words["title"] in text(listing) and words["line"].format(number=number) in text(listing)
    assert question(listing)[1] == (f"holopen:{number}", "nav:holiday", "nav:menu")
    await chat.press_data(f"holopen:{number}")
    assert words["sure"].format(number=number) in text(await chat.press(words["withdraw"]))
    assert words["status"] in text(await chat.press(words["keep"]))
    assert (await stored(client, 23501))[0]["status"] == "submitted"

    await chat.press(words["withdraw"])
    calls = await chat.press(words["yes"])
    assert words["withdrawn"].format(number=number) in texts(calls)
    assert words["withdrawn_status"] in text(calls)
    assert question(calls)[1] == ("hol:list", "nav:menu"), "a withdrawn application can still be changed"
    assert (await stored(client, 23501))[0]["status"] == "withdrawn"
    again = await chat.press_data("nav:holiday")
    assert await state_of(chat) == "HolidayWizard:intro", "a withdrawn application blocks a new one"
    assert question(again)[1] == ("hol:apply", "hol:list", "nav:menu")


async def test_more_proof_for_an_application_under_review(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "holiday_proof", 23502)
    number = (await data_of(chat))["holiday_id"]
    calls = await chat.send_document(PDF, "statement-october.pdf")
    assert "Attached: statement-october.pdf." in texts(calls)
    assert await state_of(chat) == "HolidayApplications:proof"
    assert "Attached: photo-" in text(await chat.send_photo())
    calls = await chat.send_document(b"not really a pdf", "broken.pdf")
    assert "Not attached: broken.pdf. Inside it is not a PDF, JPEG or PNG." in texts(calls)
    calls = await chat.send_document(b"PK", "notes.docx", "application/msword")
    assert "Not attached: notes.docx. I can take only PDF files and photos (JPEG or PNG)." in texts(calls)
    calls = await chat.send_document(PDF, "huge.pdf", size=11 * 1024 * 1024)
    assert "Not attached: huge.pdf. It is larger than 10 MB." in texts(calls)
    assert "Please send the file as a PDF document or a photo." in text(await chat.send("here"))
    done = await chat.press_data("hol:done")
    assert await state_of(chat) == "HolidayApplications:detail"
    assert "Documents: statement-october.pdf, photo-" in text(done)
    [holiday] = await stored(client, 23502)
    assert holiday["id"] == number
    assert [d["content_type"] for d in holiday["documents"]] == ["application/pdf", "image/jpeg"]

    await chat.press_data(f"holact:proof:{number}")
    await decide(client, number, "approve")  # while the proof screen is open
    calls = await chat.send_document(PDF + b"%late", "late.pdf")
    assert await state_of(chat) == "HolidayApplications:detail", "the decided application is not shown again"
    assert "Not attached: late.pdf. The application is no longer under review." in texts(calls)
    assert "Status: ✅ approved" in text(calls)
    assert len((await stored(client, 23502))[0]["documents"]) == 2


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_declined_application_shows_the_reason_and_offers_the_survey(language, demo, chat_factory, client):
    words = WORDS[language]
    chat, _ = await enter(chat_factory, "holiday_detail", 23503, language_code=language)
    [holiday] = await stored(client, 23503)
    await decide(client, holiday["id"], "reject", "Нужна справка о доходах за 2025 год <2-НДФЛ>")
    stale = await chat.press_data(f"holact:withdraw:{holiday['id']}")  # the detail's button from before the decision
    assert words["sure"].format(number=holiday["id"]) in text(stale)
    calls = await chat.press(words["yes"])
    assert words["decided"] in texts(calls)
    assert (await stored(client, 23503))[0]["status"] == "rejected"

    await chat.press_data("hol:list")
    calls = await chat.press_data(f"holopen:{holiday['id']}")
    reply = text(calls)
    assert words["rejected"] in reply and words["comment"] in reply, "the staff's reason is not shown (escaped)"
    assert words["survey"] in reply, "the survey is not offered for a decided application"
    assert await state_of(chat) == "Survey:score"


async def test_forged_and_foreign_application_buttons(demo, chat_factory, client):
    assert (await link(client, 23599, phone=ELENA[0], factor=ELENA[1])).status_code == 200
    [foreign] = await stored(client, 23599)
    chat, shown = await enter(chat_factory, "holiday_detail", 23504)
    [own] = await stored(client, 23504)
    for forged in (
        f"holact:withdraw:{foreign['id']}",
        f"holact:proof:{own['id'] + 1}",
        f"holact:delete:{own['id']}",
        "holact:withdraw:x",
        "holwithdraw:1",
        f"holopen:{own['id']}",
    ):
        calls = await chat.press_data(forged)
        assert "This button is no longer active." in toasts(calls), forged
        assert question(calls) == question(shown), forged
        assert await state_of(chat) == "HolidayApplications:detail"
    listing = await chat.press_data("hol:list")
    for forged in (foreign["id"], 999_999, 2**63 - 1):
        calls = await chat.press_data(f"holopen:{forged}")
        assert "I cannot find that application. Please choose from the list." in texts(calls), forged
        assert question(calls) == question(listing)
    for forged in ("holopen:0", "holopen:-1", f"holopen:{2**63}", "holopen:abc"):
        assert "This button is no longer active." in toasts(await chat.press_data(forged)), forged
    assert [h["status"] for h in await stored(client, 23599)] == ["approved"]
    assert [h["status"] for h in await stored(client, 23504)] == ["submitted"]
    assert (await stored(client, 23504))[0]["documents"] == []


async def test_a_holiday_approved_long_ago_is_shown_without_a_survey(linked, client):
    chat = await linked(ELENA, 23505, language_code="en")
    await chat.press_data("nav:holiday")
    listing = text(await chat.press("My applications"))
    assert "✅ approved; 3 months from" in listing and "payment: none (a full holiday)" in listing
    calls = await chat.press_data(question(await chat.press_data("hol:list"))[1][0])
    assert "Status: ✅ approved" in text(calls)
    assert "How satisfied are you" not in text(calls), "no survey for a decision made months ago"
    assert IVAN[0] not in text(calls)


async def test_the_demo_staff_reason_is_in_the_borrowers_language(linked):
    chat = await linked(ELENA, 23506, language_code="ru")
    await chat.press_data("nav:holiday")
    calls = await chat.press_data(question(await chat.press_data("hol:list"))[1][0])
    assert "Справка о доходах подтверждает снижение дохода." in text(calls)
    assert "income" not in text(calls), "no English inside the Russian interface"

"""Insurance renewal walked in both languages: the overview, a renewed policy sent for verification, a renewal
quote asked for; what the backend stored checked through its API."""

import httpx
import pytest

from tests.bot.conftest import ALEXEI, DMITRY, IVAN
from tests.bot.replies import text
from tests.bot.walks import question, state_of
from tests.helpers import as_user
from tests.samples import pdf

PDF = pdf()
WORDS = {
    "ru": {
        "title": "Ваша страховка по этому кредиту:",
        "property": "🏠 Страхование имущества",
        "life": "❤️ Страхование жизни",
        "mandatory": "Обязательное: заложенное жильё должно быть застраховано, пока действует кредит.",
        "voluntary": "Добровольное: продлевать его или нет — решаете вы, от него можно отказаться.",
        "dmitry_expiry": "Действует до 16 декабря 2026: осталось 20 дней.",
        "insurer": "Страховая компания: СК «Северный щит»",
        "insurance": "Страховка",
        "upload": "Отправить новый полис",
        "quote": "Запросить предложение",
        "send_file": "Отправьте сюда новый полис (страхование имущества) документом PDF или фотографией, до 10 МБ.",
        "sent": "полис (страхование имущества) отправлен сотрудникам банка на проверку",
        "sent_life": "полис (страхование жизни) отправлен сотрудникам банка на проверку",
        "already_sent": "Этот файл (страхование имущества) уже на проверке у сотрудников банка.",
        "under_review": "• страхование имущества, файл «policy.pdf»: на проверке у сотрудников банка",
        "which_cover": "Для какой страховки запросить предложение по продлению?",
        "asked": "Готово: запрос предложения по продлению (страхование имущества) отправлен. Сотрудники банка узнают "
        "цену у страховой компании-партнёра, и я сообщу её здесь. Тогда вы выберете, оплатить сразу или позже; без "
        "вашего выбора ничего не покупается.",
        "already_asked": "Предложение по продлению (страхование имущества) уже запрошено 26 ноября 2026. Я сообщу "
        "здесь цену, как только сотрудники банка получат её от страховой компании-партнёра.",
        "open_quote": "• страхование имущества, запрошено 26 ноября 2026: ждём цену от страховой компании-партнёра",
        "closed": "Кредит погашен полностью, поэтому страховка по нему больше не требуется.",
    },
    "en": {
        "title": "Your insurance for this loan:",
        "property": "🏠 Property insurance",
        "life": "❤️ Life insurance",
        "mandatory": "Mandatory: the mortgaged home must stay insured as long as the loan lasts.",
        "voluntary": "Voluntary: renewing it is your choice, and you may decline it.",
        "dmitry_expiry": "Valid until 16 December 2026: 20 days left.",
        "insurer": "Insurer: СК «Северный щит»",
        "insurance": "Insurance",
        "upload": "Upload the renewed policy",
        "quote": "Ask for a renewal quote",
        "send_file": "Please send the renewed policy (property insurance) here as a PDF document or a photo, "
        "up to 10 MB.",
        "sent": "the policy (property insurance) is sent to the bank's staff for verification",
        "sent_life": "the policy (life insurance) is sent to the bank's staff for verification",
        "already_sent": "This file (property insurance) is already being checked by the bank's staff.",
        "under_review": "• property insurance, file «policy.pdf»: being checked by the bank's staff",
        "which_cover": "Which cover would you like a renewal quote for?",
        "asked": "Done: your request for a renewal quote (property insurance) is sent. The bank's staff will ask the "
        "partner insurer for the price, and I will tell you here. Then you choose to pay at once or later; nothing is "
        "bought until you do.",
        "already_asked": "A renewal quote (property insurance) was already asked for on 26 November 2026. I will tell "
        "you the price here as soon as the bank's staff have it from the partner insurer.",
        "open_quote": "• property insurance, asked on 26 November 2026: waiting for the price from the partner insurer",
        "closed": "This loan is repaid in full, so no insurance is required for it any more.",
    },
}
LANGUAGES = list(WORDS)


async def insurance_of(client: httpx.AsyncClient, user_id: int) -> dict:
    """What the backend holds on the chat's selected loan: policies, documents, open quote requests."""
    loan_id = (await client.get("/api/v1/me", headers=as_user(user_id))).json()["selected_loan_id"]
    response = await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(user_id))
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_overview_states_each_cover_plainly(language, linked):
    words = WORDS[language]
    dmitry = await linked(DMITRY, 22001, language_code=language)
    await dmitry.send("/menu")
    calls = await dmitry.press(words["insurance"])
    shown, keyboard = question(calls)
    assert await state_of(dmitry) == "Insurance:overview"
    assert words["title"] in shown and "ИК-002905" in shown, "the overview does not open with the loan"
    assert f"{words['property']}\n{words['mandatory']}\n{words['insurer']}\n{words['dmitry_expiry']}" in shown
    assert words["voluntary"] not in shown and words["life"] not in shown
    assert "ИМ-" not in shown, "the policy number is not needed"
    assert keyboard == ("ins:upload", "ins:quote", "nav:menu")

    ivan = await linked(IVAN, 22002, language_code=language)
    shown = text(await ivan.press_data("nav:insurance"))
    assert shown.index(words["property"]) < shown.index(words["mandatory"]) < shown.index(words["life"])
    assert shown.index(words["life"]) < shown.index(words["voluntary"])
    assert shown.count(words["mandatory"]) == 1


@pytest.mark.parametrize("language", LANGUAGES)
async def test_closed_loan_needs_no_insurance(language, linked):
    chat = await linked(ALEXEI, 22003, language_code=language)
    calls = await chat.press_data("nav:insurance")
    assert question(calls) == (WORDS[language]["closed"], ("nav:menu",))
    assert await state_of(chat) is None


@pytest.mark.parametrize("language", LANGUAGES)
async def test_renewed_policy_sent_for_verification(language, linked, client):
    words = WORDS[language]
    chat = await linked(DMITRY, 22004, language_code=language)
    await chat.press_data("nav:insurance")
    asked = await chat.press(words["upload"])  # one cover only: the choice is skipped
    assert await state_of(chat) == "Insurance:upload_file"
    assert words["send_file"] in text(asked)
    assert question(asked)[1] == ("nav:insurance", "nav:menu")

    calls = await chat.send_document(PDF, "policy.pdf")
    assert words["sent"] in text(calls)
    assert question(calls)[1] == ("nav:insurance", "nav:menu")
    assert await state_of(chat) is None
    documents = (await insurance_of(client, 22004))["documents"]
    assert [(d["policy_kind"], d["status"], d["file_name"], d["content_type"], d["size"]) for d in documents] == [
        ("property", "submitted", "policy.pdf", "application/pdf", len(PDF))
    ]

    await chat.press(words["insurance"])
    await chat.press(words["upload"])
    calls = await chat.send_document(PDF, "policy.pdf")
    assert words["already_sent"] in text(calls)
    assert len((await insurance_of(client, 22004))["documents"]) == 1, "the same file was stored twice"
    assert words["under_review"] in text(await chat.press(words["insurance"]))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_photo_of_a_voluntary_cover(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 22005, language_code=language)
    await chat.press_data("nav:insurance")
    choice = await chat.press(words["upload"])
    assert question(choice)[1] == ("inscover:property", "inscover:life", "nav:insurance"), "property comes first"
    asked = await chat.press(words["life"])
    assert question(asked)[1] == ("ins:upload", "nav:menu"), "Back does not lead to the choice of cover"
    assert words["sent_life"] in text(await chat.send_photo())
    documents = (await insurance_of(client, 22005))["documents"]
    assert [(d["policy_kind"], d["content_type"]) for d in documents] == [("life", "image/jpeg")]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_renewal_quote_is_asked_for_without_any_talk_of_paying(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 22006, language_code=language)
    await chat.press_data("nav:insurance")
    calls = await chat.press(words["quote"])
    assert question(calls) == (words["which_cover"], ("inscover:property", "inscover:life", "nav:insurance"))
    calls = await chat.press(words["property"])
    assert question(calls) == (words["asked"], ("nav:insurance", "nav:menu")), "no payment before a price"
    assert await state_of(chat) is None
    quotes = (await insurance_of(client, 22006))["open_quote_requests"]
    assert [(q["kind"], q["status"], q["pay_later"]) for q in quotes] == [("property", "requested", None)]
    assert words["open_quote"] in text(await chat.press(words["insurance"]))

    await chat.press(words["quote"])
    calls = await chat.press(words["property"])
    assert question(calls)[0] == words["already_asked"]
    assert len((await insurance_of(client, 22006))["open_quote_requests"]) == 1, "a second request was made"


async def test_staff_decision_shown_with_its_reason_escaped(linked, client, app):
    chat = await linked(DMITRY, 22007, language_code="en")
    await chat.press_data("nav:insurance")
    await chat.press_data("ins:upload")
    await chat.send_document(PDF, "policy <2026> & copy.pdf")
    document_id = (await insurance_of(client, 22007))["documents"][0]["id"]
    headers = {"Authorization": "Bearer demo-operator-token"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as staff:
        decision = {"decision": "reject", "reason": "Нет подписи <страховщика>"}
        response = await staff.post(f"/api/v1/staff/documents/{document_id}/decision", json=decision, headers=headers)
    assert response.status_code == 200, response.text
    shown = text(await chat.press_data("nav:insurance"))
    reason = "not accepted: Нет подписи &lt;страховщика&gt;"
    assert f"• property insurance, file «policy &lt;2026&gt; &amp; copy.pdf»: {reason}" in shown

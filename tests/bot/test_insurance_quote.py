"""A priced renewal quote: its pay-at-once and pay-later buttons (as the pushed notice and the overview carry them)
record the choice in both languages; stale, forged, lapsed and someone else's buttons get a polite answer."""

import httpx
import pytest

from bot.buttons import QuotePayment
from tests.bot.conftest import IVAN, MARIA
from tests.bot.replies import text, toasts
from tests.bot.test_insurance import insurance_of
from tests.bot.walks import question, state_of
from tests.helpers import as_user

OPERATOR = {"Authorization": "Bearer demo-operator-token"}
PRICE = {"insurer": "СК <Надёжная>", "premium": "12345.67", "valid_until": "2026-12-20"}
WORDS = {
    "ru": {
        "line": "• страхование жизни: СК &lt;Надёжная&gt;, 12\xa0345,67\xa0₽, цена действует до 20 декабря 2026: "
        "оплатить сразу или позже?",
        "now": "Записал: вы оплатите страхование жизни (СК &lt;Надёжная&gt;, 12\xa0345,67\xa0₽) сразу. Сотрудники "
        "банка свяжутся с вами и передадут реквизиты для оплаты; новый полис начнёт действовать после оплаты.",
        "later": "Записал: вы оплатите страхование жизни (СК &lt;Надёжная&gt;, 12\xa0345,67\xa0₽) позже, не позднее "
        "20 декабря 2026.\n"
        "Это последний день, когда действует цена; после него предложение придётся запросить заново.\n"
        "Сотрудники банка свяжутся с вами и передадут реквизиты для оплаты.",
        "chosen_later": "; вы выбрали оплату позже, до 20 декабря 2026",
        "already": "Вы уже выбрали, как оплатить это предложение; сотрудники банка знают о вашем выборе.",
        "expired": "Цена в этом предложении действовала до 20 декабря 2026 и больше не действует. Вы можете "
        "запросить новое предложение.",
        "stale": "Эта кнопка больше не действует.",
        "pay_now": "❤️ 💳 Оплатить сразу",
    },
    "en": {
        "line": "• life insurance: СК &lt;Надёжная&gt;, RUB\xa012,345.67, the price holds until 20 December 2026: "
        "pay at once or later?",
        "now": "Noted: you will pay RUB\xa012,345.67 for the life insurance with СК &lt;Надёжная&gt; at once. The "
        "bank's staff will contact you with the payment details; the new policy starts once the premium is paid.",
        "later": "Noted: you will pay RUB\xa012,345.67 for the life insurance with СК &lt;Надёжная&gt; later, by "
        "20 December 2026 at the latest.\n"
        "That is the last day the price holds; after it the quote has to be asked for again.\n"
        "The bank's staff will contact you with the payment details.",
        "chosen_later": "; you chose to pay later, by 20 December 2026",
        "already": "You have already chosen how to pay for this quote; the bank's staff have your choice.",
        "expired": "The price of this quote held until 20 December 2026 and has lapsed. You can ask for a new quote.",
        "stale": "This button is no longer active.",
        "pay_now": "❤️ 💳 Pay at once",
    },
}
LANGUAGES = list(WORDS)


async def priced_quote(chat, client: httpx.AsyncClient, app) -> dict:
    """Ask for a life-cover quote in the chat, then price it as staff would."""
    await chat.press_data("nav:insurance")
    await chat.press_data("ins:quote")
    await chat.press_data("inscover:life")
    [quote] = (await insurance_of(client, chat.user_id))["open_quote_requests"]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://api") as staff:
        response = await staff.post(
            f"/api/v1/staff/insurance-quotes/{quote['id']}/answer", json=PRICE, headers=OPERATOR
        )
    assert response.status_code == 200, response.text
    return quote


def button(quote: dict, *, later: bool) -> str:
    return QuotePayment(loan_id=quote["loan_id"], quote_id=quote["id"], later=later).pack()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_pay_later_from_the_notice_is_recorded_and_honest_about_the_date(language, linked, client, app):
    words = WORDS[language]
    chat = await linked(IVAN, 22201, language_code=language)
    quote = await priced_quote(chat, client, app)
    overview = await chat.press_data("nav:insurance")
    assert words["line"] in text(overview)
    assert button(quote, later=False) in question(overview)[1]

    await chat.send("/menu")  # the notice is pressed from wherever the chat is
    calls = await chat.press_data(button(quote, later=True))
    assert question(calls) == (words["later"], ("nav:insurance", "nav:menu"))
    [stored] = (await insurance_of(client, 22201))["open_quote_requests"]
    assert (stored["status"], stored["pay_later"]) == ("sent", True)
    assert words["chosen_later"] in text(await chat.press_data("nav:insurance"))

    assert question(await chat.press_data(button(quote, later=True)))[0] == words["later"]  # a double tap
    assert question(await chat.press_data(button(quote, later=False)))[0] == words["already"]
    assert (await insurance_of(client, 22201))["open_quote_requests"][0]["pay_later"] is True


@pytest.mark.parametrize("language", LANGUAGES)
async def test_pay_at_once_from_the_overview(language, linked, client, app):
    words = WORDS[language]
    chat = await linked(IVAN, 22202, language_code=language)
    await priced_quote(chat, client, app)
    await chat.press_data("nav:insurance")
    assert question(await chat.press(words["pay_now"]))[0] == words["now"]
    assert (await insurance_of(client, 22202))["open_quote_requests"][0]["pay_later"] is False


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_lapsed_price_is_said_plainly(language, linked, client, app, clock):
    words = WORDS[language]
    chat = await linked(IVAN, 22203, language_code=language)
    quote = await priced_quote(chat, client, app)
    clock.advance(days=30)
    calls = await chat.press_data(button(quote, later=False))
    assert question(calls) == (words["expired"], ("nav:insurance", "nav:menu"))
    assert (await client.get("/api/v1/me", headers=as_user(22203))).status_code == 200


async def test_someone_elses_forged_and_unpriced_buttons_change_nothing(linked, client, app):
    ivan = await linked(IVAN, 22204, language_code="en")
    quote = await priced_quote(ivan, client, app)
    maria = await linked(MARIA, 22205, language_code="en")
    await maria.send("/menu")
    where = await state_of(maria)
    for forged in (
        button(quote, later=True),  # Ivan's quote on Ivan's loan
        QuotePayment(loan_id=quote["loan_id"], quote_id=quote["id"] + 1000, later=True).pack(),
        "inspay:0:0:1",
        "inspay:1:1:maybe",
        "inspay:" + "9" * 40 + ":1:1",
    ):
        calls = await maria.press_data(forged)
        assert WORDS["en"]["stale"] in toasts(calls), forged
        assert await state_of(maria) == where, forged
    assert (await insurance_of(client, 22204))["open_quote_requests"][0]["pay_later"] is None

    await ivan.press_data("nav:insurance")  # a second request, still unpriced: its button would be forged
    await ivan.press_data("ins:quote")
    await ivan.press_data("inscover:property")
    unpriced = next(q for q in (await insurance_of(client, 22204))["open_quote_requests"] if q["status"] == "requested")
    assert WORDS["en"]["stale"] in toasts(await ivan.press_data(button(unpriced, later=False)))

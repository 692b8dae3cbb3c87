"""Typed requests through the real dispatcher, in both languages: each request typed from the menu lands where its
button leads, the values it names are filled in, and a request typed in a form offers the switch."""

import logging

import pytest
from prometheus_client import REGISTRY, generate_latest

from bot.intents.catalog import Intent
from tests.bot.replies import text, texts, toasts
from tests.bot.walks import data_of, enter, loan_data_shown, question, state_of
from tests.helpers import as_user
from tests.ops.scrape import value

#: A phrasing of each request a borrower types, per language.
TYPED = {
    Intent.BALANCE: ("сколько мне ещё осталось платить по ипотеке", "how much do I still owe on my mortgage"),
    Intent.HOW_TO_PAY: ("как оплатить ипотеку, дайте реквизиты", "how can I pay my mortgage, send the bank details"),
    Intent.EARLY_REPAYMENT: ("хочу досрочно погасить часть кредита", "I want to repay part of the loan early"),
    Intent.INTEREST_CERTIFICATE: (
        "нужна справка об уплаченных процентах для налогового вычета",
        "I need the certificate of interest paid for the tax deduction",
    ),
    Intent.DEBT_CERTIFICATE: ("нужна справка об остатке долга", "I need a certificate of the outstanding debt"),
    Intent.CLOSURE_CERTIFICATE: (
        "справка о закрытии кредита, что ипотека погашена",
        "certificate that the loan is closed and fully repaid",
    ),
    Intent.SCHEDULE: ("пришлите график платежей", "send me the repayment schedule"),
    Intent.MY_REQUESTS: ("покажи мои заявки на справки", "show my certificate requests"),
    Intent.INSURANCE: ("хочу продлить страховку по ипотеке", "I want to renew my mortgage insurance"),
    Intent.HOLIDAY: ("хочу оформить ипотечные каникулы", "I want to apply for a payment holiday"),
    Intent.HOLIDAY_STATUS: (
        "что с моими каникулами, одобрили?",
        "what is the status of my payment holiday application",
    ),
    Intent.HARDSHIP: ("потерял работу, нечем платить", "I lost my job and can't pay"),
    Intent.REFINANCING: ("хочу рефинансировать ипотеку", "I want to refinance my mortgage"),
    Intent.PERSON: ("позовите живого оператора", "let me talk to a real person"),
    Intent.FEEDBACK: ("хочу оставить отзыв о боте", "I want to leave feedback about the bot"),
    Intent.LANGUAGE: ("поменяй язык", "change the language"),
    Intent.REMINDERS_ON: ("включи напоминания о платежах", "turn on payment reminders"),
    Intent.REMINDERS_OFF: ("выключи напоминания о платежах, не надо напоминать", "turn off payment reminders"),
    Intent.REMINDER_DAYS: (
        "напоминай мне за 3 дня до платежа",
        "remind me 3 days before the payment",
    ),
    Intent.REMINDER_HOURS: ("не пиши мне ночью, измени тихие часы", "don't message me at night, change quiet hours"),
    Intent.TIME_ZONE: ("поменять часовой пояс", "change my time zone"),
    Intent.UNLINK: ("отвяжи этот чат от моего аккаунта", "unlink this chat from my account"),
    Intent.HELP: ("что ты умеешь?", "what can you do?"),
    Intent.GREETING: ("привет", "hello"),
    Intent.THANKS: ("спасибо большое", "thank you so much"),
    Intent.COMPLAINT: ("хочу подать жалобу на банк", "I want to make a complaint about the bank"),
}
MENU = ("nav:balance", "nav:pay", "nav:early", "nav:certificates")
#: Where each request's button leads from the menu (`/settings` for a setting): the typed request must land the same.
BUTTONS = {
    Intent.BALANCE: ("nav:balance",),
    Intent.HOW_TO_PAY: ("nav:pay",),
    Intent.EARLY_REPAYMENT: ("nav:early",),
    Intent.INTEREST_CERTIFICATE: ("nav:certificates", "cert:interest_paid"),
    Intent.DEBT_CERTIFICATE: ("nav:certificates", "cert:outstanding_debt"),
    Intent.CLOSURE_CERTIFICATE: ("nav:certificates", "cert:closure"),
    Intent.SCHEDULE: ("nav:certificates", "cert:schedule"),
    Intent.MY_REQUESTS: ("nav:certificates", "certs"),
    Intent.INSURANCE: ("nav:insurance",),
    Intent.HOLIDAY: ("nav:holiday",),
    Intent.HOLIDAY_STATUS: ("hol:list",),
    Intent.REFINANCING: ("nav:refinancing",),
    Intent.PERSON: ("nav:person",),
    Intent.LANGUAGE: ("/settings", "set:language"),
    Intent.REMINDER_DAYS: ("/settings", "set:days"),
    Intent.REMINDER_HOURS: ("/settings", "set:hours"),
    Intent.TIME_ZONE: ("/settings", "set:zone"),
    Intent.UNLINK: ("/settings", "set:unlink"),
    Intent.HELP: ("/help",),
}
LANGUAGES = ("ru", "en")


def test_every_request_has_a_phrasing_and_a_check():
    assert set(TYPED) == set(Intent)
    assert set(BUTTONS) | {
        Intent.HARDSHIP,
        Intent.FEEDBACK,
        Intent.REMINDERS_ON,
        Intent.REMINDERS_OFF,
        Intent.GREETING,
        Intent.THANKS,
        Intent.COMPLAINT,
    } == set(Intent)


async def _pressed(chat, steps: tuple[str, ...]):
    calls = []
    for step in steps:
        calls = await (chat.send(step) if step.startswith("/") else chat.press_data(step))
    return calls


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("intent", sorted(BUTTONS), ids=str)
async def test_a_typed_request_lands_where_its_button_leads(linked, intent, language):
    chat = await linked(language_code=language)
    typed = await chat.send(TYPED[intent][LANGUAGES.index(language)])
    landed = (await state_of(chat), question(typed))
    await chat.send("/menu")
    pressed = await _pressed(chat, BUTTONS[intent])
    assert landed == (await state_of(chat), question(pressed))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_hardship_is_answered_calmly_with_the_holiday_check_and_a_person(linked, client, language):
    chat = await linked(language_code=language)
    calls = await chat.send(TYPED[Intent.HARDSHIP][LANGUAGES.index(language)])
    said, keys = question(calls)
    assert keys == ("nav:holiday", "person:hardship", "nav:menu")
    assert {"ru": "Мне жаль", "en": "I am sorry"}[language] in said
    assert await state_of(chat) is None
    await chat.press_data("nav:holiday")  # the conditions first: the intro, nothing applied for
    assert await state_of(chat) == "HolidayWizard:intro"
    assert (await client.get("/api/v1/me/holidays", headers=as_user(chat.user_id))).json() == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_hardship_in_the_middle_of_a_form_is_answered_and_the_form_stays(chat_factory, demo, language):
    chat, asked = await enter(chat_factory, "early_amount", 1001, language)
    calls = await chat.send(TYPED[Intent.HARDSHIP][LANGUAGES.index(language)])
    assert {"ru": "Мне жаль", "en": "I am sorry"}[language] in texts(calls)[0]
    assert question(calls) == question(asked)
    assert await state_of(chat) == "EarlyRepayment:amount"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_feedback_typed_opens_the_survey(linked, language):
    chat = await linked(language_code=language)
    calls = await chat.send(TYPED[Intent.FEEDBACK][LANGUAGES.index(language)])
    assert await state_of(chat) == "Survey:score"
    assert "rate:5" in question(calls)[1]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_reminders_switched_off_and_on_in_words(linked, client, language):
    chat = await linked(language_code=language)
    calls = await chat.send(TYPED[Intent.REMINDERS_OFF][LANGUAGES.index(language)])
    assert {"ru": "напоминания о платежах выключены", "en": "payment reminders are off"}[language] in text(calls)
    assert (await client.get("/api/v1/me/settings", headers=as_user(chat.user_id))).json()["reminders_enabled"] is False
    assert await state_of(chat) == "SettingsForm:main"
    await chat.send(TYPED[Intent.REMINDERS_ON][LANGUAGES.index(language)])
    assert (await client.get("/api/v1/me/settings", headers=as_user(chat.user_id))).json()["reminders_enabled"] is True


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("intent", [Intent.GREETING, Intent.THANKS], ids=str)
async def test_greeting_and_thanks_get_a_word_and_the_menu(linked, intent, language):
    chat = await linked(language_code=language)
    calls = await chat.send(TYPED[intent][LANGUAGES.index(language)])
    assert question(calls)[1][: len(MENU)] == MENU
    assert len(texts(calls)) == 2  # the short answer, then the menu
    assert await state_of(chat) is None


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_complaint_typed_offers_a_person(linked, language):
    chat = await linked(language_code=language)
    calls = await chat.send(TYPED[Intent.COMPLAINT][LANGUAGES.index(language)])
    assert question(calls)[1] == ("person:complaint", "notnow")


# --- the values a request names -------------------------------------------------------------------------------

EARLY_WITH_VALUES = {
    "ru": ("Хочу досрочно погасить 200 тысяч с уменьшением срока", "shorter_term"),
    "en": ("I want to repay 200k early to reduce the monthly payment", "smaller_payment"),
}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_early_repayment_with_amount_and_mode_lands_on_the_estimate(linked, language):
    words, mode = EARLY_WITH_VALUES[language]
    chat = await linked(language_code=language)
    typed = await chat.send(words)
    assert await state_of(chat) == "EarlyRepayment:estimate"
    draft = await data_of(chat)
    assert (draft["early_amount"], draft["early_mode"]) == ("200000.00", mode)
    # the very estimate the buttons give for the same amount and effect
    await chat.send("/menu")
    await chat.press_data("nav:early")
    await chat.send("200000")
    assert question(await chat.press_data(f"early:{mode}")) == question(typed)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_early_repayment_with_amount_only_asks_the_mode(linked, language):
    chat = await linked(language_code=language)
    await chat.send({"ru": "хочу досрочно погасить 150 тысяч", "en": "I want to repay 150k early"}[language])
    assert await state_of(chat) == "EarlyRepayment:mode"
    assert (await data_of(chat))["early_amount"] == "150000.00"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_tax_certificate_for_a_year_goes_straight_to_delivery(linked, language):
    chat = await linked(language_code=language)
    words = {"ru": "справка для налоговой за 2024", "en": "certificate of interest paid for the tax office for 2024"}
    await chat.send(words[language])
    assert await state_of(chat) == "Certificates:delivery"
    assert ((await data_of(chat))["kind"], (await data_of(chat))["year"]) == ("interest_paid", 2024)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_year_without_payments_is_not_filled_in(linked, language):
    chat = await linked(language_code=language)
    words = {"ru": "справка для налоговой за 2015", "en": "certificate of interest paid for the tax office for 2015"}
    calls = await chat.send(words[language])
    assert await state_of(chat) == "Certificates:year"  # asked as usual
    assert (await data_of(chat))["year"] is None
    assert "2015" not in text(calls)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_debt_certificate_for_a_day_goes_straight_to_delivery(linked, language):
    chat = await linked(language_code=language)
    words = {
        "ru": "справка об остатке долга на 01.11.2026",
        "en": "certificate of the outstanding debt on 01.11.2026",
    }
    await chat.send(words[language])
    assert await state_of(chat) == "Certificates:delivery"
    assert (await data_of(chat))["on_date"] == "2026-11-01"


# --- a request typed in the middle of a form -------------------------------------------------------------------

IN_A_FORM = {"ru": "пришлите график платежей", "en": "send me the repayment schedule"}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_request_in_a_form_offers_the_switch_and_carrying_on_keeps_the_form(chat_factory, demo, language):
    chat, asked = await enter(chat_factory, "holiday_income_after", 1001, language)
    kept = await data_of(chat)
    calls = await chat.send(IN_A_FORM[language])
    said, keys = question(calls)
    assert keys == ("switch:schedule", "carryon")
    assert {"ru": "заявление на кредитные каникулы", "en": "the payment-holiday application"}[language] in said
    assert await state_of(chat) == "HolidayWizard:income_after"
    calls = await chat.press_data("carryon")
    assert question(calls) == question(asked)
    assert await state_of(chat) == "HolidayWizard:income_after"
    assert (await data_of(chat))["holiday"] == kept["holiday"]
    await chat.send("60 000")  # the form goes on as if nothing happened
    assert await state_of(chat) == "HolidayWizard:months"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_switching_from_a_form_enters_the_request(chat_factory, demo, language):
    chat, _ = await enter(chat_factory, "early_amount", 1001, language)
    await chat.send(IN_A_FORM[language])
    await chat.press_data("switch:schedule")
    assert await state_of(chat) == "Certificates:delivery"
    assert (await data_of(chat))["kind"] == "schedule"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_switching_keeps_the_values_the_request_named(chat_factory, demo, language):
    chat, _ = await enter(chat_factory, "holiday_start", 1001, language)
    await chat.send(EARLY_WITH_VALUES[language][0])
    await chat.press_data("switch:early_repayment")
    assert await state_of(chat) == "EarlyRepayment:estimate"
    assert (await data_of(chat))["early_amount"] == "200000.00"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_request_while_a_file_is_awaited_offers_the_switch(chat_factory, demo, language):
    chat, _ = await enter(chat_factory, "insurance_upload_file", 1001, language)
    calls = await chat.send(IN_A_FORM[language])
    assert question(calls)[1] == ("switch:schedule", "carryon")


# --- a form's own answers are never requests -------------------------------------------------------------------

ANSWERS = [
    ("early_amount", "150 000", "EarlyRepayment:mode"),
    ("early_amount", "200000,50", "EarlyRepayment:mode"),
    ("holiday_income_before", "150000", "HolidayWizard:income_after"),
    ("holiday_income_after", "60 000 ₽", "HolidayWizard:months"),
    ("holiday_start", "10.12.2026", "HolidayWizard:documents"),
    ("certificates_day", "01.11.2026", "Certificates:delivery"),
    ("refinancing_description", "сколько мне ещё платить и как рефинансировать ипотеку", "Refinancing:confirm"),
    ("refinancing_description", "I want to repay early and refinance", "Refinancing:confirm"),
    ("person_topic", "хочу досрочно погасить 200 тысяч", None),
    ("survey_comment", "покажи баланс", None),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("start", "answer", "then"), ANSWERS)
async def test_a_forms_answer_is_never_taken_for_a_request(chat_factory, demo, start, answer, then, language):
    chat, _ = await enter(chat_factory, start, 1001, language)
    calls = await chat.send(answer)
    assert await state_of(chat) == then
    assert not [k for k in question(calls)[1] or () if k.startswith(("switch:", "guess:"))]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_same_request_in_its_own_form_is_the_forms_question(chat_factory, demo, language):
    chat, asked = await enter(chat_factory, "early_amount", 1001, language)
    calls = await chat.send(TYPED[Intent.EARLY_REPAYMENT][LANGUAGES.index(language)])
    assert await state_of(chat) == "EarlyRepayment:amount"
    assert question(calls) == question(asked)


# --- not sure, nothing readable, odd input ---------------------------------------------------------------------

UNSURE = {"ru": "справка", "en": "certificate"}


@pytest.mark.parametrize("language", LANGUAGES)
async def test_unsure_offers_the_guesses_and_a_guess_pressed_enters_it(linked, language):
    chat = await linked(language_code=language)
    calls = await chat.send(UNSURE[language])
    said, keys = question(calls)
    assert (
        said
        == {"ru": "Я не уверен, что понял. Вы имели в виду:", "en": "I am not sure I understood. Did you mean:"}[
            language
        ]
    )
    guesses = [key for key in keys if key.startswith("guess:")]
    assert 2 <= len(guesses) <= 3
    assert keys[len(guesses) :] == ("nav:menu", "person:misunderstood")
    assert await state_of(chat) is None  # nothing entered silently
    await chat.press_data("guess:debt_certificate")
    assert await state_of(chat) == "Certificates:day"


async def test_unsure_inside_a_dialog_asks_its_question_again(chat_factory, demo):
    chat, asked = await enter(chat_factory, "settings_main", 1001, "ru")
    calls = await chat.send(UNSURE["ru"])
    assert texts(calls)[0] == "Пожалуйста, ответьте одной из кнопок."
    assert question(calls) == question(asked)
    assert await state_of(chat) == "SettingsForm:main"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("words", ["asdfgh qwerty", "12345", "🙂🙂🙂"])
async def test_nothing_readable_is_not_understood_and_shows_the_menu(linked, words, language):
    chat = await linked(language_code=language)
    calls = await chat.send(words)
    assert {"ru": "не понял", "en": "did not understand"}[language] in texts(calls)[0]
    assert question(calls)[1][: len(MENU)] == MENU


@pytest.mark.parametrize("words", ["а" * 100_000, "\x00\x01\x02 \x7f", "баланс\x00" * 50, "\u202e\u200b" * 300])
async def test_huge_text_and_control_characters_get_a_polite_answer(linked, words):
    chat = await linked()
    calls = await chat.send(words)
    assert texts(calls)
    assert "что-то пошло не так" not in text(calls)


async def test_forged_and_stale_typed_buttons(linked, chat_factory, demo):
    chat = await linked()
    for forged in ("guess:nonsense", "switch:", "guess:balance:1", "switch:../menu"):
        assert "Эта кнопка больше не действует." in toasts(await chat.press_data(forged)), forged
    calls = await chat.press_data("carryon")  # no form open any more: the menu
    assert question(calls)[1][: len(MENU)] == MENU
    stranger = chat_factory(2002)
    assert "Эта кнопка больше не действует." in toasts(await stranger.press_data("guess:balance"))
    assert await state_of(stranger) == "Onboarding:consent"  # an unlinked chat is greeted, never let in


# --- unlinked chats, held chats, logs ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_unlinked_chat_may_ask_for_a_person_or_help_and_nothing_else(chat_factory, demo, language):
    chat = chat_factory(3003, language_code=language)
    await chat.send(TYPED[Intent.PERSON][LANGUAGES.index(language)])
    assert await state_of(chat) == "Person:topic"
    chat = chat_factory(3004, language_code=language)
    calls = await chat.send(TYPED[Intent.HELP][LANGUAGES.index(language)])
    assert {"ru": "/start", "en": "/start"}[language] in text(calls)
    chat = chat_factory(3005, language_code=language)
    calls = await chat.send(TYPED[Intent.BALANCE][LANGUAGES.index(language)])
    assert await state_of(chat) == "Onboarding:consent"  # onboarding, no loan data
    assert loan_data_shown(calls) == []


async def test_an_unlinked_chat_in_onboarding_keeps_its_step_after_help(chat_factory, demo):
    chat, asked = await enter(chat_factory, "consent", 3006, "ru")
    calls = await chat.send(TYPED[Intent.HELP][0])
    assert await state_of(chat) == "Onboarding:consent"
    assert question(calls) == question(asked)


async def test_a_chat_waiting_for_staff_keeps_its_words_in_the_case(linked):
    chat = await linked()
    await chat.send("/operator")
    await chat.send("Вопрос по страховке")
    calls = await chat.send(TYPED[Intent.BALANCE][0])
    assert "Добавил к вашему обращению" in text(calls)
    assert await state_of(chat) is None


async def test_logs_carry_the_intent_and_never_the_text(linked, caplog):
    chat = await linked()
    words = EARLY_WITH_VALUES["ru"][0]
    with caplog.at_level(logging.INFO, logger="dialogs.typed"):
        await chat.send(words)
    logged = [record.getMessage() for record in caplog.records if record.name.startswith("dialogs.typed")]
    assert any("early_repayment" in line for line in logged)
    assert not any("200" in line or "досрочно" in line for line in logged)


async def test_metrics_count_the_intent_and_the_outcome_never_the_text(linked):
    chat = await linked()
    before = generate_latest(REGISTRY).decode()
    await chat.send(EARLY_WITH_VALUES["ru"][0])  # sure: entered
    await chat.send("/menu")
    await chat.send("а что с полисом")  # unsure: the guesses asked

    after = generate_latest(REGISTRY).decode()

    def more(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert more("ipoteka_bot_typed_requests_total", intent="early_repayment", outcome="entered") == 1
    assert more("ipoteka_bot_typed_requests_total", intent="insurance", outcome="asked") == 1
    assert more("ipoteka_bot_intent_confidence_count", intent="early_repayment") == 1
    assert "полис" not in after and "досрочно" not in after


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_request_at_a_forms_buttons_offers_the_switch(chat_factory, demo, language):
    chat, _ = await enter(chat_factory, "holiday_months", 1001, language)
    kept = await data_of(chat)
    calls = await chat.send(IN_A_FORM[language])
    assert question(calls)[1] == ("switch:schedule", "carryon")
    assert await data_of(chat) != {} and (await data_of(chat))["holiday"] == kept["holiday"]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_request_on_a_dialogs_own_menu_is_entered_at_once(chat_factory, demo, language):
    chat, _ = await enter(chat_factory, "certificates_kind", 1001, language)
    await chat.send(IN_A_FORM[language])
    assert await state_of(chat) == "Certificates:delivery"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_dialogs_own_request_typed_in_it_is_its_question_again(chat_factory, demo, language):
    chat, asked = await enter(chat_factory, "survey_score", 1001, language)
    calls = await chat.send(TYPED[Intent.FEEDBACK][LANGUAGES.index(language)])
    assert await state_of(chat) == "Survey:score"
    assert question(calls) == question(asked)


async def test_a_long_text_in_a_form_is_the_forms_to_answer(chat_factory, demo):
    chat, asked = await enter(chat_factory, "early_amount", 1001, "ru")
    calls = await chat.send((IN_A_FORM["ru"] + " ") * 20)
    assert question(calls) == question(asked)
    assert await state_of(chat) == "EarlyRepayment:amount"

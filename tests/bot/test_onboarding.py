"""Onboarding and linking walked end to end in both languages, through the real dispatcher and backend."""

import pytest
from aiogram.methods import SendMessage
from aiogram.types import ReplyKeyboardMarkup, ReplyKeyboardRemove

from tests.bot.conftest import ALEXEI, IVAN, MARIA, OLGA
from tests.bot.replies import text
from tests.helpers import as_user

WORDS = {
    "ru": {
        "greeting": "Здравствуйте! Я помощник вашего ипотечного банка.",
        "agree": "Согласен",
        "share": "Поделиться номером",
        "second": "Теперь вторая проверка",
        "linked": "Готово, Иван: чат привязан к вашему договору.",
        "offer": "Напоминать вам о платежах: за 3 и 1 день до платежа и в день платежа, только с 09:00 до 21:00",
        "yes": "Да, напоминать",
        "no": "Нет, спасибо",
        "payment": "Ближайший платёж: 49\xa0300,88\xa0₽, 10 декабря 2026",
        "menu": "Что вы хотите сделать?",
        "declined": "Без вашего согласия я не могу привязать чат",
        "several": "У вас несколько кредитов. Какой показать?",
        "repaid": "Кредит погашен полностью. Поздравляем!",
    },
    "en": {
        "greeting": "Hello! I am the assistant of your mortgage bank.",
        "agree": "I agree",
        "share": "Share my phone number",
        "second": "Now the second check",
        "linked": "Done, Иван: the chat is linked to your account.",
        "offer": "Shall I remind you of payments: 3 and 1 days before and on the due day, only between 09:00 and 21:00",
        "yes": "Yes, remind me",
        "no": "No, thanks",
        "payment": "Next payment: RUB\xa049,300.88 on 10 December 2026",
        "menu": "What would you like to do?",
        "declined": "Without your consent I cannot link the chat",
        "several": "You have several loans. Which one shall I show?",
        "repaid": "The loan is repaid in full. Congratulations!",
    },
}
LANGUAGES = list(WORDS)


def _reply_markups(calls):
    return [c.method.reply_markup for c in calls if isinstance(c.method, SendMessage)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_linking_walk(language, demo, chat_factory, client):
    words = WORDS[language]
    chat = chat_factory(2001, language_code=language)

    greeting = await chat.send("/start")
    assert words["greeting"] in text(greeting)
    assert [b.label for b in chat.buttons()][:2] == [f"✅ {words['agree']}", words["no"]]

    asked = await chat.press(words["agree"])
    [keyboard] = _reply_markups(asked)
    assert isinstance(keyboard, ReplyKeyboardMarkup)
    assert keyboard.keyboard[0][0].request_contact is True
    assert words["share"] in keyboard.keyboard[0][0].text

    second = await chat.press(words["share"])
    assert words["second"] in text(second)
    assert isinstance(_reply_markups(second)[0], ReplyKeyboardRemove)

    done = await chat.send(IVAN[1])
    assert words["linked"] in text(done)
    assert words["offer"] in text(done)

    menu = await chat.press(words["yes"])
    assert words["payment"] in text(menu)
    assert words["menu"] in text(menu)
    profile = (await client.get("/api/v1/me", headers=as_user(2001))).json()
    assert profile["reminders_enabled"] is True
    assert profile["language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
async def test_declining_consent_links_nothing_and_keeps_no_data(language, demo, chat_factory, client):
    words = WORDS[language]
    chat = chat_factory(2002, language_code=language)
    await chat.send("/start")
    declined = await chat.press(words["no"])
    assert words["declined"] in text(declined)
    assert (await client.get("/api/v1/me", headers=as_user(2002))).status_code == 403


async def test_the_date_of_birth_works_as_the_second_factor(demo, chat_factory, client):
    chat = chat_factory(2003)
    await chat.send("/start")
    await chat.press("✅")
    await chat.send_contact()
    linked = await chat.send("12.04.1985")
    assert WORDS["ru"]["linked"] in text(linked)


async def test_the_language_button_on_the_greeting_switches_before_linking(demo, chat_factory, client):
    chat = chat_factory(2004, language_code="ru")
    await chat.send("/start")
    switched = await chat.press("English")
    assert WORDS["en"]["greeting"] in text(switched)
    await chat.press(WORDS["en"]["agree"])
    second = await chat.send_contact()
    assert WORDS["en"]["second"] in text(second)
    await chat.send(IVAN[1])
    assert (await client.get("/api/v1/me", headers=as_user(2004))).json()["language"] == "en"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_borrower_with_two_loans_chooses_one(language, linked, client):
    words = WORDS[language]
    chat = await linked(MARIA, 2005, language_code=language)
    shown = chat.session.log[-3:]
    assert words["several"] in text(shown)
    labels = [b.label for b in chat.buttons()]
    assert len(labels) == 2
    loans = (await client.get("/api/v1/me/loans", headers=as_user(2005))).json()
    second = loans[1]
    menu = await chat.press(second["contract_number"])
    assert second["contract_number"] in text(menu)
    assert (await client.get("/api/v1/me", headers=as_user(2005))).json()["selected_loan_id"] == second["id"]


async def test_a_borrower_who_speaks_english_is_answered_in_english_after_linking(linked):
    chat = await linked(OLGA, 2006, language_code=None)
    menu = await chat.send("/menu")
    assert WORDS["en"]["menu"] in text(menu)


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_repaid_loan_says_so(language, linked):
    chat = await linked(ALEXEI, 2007, language_code=language)
    menu = await chat.send("/menu")
    assert WORDS[language]["repaid"] in text(menu)


async def test_an_edited_message_is_answered_not_ignored(linked):
    chat = await linked(IVAN, 2008)
    edited = {
        "message_id": 1,
        "date": 1764147600,
        "edit_date": 1764147660,
        "chat": {"id": 2008, "type": "private"},
        "from": chat.user,
        "text": "0457",
    }
    assert "только новые сообщения" in text(await chat.feed({"edited_message": edited}))


@pytest.mark.parametrize(
    ("language", "call"),
    [("ru", "позвоните в банк по номеру 8 800 000-00-00"), ("en", "call the bank on 8 800 000-00-00")],
)
async def test_a_borrower_linked_elsewhere_is_given_the_banks_phone(language, call, linked, chat_factory):
    await linked(IVAN, 2101)
    chat = chat_factory(2102, language_code=language)
    await chat.send("/start")
    await chat.press("✅")
    await chat.send_contact()
    calls = await chat.send(IVAN[1])
    assert call in text(calls)

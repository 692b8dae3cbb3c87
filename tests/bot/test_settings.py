"""Settings walked in both languages: language, reminders, days ahead, quiet hours, time zone, loan, unlink."""

import pytest

from tests.bot.conftest import IVAN, MARIA
from tests.bot.replies import text, toasts
from tests.helpers import as_user

WORDS = {
    "ru": {
        "title": "Настройки",
        "off": "Выключить напоминания",
        "on": "Включить напоминания",
        "reminders_off": "Напоминания о платежах: выключены",
        "when": "Когда напоминать",
        "save": "Сохранить",
        "saved": "Сохранено: напоминания за 7 и 1 день до платежа и в день платежа.",
        "too_many": "Не больше 3 дней: сначала уберите один.",
        "hours": "Тихие часы",
        "hours_line": "Пишу вам только с 08:00 до 20:00",
        "zone": "Часовой пояс",
        "zone_button": "Екатеринбург",
        "unlink": "Отвязать чат",
        "yes_unlink": "Да, отвязать",
        "keep": "Нет, оставить",
        "unlinked": "Чат отвязан.",
        "greeting": "Здравствуйте!",
        "loan": "Выбрать кредит",
        "back": "Назад",
    },
    "en": {
        "title": "Settings",
        "off": "Turn reminders off",
        "on": "Turn reminders on",
        "reminders_off": "Payment reminders: off",
        "when": "When to remind",
        "save": "Save",
        "saved": "Saved: reminders 7 and 1 days before and on the due day.",
        "too_many": "Up to 3 days: remove one first.",
        "hours": "Quiet hours",
        "hours_line": "Messages from me only between 08:00 and 20:00",
        "zone": "Time zone",
        "zone_button": "Yekaterinburg",
        "unlink": "Unlink this chat",
        "yes_unlink": "Yes, unlink",
        "keep": "No, keep it",
        "unlinked": "The chat is unlinked.",
        "greeting": "Hello!",
        "loan": "Choose the loan",
        "back": "Back",
    },
}
LANGUAGES = list(WORDS)


async def _settings(client, user: int) -> dict:
    return (await client.get("/api/v1/me/settings", headers=as_user(user))).json()


@pytest.mark.parametrize("language", LANGUAGES)
async def test_reminders_days_hours_and_zone(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 4001, language_code=language)
    assert words["title"] in text(await chat.send("/settings"))

    assert words["reminders_off"] in text(await chat.press(words["off"]))
    assert (await _settings(client, 4001))["reminders_enabled"] is False
    await chat.press(words["on"])
    assert (await _settings(client, 4001))["reminders_enabled"] is True

    await chat.press(words["when"])
    await chat.press("✔️ 3")  # off
    await chat.press("7")  # on: now 7 and 1
    await chat.press("10")  # on: 10, 7, 1
    refused = await chat.press("14")  # a fourth: refused with an alert
    assert toasts(refused) == [words["too_many"]]
    await chat.press("✔️ 10")
    assert words["saved"] in text(await chat.press(words["save"]))
    assert (await _settings(client, 4001))["reminder_days_ahead"] == [7, 1]

    await chat.press(words["hours"])
    assert words["hours_line"] in text(await chat.press("08:00–20:00"))
    prefs = await _settings(client, 4001)
    assert (prefs["daytime_start"], prefs["daytime_end"]) == ("08:00", "20:00")

    await chat.press(words["zone"])
    await chat.press(words["zone_button"])
    assert (await _settings(client, 4001))["time_zone"] == "Asia/Yekaterinburg"


@pytest.mark.parametrize(("start", "switch_to"), [("ru", "en"), ("en", "ru")])
async def test_switching_the_language_answers_in_it_from_then_on(start, switch_to, linked, client):
    chat = await linked(IVAN, 4002, language_code=start)
    await chat.send("/settings")
    await chat.press("🌐")
    switched = text(await chat.press({"ru": "Русский", "en": "English"}[switch_to]))
    assert WORDS[switch_to]["title"] in switched
    assert (await _settings(client, 4002))["language"] == switch_to
    menu = text(await chat.send("/menu"))
    assert {"ru": "Что вы хотите сделать?", "en": "What would you like to do?"}[switch_to] in menu


@pytest.mark.parametrize("language", LANGUAGES)
async def test_unlinking_asks_first_then_forgets_the_chat(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 4003, language_code=language)
    await chat.send("/settings")
    await chat.press(words["unlink"])
    assert words["title"] in text(await chat.press(words["keep"]))
    assert (await client.get("/api/v1/me", headers=as_user(4003))).status_code == 200

    await chat.press(words["unlink"])
    assert words["unlinked"] in text(await chat.press(words["yes_unlink"]))
    assert (await client.get("/api/v1/me", headers=as_user(4003))).status_code == 403
    assert words["greeting"] in text(await chat.send("/balance"))


@pytest.mark.parametrize("language", LANGUAGES)
async def test_switching_the_loan(language, linked, client):
    words = WORDS[language]
    chat = await linked(MARIA, 4004, language_code=language)
    loans = (await client.get("/api/v1/me/loans", headers=as_user(4004))).json()
    await chat.press(loans[0]["contract_number"])
    await chat.send("/settings")
    await chat.press(words["loan"])
    shown = text(await chat.press(loans[1]["contract_number"]))
    assert loans[1]["contract_number"] in shown
    assert (await _settings(client, 4004))["selected_loan_id"] == loans[1]["id"]
    await chat.send("/settings")
    await chat.press(words["loan"])
    menu = {"ru": "Что вы хотите сделать?", "en": "What would you like to do?"}[language]
    assert menu in text(await chat.press(words["back"]))


@pytest.mark.parametrize(
    ("language", "presses", "shown"),
    [
        ("ru", ("✔️ 3",), "Сейчас: за 1 день до платежа"),
        ("ru", ("✔️ 1", "✔️ 3", "2"), "Сейчас: за 2 дня до платежа"),
        ("ru", ("✔️ 1", "✔️ 3", "5"), "Сейчас: за 5 дней до платежа"),
        ("ru", ("✔️ 1", "2"), "Сейчас: за 3 и 2 дня до платежа"),
        ("ru", ("✔️ 1", "10", "14"), "Сейчас: за 14, 10 и 3 дня до платежа"),
        ("ru", ("✔️ 1", "✔️ 3", "14", "5"), "Сейчас: за 14 и 5 дней до платежа"),
        ("en", ("✔️ 3",), "Now: 1 day before"),
        ("en", ("✔️ 1", "✔️ 3", "5"), "Now: 5 days before"),
        ("en", ("7",), "Now: 7, 3 and 1 days before"),
    ],
)
async def test_the_days_are_counted_in_words(language, presses, shown, linked):
    """Plural forms through ngettext: «за 3 и 1 день», «за 2 дня», «за 5 дней», never «дн.»."""
    chat = await linked(IVAN, 4010, language_code=language)
    await chat.send("/settings")
    await chat.press(WORDS[language]["when"])
    for label in presses:
        calls = await chat.press(label)
    assert shown in text(calls)
    assert "дн." not in text(calls)

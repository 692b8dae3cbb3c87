"""The message when a payment reaches the bank: its own switch in the settings, beside the reminders it rides on."""

import pytest

from tests.bot.conftest import IVAN
from tests.bot.replies import text, toasts
from tests.helpers import as_user

WORDS = {
    "ru": {
        "on": "Сообщение о поступлении платежа: включено",
        "off": "Сообщение о поступлении платежа: выключено",
        "turn_off": "🔕 Не сообщать о поступлении платежа",
        "turn_on": "🧾 Сообщать о поступлении платежа",
        "reminders_off": "Выключить напоминания",
        "stale": "Эта кнопка больше не действует.",
    },
    "en": {
        "on": "Message when a payment reaches the bank: on",
        "off": "Message when a payment reaches the bank: off",
        "turn_off": "🔕 No message when a payment arrives",
        "turn_on": "🧾 Message me when a payment arrives",
        "reminders_off": "Turn reminders off",
        "stale": "This button is no longer active.",
    },
}


async def _notices(client, user: int) -> bool:
    return (await client.get("/api/v1/me/settings", headers=as_user(user))).json()["payment_received_notices"]


@pytest.mark.parametrize("language", list(WORDS))
async def test_the_payment_notice_is_switched_off_and_on_on_its_own(language, linked, client):
    words = WORDS[language]
    chat = await linked(IVAN, 4101, language_code=language)
    assert words["on"] in text(await chat.send("/settings"))

    assert words["off"] in text(await chat.press(words["turn_off"]))
    assert await _notices(client, 4101) is False
    assert (await client.get("/api/v1/me/settings", headers=as_user(4101))).json()["reminders_enabled"] is True

    assert words["on"] in text(await chat.press(words["turn_on"]))
    assert await _notices(client, 4101) is True

    shown = text(await chat.press(words["reminders_off"]))  # it rides on the reminders: not offered without them
    assert words["on"] not in shown and words["off"] not in shown


@pytest.mark.parametrize("language", list(WORDS))
async def test_a_stale_switch_outside_the_settings_changes_nothing(language, linked, client):
    chat = await linked(IVAN, 4102, language_code=language)
    await chat.send("/menu")
    calls = await chat.press_data("set:payment_notice")
    assert WORDS[language]["stale"] in " ".join(toast or "" for toast in toasts(calls)) + text(calls)
    assert await _notices(client, 4102) is True

"""The backend down, slow or answering too late, and a chat unlinked behind the bot's back: the user is told,
the dialog is kept, and it carries on once the backend is back."""

import logging
from collections.abc import AsyncIterator

import pytest
from aiogram.methods import AnswerCallbackQuery

from bot.backend import BackendClient
from bot.offline import Call
from tests.bot.conftest import IVAN
from tests.bot.replies import text, texts
from tests.bot.switch import NOT_ANSWERING, Switch
from tests.bot.walks import data_of, enter, question, state_of
from tests.conftest import SERVICE_TOKEN
from tests.helpers import as_user

TIMEOUT = 0.05  # seconds the bot waits for the backend
NO_LONGER_LINKED = "no longer linked"


@pytest.fixture
async def backend(switch: Switch, bot_settings) -> AsyncIterator[BackendClient]:
    """Overrides the shared fixture: the dispatcher talks to the backend through the switch, with a short timeout."""
    client = BackendClient.create(
        bot_settings.backend_url, token=SERVICE_TOKEN, timeout=TIMEOUT, retries=1, transport=switch
    )
    yield client
    await switch.settle()
    await client.aclose()


def callback_answered(calls: list[Call]) -> bool:
    return any(isinstance(c.method, AnswerCallbackQuery) for c in calls)


async def _apology_in(chat_factory, user_id: int, language: str, switch: Switch) -> str:
    """What a chat in `language` is told when the backend is down at its first message."""
    switch.mode = "down"
    calls = await chat_factory(user_id, language_code=language).send("/start")
    switch.mode = "up"
    assert len(texts(calls)) == 1
    return text(calls)


@pytest.mark.parametrize("mode", ["down", "slow"])
@pytest.mark.parametrize("language", ["en", "ru"])
async def test_linking_survives_the_backend_going_away(mode, language, demo, chat_factory, switch, client, caplog):
    chat, _ = await enter(chat_factory, "second_factor", 4001, language_code=language)
    assert (await data_of(chat))["phone"] == IVAN[0]
    switch.mode = mode
    for attempt in range(2):
        calls = await chat.send(IVAN[1])
        assert len(texts(calls)) == 1, f"attempt {attempt}: one apology expected"
        apology = text(calls)
        assert await state_of(chat) == "Onboarding:second_factor"
        assert (await data_of(chat))["phone"] == IVAN[0], "the shared phone was lost"
    english = await _apology_in(chat_factory, 4002, "en", switch)
    assert NOT_ANSWERING in english
    if language == "en":
        assert apology == english
    else:
        assert apology != english, "the Russian chat was answered in English"
    switch.mode = "up"
    calls = await chat.send(IVAN[1])
    assert await state_of(chat) == "ReminderOffer:ask", texts(calls)
    me = await client.get("/api/v1/me", headers=as_user(4001))
    assert me.status_code == 200 and me.json()["first_name"] == "Иван"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_linked_chat_keeps_its_draft_while_the_backend_is_down(demo, chat_factory, switch, client):
    chat, _ = await enter(chat_factory, "settings_days", 4003)
    await chat.press_data("day:7")
    draft = await data_of(chat)
    assert 7 in draft["days"]
    switch.mode = "down"
    calls = await chat.press_data("days")
    assert callback_answered(calls), "the button's spinner was not stopped"
    assert NOT_ANSWERING in text(calls)
    assert await state_of(chat) == "SettingsForm:days"
    assert await data_of(chat) == draft
    switch.mode = "up"
    assert 7 not in (await client.get("/api/v1/me/settings", headers=as_user(4003))).json()["reminder_days_ahead"]
    await chat.press_data("days")
    assert await state_of(chat) == "SettingsForm:main"
    saved = (await client.get("/api/v1/me/settings", headers=as_user(4003))).json()["reminder_days_ahead"]
    assert sorted(saved, reverse=True) == draft["days"]


@pytest.mark.parametrize("mode", ["down", "slow"])
@pytest.mark.parametrize("action", ["/balance", "/menu", "/settings", "nav:balance", "nav:pay", "set:reminders"])
async def test_every_screen_apologises_when_the_backend_fails(mode, action, demo, chat_factory, switch, caplog):
    chat, _ = await enter(chat_factory, "settings_main", 4004)
    switch.mode = mode
    calls = await (chat.send(action) if action.startswith("/") else chat.press_data(action))
    assert NOT_ANSWERING in text(calls)
    assert action.startswith("/") or callback_answered(calls)
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    switch.mode = "up"
    calls = await (chat.send(action) if action.startswith("/") else chat.press_data(action))
    assert NOT_ANSWERING not in "\n".join(texts(calls)) and texts(calls)


async def test_a_link_made_but_answered_too_late_is_picked_up(demo, chat_factory, switch, client, caplog):
    chat, _ = await enter(chat_factory, "second_factor", 4005)
    switch.mode = "late"
    assert NOT_ANSWERING in text(await chat.send(IVAN[1]))
    switch.mode = "up"
    assert (await client.get("/api/v1/me", headers=as_user(4005))).status_code == 200, "the late link was lost"
    calls = await chat.send(IVAN[1])
    assert "This chat is already linked to your account." in text(calls)
    assert await state_of(chat) == "ReminderOffer:ask", "the linked chat is not carried on to the reminders question"
    calls = await chat.press("Yes, remind me")
    assert await state_of(chat) is None
    assert "nav:balance" in question(calls)[1], "the linked chat is not shown the menu"
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


@pytest.mark.parametrize("action", ["set:reminders", "set:days", "nav:settings", "nav:balance", "/settings"])
async def test_chat_unlinked_elsewhere_is_told_and_reset(action, demo, chat_factory, client, caplog):
    chat, _ = await enter(chat_factory, "settings_main", 4006)
    assert (await client.delete("/api/v1/me/link", headers=as_user(4006))).status_code == 204
    calls = await (chat.send(action) if action.startswith("/") else chat.press_data(action))
    assert NO_LONGER_LINKED in text(calls)
    assert action.startswith("/") or callback_answered(calls)
    assert await state_of(chat) is None
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    calls = await chat.send("/menu")
    assert await state_of(chat) == "Onboarding:consent", "the unlinked chat is not led to onboarding"
    assert not any("RUB" in line for line in texts(calls))

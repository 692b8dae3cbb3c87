"""Wrong input in every dialog state: the bot explains, keeps the state and asks the same question again."""

import re

import httpx
import pytest
from aiogram.methods import AnswerCallbackQuery

from bot.offline import OfflineChat
from tests.bot.conftest import ALEXEI, ANNA, IVAN, ChatFactory
from tests.bot.replies import answered, text, texts, toasts
from tests.bot.walks import (
    CONSENT_BUTTONS,
    LINKED_STARTS,
    ONBOARD,
    STARTS,
    UNLINKED_STARTS,
    Step,
    backend_view,
    data_of,
    enter,
    keys,
    linked_walk,
    loan_data_shown,
    question,
    say,
    state_of,
    tap,
)
from tests.helpers import as_user, link

BAD_INPUT: dict[str, Step] = {
    "text": say("what about my dog?"),
    "sticker": lambda chat: chat.send_sticker(),
    "photo": lambda chat: chat.send_photo(),
    "voice": lambda chat: chat.send_voice(),
    "4000 characters": say(("Почему так дорого? Why? " * 200)[:4000]),
}


@pytest.mark.parametrize("name", UNLINKED_STARTS)
async def test_wrong_kind_of_input_before_linking(name, chat_factory):
    await _wrong_kinds_asked_again(chat_factory, name)


@pytest.mark.parametrize("name", LINKED_STARTS)
async def test_wrong_kind_of_input_after_linking(name, demo, chat_factory, client):
    chat = await _wrong_kinds_asked_again(chat_factory, name, client)
    assert (await client.get("/api/v1/me", headers=as_user(chat.user_id))).status_code == 200


async def _wrong_kinds_asked_again(
    chat_factory: ChatFactory, name: str, client: httpx.AsyncClient | None = None
) -> OfflineChat:
    """Each wrong kind of input in turn: a reply, the state and data kept, the question asked again."""
    chat, asked = await enter(chat_factory, name, 3001)
    before_data = await data_of(chat)
    before_backend = await backend_view(client, chat.user_id) if client else None
    for kind, send in BAD_INPUT.items():
        if kind in STARTS[name].answers:
            continue
        calls = await send(chat)
        assert answered(calls) and texts(calls), f"{name}/{kind}: no reply"
        assert STARTS[name].who or loan_data_shown(calls) == [], f"{name}/{kind}: loan data before linking"
        if name == "unlinked":  # a chat that is not linked is always led to onboarding
            assert await state_of(chat) == "Onboarding:consent", kind
            assert question(calls)[1] == CONSENT_BUTTONS, kind
            await chat.send("/cancel")
            continue
        assert await state_of(chat) == STARTS[name].state, f"{name}/{kind}: the state moved"
        assert await data_of(chat) == before_data, f"{name}/{kind}: the dialog data changed"
        if name == "second_factor" and kind in ("text", "4000 characters"):
            assert "0457" in text(calls), f"{name}/{kind}: the expected form is not explained"
        elif STARTS[name].state is None and texts(calls)[0] == "I am not sure I understood. Did you mean:":
            # no question open: a text the reader half-recognises is asked about (dialogs/typed/), the menu a button
            assert question(calls)[1][-2:] == ("nav:menu", "person:misunderstood"), f"{name}/{kind}"
        else:
            assert question(calls) == question(asked), f"{name}/{kind}: the question was not asked again"
            assert len(texts(calls)) >= 2, f"{name}/{kind}: no explanation before the question"
    if client is not None:
        assert await backend_view(client, chat.user_id) == before_backend
    return chat


# --- stale buttons ----------------------------------------------------------------------------------------------


async def _stale_settings_item(chat: OfflineChat) -> tuple[str, int]:
    """Settings opened, then Quiet hours chosen: the main screen's Language button is now stale."""
    old = next(b for b in chat.buttons() if b.callback_data == "set:language")
    await chat.press_data("set:hours")
    return old.callback_data, old.message_id


async def _stale_day(chat: OfflineChat) -> tuple[str, int]:
    """The days screen saved and left: its day buttons are stale."""
    await chat.press_data("set:days")
    old = next(b for b in chat.buttons() if b.callback_data == "day:7")
    await chat.press_data("days")
    return old.callback_data, old.message_id


STALE = {
    # start, how it goes stale, the state the stale press must leave the chat in
    "settings item after moving on": ("settings_main", _stale_settings_item, "SettingsForm:hours"),
    "day after saving": ("settings_main", _stale_day, "SettingsForm:main"),
}


@pytest.mark.parametrize("case", STALE)
async def test_stale_settings_button_is_no_longer_active(case, demo, chat_factory, client):
    start, go_stale, state = STALE[case]
    chat, _ = await enter(chat_factory, start, 3002)
    data, message_id = await go_stale(chat)
    before = await backend_view(client, chat.user_id)
    calls = await chat.press_data(data, message_id=message_id)
    assert any("no longer active" in (toast or "") for toast in toasts(calls))
    assert await state_of(chat) == state
    assert texts(calls), "no screen after the stale press"
    assert await backend_view(client, chat.user_id) == before


async def test_stale_consent_while_asking_the_second_factor(chat_factory):
    chat, _ = await enter(chat_factory, "consent", 3003)
    agree = next(b for b in chat.buttons() if b.callback_data == "consent:1")
    await chat.press_button(agree)
    await chat.send_contact()
    data = await data_of(chat)
    calls = await chat.press_button(agree)
    assert any("no longer active" in (toast or "") for toast in toasts(calls))
    assert await state_of(chat) == "Onboarding:second_factor"
    assert await data_of(chat) == data
    assert question(calls)[1] == "remove", "the second factor is not asked again"


@pytest.mark.parametrize("stale", ["consent:1", "remind:1", "remind:0", "lang:ru"])
async def test_stale_onboarding_button_in_a_linked_chat_shows_the_menu(stale, demo, chat_factory, client):
    chat, menu = await enter(chat_factory, "linked", 3004)
    before = await backend_view(client, chat.user_id)
    calls = await chat.press_data(stale, message_id=min(chat.inline_keyboards))  # the greeting
    assert any("no longer active" in (toast or "") for toast in toasts(calls))
    assert await state_of(chat) is None
    assert question(calls) == question(menu)
    assert await backend_view(client, chat.user_id) == before


# --- forged callback data -----------------------------------------------------------------------------------------

OVERSIZED = ("set:" + "x" * 80, "nav:" + "я" * 40, "loan:1" + "x" * 70, "\x00\x01\x02\xff\ufffd", "day:\u202e7", "::::")
FORGED = {
    "settings_main": ("zzz:1", "nav:hack", "set:hack", "set:", "unlink:1", "tz:1", "hours:9:21", *OVERSIZED),
    "settings_language": ("lang:de", "lang:", "lang:ru:en", "set:language", "unlink:1"),
    "settings_days": ("day:4", "day:-1", "day:abc", "day:7:7", "days:x", "hours:9:21"),
    "settings_hours": ("hours:1:2", "hours:9", "hours:21:9", "hours:x:y", "tz:1"),
    "settings_zone": ("tz:99", "tz:-1", "tz:12", "tz:abc", "hours:9:21"),
    "settings_unlink": ("unlink:2", "unlink:maybe", "unlink:", "set:unlink"),
    "reminder_offer": ("remind:2", "remind:", "nav:hack", "consent:1", *OVERSIZED),
    "linked": ("remind:1", "consent:1", "set:unlink", "unlink:1", "tz:3", "day:7", "nav:hack", *OVERSIZED),
    "loan_pick": ("loan:abc", "loan:", "loan:4:5", "nav:hack", *OVERSIZED),
    "holiday_loan": ("loan:abc", "loan:", "loan:0", "loan:999999", "loan:4:5", "hol:done", "holreason:job_loss"),
}


@pytest.mark.parametrize("name", FORGED)
async def test_forged_callback_data_changes_nothing(name, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, name, 3005)
    data = await data_of(chat)
    before = await backend_view(client, chat.user_id)
    for forged in FORGED[name]:
        calls = await chat.press_data(forged)
        assert any(isinstance(c.method, AnswerCallbackQuery) for c in calls), f"{forged!r}: the press is not answered"
        assert await state_of(chat) == STARTS[name].state, f"{forged!r}: the state moved"
        assert await data_of(chat) == data, f"{forged!r}: the dialog data changed"
        assert question(calls) == question(asked), f"{forged!r}: the same screen is not shown again"
        assert await backend_view(client, chat.user_id) == before, f"{forged!r}: the backend changed"


FOREIGN_LOANS = {"another borrower's": None, "missing": 999999, "zero": 0, "negative": -1, "past int64": 2**63}


@pytest.mark.parametrize("start", ["loan_pick", "linked"])
@pytest.mark.parametrize("which", FOREIGN_LOANS)
async def test_a_loan_not_the_borrowers_own_is_refused(start, which, demo, chat_factory, client):
    assert (await link(client, 3999, phone=ANNA[0], factor=ANNA[1])).status_code == 200
    others = (await client.get("/api/v1/me/loans", headers=as_user(3999))).json()
    loan_id = FOREIGN_LOANS[which] if FOREIGN_LOANS[which] is not None else others[0]["id"]
    chat, _ = await enter(chat_factory, start, 3006)
    own = {loan["id"] for loan in (await client.get("/api/v1/me/loans", headers=as_user(3006))).json()}
    assert loan_id not in own
    before = await backend_view(client, chat.user_id)
    calls = await chat.press_data(f"loan:{loan_id}")
    assert any(isinstance(c.method, AnswerCallbackQuery) for c in calls)
    assert await backend_view(client, chat.user_id) == before, "the selected loan changed"
    explained = [t for t in toasts(calls) if t] + texts(calls)[:-1]
    assert explained, "the refusal is not explained"
    keyboard = question(calls)[1]
    assert isinstance(keyboard, tuple), "no screen is shown again"
    if start == "loan_pick":
        assert {f"loan:{i}" for i in own} <= set(keyboard), "the loan list is not shown again"
    else:
        assert "nav:balance" in keyboard, "outside the loan list a loan button is stale: the menu is shown"
    assert f"loan:{loan_id}" not in keyboard
    assert (await client.get("/api/v1/me", headers=as_user(3999))).json()["selected_loan_id"] == others[0]["id"]


# --- the second factor (someone else's contact: tests/attacks/test_contact_spoofing.py) -------------------------


async def test_six_wrong_second_factors_lock_linking(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "second_factor", 3008)
    left = []
    for _ in range(4):
        reply = text(await chat.send("1111"))
        left.append(int(re.search(r"Attempts left: (\d+)", reply)[1]))
        assert await state_of(chat) == "Onboarding:second_factor"
    assert left == [4, 3, 2, 1]
    fifth = await chat.send("1111")
    assert "Too many failed attempts" in text(fifth)
    assert "13:00" in text(fifth), "the unlock time (10:00 UTC) is not given in the bank's time zone"
    assert await state_of(chat) is None
    for factor in ("1111", IVAN[1]):  # the sixth wrong one, then the right one: both locked out
        for step in ONBOARD:
            await step(chat)
        calls = await chat.send(factor)
        assert "Too many failed attempts" in text(calls), factor
        assert await state_of(chat) is None
    assert (await client.get("/api/v1/me", headers=as_user(3008))).status_code == 403
    direct = await link(client, 3008, phone=IVAN[0], factor=IVAN[1])
    assert direct.status_code == 429
    assert direct.json()["error"]["code"] == "link_locked"


@pytest.mark.parametrize(
    ("language", "explained"),
    [("en", "That is not a date in the calendar."), ("ru", "Такой даты нет в календаре.")],
)
async def test_an_impossible_date_is_asked_again_without_using_an_attempt(language, explained, demo, chat_factory):
    chat, _ = await enter(chat_factory, "second_factor", 3009, language_code=language)
    for _ in range(6):
        calls = await chat.send("31.02.1985")
        assert explained in text(calls)
        assert await state_of(chat) == "Onboarding:second_factor"
    wrong = text(await chat.send("1111"))
    assert "4" in wrong and ("Attempts left: 4" in wrong or "Осталось попыток: 4" in wrong)
    await chat.send(IVAN[1])
    assert await state_of(chat) != "Onboarding:second_factor"


# --- an unlinked chat never sees loan data ------------------------------------------------------------------------

REACH_FOR_LOANS = (
    "/balance", "/menu", "/settings", "/help", "/cancel",
    "nav:balance", "nav:pay", "nav:menu", "nav:settings", "nav:help", "set:unlink", "loan:1", "loan:4",
    "remind:1", "days", "unlink:1",
)  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_unlinked_chat_never_sees_loan_data(language, demo, chat_factory):
    consent = CONSENT_BUTTONS if language == "en" else ("consent:1", "consent:0", "lang:en", "nav:person")
    for number, attempt in enumerate(REACH_FOR_LOANS):
        chat = chat_factory(3100 + number, language_code=language)
        calls = await (chat.send(attempt) if attempt.startswith("/") else chat.press_data(attempt))
        assert answered(calls) and texts(calls), attempt
        assert loan_data_shown(calls) == [], attempt
        if attempt not in ("/help", "/cancel", "nav:help"):
            assert await state_of(chat) == "Onboarding:consent", attempt
            assert question(calls)[1] == consent, attempt


async def test_chat_unlinked_in_settings_sees_no_loan_data_from_old_buttons(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "settings_unlink", 3200)
    menu_id = min(m for m, k in chat.inline_keyboards.items() if "nav:balance" in keys(k))
    await chat.press_data("unlink:1")
    assert (await client.get("/api/v1/me", headers=as_user(3200))).status_code == 403
    for old in ("nav:balance", "nav:pay", "nav:menu", "set:days", "loan:1"):
        calls = await chat.press_data(old, message_id=menu_id)
        assert answered(calls) and texts(calls), old
        assert loan_data_shown(calls) == [], old
        assert await state_of(chat) == "Onboarding:consent", old
    for command in ("/balance", "/menu", "/start"):
        calls = await chat.send(command)
        assert loan_data_shown(calls) == [], command
        assert await state_of(chat) == "Onboarding:consent", command


@pytest.mark.parametrize("who", [IVAN, ALEXEI], ids=["active loan", "repaid loan"])
async def test_loan_data_appears_only_after_linking(who, demo, chat_factory):
    """The leak check above can fail: a linked chat's balance does show money."""
    chat = chat_factory(3300, language_code="en", phone=who[0])
    for step in linked_walk(who, tap("remind:0")):
        await step(chat)
    assert "RUB" in text(await chat.send("/balance"))

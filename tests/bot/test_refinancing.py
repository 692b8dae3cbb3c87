"""Refinancing and re-registration walked in both languages: topic, description, an honest summary, one staff case
(double taps, stale and forged buttons, the backend failing at Confirm), and no promise of an outcome or a rate."""

from datetime import UTC, datetime

import pytest

from tests.bot.conftest import ALEXEI, IVAN
from tests.bot.replies import text, texts, toasts
from tests.bot.walks import data_of, enter, question, refuses_forged, state_of
from tests.helpers import as_user

WORDS = {
    "ru": {
        "ask": "О чём вы хотите обратиться в банк?",
        "refinancing": "Рефинансирование",
        "family": "Смена семейного положения",
        "co_borrower": "Смена созаёмщика",
        "describe": "Опишите, пожалуйста, кратко одним сообщением",
        "topic": "Тема: {}",
        "words": "Ваш текст: {}",
        "honest": "обычно в течение 3 рабочих дней; обещать результат или ставку я не могу.",
        "confirm": "Подтвердить",
        "filed": "Ваше обращение передано сотрудникам: № {}.",
        "today": "Специалист свяжется с вами в рабочее время сегодня.",
        "back_at": "Специалисты вернутся 30 ноября 2026 в 09:00 (время: Москва)",
    },
    "en": {
        "ask": "What would you like to ask the bank about?",
        "refinancing": "Refinancing",
        "family": "Family status change",
        "co_borrower": "Co-borrower change",
        "describe": "In one message, please describe briefly what you would like",
        "topic": "Topic: {}",
        "words": "Your words: {}",
        "honest": "usually within 3 working days; I cannot promise an outcome or a rate.",
        "confirm": "Confirm",
        "filed": "Your request is with our staff: case № {}.",
        "today": "A specialist will contact you during working hours today.",
        "back_at": "They are back on 30 November 2026 at 09:00 (Moscow time)",
    },
}
LANGUAGES = list(WORDS)
REASONS = {"refinancing": "refinancing", "family": "re_registration", "co_borrower": "re_registration"}
NO_LONGER_ACTIVE = "This button is no longer active."


async def _cases(client, user: int) -> list[dict]:
    return (await client.get("/api/v1/me/support-cases", headers=as_user(user))).json()


@pytest.mark.parametrize("topic", REASONS)
@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_topic_becomes_one_case_without_promises(language, topic, linked, client):
    words, user = WORDS[language], 20100 + LANGUAGES.index(language) * 10 + list(REASONS).index(topic)
    chat = await linked(IVAN, user, language_code=language)
    loan_id = (await client.get("/api/v1/me", headers=as_user(user))).json()["selected_loan_id"]

    assert words["ask"] in text(await chat.press_data("nav:refinancing"))
    assert words["describe"] in text(await chat.press(words[topic]))
    typed = "  We married in May <b>Anna</b> & I; she should become a co-borrower.  "
    summary = text(await chat.send(typed))
    assert words["topic"].format("") in summary and words[topic] in summary
    escaped = "We married in May &lt;b&gt;Anna&lt;/b&gt; &amp; I; she should become a co-borrower."
    assert words["words"].format(escaped) in summary
    assert words["honest"] in summary
    assert "%" not in summary, "a rate is mentioned"
    assert await _cases(client, user) == [], "a case was opened before Confirm"

    done = text(await chat.press(words["confirm"]))
    [case] = await _cases(client, user)
    assert (case["reason"], case["summary"], case["loan_id"]) == (REASONS[topic], typed.strip(), loan_id)
    assert case["details"] == {"topic": topic}
    assert words["filed"].format(case["id"]) in done and words["today"] in done
    assert await state_of(chat) is None


@pytest.mark.parametrize("language", LANGUAGES)
async def test_out_of_hours_says_when_staff_are_back(language, demo, chat_factory, client, clock):
    chat, _ = await enter(chat_factory, "refinancing_confirm", 20120, language_code=language)
    clock.now = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)  # Saturday: staff are back on Monday morning
    assert WORDS[language]["back_at"] in text(await chat.press_data("refistep:confirm"))
    assert len(await _cases(client, 20120)) == 1


BAD_TEXT = {
    "  a ": "too short",
    "ok": "too short",
    "x" * 1001: "longer than 1000 characters",
    ("Почему так дорого? Why? " * 200)[:4000]: "longer than 1000 characters",
}


@pytest.mark.parametrize("typed", BAD_TEXT, ids=lambda typed: f"{len(typed)} characters")
async def test_too_short_or_too_long_is_asked_again(typed, demo, chat_factory):
    chat, asked = await enter(chat_factory, "refinancing_description", 20121)
    calls = await chat.send(typed)
    assert BAD_TEXT[typed] in texts(calls)[0]
    assert question(calls) == question(asked)
    assert await state_of(chat) == "Refinancing:description"
    assert (await data_of(chat)).get("refi_text") is None  # nothing of the refused text kept


async def test_exactly_the_limits_are_taken(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "refinancing_description", 20122)
    await chat.send("abc")
    assert (await data_of(chat))["refi_text"] == "abc"
    await chat.press_data("refistep:edit")
    await chat.send("я" * 1000)
    assert (await data_of(chat))["refi_text"] == "я" * 1000
    await chat.press_data("refistep:confirm")
    assert [case["summary"] for case in await _cases(client, 20122)] == ["я" * 1000]


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice"])
async def test_not_text_in_the_description_is_asked_again(kind, demo, chat_factory):
    chat, asked = await enter(chat_factory, "refinancing_description", 20123)
    calls = await getattr(chat, f"send_{kind}")()
    assert texts(calls)[0] == "I can only read text here."
    assert question(calls) == question(asked)
    assert await state_of(chat) == "Refinancing:description"


async def test_edit_back_and_cancel(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "refinancing_confirm", 20124)
    await chat.press("Edit")
    assert await state_of(chat) == "Refinancing:description"
    await chat.send("Add my son as a co-borrower")
    assert (await data_of(chat))["refi_text"] == "Add my son as a co-borrower"
    await chat.press("Edit")
    await chat.press("Back")
    assert await state_of(chat) == "Refinancing:topic"
    await chat.press("Co-borrower change")
    await chat.send("Remove my ex-husband")
    calls = await chat.press("Cancel")
    assert "Cancelled: nothing was sent to the bank." in text(calls)
    assert "What would you like to do?" in text(calls)
    assert await state_of(chat) is None
    assert await _cases(client, 20124) == []
    await chat.press_data("nav:refinancing")
    assert "What would you like to do?" in text(await chat.press("Back"))


FORGED = {
    "refinancing_topic": ("refi:divorce", "refi:", "refi:family:1", "refistep:confirm", "early:shorter_term"),
    "refinancing_description": ("refi:family", "refistep:confirm", "refistep:edit", "refistep:x", "nav:hack"),
    "refinancing_confirm": ("refistep:CONFIRM", "refistep:topic", "refi:family", "earlystep:confirm", "refistep:"),
}


@pytest.mark.parametrize("name", FORGED)
async def test_forged_buttons_change_nothing(name, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, name, 20125)
    await refuses_forged(chat, asked, FORGED[name])
    assert await _cases(client, 20125) == []


async def test_double_confirm_files_one_case(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "refinancing_confirm", 20126)
    confirm = next(b for b in chat.buttons() if b.callback_data == "refistep:confirm")
    assert "Your request is with our staff" in text(await chat.press_button(confirm))
    stale = await chat.press_button(confirm)
    assert NO_LONGER_ACTIVE in toasts(stale) and "What would you like to do?" in text(stale)
    assert len(await _cases(client, 20126)) == 1


@pytest.mark.parametrize("mode", ["down", "late"])
async def test_backend_failing_at_confirm_keeps_the_draft_a_retry_files_once(mode, demo, chat_factory, client, switch):
    chat, _ = await enter(chat_factory, "refinancing_confirm", 20127)
    draft = await data_of(chat)
    switch.mode = mode
    calls = await chat.press_data("refistep:confirm")
    switch.mode = "up"
    assert "not answering" in text(calls)
    assert (await state_of(chat), await data_of(chat)) == ("Refinancing:confirm", draft)
    calls = await chat.press_data("refistep:confirm")
    [case] = await _cases(client, 20127)
    assert f"case № {case['id']}" in text(calls)
    assert (case["reason"], case["summary"]) == ("re_registration", draft["refi_text"])
    assert await state_of(chat) is None


async def test_a_case_already_open_is_joined_not_doubled(demo, chat_factory, client):
    chat, _ = await enter(chat_factory, "refinancing_confirm", 20128)
    opened = await client.post("/api/v1/me/support-cases", json={"reason": "requested"}, headers=as_user(20128))
    calls = await chat.press_data("refistep:confirm")
    assert f"Your request is added to case № {opened.json()['id']}" in text(calls)
    [case] = await _cases(client, 20128)
    assert case["details"] == {"topic": "family"}


async def test_a_closed_loan_may_still_ask_for_re_registration(linked, client):
    chat = await linked(ALEXEI, 20129, language_code="en")
    await chat.press_data("nav:refinancing")
    await chat.press("Family status change")
    await chat.send("We divorced; please take my former wife off the mortgage records.")
    await chat.press("Confirm")
    [case] = await _cases(client, 20129)
    assert case["reason"] == "re_registration"

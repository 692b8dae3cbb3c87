"""Drafts stored in the shape the dialogs wrote before they were typed (the FSM data is the storage format, kept in
Redis across restarts and releases) still read: each dialog resumes from one and finishes."""

import pytest

from tests.bot.conftest import IVAN
from tests.bot.replies import text
from tests.bot.walks import data_of, state_of
from tests.helpers import as_user

#: The holiday draft as the untyped wizard stored it at the start date: no terms, no kept pre-check.
OLD_HOLIDAY = {
    "key": "old-shape-key-0001",
    "loan_id": 1,
    "documents": [],
    "chosen_loan": False,
    "reason": "income_drop",
    "income_before": "150000.00",
    "income_after": "60000.00",
    "months": 3,
    "mode": "reduced",
    "reduced_payment": "15000.00",
    "page": None,
}
WORDS = {
    "ru": {"documents": "Документы помогут сотрудникам", "start": "✅ Начало, 10 декабря 2026", "long": "2000"},
    "en": {"documents": "Documents help the staff decide", "start": "✅ The start, 10 December 2026", "long": "2000"},
}


async def _stored(chat, state: str, data: dict) -> None:
    context = chat.dispatcher.fsm.get_context(chat.bot, chat.user_id, chat.user_id)
    await context.set_state(state)
    await context.set_data(data)


@pytest.mark.parametrize("language", list(WORDS))
async def test_an_old_holiday_draft_resumes_and_asks_for_its_terms_once(language, linked, switch):
    chat = await linked(IVAN, 23301, language_code=language)
    await _stored(chat, "HolidayWizard:start", {"holiday": OLD_HOLIDAY})
    switch.calls.clear()
    assert WORDS[language]["documents"] in text(await chat.send("10.12.2026"))
    precheck = text(await chat.press_data("hol:done"))
    assert WORDS[language]["start"] in precheck
    assert switch.calls.count("GET /api/v1/me/loans/1/holidays/terms") == 1
    draft = (await data_of(chat))["holiday"]
    assert (draft["key"], draft["income_before"], draft["start_date"]) == (
        "old-shape-key-0001",
        "150000.00",
        "2026-12-10",
    )
    assert draft["terms"]["monthly_payment"] == "49300.88"


@pytest.mark.parametrize("language", list(WORDS))
async def test_an_old_person_draft_takes_the_backends_limit_and_files_its_reason(language, linked, client):
    chat = await linked(IVAN, 23302, language_code=language)
    await _stored(chat, "Person:topic", {"person_reason": "complaint"})
    refused = text(await chat.send("a" * 2001))
    assert WORDS[language]["long"] in refused
    assert await state_of(chat) == "Person:topic"
    await chat.send("The payment was taken twice")
    cases = (await client.get("/api/v1/me/support-cases", headers=as_user(23302))).json()
    assert [(case["reason"], case["summary"]) for case in cases] == [("complaint", "The payment was taken twice")]


async def test_an_old_early_repayment_draft_files_its_request(linked, client):
    chat = await linked(IVAN, 23303, language_code="en")
    old = {
        "early_amount": "150000.00",
        "early_mode": "shorter_term",
        "early_on_date": "2026-12-10",
        "early_full": False,
    }
    await _stored(chat, "EarlyRepayment:confirm", old)
    await chat.press_data("earlystep:confirm")
    [case] = (await client.get("/api/v1/me/support-cases", headers=as_user(23303))).json()
    assert case["details"] == {"amount": "150000.00", "mode": "shorter_term", "on_date": "2026-12-10"}
    assert await state_of(chat) is None


async def test_old_reminder_days_are_saved(linked, client):
    chat = await linked(IVAN, 23304, language_code="en")
    await _stored(chat, "SettingsForm:days", {"days": [7, 3]})
    await chat.press_data("day:1")
    assert (await data_of(chat))["days"] == [7, 3, 1]
    await chat.press_data("days")
    prefs = (await client.get("/api/v1/me/settings", headers=as_user(23304))).json()
    assert prefs["reminder_days_ahead"] == [7, 3, 1]

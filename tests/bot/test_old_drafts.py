"""Drafts stored in the shape the dialogs wrote before they were typed (the FSM data is the storage format, kept in
Redis across restarts and releases) still read: each dialog resumes from one and finishes."""

import pytest

from tests.bot.conftest import IVAN
from tests.bot.ratings import stored_ratings
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


@pytest.mark.parametrize("language", list(WORDS))
async def test_an_old_refinancing_draft_files_its_topic_and_words(language, linked, client):
    chat = await linked(IVAN, 23305, language_code=language)
    await _stored(chat, "Refinancing:confirm", {"refi_topic": "co_borrower", "refi_text": "Add my son"})
    await chat.press_data("refistep:confirm")
    [case] = (await client.get("/api/v1/me/support-cases", headers=as_user(23305))).json()
    assert (case["reason"], case["summary"], case["details"]) == (
        "re_registration",
        "Add my son",
        {"topic": "co_borrower"},
    )
    assert await state_of(chat) is None


async def test_a_refinancing_draft_without_its_topic_starts_the_form_again(linked, client):
    chat = await linked(IVAN, 23306, language_code="en")
    await _stored(chat, "Refinancing:confirm", {"refi_text": "Add my son"})
    calls = await chat.press_data("refistep:confirm")
    assert "What would you like to ask the bank about?" in text(calls)
    assert await state_of(chat) == "Refinancing:topic"
    assert (await client.get("/api/v1/me/support-cases", headers=as_user(23306))).json() == []


@pytest.mark.parametrize("language", list(WORDS))
async def test_an_old_survey_draft_sends_its_subject_and_score(language, linked, engine):
    chat = await linked(IVAN, 23307, language_code=language)
    await _stored(chat, "Survey:comment", {"survey": {"subject": "general", "id": None}, "score": 4})
    await chat.send("Fine")
    assert await state_of(chat) is None
    assert await stored_ratings(engine) == [("general", None, 4, "Fine")]


async def test_a_survey_comment_without_a_score_asks_the_rating_again(linked, engine):
    chat = await linked(IVAN, 23308, language_code="en")
    await _stored(chat, "Survey:comment", {"survey": {"subject": "general", "id": None}})
    calls = await chat.send("Fine")
    assert "Rate from 1 (bad) to 5 (excellent)" in text(calls)
    assert await state_of(chat) == "Survey:score"
    assert await stored_ratings(engine) == []


async def test_an_old_linking_draft_links_with_its_phone_and_picked_language(demo, chat_factory, client):
    chat = chat_factory(23309, language_code="ru")
    await _stored(chat, "Onboarding:second_factor", {"language": "en", "phone": IVAN[0]})
    calls = await chat.send(IVAN[1])
    assert "the chat is linked to your account" in text(calls)
    me = (await client.get("/api/v1/me", headers=as_user(23309))).json()
    assert me["language"] == "en"


@pytest.mark.parametrize("language", list(WORDS))
async def test_an_old_certificate_draft_without_the_years_offered_asks_for_them(language, linked, switch):
    chat = await linked(IVAN, 23303, language_code=language)
    await _stored(chat, "Certificates:year", {"key": "old-shape-key-0002", "kind": "interest_paid"})
    switch.calls.clear()
    await chat.press_data("certyear:2025")
    assert switch.calls == ["GET /api/v1/me/loans/1/certificates/years"]
    assert await state_of(chat) == "Certificates:delivery"
    assert (await data_of(chat))["year"] == 2025

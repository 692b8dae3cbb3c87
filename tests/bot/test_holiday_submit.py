"""A payment-holiday application is stored exactly once: a double tap on Submit, two taps at the same moment, the
backend failing at the final step (the borrower is told, the draft stays, a retry submits once), and a restart of
the bot in the middle of the wizard (the draft kept in Redis)."""

import asyncio

import httpx
import pytest

from bot.offline import OfflineSession
from tests.bot.conftest import IVAN
from tests.bot.replies import text, toasts
from tests.bot.restarts import chat_on
from tests.bot.switch import NOT_ANSWERING
from tests.bot.walks import data_of, enter, linked_walk, state_of, tap
from tests.helpers import as_user
from tests.samples import pdf

PDF = pdf()


async def stored(client: httpx.AsyncClient, user_id: int) -> list[dict]:
    return (await client.get("/api/v1/me/holidays", headers=as_user(user_id))).json()


async def _consent_with_a_document(chat_factory, user_id: int):
    chat, _ = await enter(chat_factory, "holiday_documents", user_id)
    await chat.send_document(PDF, "income.pdf")
    for step in ("hol:done", "hol:next", "hol:confirm"):
        await chat.press_data(step)
    assert await state_of(chat) == "HolidayWizard:consent"
    return chat


async def test_a_double_tap_on_submit_sends_one_application(demo, chat_factory, client):
    chat = await _consent_with_a_document(chat_factory, 23401)
    submit = max(chat.inline_keyboards)
    first = await chat.press_data("hol:submit", message_id=submit)
    second = await chat.press_data("hol:submit", message_id=submit)
    [holiday] = await stored(client, 23401)
    assert f"Application № {holiday['id']} is sent." in text(first)
    assert "This button is no longer active." in toasts(second)
    assert "is sent" not in text(second)
    assert [d["file_name"] for d in holiday["documents"]] == ["income.pdf"]


async def test_two_taps_at_the_same_moment_send_one_application(demo, chat_factory, client):
    """Fed at once, the taps are handled one after the other (the dispatcher's per-chat event isolation): one
    application, its proof attached once, the second tap told the button is no longer active."""
    chat = await _consent_with_a_document(chat_factory, 23402)
    submit = max(chat.inline_keyboards)
    first, second = await asyncio.gather(*(chat.press_data("hol:submit", message_id=submit) for _ in range(2)))
    [holiday] = await stored(client, 23402)
    assert holiday["status"] == "submitted"
    assert [d["file_name"] for d in holiday["documents"]] == ["income.pdf"]
    assert sorted(toasts(first) + toasts(second), key=str).count("This button is no longer active.") == 1


@pytest.mark.parametrize("mode", ["down", "late"])
async def test_the_backend_failing_at_submit_keeps_the_draft_and_a_retry_sends_once(
    mode, demo, chat_factory, client, switch
):
    chat = await _consent_with_a_document(chat_factory, 23403)
    draft = await data_of(chat)
    switch.mode = mode
    for attempt in range(2):
        calls = await chat.press_data("hol:submit")
        assert NOT_ANSWERING in text(calls), f"attempt {attempt}: the borrower is not told"
        assert await state_of(chat) == "HolidayWizard:consent"
        assert await data_of(chat) == draft, "the draft was lost"
    switch.mode = "up"
    assert len(await stored(client, 23403)) == (1 if mode == "late" else 0)
    calls = await chat.press_data("hol:submit")
    [holiday] = await stored(client, 23403)
    assert f"Application № {holiday['id']} is sent." in text(calls)
    assert "Documents attached: income.pdf." in text(calls)
    assert [d["file_name"] for d in holiday["documents"]] == ["income.pdf"]
    assert await state_of(chat) is None and "holiday" not in await data_of(chat)


async def test_an_application_sent_meanwhile_is_shown_instead_of_a_second(demo, chat_factory, client):
    chat = await _consent_with_a_document(chat_factory, 23404)
    body = {"reason": "other", "income_before": "1", "income_after": "1", "months": 1, "mode": "full"}
    body["start_date"] = "2026-12-01"
    headers = as_user(23404) | {"Idempotency-Key": "sent-from-elsewhere"}
    loan_id = (await data_of(chat))["holiday"]["loan_id"]
    assert (await client.post(f"/api/v1/me/loans/{loan_id}/holidays", json=body, headers=headers)).status_code == 201
    calls = await chat.press_data("hol:submit")
    [holiday] = await stored(client, 23404)
    assert "An application for this loan is already with the bank. Here it is." in text(calls)
    assert f"Application № {holiday['id']} of 26 November 2026" in text(calls)
    assert await state_of(chat) == "HolidayApplications:detail"


async def test_an_answer_changed_after_a_lost_reply_shows_the_application_already_sent(
    demo, chat_factory, client, switch
):
    chat = await _consent_with_a_document(chat_factory, 23405)
    switch.mode = "late"  # stored, but the answer never reached the bot
    assert NOT_ANSWERING in text(await chat.press_data("hol:submit"))
    switch.mode = "up"
    for step in ("hol:back", "hol:edit", "holedit:months", "holmonths:5", "hol:confirm"):
        await chat.press_data(step)
    calls = await chat.press_data("hol:submit")
    [holiday] = await stored(client, 23405)
    assert holiday["months"] == 3, "the first application was changed"
    assert "An application for this loan is already with the bank. Here it is." in text(calls)
    assert "Documents attached: income.pdf." in text(calls), "the draft's documents were lost"
    assert f"Application № {holiday['id']} of 26 November 2026" in text(calls)
    assert [d["file_name"] for d in holiday["documents"]] == ["income.pdf"]
    assert "holiday" not in await data_of(chat)


# --- a restart in the middle of the wizard (Redis at 127.0.0.1:6379, database 15; skipped when not running) ---


async def test_a_restart_mid_wizard_carries_on_and_submits_once(boot, demo, client):
    telegram = OfflineSession()  # Telegram keeps the files sent before the restart
    first = chat_on(await boot(), 23406, telegram)
    for step in linked_walk(IVAN, tap("remind:1"), tap("nav:holiday"), tap("hol:apply")):
        await step(first)
    await first.press_data("holreason:sick_leave")
    await first.send("95 000")
    await first.send("20 000")
    await first.press_data("holmonths:4")
    await first.press_data("holmode:full")
    await first.send("01.11.2026")
    await first.send_document(PDF, "sick-leave.pdf")
    draft = await data_of(first)

    second = chat_on(await boot(), 23406, telegram)
    assert await state_of(second) == "HolidayWizard:documents"
    assert await data_of(second) == draft
    for step in ("hol:done", "hol:next", "hol:confirm", "hol:submit"):
        calls = await second.press_data(step)
    await second.press_data("hol:submit")
    [holiday] = await stored(client, 23406)
    assert "Приложены документы: sick-leave.pdf." in text(calls), "not answered in the chat's language (ru)"
    assert (holiday["reason"], holiday["income_before"], holiday["income_after"]) == (
        "sick_leave",
        "95000.00",
        "20000.00",
    )
    assert (holiday["months"], holiday["mode"], holiday["start_date"]) == (4, "full", "2026-11-01")
    assert [d["file_name"] for d in holiday["documents"]] == ["sick-leave.pdf"]

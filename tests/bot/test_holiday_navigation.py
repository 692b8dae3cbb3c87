"""Moving about the payment-holiday wizard: Back on every step leads to the one before (the start's depends on the
payment chosen), and an answer changed from the summary returns to it, the draft always whole."""

from datetime import date

import httpx

from tests.bot.replies import text
from tests.bot.walks import data_of, enter, question, state_of
from tests.helpers import as_user

W = "HolidayWizard:"


async def test_back_walks_the_steps_in_reverse(demo, chat_factory):
    chat, _ = await enter(chat_factory, "holiday_consent", 23301)
    draft = (await data_of(chat))["holiday"]
    expected = ["summary", "precheck", "documents", "start", "reduced_payment", "mode", "months", "income_after"]
    expected += ["income_before", "reason", "intro"]
    for state in expected:
        calls = await chat.press_data("hol:back")
        assert await state_of(chat) == W + state
        assert question(calls)[1], f"{state}: no buttons"
    assert (await data_of(chat))["holiday"] == draft, "going back changed the answers"
    assert "nav:menu" in question(await chat.send_sticker())[1], "the intro has no way back to the menu"


async def test_back_from_the_start_after_a_full_holiday_skips_the_payment(demo, chat_factory):
    chat, _ = await enter(chat_factory, "holiday_mode", 23302)
    await chat.press_data("holmode:full")
    assert await state_of(chat) == W + "start"
    assert "During the holiday, would you rather pay nothing" in text(await chat.press_data("hol:back"))
    assert await state_of(chat) == W + "mode"


async def test_back_from_the_list_of_applications_reopens_the_holiday(demo, chat_factory):
    chat, listing = await enter(chat_factory, "holiday_listing", 23303)
    assert "You have no payment-holiday applications yet." in text(listing)
    assert question(listing)[1] == ("nav:holiday", "nav:menu")
    calls = await chat.press_data("nav:holiday")
    assert await state_of(chat) == W + "intro" and question(calls)[1] == ("hol:apply", "hol:list", "nav:menu")


async def test_answers_changed_from_the_summary(demo, chat_factory, client: httpx.AsyncClient):
    chat, _ = await enter(chat_factory, "holiday_summary", 23304)
    calls = await chat.press_data("hol:edit")
    assert question(calls)[1] == (
        "holedit:reason",
        "holedit:income_before",
        "holedit:income_after",
        "holedit:months",
        "holedit:mode",
        "holedit:start",
        "holedit:documents",
        "hol:back",
    )
    assert "Your application:" in text(await chat.press_data("hol:back"))
    assert await state_of(chat) == W + "summary"
    await chat.press_data("hol:edit")
    await chat.press_data("holedit:income_after")
    summary = text(await chat.send("45 000"))
    assert "Monthly income now: RUB\xa045,000.00" in summary
    assert await state_of(chat) == W + "summary"

    await chat.press_data("hol:edit")
    await chat.press_data("holedit:mode")
    assert "Payment during the holiday: none (a full holiday)" in text(await chat.press_data("holmode:full"))
    assert (await data_of(chat))["holiday"]["reduced_payment"] is None

    await chat.press_data("hol:edit")
    await chat.press_data("holedit:mode")
    await chat.press_data("holmode:reduced")  # then changed their mind: back twice, nothing half-saved
    assert await state_of(chat) == W + "reduced_payment"
    await chat.press_data("hol:back")
    summary = text(await chat.press_data("hol:back"))
    assert await state_of(chat) == W + "summary"
    assert "Payment during the holiday: none (a full holiday)" in summary

    await chat.press_data("hol:edit")
    await chat.press_data("holedit:months")
    assert await state_of(chat) == W + "months"
    assert "Your application:" in text(await chat.press_data("hol:back")), "Back from an edited step skips the summary"
    await chat.press_data("hol:edit")
    await chat.press_data("holedit:start")
    summary = text(await chat.press_data(f"date:{date(2026, 10, 1).toordinal()}"))
    assert "Start: 1 October 2026" in summary

    await chat.press_data("hol:edit")
    await chat.press_data("holedit:reason")
    assert "Reason: 👶 More dependants" in text(await chat.press_data("holreason:new_dependant"))
    assert await state_of(chat) == W + "summary"
    assert (await data_of(chat))["holiday"]["editing"] is False

    for step in ("hol:confirm", "hol:submit"):
        await chat.press_data(step)
    [holiday] = (await client.get("/api/v1/me/holidays", headers=as_user(23304))).json()
    assert (holiday["reason"], holiday["income_before"], holiday["income_after"]) == (
        "new_dependant",
        "150000.00",
        "45000.00",
    )
    assert (holiday["months"], holiday["mode"], holiday["reduced_payment"], holiday["start_date"]) == (
        3,
        "full",
        None,
        "2026-10-01",
    )

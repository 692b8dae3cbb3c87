"""Bad input in the payment-holiday wizard: absurd and malformed incomes and payments, dates out of range or not
dates at all, forged date buttons, input of the wrong kind, forged and stale buttons. Each is explained, the same
question is asked again, and nothing changes in the draft or the backend."""

from datetime import date

import httpx
import pytest

from bot.offline import OfflineChat
from tests.bot.replies import text, texts, toasts
from tests.bot.walks import data_of, enter, question, state_of
from tests.helpers import as_user

UNREADABLE = "I could not read that as an amount. Please send a number of roubles, for example 120 000."
NEGATIVE = "An income cannot be negative. Please send the amount, or 0 if there is none."
TOO_LARGE = "That is more than RUB\xa0100,000,000.00 a month, which looks like a typo. Please check the amount."
BAD_INCOMES = {
    "-1": NEGATIVE,
    "-150 000": NEGATIVE,
    "abc": UNREADABLE,
    "1e9": UNREADABLE,
    "NaN": UNREADABLE,
    "12,345,67": UNREADABLE,
    "100 000 000 000": TOO_LARGE,
    "100 000 000,01": TOO_LARGE,
    ("150 000 " * 500)[:4000]: UNREADABLE,
}
RANGE = "The start must be a day from 26 September 2026 to 26 December 2026."
NOT_A_DATE = "I could not read that as a date. Please type it as DD.MM.YYYY or choose a day below."
BAD_DATES = {
    "25.09.2026": RANGE,  # more than 2 months back
    "27.12.2026": RANGE,  # more than a month ahead
    "01.01.2030": RANGE,
    "31.02.2026": NOT_A_DATE,
    "2026-13-01": NOT_A_DATE,
    "tomorrow": NOT_A_DATE,
    "10.12": NOT_A_DATE,
}
INACTIVE = "This button is no longer active."


async def holidays(client: httpx.AsyncClient, user_id: int) -> list[dict]:
    return (await client.get("/api/v1/me/holidays", headers=as_user(user_id))).json()


async def _refused_and_asked_again(chat: OfflineChat, asked, send, reply: str) -> list:
    state, data = await state_of(chat), await data_of(chat)
    calls = await send()
    assert reply in texts(calls), f"{reply!r} not in {texts(calls)}"
    assert question(calls) == question(asked), "the question was not asked again"
    assert await state_of(chat) == state
    assert await data_of(chat) == data
    return calls


@pytest.mark.parametrize("start", ["holiday_income_before", "holiday_income_after"])
async def test_absurd_and_malformed_incomes_are_refused(start, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, start, 23101)
    for typed, reply in BAD_INCOMES.items():
        await _refused_and_asked_again(chat, asked, lambda typed=typed: chat.send(typed), reply)
    key = start.removeprefix("holiday_")
    assert (await data_of(chat))["holiday"][key] is None
    await chat.send("100 000 000")  # the largest income the backend takes
    assert (await data_of(chat))["holiday"][key] == "100000000.00"
    assert await state_of(chat) != f"HolidayWizard:{key}"
    assert await holidays(client, 23101) == []


async def test_a_reduced_payment_must_be_above_zero_and_below_the_regular_one(demo, chat_factory):
    chat, asked = await enter(chat_factory, "holiday_reduced_payment", 23102)
    positive = "The payment must be more than zero. To pay nothing, go back and choose to pay nothing."
    below = "The payment must be less than your regular payment of RUB\xa049,300.88."
    unreadable = "I could not read that as an amount. Please send a number of roubles, for example 15 000."
    for typed, reply in {
        "0": positive,
        "-100": positive,
        "49 300,88": below,
        "1 000 000": below,
        "half": unreadable,
    }.items():
        await _refused_and_asked_again(chat, asked, lambda typed=typed: chat.send(typed), reply)
    assert (await data_of(chat))["holiday"]["mode"] is None, "a reduced holiday was saved without its amount"
    await chat.send("49 300,87")
    draft = (await data_of(chat))["holiday"]
    assert (draft["mode"], draft["reduced_payment"]) == ("reduced", "49300.87")
    assert await state_of(chat) == "HolidayWizard:start"


async def test_dates_out_of_range_or_malformed_are_refused(demo, chat_factory):
    chat, asked = await enter(chat_factory, "holiday_start", 23103)
    for typed, reply in BAD_DATES.items():
        await _refused_and_asked_again(chat, asked, lambda typed=typed: chat.send(typed), reply)
    for forged in (date(2026, 9, 25), date(2026, 12, 27), date(1, 1, 1), date(9999, 12, 31)):
        await _refused_and_asked_again(chat, asked, lambda d=forged: chat.press_data(f"date:{d.toordinal()}"), RANGE)
    for forged in ("date:0", "date:-5", "date:abc", f"date:{date.max.toordinal() + 1}", "date:1:2", "month:0"):
        calls = await chat.press_data(forged)
        assert INACTIVE in toasts(calls), forged
        assert question(calls) == question(asked), forged
    assert (await data_of(chat))["holiday"]["start_date"] is None

    blank = await chat.press_data("cal")
    assert toasts(blank) == [None] and texts(blank) == [], "a blank day of the picker did something"
    far = await chat.press_data(f"month:{date(2030, 1, 1).toordinal()}")  # forged: the picker stays in the range
    keys = question(far)[1]
    assert f"date:{date(2026, 12, 26).toordinal()}" in keys and f"date:{date(2026, 12, 27).toordinal()}" not in keys
    assert not any(key.startswith("month:") and int(key[6:]) > date(2026, 12, 1).toordinal() for key in keys)
    back = question(await chat.press_data(f"month:{date(2026, 9, 1).toordinal()}"))[1]
    assert f"date:{date(2026, 9, 26).toordinal()}" in back and f"date:{date(2026, 9, 25).toordinal()}" not in back
    await chat.press_data(f"date:{date(2026, 9, 26).toordinal()}")  # the earliest: backdated by 2 months
    assert (await data_of(chat))["holiday"]["start_date"] == "2026-09-26"
    assert await state_of(chat) == "HolidayWizard:documents"


WRONG_KINDS = {
    "sticker": lambda chat: chat.send_sticker(),
    "photo": lambda chat: chat.send_photo(),
    "voice": lambda chat: chat.send_voice(),
}


@pytest.mark.parametrize("start", ["holiday_income_before", "holiday_income_after", "holiday_reduced_payment"])
@pytest.mark.parametrize("kind", WRONG_KINDS)
async def test_no_text_where_text_is_expected(start, kind, demo, chat_factory):
    chat, asked = await enter(chat_factory, start, 23104)
    await _refused_and_asked_again(chat, asked, lambda: WRONG_KINDS[kind](chat), "I can only read text here.")


@pytest.mark.parametrize("kind", WRONG_KINDS)
async def test_no_text_where_a_date_is_expected(kind, demo, chat_factory):
    chat, asked = await enter(chat_factory, "holiday_start", 23105)
    await _refused_and_asked_again(chat, asked, lambda: WRONG_KINDS[kind](chat), "I can only read text here.")


BUTTON_STATES = ["holiday_intro", "holiday_reason", "holiday_months", "holiday_mode", "holiday_precheck"]
BUTTON_STATES += ["holiday_summary", "holiday_edit", "holiday_consent", "holiday_listing"]


@pytest.mark.parametrize("start", BUTTON_STATES)
async def test_typing_where_a_button_is_expected(start, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, start, 23106)
    await _refused_and_asked_again(
        chat, asked, lambda: chat.send("3 months please"), "Please answer with one of the buttons."
    )
    assert await holidays(client, 23106) == []


FORGED = {
    "holiday_intro": ("hol:submit", "hol:back", "hol:zzz", "holreason:job_loss", "holopen:1"),
    "holiday_reason": ("holreason:lottery", "holreason:", "holreason:job_loss:1", "holmonths:3", "hol:apply"),
    "holiday_months": ("holmonths:0", "holmonths:7", "holmonths:-1", "holmonths:x", "holmonths:", "holmode:full"),
    "holiday_mode": ("holmode:half", "holmode:", "holmode:FULL", "holmonths:3", "hol:done"),
    "holiday_precheck": ("hol:submit", "hol:confirm", "holedit:reason", "hol:next:1"),
    "holiday_summary": ("hol:submit", "holedit:reason", "hol:next", "hol:done"),
    "holiday_edit": ("holedit:key", "holedit:loan_id", "holedit:", "holedit:editing", "hol:submit"),
    "holiday_consent": ("hol:confirm", "hol:edit", "holedit:reason", "holwithdraw:1", "hol:submit:1"),
}


@pytest.mark.parametrize("start", FORGED)
async def test_forged_buttons_change_nothing(start, demo, chat_factory, client):
    chat, asked = await enter(chat_factory, start, 23107)
    for forged in FORGED[start]:
        calls = await _refused_and_asked_again(chat, asked, lambda f=forged: chat.press_data(f), question(asked)[0])
        assert INACTIVE in toasts(calls), forged
    assert await holidays(client, 23107) == []


async def test_a_stale_answer_button_does_not_change_the_draft(demo, chat_factory):
    chat, _ = await enter(chat_factory, "holiday_reason", 23108)
    reasons = max(chat.inline_keyboards)
    await chat.press_data("holreason:sick_leave", message_id=reasons)
    await chat.send("90000")
    calls = await chat.press_data("holreason:other", message_id=reasons)
    assert INACTIVE in toasts(calls)
    assert "And what is your monthly income now?" in text(calls)
    assert await state_of(chat) == "HolidayWizard:income_after"
    assert (await data_of(chat))["holiday"]["reason"] == "sick_leave"

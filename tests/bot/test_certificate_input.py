"""Certificates under bad input: the wrong kind of message in every state, forged and stale buttons, dates out of
range or malformed, refusals by the backend, and the backend failing at the final step (then a retry sends once)."""

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from bot.backend import BackendClient
from tests.bot.replies import text, texts, toasts
from tests.bot.switch import NOT_ANSWERING, Switch
from tests.bot.test_certificates import documents, stored
from tests.bot.walks import data_of, enter, question, state_of
from tests.conftest import SERVICE_TOKEN

INACTIVE = "This button is no longer active."
BUTTONS = "Please answer with one of the buttons."
TEXT_ONLY = "I can only read text here."
UNREADABLE = "I could not read that date. Please type it as DD.MM.YYYY"
BEFORE = "That day is before the loan began on 10 March 2021: I can issue it for a day from then to today."
FUTURE = "That day has not come yet: I can issue it for a day from the contract date (10 March 2021) to today."
CLOSURE = "A closure certificate is issued once the loan is repaid in full; this loan is still active."
LONG = ("Долг? " * 700)[:4000]
STATES = {
    "certificates_kind": "Certificates:kind",
    "certificates_year": "Certificates:year",
    "certificates_day": "Certificates:day",
    "certificates_delivery": "Certificates:delivery",
    "certificates_requests": "Certificates:requests",
    "certificates_deduction": "Certificates:deduction",
}


class CertificateSwitch(Switch):
    """The backend behind a switch, with one more mode: "pdf", where only the certificate downloads fail."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.mode == "pdf" and request.url.path.endswith("/pdf"):
            raise httpx.ConnectError("connection refused", request=request)
        return await super().handle_async_request(request)


@pytest.fixture
def switch(app) -> CertificateSwitch:
    return CertificateSwitch(app)


@pytest.fixture
async def backend(switch: CertificateSwitch, bot_settings) -> AsyncIterator[BackendClient]:
    """Overrides the shared fixture: the dispatcher reaches the backend through the switch."""
    client = BackendClient.create(bot_settings.backend_url, token=SERVICE_TOKEN, retries=1, transport=switch)
    yield client
    await switch.settle()
    await client.aclose()


def fsm(chat):
    return chat.dispatcher.fsm.get_context(chat.bot, chat.user_id, chat.user_id)


@pytest.mark.parametrize("start", STATES)
@pytest.mark.parametrize("action", ["sticker", "photo", "voice", "document", "long text", "command"])
async def test_wrong_input_gets_the_same_question(start, action, demo, chat_factory, client):
    chat, calls = await enter(chat_factory, start, 21201)
    asked = question(calls)
    if action == "long text":
        calls = await chat.send(LONG)
    elif action == "command":
        calls = await chat.send("/nope")
    elif action == "document":
        calls = await chat.send_document(b"%PDF-1.4 not a certificate")
    else:
        calls = await getattr(chat, f"send_{action}")()
    day = start == "certificates_day"
    hint = {"long text": UNREADABLE if day else BUTTONS, "command": BUTTONS}.get(action, TEXT_ONLY if day else BUTTONS)
    assert hint in text(calls)
    assert question(calls) == asked, "the same question was not asked again"
    assert await state_of(chat) == STATES[start]
    assert documents(calls) == [] and await stored(client, 21201) == []


async def test_forged_and_stale_buttons_on_the_kinds_and_years(demo, chat_factory, client):
    chat, calls = await enter(chat_factory, "certificates_kind", 21202)
    kinds = question(calls)
    calls = await chat.press_data("cert:closure")  # the loan is active: no closure button was shown
    assert CLOSURE in text(calls) and question(calls) == kinds
    for forged in ("cert:bogus", "cert:", "cert:schedule:1", "certyear:2025", "certsign:1", "certpdf:1", "date:1"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == [INACTIVE] and question(calls) == kinds, forged
    assert await state_of(chat) == "Certificates:kind"

    years = question(await chat.press_data("cert:interest_paid"))
    calls = await chat.press_data("certyear:2019")
    assert "There were no payments on this loan in 2019. Please choose a year below." in text(calls)
    assert question(calls) == years
    for forged in ("certyear:-1", "certyear:99999999999", "certyear:x", "cert:schedule", "certsign:0"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == [INACTIVE] and question(calls) == years, forged
    assert await state_of(chat) == "Certificates:year"

    delivery = question(await chat.press_data("certyear:2025"))
    for stale in ("certyear:2024", "cert:closure", "date:739000", "certsign:x"):
        calls = await chat.press_data(stale)
        assert toasts(calls) == [INACTIVE] and question(calls) == delivery, stale
    assert (await data_of(chat))["year"] == 2025
    assert documents(calls) == [] and await stored(client, 21202) == []


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("09.03.2021", BEFORE),  # the day before the contract
        ("27.11.2026", FUTURE),  # tomorrow: inside the loan's term, but not yet come
        ("01.01.1900", BEFORE),
        ("31.12.9999", FUTURE),
        ("31.02.2025", UNREADABLE),
        ("10.03", UNREADABLE),
        ("99.99.9999", UNREADABLE),
        ("-1", UNREADABLE),
        ("вчера", UNREADABLE),
        (LONG, UNREADABLE),
    ],
)
async def test_typed_dates_out_of_range_and_malformed(typed, reply, demo, chat_factory, client):
    chat, calls = await enter(chat_factory, "certificates_day", 21203)
    asked = question(calls)
    calls = await chat.send(typed)
    assert reply in text(calls)
    assert question(calls) == asked
    assert await state_of(chat) == "Certificates:day"
    assert await stored(client, 21203) == []


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("09.03.2021", "Этот день раньше начала кредита (10 марта 2021)"),
        ("27.11.2026", "Этот день ещё не наступил"),
    ],
)
async def test_dates_refused_in_russian(typed, reply, demo, chat_factory):
    chat, _ = await enter(chat_factory, "certificates_day", 21208, language_code="ru")
    assert reply in text(await chat.send(typed))


async def test_the_date_picker_turns_pages_and_refuses_forged_days(demo, chat_factory, client):
    chat, calls = await enter(chat_factory, "certificates_day", 21205)
    asked = question(calls)
    assert f"date:{date(2026, 11, 26).toordinal()}" in asked[1], "the picker does not open on today (26 November 2026)"
    for outside, refusal in ((date(2021, 3, 9), BEFORE), (date(2026, 11, 27), FUTURE), (date(1, 1, 1), BEFORE)):
        calls = await chat.press_data(f"date:{outside.toordinal()}")
        assert refusal in text(calls) and question(calls) == asked, outside
    for forged in ("date:0", f"date:{date.max.toordinal() + 1}", "date:x", "month:-5", "certyear:2025"):
        calls = await chat.press_data(forged)
        assert toasts(calls) == [INACTIVE] and question(calls) == asked, forged
    calls = await chat.press_data("cal")
    assert toasts(calls) == [None] and texts(calls) == [], "a blank day of the picker answered with a message"

    calls = await chat.press_data(f"month:{date(2021, 3, 1).toordinal()}")  # the contract's month
    days = [key for key in question(calls)[1] if key.startswith("date:")]
    contract = date(2021, 3, 10).toordinal()
    assert days[0] == f"date:{contract}" and days[-2] == f"date:{date(2021, 3, 31).toordinal()}"
    assert not any(key.startswith("month:") and int(key[6:]) < contract for key in question(calls)[1])
    await chat.press("10")
    assert await state_of(chat) == "Certificates:delivery"
    assert (await data_of(chat))["on_date"] == "2021-03-10"


@pytest.mark.parametrize(
    ("draft", "reply", "state"),
    [
        ({"kind": "closure"}, CLOSURE, "Certificates:kind"),
        ({"kind": "interest_paid", "year": 2019}, "There were no payments on this loan in 2019.", "Certificates:year"),
        ({"kind": "outstanding_debt", "on_date": "2026-12-01"}, FUTURE, "Certificates:day"),
    ],
)
@pytest.mark.parametrize("label", ["Ready now as PDF", "With the bank's signature and stamp"])
async def test_backend_refusals_are_explained(draft, reply, state, label, demo, chat_factory, client):
    """What the dialog let through but the backend refuses (say, the loan changed meanwhile)."""
    chat, _ = await enter(chat_factory, "certificates_delivery", 21206)
    await fsm(chat).set_data(draft)
    calls = await chat.press(label)
    assert reply in text(calls)
    assert await state_of(chat) == state
    assert documents(calls) == [] and await stored(client, 21206) == []


async def test_backend_down_when_requesting_then_retry(demo, chat_factory, client, switch):
    chat, _ = await enter(chat_factory, "certificates_delivery", 21207)
    draft = await data_of(chat)
    switch.mode = "down"
    calls = await chat.press("Ready now as PDF")
    assert NOT_ANSWERING in text(calls) and documents(calls) == []
    assert await state_of(chat) == "Certificates:delivery" and await data_of(chat) == draft
    switch.mode = "up"
    assert await stored(client, 21207) == []
    [document] = documents(await chat.press("Ready now as PDF"))
    [request] = await stored(client, 21207)
    assert document.document.filename == request["file_name"] and request["delivered_at"] is not None


async def test_backend_down_when_downloading_then_retry_sends_the_same_one(demo, chat_factory, client, switch):
    chat, _ = await enter(chat_factory, "certificates_delivery", 21208)
    switch.mode = "pdf"
    calls = await chat.press("Ready now as PDF")
    assert NOT_ANSWERING in text(calls) and documents(calls) == []
    assert await state_of(chat) == "Certificates:delivery"
    switch.mode = "up"
    [recorded] = await stored(client, 21208)
    assert recorded["status"] == "ready" and recorded["delivered_at"] is None
    [document] = documents(await chat.press("Ready now as PDF"))
    [delivered] = await stored(client, 21208)
    assert delivered["id"] == recorded["id"], "the retry recorded a second request"
    assert delivered["delivered_at"] is not None and document.document.filename == recorded["file_name"]


async def test_signed_request_answered_too_late_is_queued_once(demo, chat_factory, client, switch):
    chat, _ = await enter(chat_factory, "certificates_delivery", 21209)
    switch.mode = "late"
    assert NOT_ANSWERING in text(await chat.press("With the bank's signature and stamp"))
    assert await state_of(chat) == "Certificates:delivery"
    switch.mode = "up"
    calls = await chat.press("With the bank's signature and stamp")
    assert "Your request is queued" in text(calls) and documents(calls) == []
    [queued] = await stored(client, 21209)
    assert (queued["kind"], queued["status"]) == ("schedule", "pending_staff")


@pytest.mark.parametrize("button", ["Ready now as PDF", "With the bank's signature and stamp"])
async def test_a_request_answered_too_late_is_retried_and_recorded_once(demo, chat_factory, client, switch, button):
    chat, _ = await enter(chat_factory, "certificates_delivery", 21210)
    switch.mode = "late once"  # stored, the answer lost; the client's retry is answered
    calls = await chat.press(button)
    assert NOT_ANSWERING not in text(calls)
    [recorded] = await stored(client, 21210)
    assert recorded["signed"] == (button != "Ready now as PDF")


async def test_a_ready_request_answered_too_late_then_pressed_again_is_recorded_once(
    demo, chat_factory, client, switch
):
    chat, _ = await enter(chat_factory, "certificates_delivery", 21211)
    switch.mode = "late"  # every write stored, every answer lost: the client gives up
    assert NOT_ANSWERING in text(await chat.press("Ready now as PDF"))
    switch.mode = "up"
    [document] = documents(await chat.press("Ready now as PDF"))
    [recorded] = await stored(client, 21211)
    assert recorded["delivered_at"] is not None and document.document.filename == recorded["file_name"]

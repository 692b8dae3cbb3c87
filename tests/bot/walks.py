"""Walking a chat into any dialog state, and reading back its state, data and the question it was asked."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.offline import Call, OfflineChat
from tests.bot.conftest import IVAN, MARIA, ChatFactory
from tests.bot.replies import texts, toasts
from tests.bot.steps import Pressing, Say, Share, Tap
from tests.helpers import as_user

Step = Callable[[OfflineChat], Awaitable[list[Call]]]


def say(words: str) -> Step:
    return Say(words)


def tap(data: str) -> Step:
    return Tap(data)


def pressing(prefix: str, *, otherwise: str) -> Step:
    """Press the shown button whose data starts with `prefix` (its id varies), else send `otherwise`'s data."""
    return Pressing(prefix, otherwise)


share = Share()


ONBOARD = (say("/start"), tap("consent:1"), share)


@dataclass(frozen=True)
class Start:
    """A dialog state and the user's steps that lead a fresh chat into it."""

    state: str | None
    who: tuple[str, str] | None
    steps: tuple[Step, ...]
    #: Kinds of input that answer this state's question (a free text, a photo of a document), which the wrong-input
    #: test therefore does not send.
    answers: frozenset[str] = frozenset()


TEXT_ANSWER = frozenset({"text"})
FILE_ANSWER = frozenset({"photo"})


def linked_walk(who: tuple[str, str], *more: Step) -> tuple[Step, ...]:
    return (*ONBOARD, say(who[1]), *more)


_SETTINGS = linked_walk(IVAN, tap("remind:1"), say("/settings"))
_SURVEY = linked_walk(IVAN, tap("remind:1"), tap("nav:certificates"), tap("cert:schedule"), tap("certsign:0"))

STARTS: dict[str, Start] = {
    "unlinked": Start(None, None, ()),
    "consent": Start("Onboarding:consent", None, ONBOARD[:1]),
    "contact": Start("Onboarding:contact", None, ONBOARD[:2]),
    "second_factor": Start("Onboarding:second_factor", None, ONBOARD),
    "reminder_offer": Start("ReminderOffer:ask", IVAN, linked_walk(IVAN)),
    "loan_pick": Start("LoanChoice:pick", MARIA, linked_walk(MARIA, tap("remind:1"))),
    "linked": Start(None, IVAN, linked_walk(IVAN, tap("remind:1"))),
    "settings_main": Start("SettingsForm:main", IVAN, _SETTINGS),
    "settings_language": Start("SettingsForm:language", IVAN, (*_SETTINGS, tap("set:language"))),
    "settings_days": Start("SettingsForm:days", IVAN, (*_SETTINGS, tap("set:days"))),
    "settings_hours": Start("SettingsForm:hours", IVAN, (*_SETTINGS, tap("set:hours"))),
    "settings_zone": Start("SettingsForm:zone", IVAN, (*_SETTINGS, tap("set:zone"))),
    "settings_unlink": Start("SettingsForm:unlink", IVAN, (*_SETTINGS, tap("set:unlink"))),
    # --- early repayment ---
    "early_amount": Start("EarlyRepayment:amount", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:early"))),
    "early_mode": Start(
        "EarlyRepayment:mode", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:early"), say("150 000"))
    ),
    "early_estimate": Start(
        "EarlyRepayment:estimate",
        IVAN,
        linked_walk(IVAN, tap("remind:1"), tap("nav:early"), say("150 000"), tap("early:shorter_term")),
    ),
    "early_confirm": Start(
        "EarlyRepayment:confirm",
        IVAN,
        linked_walk(
            IVAN, tap("remind:1"), tap("nav:early"), say("150 000"), tap("early:shorter_term"), tap("earlystep:file")
        ),
    ),
    # --- refinancing and re-registration ---
    "refinancing_topic": Start("Refinancing:topic", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:refinancing"))),
    "refinancing_description": Start(
        "Refinancing:description",
        IVAN,
        linked_walk(IVAN, tap("remind:1"), tap("nav:refinancing"), tap("refi:family")),
        TEXT_ANSWER,
    ),
    "refinancing_confirm": Start(
        "Refinancing:confirm",
        IVAN,
        linked_walk(
            IVAN, tap("remind:1"), tap("nav:refinancing"), tap("refi:family"), say("We married in May: my wife joins.")
        ),
    ),
    # --- certificates ---
    "certificates_kind": Start("Certificates:kind", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:certificates"))),
    "certificates_year": Start(
        "Certificates:year",
        IVAN,
        linked_walk(IVAN, tap("remind:1"), tap("nav:certificates"), tap("cert:interest_paid")),
    ),
    "certificates_day": Start(
        "Certificates:day",
        IVAN,
        linked_walk(IVAN, tap("remind:1"), tap("nav:certificates"), tap("cert:outstanding_debt")),
    ),
    "certificates_delivery": Start(
        "Certificates:delivery", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:certificates"), tap("cert:schedule"))
    ),
    "certificates_deduction": Start(
        "Certificates:deduction", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:certificates"), tap("certtax"))
    ),
    "certificates_requests": Start(
        "Certificates:requests", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:certificates"), tap("certs"))
    ),
    # --- insurance ---
    "insurance_overview": Start("Insurance:overview", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:insurance"))),
    "insurance_upload_kind": Start(
        "Insurance:upload_kind", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:insurance"), tap("ins:upload"))
    ),
    "insurance_upload_file": Start(
        "Insurance:upload_file",
        IVAN,
        linked_walk(IVAN, tap("remind:1"), tap("nav:insurance"), tap("ins:upload"), tap("inscover:property")),
        FILE_ANSWER,
    ),
    "insurance_quote_kind": Start(
        "Insurance:quote_kind", IVAN, linked_walk(IVAN, tap("remind:1"), tap("nav:insurance"), tap("ins:quote"))
    ),
    # --- payment holiday ---
    # Every holiday walk first withdraws an application an earlier walk left under review, then opens the intro;
    # each later start extends `_h`, the walk so far.
    "holiday_intro": Start(
        "HolidayWizard:intro",
        IVAN,
        (
            _h := linked_walk(
                IVAN,
                tap("remind:1"),
                tap("nav:holiday"),
                pressing("holact:withdraw:", otherwise="nav:holiday"),
                tap("holwithdraw:1"),
                tap("nav:holiday"),
            )
        ),
    ),
    "holiday_listing": Start("HolidayApplications:listing", IVAN, (*_h, tap("hol:list"))),
    "holiday_loan": Start(
        "HolidayWizard:loan",
        MARIA,
        linked_walk(
            MARIA,
            tap("remind:1"),
            pressing("loan:", otherwise="nav:menu"),
            tap("nav:holiday"),
            pressing("holact:withdraw:", otherwise="nav:holiday"),
            tap("holwithdraw:1"),
            tap("nav:holiday"),
            tap("hol:apply"),
        ),
    ),
    "holiday_reason": Start("HolidayWizard:reason", IVAN, (_h := (*_h, tap("hol:apply")))),
    "holiday_income_before": Start("HolidayWizard:income_before", IVAN, (_h := (*_h, tap("holreason:income_drop")))),
    "holiday_income_after": Start("HolidayWizard:income_after", IVAN, (_h := (*_h, say("150 000")))),
    "holiday_months": Start("HolidayWizard:months", IVAN, (_h := (*_h, say("60 000")))),
    "holiday_mode": Start("HolidayWizard:mode", IVAN, (_h := (*_h, tap("holmonths:3")))),
    "holiday_reduced_payment": Start("HolidayWizard:reduced_payment", IVAN, (*_h, tap("holmode:reduced"))),
    "holiday_start": Start("HolidayWizard:start", IVAN, (_h := (*_h, tap("holmode:reduced"), say("15 000")))),
    "holiday_documents": Start("HolidayWizard:documents", IVAN, (_h := (*_h, say("10.12.2026"))), FILE_ANSWER),
    "holiday_precheck": Start("HolidayWizard:precheck", IVAN, (_h := (*_h, tap("hol:done")))),
    "holiday_summary": Start("HolidayWizard:summary", IVAN, (_h := (*_h, tap("hol:next")))),
    "holiday_edit": Start("HolidayWizard:edit", IVAN, (*_h, tap("hol:edit"))),
    "holiday_consent": Start("HolidayWizard:consent", IVAN, (_h := (*_h, tap("hol:confirm")))),
    "holiday_detail": Start("HolidayApplications:detail", IVAN, (_h := (*_h, tap("hol:submit"), tap("nav:holiday")))),
    "holiday_withdraw": Start(
        "HolidayApplications:withdraw", IVAN, (*_h, pressing("holact:withdraw:", otherwise="nav:holiday"))
    ),
    "holiday_proof": Start(
        "HolidayApplications:proof", IVAN, (*_h, pressing("holact:proof:", otherwise="nav:holiday")), FILE_ANSWER
    ),
    # --- talk to a person ---
    "person_topic": Start("Person:topic", IVAN, linked_walk(IVAN, tap("remind:1"), say("/operator")), TEXT_ANSWER),
    # --- feedback ---
    "survey_score": Start("Survey:score", IVAN, _SURVEY),
    "survey_comment": Start("Survey:comment", IVAN, (*_SURVEY, tap("rate:3")), TEXT_ANSWER),
}
LINKED_STARTS = [name for name, start in STARTS.items() if start.who is not None]
UNLINKED_STARTS = [name for name, start in STARTS.items() if start.who is None]
CONSENT_BUTTONS = ("consent:1", "consent:0", "lang:ru", "nav:person")  # an English chat is offered Russian
NO_LOAN_DATA = ("₽", "RUB", "ИК-")  # money in either language, the demo contract numbers


async def enter(
    chat_factory: ChatFactory, name: str, user_id: int, language_code: str = "en"
) -> tuple[OfflineChat, list[Call]]:
    """A fresh chat walked into the start `name`; the calls of the last step (the question now open)."""
    start = STARTS[name]
    chat = chat_factory(user_id, language_code=language_code, phone=(start.who or IVAN)[0])
    calls = await chat_factory.walker.walk(chat, start.steps)
    assert await state_of(chat) == start.state, f"the walk to {name} ended elsewhere"
    return chat, calls


async def state_of(chat: OfflineChat) -> str | None:
    return await chat.dispatcher.fsm.get_context(chat.bot, chat.user_id, chat.user_id).get_state()


async def data_of(chat: OfflineChat) -> dict[str, Any]:
    return await chat.dispatcher.fsm.get_context(chat.bot, chat.user_id, chat.user_id).get_data()


def keys(markup: object) -> tuple[str, ...] | str | None:
    """A keyboard as what its buttons do: callback data, a contact request, or its removal."""
    if isinstance(markup, InlineKeyboardMarkup):
        return tuple(b.callback_data or "" for row in markup.inline_keyboard for b in row)
    if isinstance(markup, ReplyKeyboardMarkup):
        return tuple("contact" if b.request_contact else b.text for row in markup.keyboard for b in row)
    if isinstance(markup, ReplyKeyboardRemove):
        return "remove"
    return None


def question(calls: list[Call]) -> tuple[str, tuple[str, ...] | str | None] | None:
    """The last message the bot sent, as its text and its keyboard's keys."""
    sent = [call.method for call in calls if isinstance(call.method, SendMessage)]
    return (sent[-1].text, keys(sent[-1].reply_markup)) if sent else None


async def backend_view(client: httpx.AsyncClient, user_id: int) -> tuple[int, Any, Any]:
    """What the backend holds for the chat: the link, its profile and its settings."""
    me = await client.get("/api/v1/me", headers=as_user(user_id))
    prefs = await client.get("/api/v1/me/settings", headers=as_user(user_id))
    return me.status_code, me.json(), prefs.json()


def loan_data_shown(calls: list[Call]) -> list[str]:
    """Anything of a loan in the replies: money, contract numbers, the chart or a document."""
    leaks = [word for word in NO_LOAN_DATA for line in texts(calls) if word in line]
    return leaks + [type(c.method).__name__ for c in calls if isinstance(c.method, (SendPhoto, SendDocument))]


# --- input of the wrong kind, in every state ------------------------------------------------------------------


async def refuses_forged(chat: OfflineChat, asked: list[Call], forged: tuple[str, ...]) -> None:
    """Each forged press is told "no longer active" and changes nothing: the state, the draft, the question."""
    state, data = await state_of(chat), await data_of(chat)
    for press in forged:
        calls = await chat.press_data(press)
        assert "This button is no longer active." in toasts(calls), press
        assert await state_of(chat) == state, press
        assert await data_of(chat) == data, press
        assert question(calls) == question(asked), press

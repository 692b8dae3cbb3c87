"""Forged and replayed button presses in the chat. Every button whose data carries an id (found among the dialogs'
and the pushes' `CallbackData` classes, so a new one is attacked without being listed) pressed with another
borrower's real ids, from a screen that never showed it: answered politely, the chat's state and data kept, nothing
of the other borrower's said or sent, nothing changed on either side. Each final step's button pressed twice (the
second a replay of the first, from the same message): stored once, the replay answered. The same press fed twice
as one update, and the malformed, oversized and stale data in every dialog state, are the dialogs' own tests (the
map is in tests/attacks/__init__.py)."""

import importlib
import pkgutil
import typing

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendPhoto

import bot
import dialogs
from tests.bot.conftest import ANNA
from tests.bot.ratings import stored_ratings
from tests.bot.replies import texts, toasts
from tests.bot.walks import backend_view, data_of, enter, state_of
from tests.helpers import as_user, link

A_CHAT, B_CHAT = 701_000_401, 701_000_402
#: What of Anna's (borrower B, demo borrower 2) must never reach A's chat: her contract, phone, names and address.
B_MARKERS = ("ИК-002318", "002318", "9160000002", "Петрова", "Анна", "Anna", "Профсоюзная")


def _every_callback_class() -> list[type[CallbackData]]:
    """The `CallbackData` classes of every module in bot/ and dialogs/."""
    for package in (bot, dialogs):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    found, todo = [], list(CallbackData.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return [cls for cls in found if cls.__module__.split(".")[0] in ("bot", "dialogs")]


WITH_IDS = sorted(
    (cls for cls in _every_callback_class() if any(name.endswith("_id") for name in cls.model_fields)),
    key=lambda cls: cls.__prefix__,
)
#: A valid value for each field of theirs that is not an id, so only the ids are foreign.
OTHER_FIELDS = {"action": ("proof", "withdraw"), "later": (True, False)}


def test_the_buttons_with_ids_are_all_attacked():
    assert {cls.__prefix__ for cls in WITH_IDS} >= {"loan", "certpdf", "holopen", "holact", "inspay"}
    kinds = {name for cls in WITH_IDS for name in cls.model_fields if name.endswith("_id")}
    assert kinds <= {"loan_id", "certificate_id", "holiday_id", "quote_id"}, "add a record of B's for a new kind"
    for cls in WITH_IDS:
        others = [name for name in cls.model_fields if not name.endswith("_id")]
        assert set(others) <= set(OTHER_FIELDS), f"{cls.__name__}: add valid values of {others} to OTHER_FIELDS"
        assert all(typing.get_origin(cls.model_fields[name].annotation) is None for name in others)


async def _bs_records(client) -> dict[str, int]:
    """Anna (demo borrower 2) linked to a chat of hers, with a certificate, a holiday application and a quote."""
    assert (await link(client, B_CHAT, phone=ANNA[0], factor=ANNA[1])).status_code == 200
    headers = {**as_user(B_CHAT), "Idempotency-Key": "attack-b-records"}
    loan_id = (await client.get("/api/v1/me", headers=headers)).json()["selected_loan_id"]
    loan = f"/api/v1/me/loans/{loan_id}"
    certificate = await client.post(f"{loan}/certificates", json={"kind": "outstanding_debt"}, headers=headers)
    holiday = {
        "reason": "job_loss",
        "income_before": "90000.00",
        "income_after": "0.00",
        "months": 6,
        "mode": "full",
        "start_date": "2026-12-10",
    }
    application = await client.post(f"{loan}/holidays", json=holiday, headers=headers)
    quote = await client.post(f"{loan}/insurance/quote-requests", json={"kind": "life"}, headers=headers)
    for response in (certificate, application, quote):
        assert response.status_code in (200, 201), response.text
    return {
        "loan_id": loan_id,
        "certificate_id": certificate.json()["id"],
        "holiday_id": application.json()["id"],
        "quote_id": quote.json()["id"],
    }


async def _b_view(client) -> list[str]:
    paths = ["/me", "/me/certificates", "/me/holidays", "/me/support-cases"]
    return [(await client.get(f"/api/v1{path}", headers=as_user(B_CHAT))).text for path in paths]


def _presses(cls: type[CallbackData], theirs: dict[str, int]) -> list[str]:
    """The class's buttons with B's ids, one for each valid value of its other field."""
    others = [name for name in cls.model_fields if not name.endswith("_id")]
    ids = {name: theirs[name] for name in cls.model_fields if name.endswith("_id")}
    values = [dict(zip(others, choice, strict=True)) for choice in zip(*(OTHER_FIELDS[n] for n in others), strict=True)]
    return [cls(**ids, **extra).pack() for extra in values or [{}]]


@pytest.mark.parametrize("start", ["linked", "settings_main", "holiday_reason"])
async def test_another_borrowers_ids_in_any_button_change_nothing(start, demo, chat_factory, client):
    theirs = await _bs_records(client)
    chat, _ = await enter(chat_factory, start, A_CHAT)
    state, data = await state_of(chat), await data_of(chat)
    mine, b_before = await backend_view(client, chat.user_id), await _b_view(client)
    for cls in WITH_IDS:
        for press in _presses(cls, theirs):
            calls = await chat.press_data(press)
            assert any(isinstance(c.method, AnswerCallbackQuery) for c in calls), f"{press}: not answered"
            assert [t for t in toasts(calls) if t] or texts(calls), f"{press}: refused without a word"
            said = " ".join([*texts(calls), *(t or "" for t in toasts(calls))])
            assert [m for m in B_MARKERS if m in said] == [], f"{press}: B's data said to A"
            assert not [c for c in calls if isinstance(c.method, (SendDocument, SendPhoto))], f"{press}: a file sent"
            assert (await state_of(chat), await data_of(chat)) == (state, data), f"{press}: the chat moved"
    assert await backend_view(client, chat.user_id) == mine, "A's records changed"
    assert await _b_view(client) == b_before, "B's records changed"


# --- replays: a final step's button pressed twice ---------------------------------------------------------------


async def _certificates(client, engine, user) -> int:
    return len((await client.get("/api/v1/me/certificates", headers=as_user(user))).json())


async def _quotes(client, engine, user) -> int:
    loan_id = (await client.get("/api/v1/me", headers=as_user(user))).json()["selected_loan_id"]
    insurance = await client.get(f"/api/v1/me/loans/{loan_id}/insurance", headers=as_user(user))
    return len(insurance.json()["open_quote_requests"])


async def _withdrawn(client, engine, user) -> int:
    holidays = (await client.get("/api/v1/me/holidays", headers=as_user(user))).json()
    return sum(holiday["status"] == "withdrawn" for holiday in holidays)


async def _ratings(client, engine, user) -> int:
    return len(await stored_ratings(engine))


async def _cases(client, engine, user) -> int:
    return len((await client.get("/api/v1/me/support-cases", headers=as_user(user))).json())


#: A dialog state, the final button pressed there, and what it stores (counted).
REPLAYS = {
    "a signed certificate": ("certificates_delivery", "certsign:1", _certificates),
    "a ready certificate": ("certificates_delivery", "certsign:0", _certificates),
    "a quote request": ("insurance_quote_kind", "inscover:property", _quotes),
    "a withdrawal": ("holiday_withdraw", "holwithdraw:1", _withdrawn),
    "a rating": ("survey_comment", "nocomment", _ratings),
}


@pytest.mark.parametrize("name", REPLAYS)
async def test_a_final_button_pressed_twice_stores_once(name, demo, chat_factory, client, engine):
    start, press, count = REPLAYS[name]
    chat, _ = await enter(chat_factory, start, 701_000_410)
    [button] = [b for b in chat.buttons() if b.callback_data == press]
    before = await count(client, engine, chat.user_id)
    await chat.press_button(button)
    assert await count(client, engine, chat.user_id) == before + 1, "the first press stored nothing"
    state, data = await state_of(chat), await data_of(chat)
    replay = await chat.press_button(button)
    assert any(isinstance(c.method, AnswerCallbackQuery) for c in replay), "the replay is not answered"
    assert await count(client, engine, chat.user_id) == before + 1, "the replay stored it again"
    assert (await state_of(chat), await data_of(chat)) == (state, data), "the replay moved the chat"

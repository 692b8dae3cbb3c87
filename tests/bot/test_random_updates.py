"""Random updates in every dialog state: nothing escapes the dispatcher, nothing fails, every update is answered."""

import itertools
import logging

import pytest
from aiogram.filters.callback_data import CallbackData
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import buttons
from dialogs import callbacks
from tests import resets
from tests.bot.conftest import ChatFactory
from tests.bot.replies import answered
from tests.bot.walks import STARTS, enter

COMMANDS = ("/start", "/menu", "/cancel", "/settings", "/balance", "/help", "/start x", "/nope", "/menu@ipoteka_bot")
FACTORS = ("0457", "3561", "12.04.1985", "1111", "12/04/1985", "9999-99-99")
#: Every button kind the dialogs and the pushes define, with how many fields its data carries.
SHAPES = sorted(
    (cls.__prefix__, len(cls.model_fields))
    for module in (buttons, callbacks)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, CallbackData) and cls is not CallbackData
)
WORDS = ("menu", "balance", "pay", "settings", "help", "language", "reminders", "days", "hours", "zone", "loan")
WORDS += ("unlink", "ru", "en", "de", "1", "0", "true", "", "-1", "99999999999999999999")

#: Per start state. Each example walks into its state (a snapshot of the walk put back, tests/bot/snapshots.py).
EXAMPLES_PER_STATE = 4
_user_ids = itertools.count(5000)

typed = st.one_of(
    st.sampled_from(COMMANDS),
    st.sampled_from(FACTORS),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
    st.builds("{} {}".format, st.sampled_from(COMMANDS), st.text(min_size=1, max_size=10)),
    st.integers(1, 4096).map(lambda size: ("Долг? " * 700)[:size]),
)
field = st.one_of(st.integers(-3, 30).map(str), st.sampled_from(WORDS), st.text(max_size=8))


def _fields(count: int) -> st.SearchStrategy[list[str]]:
    return st.lists(field, min_size=count, max_size=count)


forged_data = st.one_of(
    st.sampled_from(SHAPES).flatmap(lambda shape: _fields(shape[1]).map(lambda f: ":".join([shape[0], *f]))),
    st.sampled_from(SHAPES).flatmap(lambda shape: st.lists(field, max_size=3).map(lambda f: ":".join([shape[0], *f]))),
    st.text(min_size=1, max_size=80),
)


def updates(chat) -> st.SearchStrategy[tuple]:
    """One user action, drawn against what the chat shows now."""
    shown = chat.buttons()
    messages = sorted(chat.inline_keyboards) or [1]
    options = [
        st.tuples(st.just("text"), typed),
        st.sampled_from([("sticker",), ("photo",), ("voice",)]),
        st.tuples(
            st.just("contact"), st.sampled_from(["self", None, 4999]), st.sampled_from([chat.phone, "79001112233"])
        ),
        st.tuples(st.just("press"), forged_data, st.sampled_from(messages)),
    ]
    if shown:
        options.append(st.tuples(st.just("button"), st.sampled_from(shown)))
        options.append(st.tuples(st.just("button"), st.sampled_from(shown)))
    return st.one_of(options)


async def perform(chat, action: tuple):
    kind, *args = action
    if kind == "text":
        return await chat.send(args[0])
    if kind == "contact":
        return await chat.send_contact(args[1], user_id=chat.user_id if args[0] == "self" else args[0])
    if kind == "press":
        return await chat.press_data(args[0], message_id=args[1])
    if kind == "button":
        return await chat.press_button(args[0])
    return await getattr(chat, f"send_{kind}")()


@pytest.mark.parametrize("start", STARTS)
@settings(max_examples=EXAMPLES_PER_STATE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_random_updates_are_all_answered(start, data, demo, chat_factory: ChatFactory, engine, caplog):
    caplog.clear()
    caplog.set_level(logging.ERROR)
    # Each example starts as a test does: the demo rows as seeded, a new dispatcher and offline Telegram.
    await resets.reset(engine, demo=True)
    chats = chat_factory.anew()
    user_id = next(_user_ids)
    language = data.draw(st.sampled_from(["ru", "en", None]), label="language")
    chat, _ = await enter(chats, start, user_id, language_code=language)
    for _ in range(data.draw(st.integers(1, 10), label="length")):
        action = data.draw(updates(chat), label="update")
        calls = await perform(chat, action)
        assert answered(calls), f"{action!r} got no answer"
        failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert failures == [], f"{action!r} failed inside the bot: {failures}"

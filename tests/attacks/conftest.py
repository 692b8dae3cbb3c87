"""The attack tests drive the real backend app (tests/conftest.py) and the real dispatcher: the bot's fixtures of
tests/bot/conftest.py are made theirs here, so each attack module sits beside the others rather than in the suite of
the component it hits."""

from tests.bot.conftest import (  # noqa: F401 (fixtures, found by name)
    backend,
    bot,
    bot_settings,
    chat_factory,
    demo,
    dispatcher,
    intents,
    linked,
    session,
    storage,
    switch,
)

"""Every state a dialog can enter has its screen in the map the dialogs are assembled with, so `goto`, the back
buttons and the fallback's "the same question again" never meet a state without a question."""

import inspect

import pytest
from aiogram.fsm.state import State, StatesGroup

from bot.screens import Screen, joined
from dialogs import states
from dialogs.router import borrower_screens


def _declared() -> set[str]:
    groups = [value for value in vars(states).values() if isinstance(value, type) and issubclass(value, StatesGroup)]
    return {state.state for group in groups if group is not StatesGroup for state in group.__all_states__}


def test_every_state_has_a_screen_and_every_screen_a_state():
    screens = borrower_screens()
    assert len(_declared()) > 40
    assert set(screens) == _declared()


def test_every_screen_asks_and_says_what_it_expects():
    for name, screen in borrower_screens().items():
        assert screen.expects in {"buttons", "text", "contact", "file"}, name
        assert inspect.iscoroutinefunction(screen.ask), name


def test_a_state_claimed_by_two_dialogs_is_refused():
    state = State("x", group_name="Twice")

    async def ask(turn):
        return None

    with pytest.raises(ValueError, match="Twice:x"):
        joined({state.state: Screen("text", ask)}, {state.state: Screen("buttons", ask)})

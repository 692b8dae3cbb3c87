"""What each state asks and what kind of answer it expects, so wrong input is met with the same question again."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from aiogram.fsm.state import State

from bot.turn import Turn

Expects = Literal["buttons", "text", "contact", "file"]
Ask = Callable[[Turn], Awaitable[None]]


@dataclass(frozen=True)
class Screen:
    expects: Expects
    ask: Ask


_SCREENS: dict[str, Screen] = {}


def screen(state: State, expects: Expects) -> Callable[[Ask], Ask]:
    """Register `ask` as the question `state` puts to the borrower."""

    def register(ask: Ask) -> Ask:
        _SCREENS[state.state] = Screen(expects, ask)
        return ask

    return register


def screen_for(state_name: str | None) -> Screen | None:
    return _SCREENS.get(state_name) if state_name else None

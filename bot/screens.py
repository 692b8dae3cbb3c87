"""A dialog's screens: what each state asks and what kind of answer it expects, so wrong input is met with the same
question again. Each dialog keeps its map beside its router; `dialogs/router.py` joins them, and every turn carries
the joined map (`Turn.screens`) for moving between screens and for the fallback."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from bot.turn import Turn

Expects = Literal["buttons", "text", "contact", "file"]
Ask = Callable[["Turn"], Awaitable[None]]


@dataclass(frozen=True)
class Screen:
    expects: Expects
    ask: Ask


#: Screens by the state's stored name ("HolidayWizard:months").
Screens = Mapping[str, Screen]


def joined(*maps: Screens) -> dict[str, Screen]:
    """Several dialogs' screens as one map; a state two of them claim is a mistake, never an override."""
    result: dict[str, Screen] = {}
    for screens in maps:
        twice = result.keys() & screens.keys()
        if twice:
            raise ValueError(f"states with two screens: {sorted(twice)}")
        result.update(screens)
    return result

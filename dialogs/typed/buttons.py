"""The buttons the typed-request answers offer: a guess taken, the switch out of a form, or carrying on with it."""

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery

from bot.intents.catalog import Intent
from bot.turn import Turn
from dialogs import loan_choice
from dialogs.callbacks import TypedCarryOn, TypedGuess, TypedSwitch
from dialogs.filters import Linked
from dialogs.typed import entries
from dialogs.typed.reading import take_kept

log = logging.getLogger(__name__)
INTENTS = frozenset(Intent)


async def on_guess(query: CallbackQuery, callback_data: TypedGuess, turn: Turn) -> None:
    await query.answer()
    intent = Intent(callback_data.intent)
    log.info("typed request: guess %s taken", intent)
    await entries.enter(turn, intent, await take_kept(turn))


async def on_switch(query: CallbackQuery, callback_data: TypedSwitch, turn: Turn) -> None:
    await query.answer()
    intent = Intent(callback_data.intent)
    log.info("typed request: switched to %s", intent)
    await entries.enter(turn, intent, await take_kept(turn))


async def on_carry_on(query: CallbackQuery, turn: Turn) -> None:
    """The form's question again, its draft as it was; with no form open any more (a stale button), the menu."""
    await query.answer()
    await take_kept(turn)
    name = await turn.state.get_state()
    screen = turn.screens.get(name) if name else None
    if screen is None:
        await loan_choice.home(turn)
        return
    await screen.ask(turn)


def router() -> Router:
    r = Router(name="typed")
    r.callback_query.filter(Linked())
    r.callback_query.register(on_guess, TypedGuess.filter(F.intent.in_(INTENTS)))
    r.callback_query.register(on_switch, TypedSwitch.filter(F.intent.in_(INTENTS)))
    r.callback_query.register(on_carry_on, TypedCarryOn.filter())
    return r

"""The short answers to typed requests that open no dialog (hardship, greetings, thanks, help, a complaint), and the
questions asked when the reader is not sure or a form is in progress."""

from aiogram.utils.i18n import gettext as _

from bot.buttons import CallPerson, Nav
from bot.intents.catalog import Intent
from bot.keyboards import inline
from bot.turn import Turn
from dialogs import loan_choice, person
from dialogs.callbacks import TypedCarryOn, TypedGuess, TypedSwitch
from dialogs.common import help_text
from dialogs.typed.labels import form_name, request_label


def _menu_row() -> list[tuple[str, Nav]]:
    return [(_("🏠 Menu"), Nav(to="menu"))]


async def hardship(turn: Turn, *, leave: bool = True) -> None:
    """Calm and plain (SPEC §1): what can help, the payment holiday's conditions checked first and a person; nothing
    is applied for from here. Without `leave` (said in the middle of a form) the form stays open."""
    if leave:
        await turn.reset()
    await turn.say(
        _(
            "I am sorry things are hard right now. This happens, and there are ways to help.\n\n"
            "If your income has dropped, a payment holiday lets you pay nothing or pay less for up to 6 months. "
            "I can go through its conditions with you first: nothing is sent to the bank unless you decide so.\n\n"
            "A person at the bank can also talk it through with you and look at what suits you."
        ),
        inline(
            [
                [(_("🌿 The payment holiday: check the conditions"), Nav(to="holiday"))],
                [(_("👤 Talk to a person"), CallPerson(why="hardship"))],
                _menu_row(),
            ]
        ),
    )


async def greeting(turn: Turn) -> None:
    await turn.reset()
    await turn.say(_("Hello! Good to see you."))
    await loan_choice.home(turn)


async def thanks(turn: Turn) -> None:
    await turn.reset()
    await turn.say(_("You are welcome! Glad to help."))
    await loan_choice.home(turn)


async def help_menu(turn: Turn) -> None:
    """As /help: what the bot does and the way to the menu."""
    await turn.say(help_text(), inline([_menu_row()]))


async def complaint(turn: Turn) -> None:
    """As words of complaint anywhere: the apology and a person offered (`person.note_unreadable`)."""
    await person.offer_for_complaint(turn)


async def guesses(turn: Turn, intents: list[Intent]) -> None:
    """Not sure: the best guesses as buttons, the menu and a person; nothing entered until one is pressed."""
    rows = [[(request_label(intent), TypedGuess(intent=intent))] for intent in intents]
    await turn.say(
        _("I am not sure I understood. Did you mean:"),
        inline([*rows, _menu_row(), [(_("👤 Talk to a person"), CallPerson(why="misunderstood"))]]),
    )


async def switch(turn: Turn, intent: Intent, state: str) -> None:
    """In the middle of a form: another request, or carry on (its question asked again, its answers kept)."""
    await turn.say(
        _("We are in the middle of {form}. Switch to “{request}”, or carry on here?").format(
            form=form_name(state), request=request_label(intent).partition(" ")[2]
        ),
        inline(
            [
                [(_("➡️ Switch: {request}").format(request=request_label(intent)), TypedSwitch(intent=intent))],
                [(_("↩️ Carry on here"), TypedCarryOn())],
            ]
        ),
    )

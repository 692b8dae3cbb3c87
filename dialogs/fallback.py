"""The last router: whatever no dialog took gets a short explanation and the same question again."""

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.turn import Turn
from dialogs import menu, onboarding
from dialogs.screens import Screen, screen_for
from dialogs.states import Onboarding


async def _current_screen(turn: Turn) -> Screen | None:
    """The question the chat is in the middle of, unless it belongs to the other side of the link."""
    name = await turn.state.get_state()
    onboarding_state = bool(name) and name.startswith(Onboarding.__full_group_name__)
    if name and onboarding_state is (turn.borrower is not None):
        await turn.reset()
        return None
    return screen_for(name)


async def on_message(message: Message, turn: Turn) -> None:
    current = await _current_screen(turn)
    if current is None:
        if turn.borrower is None:
            await onboarding.greet(message, turn)
            return
        await turn.say(_("Sorry, I did not understand that. Please choose from the menu."))
        await menu.show_menu(turn)
        return
    if current.expects == "text" and not message.text:
        hint = _("I can only read text here.")
    elif current.expects == "contact":
        hint = _("I need your phone number as a contact: please press the button below the text field.")
    else:
        hint = _("Please answer with one of the buttons.")
    await turn.say(hint)
    await current.ask(turn)


async def on_callback(query: CallbackQuery, turn: Turn) -> None:
    await query.answer(_("This button is no longer active."))
    current = await _current_screen(turn)
    if current is not None:
        await current.ask(turn)
    elif turn.borrower is None:
        await turn.say(_("First, let us link your account."))
        await onboarding.greet(query.message, turn)
    else:
        await menu.show_menu(turn)


async def on_edit(message: Message, turn: Turn) -> None:
    await turn.say(_("I read only new messages. Please send the corrected text as a new message."))


def router() -> Router:
    r = Router(name="fallback")
    r.edited_message.register(on_edit)
    r.message.register(on_message)
    r.callback_query.register(on_callback)
    return r

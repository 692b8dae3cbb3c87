"""The last router: a text no dialog took is read as a request (`dialogs/typed/`); anything else gets a short
explanation and the same question again."""

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.intents.reader import IntentReader
from bot.screens import Screen
from bot.staff_room import StaffRoom
from bot.turn import Turn
from dialogs import held_chat, loan_choice, onboarding, person, reminder_offer
from dialogs.states import Onboarding, Person
from dialogs.typed import reading as typed


def _onboarding(name: str | None) -> bool:
    return bool(name) and name.startswith(Onboarding.__full_group_name__)


def _unlinked_may_be_in(name: str) -> bool:
    """Linking, or telling a person what it is about: the states an unlinked chat can be in."""
    return _onboarding(name) or name.startswith(Person.__full_group_name__)


async def _resume_link(turn: Turn) -> bool:
    """A linked chat still in onboarding: the link went through but its answer was lost; carry on from there."""
    if turn.borrower is None or not _onboarding(await turn.state.get_state()):
        return False
    await turn.reset()
    await turn.say(_("This chat is already linked to your account."))
    await reminder_offer.after_link(turn)
    return True


async def _current_screen(turn: Turn) -> Screen | None:
    """The question the chat is in the middle of; a linked dialog's state in an unlinked chat is dropped."""
    name = await turn.state.get_state()
    if name and turn.borrower is None and not _unlinked_may_be_in(name):
        await turn.reset()
        return None
    return turn.screens.get(name) if name else None


async def on_message(message: Message, turn: Turn, intents: IntentReader, staff_room: StaffRoom | None = None) -> None:
    if await _resume_link(turn):
        return
    current = await _current_screen(turn)
    case_id = await held_chat.case_in_hand(turn) if staff_room is None and current is None else None
    if case_id and await held_chat.add_to_case(turn, message, case_id):  # the case waits for staff: kept there
        return
    if await typed.in_fallback(message, turn, intents, current):  # a typed request: its dialog, or the guesses
        return
    if await person.note_unreadable(turn, message.text):  # a complaint: the apology and its offer are the answer
        if current is not None:
            await current.ask(turn)
        return
    if current is None:
        if turn.borrower is None:
            await onboarding.greet(message, turn)
            return
        await turn.say(_("Sorry, I did not understand that. Please choose from the menu."))
        await loan_choice.home(turn)
        return
    if current.expects == "text" and not message.text:
        hint = _("I can only read text here.")
    elif current.expects == "file":
        hint = _("Please send the file as a PDF document or a photo.")
    elif current.expects == "contact":
        hint = _("I need your phone number as a contact: please press the button below the text field.")
    else:
        hint = _("Please answer with one of the buttons.")
    await turn.say(hint)
    await current.ask(turn)


async def on_callback(query: CallbackQuery, turn: Turn) -> None:
    await query.answer(_("This button is no longer active."))
    if await _resume_link(turn):
        return
    current = await _current_screen(turn)
    if current is not None:
        await current.ask(turn)
    elif turn.borrower is None:
        await turn.say(_("First, let us link your account."))
        await onboarding.greet(query.message, turn)
    else:
        await loan_choice.home(turn)


async def on_edit(message: Message, turn: Turn) -> None:
    await turn.say(_("I read only new messages. Please send the corrected text as a new message."))


def router() -> Router:
    r = Router(name="fallback")
    r.edited_message.register(on_edit)
    r.message.register(on_message)
    r.callback_query.register(on_callback)
    return r

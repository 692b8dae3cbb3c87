"""While a person holds the chat: what the borrower writes goes to the staff's topic and the dialogs stay silent;
a button takes the borrower back to the assistant. Tried before every dialog."""

import logging

from aiogram import Bot, Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.keyboards import inline
from bot.staff_room import StaffRoom
from bot.turn import Turn
from dialogs.callbacks import LeavePerson, Nav
from dialogs.staff_card import StaffVoice

log = logging.getLogger(__name__)


class HeldByPerson(BaseFilter):
    """The chat is linked, the staff group is set up, and the borrower has an active chat case."""

    async def __call__(self, event: object, turn: Turn | None = None, staff_room: StaffRoom | None = None) -> bool:
        return (
            staff_room is not None and turn is not None and turn.borrower is not None and bool(turn.borrower.chat_case)
        )


def leave_keyboard():
    return inline([[(_("↩️ Back to the assistant"), LeavePerson())]])


async def on_message(message: Message, bot: Bot, turn: Turn, staff_room: StaffRoom) -> None:
    case = await turn.backend.relay_case(turn.borrower.chat_case.id)
    if case.status == "closed":  # closed elsewhere a moment ago: the dialogs take over again
        turn.profiles.forget(turn.user_id)
        await turn.say(_("The conversation with our staff has ended. Send /menu to go on."))
        return
    await staff_room.copy_in(bot, case, message)


async def on_command(message: Message, turn: Turn) -> None:
    await turn.say(
        _("You are talking with a person from the bank now. To go back to the assistant, press the button."),
        leave_keyboard(),
    )


async def on_button(query: CallbackQuery) -> None:
    await query.answer(_("You are talking with a person now: press “Back to the assistant” first."), show_alert=True)


async def on_leave(query: CallbackQuery, bot: Bot, turn: Turn, staff_room: StaffRoom, staff_voice: StaffVoice) -> None:
    await query.answer()
    case_id = turn.borrower.chat_case.id
    case = await turn.backend.close_case(case_id)
    turn.profiles.forget(turn.user_id)
    await turn.say(_("You are back with the assistant."), inline([[(_("🏠 Menu"), Nav(to="menu"))]]))
    try:
        await staff_room.say(bot, case, staff_voice.line("left"))
    except BackendError:
        log.warning("case %s: could not tell the staff that the borrower left", case_id)


async def on_leave_stale(query: CallbackQuery) -> None:
    await query.answer(_("This conversation has already ended."))


def router() -> Router:
    r = Router(name="held_chat")
    held = HeldByPerson()
    r.callback_query.register(on_leave, LeavePerson.filter(), held)
    r.callback_query.register(on_leave_stale, LeavePerson.filter())
    r.message.register(on_command, Command("start", "menu", "cancel", "help", "settings"), held)
    r.message.register(on_message, held)
    r.callback_query.register(on_button, held)
    return r

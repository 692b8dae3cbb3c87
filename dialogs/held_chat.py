"""While a person holds the chat: what the borrower writes goes to the staff's topic and the dialogs stay silent;
a button takes the borrower back to the assistant. Each message is queued in the backend with its copy for the
topic (the relay worker sends it), so a bot that stops loses none. Tried before every dialog. Linked chats and
unlinked ones (whose case is kept in the chat's FSM data) alike.

Before staff join, what the borrower writes is added to the case and acknowledged, never "I did not understand":
with the staff group, once per case, under the copy in the topic; without it (the case waits for the staff
console), every message the dialogs could not use is kept in the case's transcript and acknowledged."""

import logging

from aiogram import Bot, Router
from aiogram.filters import BaseFilter, Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.buttons import Nav
from bot.keyboards import inline
from bot.staff_room import StaffRoom, kind_of
from bot.turn import CASE_KEY, Turn
from dialogs import onboarding
from dialogs.callbacks import LeavePerson
from dialogs.staff_card import StaffVoice

log = logging.getLogger(__name__)


async def case_in_hand(turn: Turn) -> int | None:
    """The chat's active chat case: the linked borrower's (from the profile), or the one an unlinked chat opened."""
    if turn.borrower is not None:
        return turn.borrower.chat_case.id if turn.borrower.chat_case else None
    return (await turn.state.get_data()).get(CASE_KEY)


class HeldByPerson(BaseFilter):
    """The staff group is set up and the chat has an active chat case; gives `held_case_id`."""

    async def __call__(
        self, event: object, turn: Turn | None = None, staff_room: StaffRoom | None = None
    ) -> bool | dict[str, int]:
        if staff_room is None or turn is None:
            return False
        case_id = await case_in_hand(turn)
        return {"held_case_id": case_id} if case_id else False


class WaitingUnlinked(BaseFilter):
    """An unlinked chat with a case and no staff group, outside onboarding, writing anything but a command."""

    async def __call__(
        self, message: Message, turn: Turn | None = None, staff_room: StaffRoom | None = None
    ) -> bool | dict[str, int]:
        if staff_room is not None or turn is None or turn.borrower is not None:
            return False
        if (message.text or "").startswith("/") or await turn.state.get_state() is not None:
            return False
        case_id = await case_in_hand(turn)
        return {"held_case_id": case_id} if case_id else False


def leave_keyboard():
    return inline([[(_("↩️ Back to the assistant"), LeavePerson())]])


async def _let_go(turn: Turn) -> None:
    """The case is over: the dialogs have the chat again."""
    if turn.borrower is None:
        data = await turn.state.get_data()
        await turn.state.set_data({key: value for key, value in data.items() if key != CASE_KEY})
    else:
        await turn.profiles.forget(turn.user_id)


def _added(case_id: int) -> str:
    return _("Added to your request № {number}. A person from the bank will answer here.").format(number=case_id)


async def add_to_case(turn: Turn, message: Message, case_id: int) -> bool:
    """Keep the message in the case's transcript and say so; False when the case has closed meanwhile."""
    kind, file_id = kind_of(message)
    try:
        await turn.backend.record_message(
            case_id,
            direction="borrower",
            kind=kind,
            text=message.text or message.caption,
            file_id=file_id,
            telegram_message_id=message.message_id,
        )
    except BackendError as exc:
        if exc.code != "case_closed":
            raise
        await _let_go(turn)
        return False
    await turn.say(_added(case_id))
    return True


async def on_message(message: Message, bot: Bot, turn: Turn, staff_room: StaffRoom, held_case_id: int) -> None:
    case = await turn.backend.relay_case(held_case_id)
    if case.status == "closed":  # closed elsewhere a moment ago: the dialogs take over again
        await _let_go(turn)
        await turn.say(_("The conversation with our staff has ended. Send /menu to go on."))
        return
    try:
        await staff_room.queue_in(case, message)
    except BackendError as exc:
        if exc.code != "case_closed":
            raise
        await _let_go(turn)
        await turn.say(_("The conversation with our staff has ended. Send /menu to go on."))
        return
    if case.assigned_to is None and staff_room.first_word(case.id):
        await turn.say(_added(case.id))


async def on_waiting_unlinked(message: Message, turn: Turn, held_case_id: int) -> None:
    """Added to the case while it is active; once it has closed, the greeting again."""
    if await turn.backend.unlinked_case(turn.user_id) is None or not await add_to_case(turn, message, held_case_id):
        await _let_go(turn)
        await onboarding.greet(message, turn)


async def on_command(message: Message, turn: Turn) -> None:
    await turn.say(
        _("You are talking with a person from the bank now. To go back to the assistant, press the button."),
        leave_keyboard(),
    )


async def on_button(query: CallbackQuery) -> None:
    await query.answer(_("You are talking with a person now: press “Back to the assistant” first."), show_alert=True)


async def on_leave(
    query: CallbackQuery, bot: Bot, turn: Turn, staff_room: StaffRoom, staff_voice: StaffVoice, held_case_id: int
) -> None:
    await query.answer()
    case = await turn.backend.close_case(held_case_id)
    await _let_go(turn)
    if turn.borrower is None:
        await turn.say(_("You are back with the assistant. Send /start to link your chat."))
    else:
        await turn.say(_("You are back with the assistant."), inline([[(_("🏠 Menu"), Nav(to="menu"))]]))
    try:
        await staff_room.say(bot, case, staff_voice.line("left"))
    except BackendError:
        log.warning("case %s: could not tell the staff that the borrower left", held_case_id)


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
    r.message.register(on_waiting_unlinked, WaitingUnlinked())
    return r

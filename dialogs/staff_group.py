"""The staff group: in a case's topic, a staff member's message goes to the borrower, and the commands `/take`,
`/close`, `/note` and `/card` run the case. Anyone who is not active staff, and Telegram's service messages, are
ignored without a word."""

import contextlib
import logging
import time

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import BaseFilter, Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendClient, BackendError
from bot.backend.relay import RelayCase, StaffMember
from bot.profiles import ProfileCache
from bot.settings import BotSettings
from bot.turn import CASE_KEY, Turn
from dialogs import feedback

log = logging.getLogger(__name__)
#: What staff may send a borrower; everything else in the group (topic created, members joined …) is a service message.
RELAYED = {"text", "photo", "document", "video", "voice", "audio", "sticker", "animation", "video_note"}
STAFF_CACHE_SECONDS = 60.0
NOTE_LIMIT = 4096


class StaffOnly(BaseFilter):
    """The sender is an active staff member (asked of the backend, remembered for a minute); gives `staff`."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[float, StaffMember | None]] = {}

    async def __call__(self, message: Message, backend: BackendClient) -> bool | dict[str, StaffMember]:
        if message.from_user is None or message.from_user.is_bot or message.sender_chat is not None:
            return False
        user_id, now = message.from_user.id, time.monotonic()
        known = self._known.get(user_id)
        if known is None or known[0] <= now:
            known = (now + STAFF_CACHE_SECONDS, await backend.staff_member(user_id))
            self._known[user_id] = known
        return {"staff": known[1]} if known[1] is not None else False


async def _case(message: Message, backend: BackendClient) -> RelayCase | None:
    return await backend.case_of_topic(message.message_thread_id)


async def _active_case(message: Message, bot: Bot, backend: BackendClient, data: dict) -> RelayCase | None:
    """The topic's case if the borrower can still be reached through it; for a closed one staff are told so."""
    case = await _case(message, backend)
    if case is not None and (case.status == "closed" or case.chat_id is None):
        await data["staff_room"].say(bot, case, data["staff_voice"].line("case_closed"))
        return None
    return case


async def on_take(message: Message, bot: Bot, backend: BackendClient, staff: StaffMember, **data) -> None:
    case = await _active_case(message, bot, backend, data)
    if case is None:
        return
    room, voice = data["staff_room"], data["staff_voice"]
    case = await backend.take_case(case.id, staff_telegram_id=staff_id(message))
    await room.say(bot, case, voice.line("taken", name=staff.name))
    await tell_borrower(bot, case, data["i18n"], lambda: joined(staff.name))


async def on_close(message: Message, bot: Bot, backend: BackendClient, staff: StaffMember, **data) -> None:
    case = await _active_case(message, bot, backend, data)
    if case is None:
        return
    case = await backend.close_case(case.id, staff_telegram_id=staff_id(message))
    await close_topic(bot, case, staff.name, data)
    await hand_back(bot, case, backend, data)


async def close_topic(bot: Bot, case: RelayCase, staff_name: str, data: dict) -> None:
    """Say in the topic who closed the case, and close the topic."""
    room, voice = data["staff_room"], data["staff_voice"]
    await room.say(bot, case, voice.line("closed", name=staff_name))
    with contextlib.suppress(TelegramBadRequest):  # staff may have deleted the topic already
        await bot.close_forum_topic(room.chat_id, case.topic_id)


async def hand_back(bot: Bot, case: RelayCase, backend: BackendClient, data: dict) -> None:
    """The closed case's chat goes back to the dialogs: a borrower is told and offered the survey; an unlinked chat
    is let go and told, with nothing of a loan and no survey. Closed in the topic or in the console alike."""
    if case.borrower_id is None:
        await _release_unlinked(bot, case, data)
        await tell_borrower(
            bot, case, data["i18n"], lambda: _("The staff member has ended the conversation. Send /start to go on.")
        )
        return
    turn = await _borrower_turn(bot, case, backend, data)
    if turn is None:
        return
    with data["i18n"].use_locale(turn.locale):
        await turn.say(_("The staff member has ended the conversation, and I am back. Send /menu for the menu."))
        await feedback.offer_survey(turn, subject="support_case", subject_id=case.id)


async def on_note(message: Message, command: CommandObject, bot: Bot, backend: BackendClient, **data) -> None:
    case = await _active_case(message, bot, backend, data)
    if case is None:
        return
    room, voice = data["staff_room"], data["staff_voice"]
    text = (command.args or "").strip()
    if not text:
        await room.say(bot, case, voice.line("note_empty"))
        return
    await backend.record_message(
        case.id,
        direction="note",
        kind="text",
        text=text[:NOTE_LIMIT],
        telegram_message_id=message.message_id,
        staff_telegram_id=staff_id(message),
    )
    await room.say(bot, case, voice.line("note_kept"))


async def on_card(message: Message, bot: Bot, backend: BackendClient, **data) -> None:
    case = await _case(message, backend)
    if case is not None:
        await data["staff_room"].post_card(bot, case)


async def on_reply(message: Message, bot: Bot, backend: BackendClient, **data) -> None:
    """Queued with its copy for the borrower (the relay worker sends it); a case closed meanwhile is told."""
    case = await _active_case(message, bot, backend, data)
    if case is None:
        return
    try:
        await data["staff_room"].queue_out(case, message)
    except BackendError as exc:
        if exc.code != "case_closed":
            raise
        await data["staff_room"].say(bot, case, data["staff_voice"].line("case_closed"))


def joined(name: str) -> str:
    return _("👤 {name} from the bank has joined the chat.").format(name=name)


def staff_id(message: Message) -> int:
    return message.from_user.id


async def tell_borrower(bot: Bot, case: RelayCase, i18n: I18n, text) -> None:
    if case.chat_id is None:
        return
    with i18n.use_locale(case.language):
        await bot.send_message(case.chat_id, text())


async def _release_unlinked(bot: Bot, case: RelayCase, data: dict) -> None:
    """The unlinked chat forgets its case, so its next message reaches the dialogs again."""
    if case.chat_id is None:
        return
    key = StorageKey(bot_id=bot.id, chat_id=case.chat_id, user_id=case.chat_id)
    state = FSMContext(storage=data["fsm_storage"], key=key)
    kept = await state.get_data()
    await state.set_data({name: value for name, value in kept.items() if name != CASE_KEY})


async def _borrower_turn(bot: Bot, case: RelayCase, backend: BackendClient, data: dict) -> Turn | None:
    """The borrower's side of the chat, to hand it back to the dialogs (the survey keeps its state there)."""
    if case.chat_id is None:
        return None
    profiles: ProfileCache = data["profiles"]
    await profiles.forget(case.chat_id)
    borrower = await profiles.get(case.chat_id)
    if borrower is None:
        return None
    storage: BaseStorage = data["fsm_storage"]
    key = StorageKey(bot_id=bot.id, chat_id=case.chat_id, user_id=case.chat_id)
    settings: BotSettings = data["settings"]
    return Turn(
        bot=bot,
        chat_id=case.chat_id,
        user_id=case.chat_id,
        backend=backend,
        profiles=profiles,
        state=FSMContext(storage=storage, key=key),
        borrower=borrower,
        locale=borrower.language,
        settings=settings,
        screens=data["screens"],
    )


def router(staff_chat_id: int) -> Router:
    r = Router(name="staff_group")
    r.message.filter(F.chat.id == staff_chat_id, F.message_thread_id, F.is_topic_message)
    staff = StaffOnly()
    r.message.register(on_take, Command("take"), staff)
    r.message.register(on_close, Command("close"), staff)
    r.message.register(on_note, Command("note"), staff)
    r.message.register(on_card, Command("card"), staff)
    r.message.register(on_reply, F.content_type.in_(RELAYED), ~F.text.startswith("/"), staff)
    return r

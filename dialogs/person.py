"""Talk to a person: from the menu, `/operator` in any state, or offered after two misunderstood messages in a row,
words of complaint or a low rating. Opens (or joins) a support case with the reason and the chat's recent steps and
says when to expect an answer. With the staff group set up, a chat case opens a topic there and what the borrower
writes next goes to a person (`dialogs/held_chat.py`)."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, User
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from bot.backend.filings import SupportCase
from bot.buttons import CallPerson, Nav
from bot.drafts import Draft, new_key, request_key
from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.staff_room import StaffRoom
from bot.turn import CASE_KEY, Turn
from dialogs import loan_choice
from dialogs.callbacks import NotNow, SendToPerson
from dialogs.complaints import is_complaint
from dialogs.filters import Linked
from dialogs.held_chat import leave_keyboard
from dialogs.staff_time import case_filed_text
from dialogs.states import Person

MISSES_BEFORE_OFFER = 2
#: Reasons the bot offers a person for; `hardship` where money trouble shows (arrears, an overdue notice, a declined
#: holiday), so staff see it flagged above the rest.
OFFERED = frozenset({"misunderstood", "complaint", "low_rating", "hardship"})


class PersonDraft(Draft):
    """Why the borrower asked for a person, and the backend's limit on what they write (asked when the dialog
    starts; a draft stored before it was kept asks when the words arrive); `key` drawn when it starts, so the
    request sent again after a lost answer adds nothing to the case twice."""

    reason: str = Field(default="requested", alias="person_reason")
    max_text: int | None = Field(default=None, alias="person_max_text")
    key: str = Field(default_factory=new_key, alias="person_key")


def offer_keyboard(why: str) -> InlineKeyboardMarkup:
    """Yes or no to a person; "no" leaves the borrower where they were."""
    return inline([[(_("👤 Yes, connect me"), CallPerson(why=why))], [(_("No, thank you"), NotNow())]])


async def note_unreadable(turn: Turn, text: str | None) -> bool:
    """A message the bot could not use: words of complaint offer a person at once, and so does the second miss in a
    row. The caller asks its question again after this, so declining (or ignoring) the offer loses nothing.

    True when it was a complaint: the apology is the answer, and the caller adds no "I did not understand"."""
    if turn.borrower is None:
        return False
    if is_complaint(text):
        await offer_for_complaint(turn)
        return True
    if turn.journal.miss() == MISSES_BEFORE_OFFER:
        await turn.say(
            _("It seems I am not much help here. Would you like to talk to a person?"),
            offer_keyboard("misunderstood"),
        )
    return False


async def offer_for_complaint(turn: Turn) -> None:
    await turn.say(
        _("I am sorry you are unhappy. A person from the bank can look into it. Shall I pass it on?"),
        offer_keyboard("complaint"),
    )


async def start(turn: Turn, reason: str) -> None:
    terms = await turn.backend.general_terms(turn.user_id)
    await turn.reset()
    await turn.state.set_state(Person.topic)
    await PersonDraft(reason=reason, max_text=terms.max_text).store(turn.state)
    await ask_topic(turn)


async def ask_topic(turn: Turn) -> None:
    await turn.say(
        _(
            "I will pass your request to the bank's staff. In one message, what is it about? "
            "Or send the request as it is."
        ),
        inline([[(_("📨 Send as it is"), SendToPerson())], [(_("⬅️ Back"), Nav(to="menu"))]]),
    )


async def _file(turn: Turn, summary: str, name: str) -> SupportCase:
    """The borrower's case, or (an unlinked chat) one with its Telegram name and words and nothing of a loan; the
    same words sent again under the same key."""
    draft = await PersonDraft.load(turn.state)
    reason, loan_id = draft.reason, turn.borrower.selected_loan_id if turn.borrower else None
    key = request_key(draft.key, reason, summary, loan_id)
    if turn.borrower is None:
        case = await turn.backend.open_unlinked_case(
            turn.user_id,
            name=name,
            language=turn.locale,
            reason=reason,
            summary=summary,
            recent_steps=turn.journal.steps,
            key=key,
        )
        await turn.reset()
        await turn.state.update_data({CASE_KEY: case.id})
        return case
    case = await turn.backend.open_case(
        turn.user_id,
        reason=reason,
        summary=summary,
        recent_steps=turn.journal.steps,
        loan_id=loan_id,
        key=key,
    )
    await turn.reset()
    return case


async def _open_case(turn: Turn, summary: str, staff_room: StaffRoom | None, name: str) -> None:
    case = await _file(turn, summary, name)
    await turn.profiles.forget(turn.user_id)  # the profile's chat case: what the borrower writes next goes to it
    if staff_room is None:
        if turn.borrower is None:
            await turn.say(case_filed_text(turn, case) + "\n" + _("Write here if you want to add anything."))
            return
        await turn.say(
            case_filed_text(turn, case) + "\n" + _("Meanwhile I am here for everything else."),
            inline([[(_("🏠 Menu"), Nav(to="menu"))]]),
        )
        return
    await staff_room.open(turn.bot, await turn.backend.relay_case(case.id))
    await turn.say(
        case_filed_text(turn, case)
        + "\n\n"
        + _("Write here: a person from the bank reads this chat and answers in it."),
        leave_keyboard(),
    )


async def fits(turn: Turn, text: str) -> bool:
    """Whether the borrower's words fit what the backend keeps (a case's summary, a rating's comment); if not, says
    so, and the caller asks again. The limit is the backend's: from the person draft, else asked now."""
    limit = (await PersonDraft.load(turn.state)).max_text or (await turn.backend.general_terms(turn.user_id)).max_text
    if len(text) <= limit:
        return True
    await turn.say(_("That is longer than I can pass on ({limit} characters). Please shorten it.").format(limit=limit))
    return False


async def on_topic(message: Message, turn: Turn, staff_room: StaffRoom | None) -> None:
    summary = message.text.strip()
    if not await fits(turn, summary):
        await ask_topic(turn)
        return
    await _open_case(turn, summary, staff_room, _name(message.from_user))


async def on_send(query: CallbackQuery, turn: Turn, staff_room: StaffRoom | None) -> None:
    await query.answer()
    await _open_case(turn, "", staff_room, _name(query.from_user))


def _name(user: User | None) -> str:
    return user.first_name if user else ""


async def on_operator(message: Message, turn: Turn) -> None:
    await start(turn, "requested")


async def on_menu_button(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await start(turn, "requested")


async def on_offer_taken(query: CallbackQuery, callback_data: CallPerson, turn: Turn) -> None:
    await query.answer()
    await start(turn, callback_data.why)


async def on_offer_declined(query: CallbackQuery, turn: Turn) -> None:
    """Inside a dialog its question is already below the offer: nothing more to say; outside one, the menu."""
    await query.answer(_("All right."))
    if await turn.state.get_state() is None:
        await loan_choice.home(turn)


SCREENS: Screens = {
    Person.topic.state: Screen("text", ask_topic),
}


def router() -> Router:
    """Tried right after the commands of every state, so `/operator` works inside any dialog; an unlinked chat too
    (before linking, or locked out), whose case carries its Telegram name and words and no loan data."""
    r = Router(name="person")
    linked = Linked()
    r.message.register(on_operator, Command("operator"))
    r.message.register(on_topic, Person.topic, F.text, ~F.text.startswith("/"))
    r.callback_query.register(on_send, Person.topic, SendToPerson.filter())
    r.callback_query.register(on_menu_button, Nav.filter(F.to == "person"))
    r.callback_query.register(on_offer_taken, CallPerson.filter(F.why.in_(OFFERED)), linked)
    r.callback_query.register(on_offer_declined, NotNow.filter(), linked)
    return r

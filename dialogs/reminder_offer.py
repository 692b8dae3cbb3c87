"""Right after linking: ask once whether to send payment reminders; nothing is sent without a yes."""

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs import loan_choice
from dialogs.callbacks import RemindersOptIn
from dialogs.filters import Linked
from dialogs.settings import days_text
from dialogs.states import ReminderOffer


async def after_link(turn: Turn) -> None:
    """What follows a new link: the reminders question unless they are on already, then the menu."""
    if turn.borrower is not None and turn.borrower.reminders_enabled:
        await loan_choice.home(turn)
        return
    await turn.state.set_state(ReminderOffer.ask)
    await ask(turn)


async def ask(turn: Turn) -> None:
    borrower = turn.borrower or await turn.refresh_borrower()
    await turn.say(
        _(
            "Shall I remind you of payments: {when}, only between {start} and {end} your time? "
            "You can change this or turn it off in /settings."
        ).format(
            when=days_text(borrower.reminder_days_ahead),
            start=turn.clock(borrower.daytime_start),
            end=turn.clock(borrower.daytime_end),
        ),
        inline(
            [[(_("🔔 Yes, remind me"), RemindersOptIn(agreed=True)), (_("No, thanks"), RemindersOptIn(agreed=False))]]
        ),
    )


async def on_answer(query: CallbackQuery, callback_data: RemindersOptIn, turn: Turn) -> None:
    await query.answer()
    await turn.adopt(await turn.backend.update_preferences(turn.user_id, reminders_enabled=callback_data.agreed))
    await turn.state.clear()
    if callback_data.agreed:
        await turn.say(_("Good: I will remind you. Nothing else will be sent without your request."))
    else:
        await turn.say(_("All right, no reminders. You can turn them on in /settings at any time."))
    await loan_choice.home(turn)


SCREENS: Screens = {
    ReminderOffer.ask.state: Screen("buttons", ask),
}


def router() -> Router:
    r = Router(name="reminder_offer")
    r.callback_query.filter(Linked())
    r.callback_query.register(on_answer, ReminderOffer.ask, RemindersOptIn.filter())
    return r

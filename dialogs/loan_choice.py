"""Choosing which of the borrower's loans the bot shows: after linking with several loans, and from settings; and the
way home, to the menu of the selected loan or first to this choice."""

from datetime import date

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.buttons import Nav
from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs import menu
from dialogs.callbacks import PickLoan
from dialogs.filters import Linked
from dialogs.states import LoanChoice


async def start(turn: Turn) -> None:
    await turn.state.set_state(LoanChoice.pick)
    await ask_loan(turn)


async def home(turn: Turn) -> None:
    """The menu of the selected loan; a borrower with several loans and none chosen yet chooses one first."""
    loan_id = turn.borrower.selected_loan_id if turn.borrower else None
    if loan_id is None:
        await start(turn)
        return
    await menu.show_menu(turn, loan_id)


async def ask_loan(turn: Turn) -> None:
    loans = await turn.backend.loans(turn.user_id)
    rows = [
        [
            (
                ("✔️ " if loan.selected else "")
                + _loan_label(turn, loan.contract_number, loan.status, loan.contract_date),
                PickLoan(loan_id=loan.id),
            )
        ]
        for loan in loans
    ]
    if turn.borrower is not None and turn.borrower.selected_loan_id is not None:
        rows.append([(_("⬅️ Back"), Nav(to="menu"))])
    await turn.say(_("You have several loans. Which one shall I show?"), inline(rows))


def _loan_label(turn: Turn, number: str, status: str, signed: date) -> str:
    closed = _("repaid") if status == "closed" else _("active")
    return _("№ {number} of {date} ({status})").format(number=number, date=turn.day(signed), status=closed)


async def on_pick(query: CallbackQuery, callback_data: PickLoan, turn: Turn) -> None:
    await query.answer()
    try:
        changed = await turn.backend.update_preferences(turn.user_id, selected_loan_id=callback_data.loan_id)
    except BackendError as exc:
        if exc.status not in (404, 422):
            raise
        await turn.say(_("That loan is not among yours. Please choose from the list."))
        await ask_loan(turn)
        return
    await turn.adopt(changed)
    await turn.state.clear()
    await home(turn)


SCREENS: Screens = {
    LoanChoice.pick.state: Screen("buttons", ask_loan),
}


def router() -> Router:
    r = Router(name="loan_choice")
    r.callback_query.filter(Linked())
    r.callback_query.register(on_pick, LoanChoice.pick, PickLoan.filter(F.loan_id > 0))
    return r

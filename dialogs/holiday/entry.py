"""The payment holiday (SPEC §3.6): what it is, then the application (the contract chosen first by a borrower with
several loans) or the borrower's applications; an application under review is shown instead of starting another; the
wizard, the review and the status screens assembled here."""

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.backend.models import LoanItem
from bot.buttons import Nav
from bot.keyboards import inline
from bot.screens import Screen, Screens, joined
from bot.turn import Turn
from dialogs.callbacks import HolidayStep, PickLoan
from dialogs.filters import Linked
from dialogs.holiday import review, status, wizard
from dialogs.holiday import review as holiday_review
from dialogs.holiday.draft import back_row, contract_text, draft_of, goto, new_draft
from dialogs.states import HolidayWizard


async def _running(turn: Turn) -> list[LoanItem]:
    return [loan for loan in await turn.backend.loans(turn.user_id) if loan.status != "closed"]


async def open_holiday(turn: Turn) -> None:
    """The entry: with no running loan a holiday does not apply; with one, its application under review is shown
    instead of the intro; with several, the intro (the contract is chosen on applying, each on its own)."""
    running = await _running(turn)
    if not running:
        await review.not_applicable(turn)
        return
    if len(running) == 1 and await _show_pending(turn, running[0].id):
        return
    await goto(turn, HolidayWizard.intro)


async def _show_pending(turn: Turn, loan_id: int) -> bool:
    """Show the loan's application under review, if there is one."""
    holidays = await turn.backend.holidays(turn.user_id)
    pending = next((h for h in holidays if h.loan_id == loan_id and h.status == "submitted"), None)
    if pending is None:
        return False
    await turn.say(_("Your application for a payment holiday is already with the bank:"))
    await status.open_application(turn, pending.id)
    return True


async def ask_intro(turn: Turn) -> None:
    await turn.say(
        _(
            "A payment holiday (law 353-FZ, article 6.1-1) lets you pay nothing or pay less for up to 6 months "
            "when your income has dropped or life has become hard. It is granted once per contract. The payments "
            "you skip are not written off: they move to the end of the loan, and its term grows. I will ask a few "
            "questions, check your answers against the law's conditions and pass the application to the bank's "
            "staff, who decide. I never refuse by myself: even if a condition looks not met, you can still send "
            "the application for review."
        ),
        inline(
            [
                [(_("📝 Apply"), HolidayStep(do="apply")), (_("📋 My applications"), HolidayStep(do="list"))],
                [(_("⬅️ Back"), Nav(to="menu"))],
            ]
        ),
    )


async def on_holiday(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await open_holiday(turn)


async def on_apply(query: CallbackQuery, turn: Turn) -> None:
    """Start the wizard: with several running loans the borrower first chooses the contract (a holiday is granted per
    contract); a draft begun for the same loan (the borrower came back to this screen) is kept."""
    await query.answer()
    running = await _running(turn)
    if not running:
        await review.not_applicable(turn)
    elif len(running) > 1:
        await goto(turn, HolidayWizard.loan)
    else:
        await begin(turn, running[0].id, chosen=False)


async def begin(turn: Turn, loan_id: int, *, chosen: bool) -> None:
    """The questions for `loan_id` within today's terms, or its application already under review; `chosen`: picked
    among several. A draft kept from before takes today's terms too."""
    if await _show_pending(turn, loan_id):
        return
    try:
        terms = await turn.backend.holiday_terms(turn.user_id, loan_id)
    except BackendError as exc:
        if exc.code != "loan_closed":
            raise
        await holiday_review.not_applicable(turn)
        return
    draft = await draft_of(turn)
    if draft is None or draft.loan_id != loan_id:
        draft = new_draft(loan_id, terms, chosen=chosen)
    await draft.change(turn.state, terms=terms, chosen_loan=chosen)
    await goto(turn, HolidayWizard.reason)


async def ask_loan(turn: Turn) -> None:
    running = await _running(turn)
    rows = [
        [(contract_text(turn, loan.contract_number, loan.contract_date), PickLoan(loan_id=loan.id))] for loan in running
    ]
    await turn.say(
        _("You have several loans, and a holiday is granted per contract. Which loan is the application for?"),
        inline([*rows, back_row()]),
    )


async def on_loan(query: CallbackQuery, callback_data: PickLoan, turn: Turn) -> None:
    await query.answer()
    if callback_data.loan_id not in {loan.id for loan in await _running(turn)}:
        await turn.say(_("That loan is not among yours. Please choose from the list."))
        await ask_loan(turn)
        return
    await begin(turn, callback_data.loan_id, chosen=True)


SCREENS: Screens = joined(
    {
        HolidayWizard.intro.state: Screen("buttons", ask_intro),
        HolidayWizard.loan.state: Screen("buttons", ask_loan),
    },
    wizard.SCREENS,
    review.SCREENS,
    status.SCREENS,
)


def router() -> Router:
    r = Router(name="holiday")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_holiday, Nav.filter(F.to == "holiday"), flags={"loan": True})
    r.callback_query.register(on_apply, HolidayWizard.intro, HolidayStep.filter(F.do == "apply"), flags={"loan": True})
    r.callback_query.register(on_loan, HolidayWizard.loan, PickLoan.filter(F.loan_id > 0))
    r.include_routers(wizard.router(), review.router(), status.router())
    return r

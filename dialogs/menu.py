"""The main menu: the selected loan's progress at a glance and the way to every dialog."""

import functools

from aiogram import F, Router, html
from aiogram.filters import Command, CommandStart
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.backend.models import LoanSummary
from bot.buttons import Nav
from bot.formatting import progress_bar
from bot.keyboards import inline
from bot.turn import Turn
from dialogs.filters import Linked


@functools.cache
def menu_keyboard(language: str) -> InlineKeyboardMarkup:
    """The same for every borrower: built once per `language` (the active one, the cache key), which saves about
    a tenth of the bot's own work on a menu turn."""
    return inline(
        [
            [(_("📊 Balance and progress"), Nav(to="balance")), (_("💳 How to pay"), Nav(to="pay"))],
            [(_("💰 Repay early"), Nav(to="early")), (_("📄 Certificates"), Nav(to="certificates"))],
            [(_("🛡 Insurance"), Nav(to="insurance")), (_("🌿 Payment holiday"), Nav(to="holiday"))],
            [(_("📝 Refinancing, family changes"), Nav(to="refinancing"))],
            [(_("👤 Talk to a person"), Nav(to="person"))],
            [(_("⚙️ Settings"), Nav(to="settings")), (_("❓ What I can do"), Nav(to="help"))],
        ]
    )


def progress_lines(turn: Turn, summary: LoanSummary) -> list[str]:
    """The lines every loan screen opens with: the loan and how far it is from being repaid."""
    lines = [
        _("Loan № {number}").format(number=html.quote(summary.contract_number)),
        _("Repaid: {bar} {share}").format(
            bar=progress_bar(summary.percent_repaid), share=turn.percent(summary.percent_repaid)
        ),
    ]
    if summary.closed:
        lines.append(_("The loan is repaid in full. Congratulations!"))
        return lines
    lines.append(
        ngettext(
            "Principal left: {amount}, {count} payment to go",
            "Principal left: {amount}, {count} payments to go",
            summary.installments_left,
        ).format(amount=turn.money(summary.outstanding_principal), count=summary.installments_left)
    )
    return lines


async def show_menu(turn: Turn, loan_id: int) -> None:
    """The menu of `loan_id`, the selected loan (without one: `loan_choice.home`)."""
    summary = await turn.backend.summary(turn.user_id, loan_id)
    lines = [
        _("{name}, here is your loan.").format(name=html.quote(turn.borrower.first_name)),
        "",
        *progress_lines(turn, summary),
    ]
    if summary.next_payment_date is not None and summary.next_payment_amount is not None and not summary.closed:
        lines.append(
            _("Next payment: {amount} on {date}").format(
                amount=turn.money(summary.next_payment_amount), date=turn.day(summary.next_payment_date)
            )
        )
    if summary.overdue_amount > 0:
        lines.append(
            _("Overdue: {amount}. Details are under Balance.").format(amount=turn.money(summary.overdue_amount))
        )
    lines += ["", _("What would you like to do?")]
    await turn.say("\n".join(lines), menu_keyboard(turn.locale))


async def on_menu_command(message: Message, turn: Turn, loan_id: int) -> None:
    await turn.reset()
    await show_menu(turn, loan_id)


async def on_menu_button(query: CallbackQuery, turn: Turn, loan_id: int) -> None:
    await query.answer()
    await turn.reset()
    await show_menu(turn, loan_id)


def router() -> Router:
    r = Router(name="menu")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.message.register(on_menu_command, CommandStart(), flags={"loan": True})
    r.message.register(on_menu_command, Command("menu"), flags={"loan": True})
    r.callback_query.register(on_menu_button, Nav.filter(F.to == "menu"), flags={"loan": True})
    return r

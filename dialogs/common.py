"""Commands that work in every state, linked or not: /cancel and /help."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.buttons import Nav
from bot.keyboards import REMOVE, inline
from bot.turn import Turn
from dialogs import loan_choice


async def on_cancel(message: Message, turn: Turn) -> None:
    await turn.reset()
    if turn.borrower is None:
        await turn.say(_("Cancelled. Send /start whenever you want to link your account."), REMOVE)
        return
    await turn.say(_("Cancelled."), REMOVE)
    await loan_choice.home(turn)


def help_text() -> str:
    return _(
        "What I can do:\n"
        "• show the balance, the next payment and your progress to full repayment, with a chart;\n"
        "• tell you how to pay remotely and estimate an early repayment;\n"
        "• issue certificates as PDF, the one for the tax deduction included;\n"
        "• take your renewed insurance policy or ask for a renewal quote;\n"
        "• help you apply for a payment holiday if your income has dropped;\n"
        "• pass a request for refinancing or a family change to the bank;\n"
        "• remind you of payments, when you want and not at night;\n"
        "• switch between your loans and change the language.\n\n"
        "Commands: /menu main menu, /balance balance, /settings settings, /operator talk to a person, "
        "/cancel stop what we are doing, /help this message."
    )


def link_first() -> str:
    return _("To begin, send /start and link your account.")


async def on_help(message: Message, turn: Turn) -> None:
    markup = inline([[(_("🏠 Menu"), Nav(to="menu"))]]) if turn.borrower else None
    text = help_text() if turn.borrower else help_text() + "\n\n" + link_first()
    await turn.say(text, markup)


async def on_help_button(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await on_help(query.message, turn)


def router() -> Router:
    r = Router(name="common")
    r.message.register(on_cancel, Command("cancel"))
    r.message.register(on_help, Command("help"))
    r.callback_query.register(on_help_button, Nav.filter(F.to == "help"))
    return r

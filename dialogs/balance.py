"""Balance and progress: what is owed, what is paid, the payoff chart, and how to pay on request."""

import asyncio

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from babel.numbers import get_decimal_symbol

from bot.backend.models import LoanSummary
from bot.buttons import CallPerson, Nav
from bot.chart import ChartText, payoff_chart
from bot.keyboards import inline
from bot.payment_qr import payment_qr
from bot.turn import Turn
from dialogs.filters import Linked
from dialogs.menu import progress_lines


def _keyboard(*, pay: bool):
    first = [(_("💳 How to pay"), Nav(to="pay"))] if pay else [(_("📊 Balance and progress"), Nav(to="balance"))]
    return inline([first, [(_("🏠 Menu"), Nav(to="menu"))]])


def _arrears_keyboard():
    """What the arrears text advises, one button each: pay the overdue amount, a payment holiday, a person."""
    return inline(
        [
            [(_("💳 Pay the overdue amount"), Nav(to="pay"))],
            [(_("🌿 Payment holiday"), Nav(to="holiday")), (_("👤 Talk to a person"), CallPerson(why="hardship"))],
            [(_("🏠 Menu"), Nav(to="menu"))],
        ]
    )


async def show_balance(turn: Turn, loan_id: int) -> None:
    balance = await turn.backend.balance(turn.user_id, loan_id)
    summary = balance.summary
    start = (summary.contract_date, summary.principal)
    points = [start, *((point.date, point.balance) for point in balance.owed_after)]
    text = ChartText(
        title=_("Principal left to pay"),
        today=_("today"),
        millions=_("million ₽"),
        decimal_separator=get_decimal_symbol(turn.locale),
    )
    image = await payoff_chart(
        points,
        today=summary.on_date,
        owed_today=summary.outstanding_principal,
        text=text,
        processes=turn.settings.chart_processes,
    )
    await turn.photo(image, f"payoff-{summary.loan_id}.png")
    in_arrears = not summary.closed and summary.overdue_amount > 0
    await turn.say(
        balance_text(turn, summary), _arrears_keyboard() if in_arrears else _keyboard(pay=not summary.closed)
    )


def balance_text(turn: Turn, summary: LoanSummary) -> str:
    lines = [*progress_lines(turn, summary), ""]
    lines.append(_("On {date}:").format(date=turn.day(summary.on_date)))
    lines.append(_("• principal owed: {amount}").format(amount=turn.money(summary.outstanding_principal)))
    lines.append(
        _("• paid so far: {principal} of principal and {interest} of interest").format(
            principal=turn.money(summary.principal_paid), interest=turn.money(summary.interest_paid)
        )
    )
    if not summary.closed and summary.next_payment_date and summary.next_payment_amount is not None:
        lines.append(
            _("• next payment: {amount} on {date}").format(
                amount=turn.money(summary.next_payment_amount), date=turn.day(summary.next_payment_date)
            )
        )
        lines.append(_("• last payment by the schedule: {date}").format(date=turn.day(summary.last_payment_date)))
    if summary.prepaid_amount > 0:
        lines.append(
            _("• paid ahead: {amount}; it will cover the coming payments").format(
                amount=turn.money(summary.prepaid_amount)
            )
        )
    if summary.overdue_amount > 0 and summary.overdue_since is not None:
        lines += ["", _overdue_text(turn, summary)]
    return "\n".join(lines)


def _overdue_text(turn: Turn, summary: LoanSummary) -> str:
    return _(
        "{amount} has been overdue since {date}. To settle it, pay this amount: the button below gives the "
        "details and a QR code for your bank's app. If paying is hard right now, there are ways to help, such "
        "as a payment holiday, and a person at the bank can talk it through with you (or call {phone})."
    ).format(
        amount=turn.money(summary.overdue_amount),
        date=turn.day(summary.overdue_since),
        phone=summary.payment_details.bank_phone,
    )


async def show_payment_details(turn: Turn, loan_id: int) -> None:
    """A closed loan is told there is nothing to pay; else the QR code, then every field and the amount due."""
    summary = await turn.backend.summary(turn.user_id, loan_id)
    if summary.closed:
        await turn.say(_("This loan is repaid in full: there is nothing to pay."), _keyboard(pay=False))
        return
    details = summary.payment_details
    if details.qr_payload is not None:
        image = await asyncio.to_thread(payment_qr, details.qr_payload)
        caption = (
            _("Scan this code in your bank's app: the details and the amount are filled in.")
            if details.amount_due is not None
            else _("Scan this code in your bank's app: the details are filled in, the amount is yours to enter.")
        )
        await turn.photo(image, f"payment-{summary.loan_id}.png", caption=caption)
    await turn.say(payment_text(turn, summary), _keyboard(pay=False))


def payment_text(turn: Turn, summary: LoanSummary) -> str:
    details = summary.payment_details
    lines = [
        _("How to pay remotely: scan the QR code in your bank's app, or make a transfer to these details."),
        "",
        _("Recipient: {name}").format(name=html.quote(details.recipient)),
        _("Recipient's INN: {inn}, KPP: {kpp}").format(inn=details.inn, kpp=details.kpp),
    ]
    if details.account is not None:
        lines.append(_("Account: {account}").format(account=details.account))
    else:
        lines.append(_("Account: the bank will give it to you on {phone}").format(phone=details.bank_phone))
    lines += [
        _("Bank: {bank}").format(bank=html.quote(details.bank_name)),
        _("BIC: {bik}").format(bik=details.bik),
        _("Corr. account: {account}").format(account=details.correspondent_account),
        _amount_line(turn, summary),
        _("Purpose: {purpose}").format(purpose=html.quote(details.purpose)),
        "",
        _("Money paid above the amount due counts ahead for the next payments."),
        _("Questions about a payment: {phone}").format(phone=details.bank_phone),
    ]
    return "\n".join(lines)


def _amount_line(turn: Turn, summary: LoanSummary) -> str:
    """The overdue amount, else the next payment; nothing due when money paid ahead covers it (or in a holiday)."""
    amount = summary.payment_details.amount_due
    if amount is not None and summary.payment_details.amount_due_reason == "overdue":
        return _("Amount: {amount}, the overdue payments").format(amount=turn.money(amount))
    if amount is not None and summary.next_payment_date is not None:
        return _("Amount: {amount}, the next payment, by {date}").format(
            amount=turn.money(amount), date=turn.day(summary.next_payment_date)
        )
    if summary.next_payment_date is not None and summary.prepaid_amount > 0:
        return _("Amount: nothing is due now; the payment of {date} is already covered").format(
            date=turn.day(summary.next_payment_date)
        )
    return _("Amount: nothing is due now")


async def on_balance_command(message: Message, turn: Turn, loan_id: int) -> None:
    await turn.reset()
    await show_balance(turn, loan_id)


async def on_nav(query: CallbackQuery, callback_data: Nav, turn: Turn, loan_id: int) -> None:
    await query.answer()
    await turn.reset()
    if callback_data.to == "pay":
        await show_payment_details(turn, loan_id)
    else:
        await show_balance(turn, loan_id)


def router() -> Router:
    r = Router(name="balance")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.message.register(on_balance_command, Command("balance"), flags={"loan": True})
    r.callback_query.register(on_nav, Nav.filter(F.to.in_({"balance", "pay"})), flags={"loan": True})
    return r

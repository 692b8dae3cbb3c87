"""A priced renewal quote: the borrower's choice to pay at once or later, from the pushed notice's buttons (or the
insurance overview), recorded by the backend; a stale, forged or lapsed button gets a polite answer."""

from datetime import date

from aiogram import Router, html
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.backend.filings import QuoteRequest
from bot.buttons import Nav, QuotePayment
from bot.keyboards import inline
from bot.turn import Turn
from dialogs import fallback
from dialogs.filters import Linked
from dialogs.insurance.overview import cover_name, done_keyboard, menu_button

#: Refusals that mean the button does not stand for a quote the caller can choose on (old, someone else's, forged).
_STALE = frozenset({"quote_not_found", "loan_not_found", "quote_not_priced", "validation_error"})


async def on_choice(query: CallbackQuery, callback_data: QuotePayment, turn: Turn) -> None:
    try:
        quote = await turn.backend.choose_quote_payment(
            turn.user_id, callback_data.loan_id, callback_data.quote_id, pay_later=callback_data.later
        )
    except BackendError as exc:
        if exc.code in _STALE:
            await fallback.on_callback(query, turn)  # "no longer active", and the question the chat is at again
            return
        await query.answer()
        if exc.code == "quote_expired":
            await _say_expired(turn, exc)
        elif exc.code == "quote_already_chosen":
            await turn.say(
                _("You have already chosen how to pay for this quote; the bank's staff have your choice."),
                done_keyboard(),
            )
        else:
            raise
        return
    await query.answer()
    await turn.say(_chosen_text(turn, quote), done_keyboard())


def _chosen_text(turn: Turn, quote: QuoteRequest) -> str:
    amount, cover = turn.money(quote.premium), cover_name(quote.kind)
    insurer = html.quote(quote.insurer or "")
    if not quote.pay_later:
        return _(
            "Noted: you will pay {amount} for the {cover} with {insurer} at once. The bank's staff will contact you "
            "with the payment details; the new policy starts once the premium is paid."
        ).format(amount=amount, cover=cover, insurer=insurer)
    lines = [
        _("Noted: you will pay {amount} for the {cover} with {insurer} later, by {date} at the latest.").format(
            amount=amount, cover=cover, insurer=insurer, date=turn.day(quote.pay_by)
        )
    ]
    if quote.pay_by < quote.valid_until:
        lines.append(_("That is when your current policy ends: paying by then keeps the cover without a break."))
    else:
        lines.append(_("That is the last day the price holds; after it the quote has to be asked for again."))
    lines.append(_("The bank's staff will contact you with the payment details."))
    return "\n".join(lines)


async def _say_expired(turn: Turn, exc: BackendError) -> None:
    until = exc.details.get("valid_until")
    text = (
        _("The price of this quote held until {date} and has lapsed. You can ask for a new quote.").format(
            date=turn.day(date.fromisoformat(until))
        )
        if until
        else _("The price of this quote has lapsed. You can ask for a new quote.")
    )
    await turn.say(text, inline([[(_("🛡 Insurance"), Nav(to="insurance")), menu_button()]]))


def router() -> Router:
    r = Router(name="insurance_quote")
    r.callback_query.filter(Linked())
    r.callback_query.register(on_choice, QuotePayment.filter())
    return r

"""Insurance renewal: the loan's covers and their expiry, then the renewed policy sent for staff verification or a
renewal quote asked of the bank's partner, paid at once or later. The overview and the upload live next door."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.keyboards import inline
from bot.turn import Turn
from dialogs.callbacks import InsuranceAction, Nav, PolicyCover, QuotePayment
from dialogs.filters import Linked
from dialogs.insurance_overview import (
    KIND_KEY,
    KINDS,
    KINDS_KEY,
    LOAN_KEY,
    back_to_covers,
    cover_button,
    cover_name,
    done_keyboard,
    local_day,
    payment_words,
    show_closed,
    show_overview,
)
from dialogs.insurance_upload import ask_file, on_file
from dialogs.screens import screen
from dialogs.states import Insurance


async def _covers(turn: Turn) -> InlineKeyboardMarkup:
    kinds = (await turn.state.get_data())[KINDS_KEY]
    rows = [[(cover_button(kind), PolicyCover(kind=kind))] for kind in kinds]
    return inline([*rows, [(_("⬅️ Back"), Nav(to="insurance"))]])


@screen(Insurance.upload_kind, "buttons")
async def ask_upload_kind(turn: Turn) -> None:
    await turn.say(_("Which policy are you sending?"), await _covers(turn))


@screen(Insurance.quote_kind, "buttons")
async def ask_quote_kind(turn: Turn) -> None:
    await turn.say(_("Which cover would you like a renewal quote for?"), await _covers(turn))


@screen(Insurance.quote_payment, "buttons")
async def ask_payment(turn: Turn) -> None:
    kind = (await turn.state.get_data())[KIND_KEY]
    await turn.say(
        _(
            "I will ask the bank's partner insurer for a renewal quote ({cover}). Would you pay for it at once or "
            "later? Nothing is bought until you agree to the quote."
        ).format(cover=cover_name(kind)),
        inline(
            [
                [(_("💳 Pay at once"), QuotePayment(later=False)), (_("🕓 Pay later"), QuotePayment(later=True))],
                [await back_to_covers(turn, "quote")],
            ]
        ),
    )


async def on_open(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await show_overview(turn)


async def on_action(query: CallbackQuery, callback_data: InsuranceAction, turn: Turn) -> None:
    """Upload or quote: the choice of cover, skipped when the loan has one."""
    await query.answer()
    upload = callback_data.action == "upload"
    kinds = (await turn.state.get_data())[KINDS_KEY]
    if len(kinds) == 1:
        await _choose(turn, kinds[0], upload=upload)
        return
    await turn.state.set_state(Insurance.upload_kind if upload else Insurance.quote_kind)
    await (ask_upload_kind if upload else ask_quote_kind)(turn)


async def on_cover(query: CallbackQuery, callback_data: PolicyCover, turn: Turn) -> None:
    upload = await turn.state.get_state() == Insurance.upload_kind.state
    if callback_data.kind not in (await turn.state.get_data())[KINDS_KEY]:
        await query.answer(_("This button is no longer active."))
        await (ask_upload_kind if upload else ask_quote_kind)(turn)
        return
    await query.answer()
    await _choose(turn, callback_data.kind, upload=upload)


async def _choose(turn: Turn, kind: str, *, upload: bool) -> None:
    await turn.state.update_data({KIND_KEY: kind})
    await turn.state.set_state(Insurance.upload_file if upload else Insurance.quote_payment)
    await (ask_file if upload else ask_payment)(turn)


async def on_payment(query: CallbackQuery, callback_data: QuotePayment, turn: Turn) -> None:
    await query.answer()
    data = await turn.state.get_data()
    cover = cover_name(data[KIND_KEY])
    try:
        quote, new = await turn.backend.request_quote(
            turn.user_id, data[LOAN_KEY], kind=data[KIND_KEY], pay_later=callback_data.later
        )
    except BackendError as exc:
        if exc.code != "loan_closed":
            raise
        await show_closed(turn)
        return
    await turn.reset()
    payment = payment_words(quote.pay_later)
    if new:
        text = _(
            "Done: I have asked the bank's partner insurer for a renewal quote ({cover}), {payment}. "
            "The quote will come to you, and nothing is bought until you agree to it."
        ).format(cover=cover, payment=payment)
    else:
        text = _(
            "A renewal quote ({cover}, {payment}) was already asked for on {date}. The partner's quote will come to "
            "you, and nothing is bought until you agree to it."
        ).format(cover=cover, payment=payment, date=local_day(turn, quote.created_at))
    await turn.say(text, done_keyboard())


def router() -> Router:
    r = Router(name="insurance")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_open, Nav.filter(F.to == "insurance"))
    upload, quote = InsuranceAction.filter(F.action == "upload"), InsuranceAction.filter(F.action == "quote")
    r.callback_query.register(on_action, StateFilter(Insurance.overview, Insurance.upload_file), upload)
    r.callback_query.register(on_action, StateFilter(Insurance.overview, Insurance.quote_payment), quote)
    r.callback_query.register(
        on_cover, StateFilter(Insurance.upload_kind, Insurance.quote_kind), PolicyCover.filter(F.kind.in_(KINDS))
    )
    r.message.register(on_file, Insurance.upload_file, F.document | F.photo)
    r.callback_query.register(on_payment, Insurance.quote_payment, QuotePayment.filter())
    return r

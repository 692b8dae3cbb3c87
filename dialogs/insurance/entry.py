"""Insurance renewal: the loan's covers and their expiry, then the renewed policy sent for staff verification or a
renewal quote asked of the bank's partner. The borrower chooses to pay at once or later only once the price is known
(the pushed quote's buttons, `dialogs/insurance/quote.py`). The overview and the upload live next door; the
family's routers and screens are assembled here."""

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.buttons import Nav
from bot.drafts import request_key
from bot.keyboards import inline
from bot.screens import Screen, Screens, joined
from bot.turn import Turn
from dialogs.callbacks import InsuranceAction, PolicyCover
from dialogs.filters import Linked
from dialogs.insurance import overview, quote, upload
from dialogs.insurance.overview import (
    KINDS,
    InsuranceDraft,
    cover_button,
    cover_name,
    done_keyboard,
    local_day,
    show_closed,
    show_overview,
)
from dialogs.insurance.upload import ask_file, on_file
from dialogs.states import Insurance


async def _covers(turn: Turn) -> InlineKeyboardMarkup:
    kinds = (await InsuranceDraft.load(turn.state)).kinds
    rows = [[(cover_button(kind), PolicyCover(kind=kind))] for kind in kinds]
    return inline([*rows, [(_("⬅️ Back"), Nav(to="insurance"))]])


async def ask_upload_kind(turn: Turn) -> None:
    await turn.say(_("Which policy are you sending?"), await _covers(turn))


async def ask_quote_kind(turn: Turn) -> None:
    await turn.say(_("Which cover would you like a renewal quote for?"), await _covers(turn))


async def on_open(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await show_overview(turn)


async def on_action(query: CallbackQuery, callback_data: InsuranceAction, turn: Turn) -> None:
    """Upload or quote: the choice of cover, skipped when the loan has one."""
    await query.answer()
    uploading = callback_data.action == "upload"
    kinds = (await InsuranceDraft.load(turn.state)).kinds
    if len(kinds) == 1:
        await _choose(turn, kinds[0], uploading=uploading)
        return
    await turn.state.set_state(Insurance.upload_kind if uploading else Insurance.quote_kind)
    await (ask_upload_kind if uploading else ask_quote_kind)(turn)


async def on_cover(query: CallbackQuery, callback_data: PolicyCover, turn: Turn) -> None:
    uploading = await turn.state.get_state() == Insurance.upload_kind.state
    if callback_data.kind not in (await InsuranceDraft.load(turn.state)).kinds:
        await query.answer(_("This button is no longer active."))
        await (ask_upload_kind if uploading else ask_quote_kind)(turn)
        return
    await query.answer()
    await _choose(turn, callback_data.kind, uploading=uploading)


async def _choose(turn: Turn, kind: str, *, uploading: bool) -> None:
    if uploading:
        await (await InsuranceDraft.load(turn.state)).change(turn.state, kind=kind)
        await turn.state.set_state(Insurance.upload_file)
        await ask_file(turn)
    else:
        await _request_quote(turn, kind)


async def _request_quote(turn: Turn, kind: str) -> None:
    """The request goes to the staff, who get the price from the partner; no payment is asked about before it."""
    draft = await InsuranceDraft.load(turn.state)
    try:
        quote, new = await turn.backend.request_quote(
            turn.user_id, draft.loan_id, kind=kind, key=request_key(draft.key, "quote", kind)
        )
    except BackendError as exc:
        if exc.code != "loan_closed":
            raise
        await show_closed(turn)
        return
    await turn.reset()
    cover = cover_name(kind)
    if new:
        text = _(
            "Done: your request for a renewal quote ({cover}) is sent. The bank's staff will ask the partner insurer "
            "for the price, and I will tell you here. Then you choose to pay at once or later; nothing is bought "
            "until you do."
        ).format(cover=cover)
    else:
        text = _(
            "A renewal quote ({cover}) was already asked for on {date}. I will tell you the price here as soon as the "
            "bank's staff have it from the partner insurer."
        ).format(cover=cover, date=local_day(turn, quote.created_at))
    await turn.say(text, done_keyboard())


SCREENS: Screens = joined(
    {
        Insurance.upload_kind.state: Screen("buttons", ask_upload_kind),
        Insurance.quote_kind.state: Screen("buttons", ask_quote_kind),
    },
    overview.SCREENS,
    upload.SCREENS,
)


def router() -> Router:
    r = Router(name="insurance")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_open, Nav.filter(F.to == "insurance"), flags={"loan": True})
    uploads, quotes = InsuranceAction.filter(F.action == "upload"), InsuranceAction.filter(F.action == "quote")
    r.callback_query.register(on_action, StateFilter(Insurance.overview, Insurance.upload_file), uploads)
    r.callback_query.register(on_action, Insurance.overview, quotes)
    r.callback_query.register(
        on_cover, StateFilter(Insurance.upload_kind, Insurance.quote_kind), PolicyCover.filter(F.kind.in_(KINDS))
    )
    r.message.register(on_file, Insurance.upload_file, F.document | F.photo)
    r.include_router(quote.router())
    return r

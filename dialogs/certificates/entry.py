"""Certificates: the borrower's choices checked and the request made, sent at once as a PDF or queued for the bank's
signature and stamp; the questions are in `questions`, earlier requests in `listing`."""

from datetime import date

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.buttons import Nav
from bot.parsing import parse_date
from bot.screens import Screens, joined
from bot.turn import Turn
from dialogs import feedback
from dialogs.callbacks import CalendarBlank, CertificateDelivery, CertificateKind, CertificateYear, DatePage, PickDate
from dialogs.certificates import deduction, listing, questions
from dialogs.certificates.listing import after_keyboard, send_certificate
from dialogs.certificates.questions import (
    CertificateDraft,
    ask_day,
    ask_delivery,
    ask_year,
    chosen_title,
    loan_id,
    open_kinds,
    refuse_closure,
    refuse_date,
    refuse_year,
)
from dialogs.filters import Linked
from dialogs.states import Certificates

KINDS = ("interest_paid", "outstanding_debt", "schedule", "closure")
ORDINALS = range(1, date.max.toordinal() + 1)
YEARS = range(1900, 2201)  # what the backend accepts


async def on_open(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await open_kinds(turn)


async def on_kind(query: CallbackQuery, callback_data: CertificateKind, turn: Turn) -> None:
    await query.answer()
    await choose_kind(turn, callback_data.kind)


async def choose_kind(turn: Turn, kind: str, *, year: int | None = None, on_date: date | None = None) -> None:
    """The kind chosen (pressed, or typed as a request), and its next question. A typed request may name the `year`
    or the day `on_date` too: one the dialog takes saves its question, any other is simply asked as usual."""
    if kind == "closure" and not (await turn.backend.summary(turn.user_id, loan_id(turn))).closed:
        await refuse_closure(turn)
        return
    await CertificateDraft(kind=kind).replace(turn.state)
    if kind == "interest_paid" and year in await _years(turn, year):
        await _take_year(turn, year)
        return
    if kind == "outstanding_debt" and on_date is not None:
        summary = await turn.backend.summary(turn.user_id, loan_id(turn))
        if summary.contract_date <= on_date <= summary.on_date:
            await _take_date(turn, on_date)
            return
    state, ask = {
        "interest_paid": (Certificates.year, ask_year),
        "outstanding_debt": (Certificates.day, ask_day),
    }.get(kind, (Certificates.delivery, ask_delivery))
    await turn.state.set_state(state)
    await ask(turn)


async def _years(turn: Turn, year: int | None) -> list[int]:
    """The years with payments, asked only when a year was named."""
    return [] if year is None else await turn.backend.certificate_years(turn.user_id, loan_id(turn))


async def on_year(query: CallbackQuery, callback_data: CertificateYear, turn: Turn) -> None:
    """A year offered is taken; any other (a forged button) refused. A draft stored before it kept the years offered
    asks the backend."""
    await query.answer()
    years = (await CertificateDraft.load(turn.state)).years
    if callback_data.year not in (years or await turn.backend.certificate_years(turn.user_id, loan_id(turn))):
        await refuse_year(turn, callback_data.year)
        return
    await _take_year(turn, callback_data.year)


async def _take_year(turn: Turn, year: int) -> None:
    await (await CertificateDraft.load(turn.state)).change(turn.state, year=year)
    await turn.state.set_state(Certificates.delivery)
    await ask_delivery(turn)


async def on_pick_date(query: CallbackQuery, callback_data: PickDate, turn: Turn) -> None:
    await query.answer()
    await _take_date(turn, date.fromordinal(callback_data.ordinal))


async def on_typed_date(message: Message, turn: Turn, value: date | None) -> None:
    if value is None:
        await turn.say(_("I could not read that date. Please type it as DD.MM.YYYY, for example 01.03.2025."))
        await ask_day(turn)
        return
    await _take_date(turn, value)


async def _take_date(turn: Turn, on_date: date) -> None:
    summary = await turn.backend.summary(turn.user_id, loan_id(turn))
    if not summary.contract_date <= on_date <= summary.on_date:
        await refuse_date(turn, on_date)
        return
    await (await CertificateDraft.load(turn.state)).change(turn.state, on_date=on_date)
    await turn.state.set_state(Certificates.delivery)
    await ask_delivery(turn)


async def on_page(query: CallbackQuery, callback_data: DatePage, turn: Turn) -> None:
    await query.answer()
    await (await CertificateDraft.load(turn.state)).change(turn.state, month=callback_data.ordinal)
    await ask_day(turn)


async def on_blank(query: CallbackQuery) -> None:
    await query.answer()


async def on_delivery(query: CallbackQuery, callback_data: CertificateDelivery, turn: Turn) -> None:
    await query.answer()
    draft = await CertificateDraft.load(turn.state)
    if callback_data.signed:
        await _queue(turn, draft)
        return
    certificate_id = draft.certificate_id or await _request(turn, draft, signed=False)
    if certificate_id is None:
        return
    await draft.change(turn.state, certificate_id=certificate_id)
    pdf = await turn.backend.certificate_pdf(turn.user_id, certificate_id)
    await send_certificate(turn, pdf, chosen_title(turn, draft))
    await turn.reset()
    await feedback.offer_survey(turn, subject="certificate", subject_id=certificate_id)


async def _queue(turn: Turn, draft: CertificateDraft) -> None:
    if await _request(turn, draft, signed=True) is None:
        return
    await turn.reset()
    await turn.say(
        _(
            "Your request is queued: staff will prepare {title} with the bank's signature and stamp, and I will "
            "tell you when it is ready. You can follow it under “My requests”."
        ).format(title=chosen_title(turn, draft, as_object=True)),
        after_keyboard(),
    )


async def _request(turn: Turn, draft: CertificateDraft, *, signed: bool) -> int | None:
    """The recorded request's id; None when the backend refused it (the borrower is told and asked again)."""
    try:
        certificate = await turn.backend.request_certificate(
            turn.user_id,
            loan_id(turn),
            kind=draft.kind,
            year=draft.year,
            on_date=draft.on_date,
            signed=signed,
            key=draft.request_key(signed=signed),
        )
    except BackendError as exc:
        if exc.code == "loan_not_closed":
            await refuse_closure(turn)
        elif exc.code == "no_payments_in_year":
            await refuse_year(turn, draft.year)
        elif exc.code == "on_date_out_of_range":
            await refuse_date(turn, draft.on_date)
        else:
            raise
        return None
    return certificate.id


SCREENS: Screens = joined(questions.SCREENS, listing.SCREENS, deduction.SCREENS)


def router() -> Router:
    r = Router(name="certificates")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_open, Nav.filter(F.to == "certificates"), flags={"loan": True})
    r.callback_query.register(on_kind, Certificates.kind, CertificateKind.filter(F.kind.in_(KINDS)))
    r.callback_query.register(on_year, Certificates.year, CertificateYear.filter(F.year.in_(YEARS)))
    r.callback_query.register(on_pick_date, Certificates.day, PickDate.filter(F.ordinal.in_(ORDINALS)))
    r.callback_query.register(on_page, Certificates.day, DatePage.filter(F.ordinal.in_(ORDINALS)))
    r.callback_query.register(on_blank, Certificates.day, CalendarBlank.filter())
    r.message.register(on_typed_date, Certificates.day, F.text, ~F.text.startswith("/"), flags={"reads": parse_date})
    r.callback_query.register(on_delivery, Certificates.delivery, CertificateDelivery.filter())
    r.include_router(listing.router())
    r.include_router(deduction.router())
    return r

"""Certificates already requested: their names, the list of them, and a ready one sent (again) as a PDF document."""

from datetime import date
from zoneinfo import ZoneInfo

from aiogram import F, Router, html
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.backend import BackendError
from bot.backend.filings import Certificate, CertificateFile
from bot.buttons import Nav
from bot.keyboards import columns, inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs.callbacks import CertificateDownload, CertificateRequests
from dialogs.filters import Linked
from dialogs.states import Certificates

LIST_LIMIT = 10
LOOKUP_LIMIT = 100  # the most the backend lists at once
CERTIFICATE_IDS = range(1, 2**63)  # the backend's ids


def title(turn: Turn, kind: str, *, year: int | None = None, on_date: date | None = None) -> str:
    """What the certificate is called, with the year or the date it covers."""
    if kind == "interest_paid":
        return _("Certificate of interest paid in {year}").format(year=year)
    if kind == "outstanding_debt":
        return _("Certificate of the outstanding debt on {date}").format(date=turn.day(on_date))
    if kind == "schedule":
        return _("Payment schedule")
    return _("Certificate of loan closure")


def title_as_object(turn: Turn, kind: str, *, year: int | None = None, on_date: date | None = None) -> str:
    """The certificate's name as the object of a sentence ("staff will prepare …"; in Russian the accusative)."""
    if kind == "interest_paid":
        return _("the certificate of interest paid in {year}").format(year=year)
    if kind == "outstanding_debt":
        return _("the certificate of the outstanding debt on {date}").format(date=turn.day(on_date))
    if kind == "schedule":
        return _("the payment schedule")
    return _("the certificate of loan closure")


def title_of(turn: Turn, certificate: Certificate) -> str:
    return title(turn, certificate.kind, year=certificate.year, on_date=certificate.on_date)


def after_keyboard() -> InlineKeyboardMarkup:
    """Where to go once a certificate is sent or queued."""
    return inline(
        [
            [(_("📄 Another certificate"), Nav(to="certificates"))],
            [(_("📋 My requests"), CertificateRequests())],
            [(_("🏠 Menu"), Nav(to="menu"))],
        ]
    )


async def send_certificate(turn: Turn, pdf: CertificateFile, name: str) -> None:
    """The PDF as a document under the backend's file name, with the certificate's `name` as the caption."""
    await turn.document(pdf.content, pdf.file_name, name, after_keyboard())


def _status(certificate: Certificate) -> str:
    if certificate.status == "ready":
        return _("ready")
    if certificate.status == "pending_staff":
        return _("waiting for the staff signature")
    if certificate.decision_reason:
        return _("rejected: {reason}").format(reason=html.quote(certificate.decision_reason))
    return _("rejected")


def _line(turn: Turn, certificate: Certificate) -> str:
    requested = certificate.created_at.astimezone(ZoneInfo(turn.borrower.time_zone)).date()
    name = title_of(turn, certificate)
    if certificate.signed:
        name = _("{title}, with the bank's signature").format(title=name)
    return _("• № {number} of {date}: {title}; {status}").format(
        number=certificate.number,
        date=turn.day(requested),
        title=name,
        status=_status(certificate),
    )


async def ask_requests(turn: Turn) -> None:
    certificates = await turn.backend.certificates(turn.user_id, limit=LIST_LIMIT)
    if certificates:
        lines = [_("Your certificate requests, newest first:"), *(_line(turn, c) for c in certificates)]
        text = "\n".join(lines)
    else:
        text = _("You have not requested any certificates yet.")
    ready = [c for c in certificates if c.status == "ready"]
    if ready:
        text += "\n\n" + _("To download a ready one again, press its number.")
    buttons = [(_("⬇️ № {number}").format(number=c.number), CertificateDownload(certificate_id=c.id)) for c in ready]
    await turn.say(text, inline([*columns(buttons, 2), [(_("⬅️ Back"), Nav(to="certificates"))]]))


async def on_requests(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.reset()
    await turn.state.set_state(Certificates.requests)
    await ask_requests(turn)


async def on_download(query: CallbackQuery, callback_data: CertificateDownload, turn: Turn) -> None:
    """The backend checks that the certificate is the caller's and ready; its name comes from the list."""
    await query.answer()
    certificate_id = callback_data.certificate_id
    try:
        pdf = await turn.backend.certificate_pdf(turn.user_id, certificate_id)
    except BackendError as exc:
        if exc.status not in (404, 409):
            raise
        await turn.say(_not_ready(exc) if exc.status == 409 else _not_found())
        await ask_requests(turn)
        return
    certificates = await turn.backend.certificates(turn.user_id, limit=LOOKUP_LIMIT)
    name = next((title_of(turn, c) for c in certificates if c.id == certificate_id), pdf.file_name)
    await send_certificate(turn, pdf, name)


def _not_ready(exc: BackendError) -> str:
    if exc.details.get("certificate_status") == "rejected":
        return _("That request was rejected, so there is no certificate to download.")
    return _("That certificate is not ready yet: it is waiting for the staff signature.")


def _not_found() -> str:
    return _("I could not find that certificate among yours. Please choose one from the list.")


SCREENS: Screens = {
    Certificates.requests.state: Screen("buttons", ask_requests),
}


def router() -> Router:
    r = Router(name="certificate_list")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_requests, CertificateRequests.filter())
    r.callback_query.register(
        on_download, Certificates.requests, CertificateDownload.filter(F.certificate_id.in_(CERTIFICATE_IDS))
    )
    return r

"""The insurance overview: each current cover, mandatory or voluntary in plain words, and when it expires; the
policies sent for verification and the renewal quotes asked for; and what the other insurance screens share."""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import html
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from pydantic import Field

from bot.backend.filings import Document, InsuranceOverview, Policy, QuoteRequest
from bot.backend.models import LoanSummary
from bot.buttons import Nav, QuotePayment
from bot.drafts import Draft, new_key
from bot.keyboards import inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs.callbacks import InsuranceAction
from dialogs.menu import progress_lines
from dialogs.states import Insurance

KINDS = ("property", "life", "title")  # property first: the one cover the loan requires
_EMOJI = {"property": "🏠", "life": "❤️", "title": "📜"}


class InsuranceDraft(Draft):
    """The dialog's data: the loan shown, its covers, the cover chosen, and the key drawn with the overview that
    its policy upload or quote request is sent under (sent again after a lost answer, stored once)."""

    loan_id: int | None = Field(default=None, alias="insurance_loan")
    kinds: tuple[str, ...] = Field(default=(), alias="insurance_kinds")
    kind: str | None = Field(default=None, alias="insurance_kind")
    key: str = Field(default_factory=new_key, alias="insurance_key")


async def show_overview(turn: Turn) -> None:
    loan_id = turn.borrower.selected_loan_id  # the overview opens only with one (`dialogs/selected_loan.py`)
    summary, overview = await asyncio.gather(
        turn.backend.summary(turn.user_id, loan_id), turn.backend.insurance(turn.user_id, loan_id)
    )
    if summary.closed:
        await show_closed(turn)
        return
    shown = await InsuranceDraft.load(turn.state)
    again = await turn.state.get_state() == Insurance.overview.state and shown.loan_id == loan_id
    await turn.state.set_state(Insurance.overview)
    # shown again (after input it could not read), the overview keeps the key a request of it may be sent under
    key = shown.key if again else new_key()
    await InsuranceDraft(loan_id=loan_id, kinds=loan_kinds(overview), key=key).store(turn.state)
    actions = [
        *(payment_buttons(quote, labelled=True) for quote in overview.open_quote_requests if awaits_choice(quote)),
        [(_("📤 Upload the renewed policy"), InsuranceAction(action="upload"))],
        [(_("🧾 Ask for a renewal quote"), InsuranceAction(action="quote"))],
        [menu_button()],
    ]
    await turn.say(overview_text(turn, summary, overview), inline(actions))


async def show_closed(turn: Turn) -> None:
    await turn.reset()
    await turn.say(
        _("This loan is repaid in full, so no insurance is required for it any more."), inline([[menu_button()]])
    )


def menu_button() -> tuple[str, Nav]:
    return _("🏠 Menu"), Nav(to="menu")


def done_keyboard() -> InlineKeyboardMarkup:
    """After a policy is sent or a quote asked for: the overview again, or the menu."""
    return inline([[(_("🛡 Insurance"), Nav(to="insurance")), menu_button()]])


async def back_to_covers(turn: Turn, action: str) -> tuple[str, InsuranceAction | Nav]:
    """Back to the choice of cover, or to the overview when the loan has one cover and the choice was skipped."""
    several = len((await InsuranceDraft.load(turn.state)).kinds) > 1
    return _("⬅️ Back"), InsuranceAction(action=action) if several else Nav(to="insurance")


def cover_name(kind: str) -> str:
    """The cover in running text: "property insurance"."""
    return {"property": _("property insurance"), "life": _("life insurance"), "title": _("title insurance")}[kind]


def cover_button(kind: str) -> str:
    name = cover_name(kind)
    return f"{_EMOJI[kind]} {name[0].upper()}{name[1:]}"


def current_policies(overview: InsuranceOverview) -> list[Policy]:
    """The latest policy of each cover the loan has, property first."""
    latest: dict[str, Policy] = {}
    for policy in overview.policies:  # the backend lists the latest expiry first
        latest.setdefault(policy.kind, policy)
    return [latest[kind] for kind in KINDS if kind in latest]


def loan_kinds(overview: InsuranceOverview) -> list[str]:
    """The covers a renewal can be for: the loan's own, or the mandatory property cover when none is on record."""
    return [policy.kind for policy in current_policies(overview)] or ["property"]


def overview_text(turn: Turn, summary: LoanSummary, overview: InsuranceOverview) -> str:
    lines = [*progress_lines(turn, summary), "", _("Your insurance for this loan:")]
    policies = current_policies(overview)
    for policy in policies:
        lines += ["", *_policy_lines(turn, policy)]
    if not policies:
        lines += [
            "",
            _("The bank has no insurance policy on record for this loan."),
            _("Insurance of the mortgaged home is mandatory while the loan lasts; life and title cover are voluntary."),
        ]
    documents = _latest_documents(overview.documents)
    if documents:
        lines += ["", _("Policies you sent:"), *(_document_line(document) for document in documents)]
    if overview.open_quote_requests:
        lines += ["", _("Renewal quotes you asked for:")]
        lines += [_quote_line(turn, quote) for quote in overview.open_quote_requests]
    lines += ["", _("What would you like to do?")]
    return "\n".join(lines)


def _policy_lines(turn: Turn, policy: Policy) -> list[str]:
    lines = [
        cover_button(policy.kind),
        _("Mandatory: the mortgaged home must stay insured as long as the loan lasts.")
        if policy.mandatory
        else _("Voluntary: renewing it is your choice, and you may decline it."),
        _("Insurer: {insurer}").format(insurer=html.quote(policy.insurer)),
    ]
    expiry = turn.day(policy.expires_on)
    if policy.expired:
        lines.append(_("Expired on {date}.").format(date=expiry))
    elif policy.days_to_expiry == 0:
        lines.append(_("Valid until {date}: it ends today.").format(date=expiry))
    else:
        days = policy.days_to_expiry
        lines.append(
            ngettext("Valid until {date}: {count} day left.", "Valid until {date}: {count} days left.", days).format(
                date=expiry, count=days
            )
        )
    return lines


def _latest_documents(documents: list[Document]) -> list[Document]:
    """The latest policy sent for each cover (the backend lists the newest first), property first."""
    latest: dict[str, Document] = {}
    for document in documents:
        if document.policy_kind in KINDS:
            latest.setdefault(document.policy_kind, document)
    return [latest[kind] for kind in KINDS if kind in latest]


def _document_line(document: Document) -> str:
    if document.status == "approved":
        status = _("accepted")
    elif document.status == "rejected" and document.decision_reason:
        status = _("not accepted: {reason}").format(reason=html.quote(document.decision_reason))
    elif document.status == "rejected":
        status = _("not accepted")
    else:
        status = _("being checked by the bank's staff")
    return _("• {cover}, file «{name}»: {status}").format(
        cover=cover_name(document.policy_kind), name=html.quote(document.file_name), status=status
    )


def awaits_choice(quote: QuoteRequest) -> bool:
    return quote.status == "sent" and quote.pay_later is None


def payment_buttons(quote: QuoteRequest, *, labelled: bool = False) -> list[tuple[str, QuotePayment]]:
    """Pay a priced quote at once or later; `labelled` marks them with the cover when the overview lists several."""
    mark = f"{_EMOJI[quote.kind]} " if labelled else ""
    return [
        (mark + _("💳 Pay at once"), QuotePayment(loan_id=quote.loan_id, quote_id=quote.id, later=False)),
        (mark + _("🕓 Pay later"), QuotePayment(loan_id=quote.loan_id, quote_id=quote.id, later=True)),
    ]


def _quote_line(turn: Turn, quote: QuoteRequest) -> str:
    cover = cover_name(quote.kind)
    if quote.status != "sent":
        return _("• {cover}, asked on {date}: waiting for the price from the partner insurer").format(
            cover=cover, date=local_day(turn, quote.created_at)
        )
    price = _("• {cover}: {insurer}, {amount}, the price holds until {date}").format(
        cover=cover,
        insurer=html.quote(quote.insurer or ""),
        amount=turn.money(quote.premium),
        date=turn.day(quote.valid_until),
    )
    if quote.pay_later is None:
        return price + _(": pay at once or later?")
    if quote.pay_later:
        return price + _("; you chose to pay later, by {date}").format(date=turn.day(quote.pay_by))
    return price + _("; you chose to pay at once")


def local_day(turn: Turn, moment: datetime) -> str:
    """The day a backend timestamp falls on in the borrower's time zone."""
    zone = ZoneInfo(turn.borrower.time_zone) if turn.borrower else None
    return turn.day(moment.astimezone(zone).date())


SCREENS: Screens = {
    Insurance.overview.state: Screen("buttons", show_overview),
}

"""The tax-deduction overview in the certificates dialog: interest paid by year and in total against the law's cap
(SPEC §6), stated as facts, and the way to each year's interest certificate."""

from decimal import ROUND_HALF_UP, Decimal

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.backend.filings import InterestOverview
from bot.buttons import Nav
from bot.keyboards import columns, inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs.callbacks import CertificateYear, DeductionOverview
from dialogs.certificates.questions import CertificateDraft, ask_delivery, loan_id, open_kinds
from dialogs.filters import Linked
from dialogs.menu import progress_lines
from dialogs.states import Certificates

YEARS = range(1900, 2201)  # what the backend accepts


def _years(turn: Turn, overview: InterestOverview) -> list[str]:
    lines = [_("Interest you paid on this loan, by calendar year:")]
    for entry in overview.years:
        if entry.as_of is None:
            line = _("• {year}: {amount}").format(year=entry.year, amount=turn.money(entry.interest))
        else:
            line = _("• {year}, to {date}: {amount}").format(
                year=entry.year, date=turn.day(entry.as_of), amount=turn.money(entry.interest)
            )
        lines.append(line)
    lines.append(_("In total since the loan began: {amount}.").format(amount=turn.money(overview.total_interest)))
    return lines


def _law(turn: Turn, overview: InterestOverview) -> list[str]:
    rate = turn.percent(overview.refund_rate_percent)
    if not overview.cap_applies:
        return [
            _(
                "The law (Tax Code art. 220): for a loan taken before 2014 the interest deducted has no cap; "
                "the refund is {rate} of the deduction."
            ).format(rate=rate)
        ]
    law = _(
        "The law (Tax Code art. 220): for a loan taken from 2014 on, the deduction counts at most {cap} of interest, "
        "and the refund is {rate} of the deduction, so at most {refund}."
    ).format(cap=turn.money(overview.interest_cap), rate=rate, refund=turn.money(overview.max_refund))
    if overview.cap_left:
        share = (overview.cap_used * 100 / overview.interest_cap).quantize(Decimal("0.01"), ROUND_HALF_UP)
        used = _("The interest you have paid takes {used} of that cap ({share}); {left} of it is left.").format(
            used=turn.money(overview.cap_used), share=turn.percent(share), left=turn.money(overview.cap_left)
        )
    else:
        used = _("The interest you have paid has reached the cap: {cap} of it counts.").format(
            cap=turn.money(overview.interest_cap)
        )
    return [law, used]


async def ask_deduction(turn: Turn) -> None:
    overview = await turn.backend.interest_overview(turn.user_id, loan_id(turn))
    if not overview.years:
        await turn.say(_("No payments have come in on this loan yet, so there is no interest paid to deduct."))
        await open_kinds(turn)
        return
    summary = await turn.backend.summary(turn.user_id, loan_id(turn))
    lines = [
        *progress_lines(turn, summary),
        "",
        _("<b>Tax deduction on mortgage interest</b>"),
        *_years(turn, overview),
        "",
        *_law(turn, overview),
        _(
            "How much you get back depends on the income tax you paid, and the tax office decides. It asks for a "
            "certificate of interest paid for each year: press a year to get it."
        ),
    ]
    buttons = [(str(entry.year), CertificateYear(year=entry.year)) for entry in reversed(overview.years)]
    await turn.say("\n".join(lines), inline([*columns(buttons, 3), [(_("⬅️ Back"), Nav(to="certificates"))]]))


async def on_open(query: CallbackQuery, turn: Turn) -> None:
    await query.answer()
    await turn.state.set_state(Certificates.deduction)
    await ask_deduction(turn)


async def on_year(query: CallbackQuery, callback_data: CertificateYear, turn: Turn) -> None:
    """A year's interest certificate, then the usual question how to have it."""
    await query.answer()
    year = callback_data.year
    if year not in await turn.backend.certificate_years(turn.user_id, loan_id(turn)):
        refusal = _("There were no payments on this loan in {year}. Please choose a year below.")
        await turn.say(refusal.format(year=year))
        await ask_deduction(turn)
        return
    await CertificateDraft(kind="interest_paid", year=year).replace(turn.state)
    await turn.state.set_state(Certificates.delivery)
    await ask_delivery(turn)


SCREENS: Screens = {
    Certificates.deduction.state: Screen("buttons", ask_deduction),
}


def router() -> Router:
    r = Router(name="certificate_deduction")
    r.message.filter(Linked())
    r.callback_query.filter(Linked())
    r.callback_query.register(on_open, Certificates.kind, DeductionOverview.filter())
    r.callback_query.register(on_year, Certificates.deduction, CertificateYear.filter(F.year.in_(YEARS)))
    return r

"""What the certificates dialog asks, in order: which certificate, for which year or date, and how to have it; each
question also asked again after wrong input or a refusal."""

from datetime import date

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from bot.buttons import Nav
from bot.calendar import date_picker
from bot.drafts import Draft, new_key, request_key
from bot.keyboards import columns, inline
from bot.screens import Screen, Screens
from bot.turn import Turn
from dialogs.callbacks import (
    CalendarBlank,
    CertificateDelivery,
    CertificateKind,
    CertificateRequests,
    CertificateYear,
    DatePage,
    DeductionOverview,
    PickDate,
)
from dialogs.certificates.listing import title, title_as_object
from dialogs.menu import progress_lines
from dialogs.states import Certificates


class CertificateDraft(Draft):
    """The certificate being chosen, and the one recorded but not yet sent (a retry sends it, not a new one); `key`
    made with the draft, so a press repeated after a lost answer records nothing twice."""

    key: str = Field(default_factory=new_key)
    kind: str | None = None
    year: int | None = None
    on_date: date | None = None
    month: int | None = None  # the calendar's month on screen, as the ordinal of a day in it
    years: tuple[int, ...] = ()  # the years offered (those with payments), so a pressed one is checked without a call
    certificate_id: int | None = None

    def request_key(self, *, signed: bool) -> str:
        """The idempotency key of this draft's request as chosen now: the same choice, the same key (another choice
        made in the same draft, say a year changed, is another request)."""
        return request_key(self.key, self.kind, self.year, self.on_date, signed)


def loan_id(turn: Turn) -> int:
    """The loan the borrower chose; the dialog opens only with one."""
    return turn.borrower.selected_loan_id


def _back() -> list[tuple[str, Nav]]:
    return [(_("⬅️ Back"), Nav(to="certificates"))]


async def open_kinds(turn: Turn) -> None:
    await turn.state.set_state(Certificates.kind)
    await ask_kind(turn)


async def ask_kind(turn: Turn) -> None:
    summary = await turn.backend.summary(turn.user_id, loan_id(turn))
    lines = [
        *progress_lines(turn, summary),
        "",
        _("Which certificate do you need? I make it as a PDF at once, or staff sign and stamp it for you."),
        _("The interest-paid certificate is what the tax office needs for the deduction on mortgage interest."),
    ]
    rows = [
        [(_("🧾 Interest paid for a year"), CertificateKind(kind="interest_paid"))],
        [(_("💼 Outstanding debt on a date"), CertificateKind(kind="outstanding_debt"))],
        [(_("📅 Payment schedule"), CertificateKind(kind="schedule"))],
        [(_("🧮 Tax deduction: interest by year"), DeductionOverview())],
    ]
    if summary.closed:
        rows.append([(_("✅ Loan closure"), CertificateKind(kind="closure"))])
    rows += [[(_("📋 My requests"), CertificateRequests())], [(_("⬅️ Back"), Nav(to="menu"))]]
    await turn.say("\n".join(lines), inline(rows))


async def ask_year(turn: Turn) -> None:
    years = await turn.backend.certificate_years(turn.user_id, loan_id(turn))
    if not years:
        await turn.say(_("No payments have come in on this loan yet, so there is no interest paid to certify."))
        await open_kinds(turn)
        return
    await (await CertificateDraft.load(turn.state)).change(turn.state, years=years)
    buttons = [(str(year), CertificateYear(year=year)) for year in reversed(years)]
    await turn.say(
        _("For which year? The certificate shows the interest and principal you paid in each month of it."),
        inline([*columns(buttons, 3), _back()]),
    )


async def ask_day(turn: Turn) -> None:
    summary = await turn.backend.summary(turn.user_id, loan_id(turn))
    earliest, latest = summary.contract_date, summary.on_date
    month = (await CertificateDraft.load(turn.state)).month
    picker = date_picker(
        date.fromordinal(month) if month else latest,
        earliest=earliest,
        latest=latest,
        locale=turn.locale,
        pick=lambda day: PickDate(ordinal=day.toordinal()),
        page=lambda day: DatePage(ordinal=day.toordinal()),
        blank=CalendarBlank(),
    )
    today = inline(
        [[(_("Today, {date}").format(date=turn.day(latest)), PickDate(ordinal=latest.toordinal()))], _back()]
    )
    await turn.say(
        _("On which date? Choose a day or type it as DD.MM.YYYY, from {earliest} to {latest}.").format(
            earliest=turn.day(earliest), latest=turn.day(latest)
        ),
        InlineKeyboardMarkup(inline_keyboard=[*picker.inline_keyboard, *today.inline_keyboard]),
    )


async def ask_delivery(turn: Turn) -> None:
    name = chosen_title(turn, await CertificateDraft.load(turn.state))
    await turn.say(
        _(
            "{title}. How would you like it?\n"
            "• Ready now: a PDF from the bank's system, right here in the chat.\n"
            "• With the bank's signature and stamp: staff prepare it, and I will tell you when it is ready."
        ).format(title=name),
        inline(
            [
                [(_("📄 Ready now as PDF"), CertificateDelivery(signed=False))],
                [(_("✍️ With the bank's signature and stamp"), CertificateDelivery(signed=True))],
                _back(),
            ]
        ),
    )


def chosen_title(turn: Turn, draft: CertificateDraft, *, as_object: bool = False) -> str:
    """The name of the certificate the borrower has chosen so far (kept in the dialog's draft); `as_object` for the
    object of a sentence (the Russian accusative)."""
    name = title_as_object if as_object else title
    return name(turn, draft.kind, year=draft.year, on_date=draft.on_date)


async def refuse_closure(turn: Turn) -> None:
    await turn.say(_("A closure certificate is issued once the loan is repaid in full; this loan is still active."))
    await open_kinds(turn)


async def refuse_year(turn: Turn, year: int) -> None:
    await turn.say(_("There were no payments on this loan in {year}. Please choose a year below.").format(year=year))
    await turn.state.set_state(Certificates.year)
    await ask_year(turn)


async def refuse_date(turn: Turn, on_date: date) -> None:
    """A day the certificate cannot be for, said as it is: before the contract, or not yet come."""
    summary = await turn.backend.summary(turn.user_id, loan_id(turn))
    if on_date < summary.contract_date:
        refusal = _("That day is before the loan began on {date}: I can issue it for a day from then to today.")
    else:
        refusal = _("That day has not come yet: I can issue it for a day from the contract date ({date}) to today.")
    await turn.say(refusal.format(date=turn.day(summary.contract_date)))
    await turn.state.set_state(Certificates.day)
    await ask_day(turn)


SCREENS: Screens = {
    Certificates.kind.state: Screen("buttons", ask_kind),
    Certificates.year.state: Screen("buttons", ask_year),
    Certificates.day.state: Screen("text", ask_day),
    Certificates.delivery.state: Screen("buttons", ask_delivery),
}

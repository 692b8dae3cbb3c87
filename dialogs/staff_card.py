"""What the staff read in a case's topic: the summary card (loan status, arrears, open applications, why the chat
was escalated, its last steps) and the bot's own lines there, in the staff's language."""

from aiogram import html
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot import formatting
from bot.backend import BackendClient
from bot.backend.relay import CardLoan, CaseCard

COMMANDS_HELP = "/take · /close · /note · /card"


def _reason(reason: str) -> str:
    return {
        "hardship": _("money trouble: a payment holiday may be due"),
        "requested": _("asked for a person"),
        "misunderstood": _("the bot did not understand them twice"),
        "complaint": _("a complaint"),
        "low_rating": _("a low rating"),
        "early_repayment": _("an early repayment"),
        "refinancing": _("refinancing"),
        "re_registration": _("a re-registration"),
        "certificate": _("a certificate"),
        "other": _("something else"),
    }.get(reason, reason)


def _loan(loan: CardLoan, locale: str) -> str:
    line = _("Loan {id}: {status}").format(id=loan.id, status=loan.status)
    if loan.in_arrears and loan.overdue_amount is not None:
        line += ", " + _("in arrears: {amount}").format(amount=formatting.money(loan.overdue_amount, locale))
    else:
        line += ", " + _("no arrears")
    if loan.next_payment_date:
        line += ", " + _("next payment {date}").format(date=formatting.day(loan.next_payment_date, locale))
    return line


def render_card(card: CaseCard, locale: str) -> str:
    applications = [
        _("{kind} № {id}: {status}").format(kind=application.kind, id=application.id, status=application.status)
        for application in card.open_applications
    ]
    lines = [html.bold(_("Case № {number}: {name}").format(number=card.case_id, name=html.quote(card.first_name)))]
    if card.hardship:
        lines.append("❗ " + _("Money trouble: offer the payment-holiday check first."))
    lines.append(_("Why: {reason}").format(reason="; ".join(_reason(reason) for reason in card.reasons)))
    if card.linked:
        lines += [
            *(_loan(loan, locale) for loan in card.loans),
            _("Open applications: {list}").format(list="; ".join(applications) if applications else _("none")),
        ]
    else:
        lines.append(
            _("Not linked to a borrower: the name is the one their Telegram gives, and no loan data is shown.")
        )
    if card.needs_supervisor:
        lines.append("⚠️ " + _("A low rating: a supervisor should look at this case."))
    if card.summary:
        lines += ["", _("In their words:"), html.quote(card.summary)]
    if card.recent_steps:
        lines += ["", _("Last steps in the bot: {steps}").format(steps=html.quote(" → ".join(card.recent_steps)))]
    lines += ["", _("Reply here and the borrower gets it. Commands: {commands}").format(commands=COMMANDS_HELP)]
    return "\n".join(lines)


def _line(key: str) -> str:
    return {
        "left": _("The borrower went back to the assistant; the case is closed."),
        "blocked": _("The borrower has blocked the bot: the case is closed, nothing more reaches them."),
        "closed": _("Closed by {name}: the assistant is back with the borrower, who is asked to rate the help."),
        "taken": _("{name} has taken the case."),
        "console_reply": _("💬 {name} replied from the console:"),
        "note_kept": _("📝 Note kept in the case (not sent to the borrower)."),
        "case_closed": _("This case is closed: the borrower no longer sees messages here."),
        "note_empty": _("Write the note after the command: /note text."),
    }[key]


class StaffVoice:
    """The bot's words to the staff, always in the bank's language, whatever language the update speaks."""

    def __init__(self, backend: BackendClient, i18n: I18n, locale: str) -> None:
        self._backend = backend
        self._i18n = i18n
        self.locale = locale

    async def card(self, case_id: int) -> str:
        data = await self._backend.case_card(case_id)
        with self._i18n.context(), self._i18n.use_locale(self.locale):
            return render_card(data, self.locale)

    def line(self, key: str, **values: str) -> str:
        with self._i18n.context(), self._i18n.use_locale(self.locale):
            return _line(key).format(**values)

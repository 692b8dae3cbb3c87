"""What the typed-request answers call things: each request as a button, and the form a borrower is in the middle of."""

from aiogram.utils.i18n import gettext as _

from bot.intents.catalog import Intent
from dialogs.states import (
    Certificates,
    EarlyRepayment,
    HolidayApplications,
    HolidayWizard,
    Insurance,
    Refinancing,
    Survey,
)


def request_label(intent: Intent) -> str:
    """The request as a button: the menu's words where the menu has it."""
    return {
        Intent.BALANCE: _("📊 Balance and progress"),
        Intent.HOW_TO_PAY: _("💳 How to pay"),
        Intent.EARLY_REPAYMENT: _("💰 Repay early"),
        Intent.INTEREST_CERTIFICATE: _("🧾 Interest paid for a year"),
        Intent.DEBT_CERTIFICATE: _("💼 Outstanding debt on a date"),
        Intent.CLOSURE_CERTIFICATE: _("✅ Loan closure"),
        Intent.SCHEDULE: _("📅 Payment schedule"),
        Intent.MY_REQUESTS: _("📋 My requests"),
        Intent.INSURANCE: _("🛡 Insurance"),
        Intent.HOLIDAY: _("🌿 Payment holiday"),
        Intent.HOLIDAY_STATUS: _("⏳ My payment-holiday applications"),
        Intent.HARDSHIP: _("🤝 If paying has become hard"),
        Intent.REFINANCING: _("📝 Refinancing, family changes"),
        Intent.PERSON: _("👤 Talk to a person"),
        Intent.FEEDBACK: _("⭐ Rate the assistant"),
        Intent.LANGUAGE: _("🌐 Language"),
        Intent.REMINDERS_ON: _("🔔 Turn reminders on"),
        Intent.REMINDERS_OFF: _("🔕 Turn reminders off"),
        Intent.REMINDER_DAYS: _("📅 When to remind"),
        Intent.REMINDER_HOURS: _("🌙 Quiet hours"),
        Intent.TIME_ZONE: _("🕒 Time zone"),
        Intent.UNLINK: _("🔓 Unlink this chat"),
        Intent.HELP: _("❓ What I can do"),
        Intent.GREETING: _("👋 Say hello"),
        Intent.THANKS: _("🙏 Say thank you"),
        Intent.COMPLAINT: _("😟 Make a complaint"),
    }[intent]


#: The dialog (its states' group) each request opens at its start: typed anywhere in that dialog it is no request,
#: the dialog's own question is the answer.
ENTRY_OF = {
    Intent.EARLY_REPAYMENT: EarlyRepayment.__full_group_name__,
    Intent.HOLIDAY: HolidayWizard.__full_group_name__,
    Intent.HARDSHIP: HolidayWizard.__full_group_name__,
    Intent.HOLIDAY_STATUS: HolidayApplications.__full_group_name__,
    Intent.INSURANCE: Insurance.__full_group_name__,
    Intent.REFINANCING: Refinancing.__full_group_name__,
    Intent.FEEDBACK: Survey.__full_group_name__,
}
#: The dialog each request enters, where it has forms: the same request typed in that form is not a switch.
FORM_OF = {
    **ENTRY_OF,
    Intent.INTEREST_CERTIFICATE: Certificates.__full_group_name__,
    Intent.DEBT_CERTIFICATE: Certificates.__full_group_name__,
    Intent.CLOSURE_CERTIFICATE: Certificates.__full_group_name__,
    Intent.SCHEDULE: Certificates.__full_group_name__,
}


#: The dialogs whose states hold answers given so far; their own menus and results (`LANDINGS`) hold none.
FORMS = frozenset(
    group.__full_group_name__
    for group in (EarlyRepayment, HolidayWizard, HolidayApplications, Refinancing, Certificates, Insurance, Survey)
)
LANDINGS = frozenset(
    state.state
    for state in (
        Certificates.kind,
        Certificates.requests,
        Certificates.deduction,
        Insurance.overview,
        HolidayWizard.intro,
        HolidayApplications.listing,
        HolidayApplications.detail,
        Refinancing.topic,
        Survey.score,
    )
)


def in_a_form(state: str | None) -> bool:
    """The chat is in the middle of a form: another request there is asked about, never entered at once."""
    return state is not None and group_of(state) in FORMS and state not in LANDINGS


def group_of(state: str) -> str:
    """The states' group of a stored state name ("HolidayWizard:months" -> "HolidayWizard")."""
    return state.partition(":")[0]


def form_name(state: str) -> str:
    """The form a state belongs to, as the subject of "… is in progress"."""
    return {
        EarlyRepayment.__full_group_name__: _("the early repayment estimate"),
        HolidayWizard.__full_group_name__: _("the payment-holiday application"),
        HolidayApplications.__full_group_name__: _("the documents for your payment-holiday application"),
        Certificates.__full_group_name__: _("the certificate request"),
        Insurance.__full_group_name__: _("the renewed insurance policy"),
        Refinancing.__full_group_name__: _("the request to the bank"),
        Survey.__full_group_name__: _("the rating"),
    }.get(group_of(state), _("the current step"))

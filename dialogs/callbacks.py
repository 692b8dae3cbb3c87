"""Callback data of the dialogs' own buttons: ids and fixed choices only, each checked when pressed (the buttons
pushes share with the dialogs are in `bot/buttons.py`)."""

from aiogram.filters.callback_data import CallbackData


class Consent(CallbackData, prefix="consent"):
    agreed: bool


class PickLanguage(CallbackData, prefix="lang"):
    code: str


class PickLoan(CallbackData, prefix="loan"):
    loan_id: int


class SettingsItem(CallbackData, prefix="set"):
    """Open one setting (language, days, hours, zone, loan, unlink) or set a switch the way its button says
    (reminders_on, reminders_off, payment_notice_on, payment_notice_off); see `dialogs/settings.py:SWITCHES`."""

    item: str


class ToggleDay(CallbackData, prefix="day"):
    day: int


class DaysDone(CallbackData, prefix="days"):
    """Save the days chosen on the days screen (they are kept in the dialog's data, not in the button)."""


class PickHours(CallbackData, prefix="hours"):
    start: int
    end: int


class PickZone(CallbackData, prefix="tz"):
    index: int


class ConfirmUnlink(CallbackData, prefix="unlink"):
    confirmed: bool


class RemindersOptIn(CallbackData, prefix="remind"):
    agreed: bool


class CalendarBlank(CallbackData, prefix="cal"):
    """A date picker's title, weekday names and days outside the allowed range: pressing them does nothing."""


class PickDate(CallbackData, prefix="date"):
    """A day in a date picker, as its ISO ordinal; the dialog checks it against the range it allows."""

    ordinal: int


class DatePage(CallbackData, prefix="month"):
    """Turn a date picker to another month: `ordinal` of its first day."""

    ordinal: int


# --- early repayment (dialogs/early_repayment.py) ---
class EarlyMode(CallbackData, prefix="early"):
    """The effect chosen for an early repayment: shorter_term or smaller_payment."""

    mode: str


class EarlyStep(CallbackData, prefix="earlystep"):
    """A move in the early-repayment dialog: amount (enter another), mode (choose again), estimate (back to it),
    file (review the request), confirm (send it)."""

    step: str


# --- refinancing and re-registration (dialogs/refinancing.py) ---
class RefinancingTopic(CallbackData, prefix="refi"):
    """What the request is about: refinancing, family or co_borrower."""

    topic: str


class RefinancingStep(CallbackData, prefix="refistep"):
    """A move in the refinancing form: topic (choose again), edit (rewrite the text), confirm, cancel."""

    step: str


# --- certificates (dialogs/certificates/entry.py) ---
class CertificateKind(CallbackData, prefix="cert"):
    """A kind of certificate: interest_paid, outstanding_debt, schedule, closure."""

    kind: str


class CertificateYear(CallbackData, prefix="certyear"):
    """The year an interest-paid certificate covers; the dialog checks it against the years with payments."""

    year: int


class DeductionOverview(CallbackData, prefix="certtax"):
    """The tax-deduction overview: interest paid by year against the law's cap, a button per year's certificate."""


class CertificateDelivery(CallbackData, prefix="certsign"):
    """Ready now as a PDF (False) or with the bank's signature and stamp, prepared by staff (True)."""

    signed: bool


class CertificateRequests(CallbackData, prefix="certs"):
    """The borrower's earlier certificate requests."""


class CertificateDownload(CallbackData, prefix="certpdf"):
    """Download a ready certificate again; the backend checks it is the caller's."""

    certificate_id: int


# --- insurance (dialogs/insurance/entry.py) ---
class InsuranceAction(CallbackData, prefix="ins"):
    """An insurance action: upload (send the renewed policy) or quote (ask the bank's partner for a renewal quote)."""

    action: str


class PolicyCover(CallbackData, prefix="inscover"):
    """The cover a policy or quote is for: property, life or title; checked against the loan's own policies."""

    kind: str


# --- payment holiday (dialogs/holiday/) ---
class HolidayStep(CallbackData, prefix="hol"):
    """A move in the payment-holiday dialogs: apply, list (my applications), back, done (no more documents),
    next (from the pre-check to the summary), edit, confirm, submit."""

    do: str


class HolidayReasonPick(CallbackData, prefix="holreason"):
    """Why the borrower asks: one of the backend's reasons (job_loss, income_drop, sick_leave, ...)."""

    code: str


class HolidayMonths(CallbackData, prefix="holmonths"):
    """The holiday's length, 1 to 6 months."""

    count: int


class HolidayModePick(CallbackData, prefix="holmode"):
    """full (no payments) or reduced (a smaller payment)."""

    mode: str


class HolidayEdit(CallbackData, prefix="holedit"):
    """Change one answer from the summary: which question to ask again."""

    field: str


class HolidayOpen(CallbackData, prefix="holopen"):
    """Show one of the borrower's applications; the backend checks it is theirs."""

    holiday_id: int


class HolidayAction(CallbackData, prefix="holact"):
    """On the application shown: proof (add documents) or withdraw; `holiday_id` must be the one shown."""

    action: str
    holiday_id: int


class HolidayWithdraw(CallbackData, prefix="holwithdraw"):
    """Withdraw the application shown (True) or keep it (False)."""

    confirmed: bool


# --- talk to a person (dialogs/person.py) ---


class NotNow(CallbackData, prefix="notnow"):
    """Decline the offer of a person: the borrower goes on where they were."""


class SendToPerson(CallbackData, prefix="tostaff"):
    """Pass the request to staff without a message of one's own."""


# --- feedback (dialogs/feedback.py) ---
class Rate(CallbackData, prefix="rate"):
    """A score of 1 to 5 in the satisfaction survey."""

    score: int


class SkipComment(CallbackData, prefix="nocomment"):
    """Send the rating without a comment."""


class LeavePerson(CallbackData, prefix="leave"):
    """End the chat with a person and go back to the assistant."""


# --- typed requests (dialogs/typed/) ---
class TypedGuess(CallbackData, prefix="guess"):
    """One of the bot's guesses at a typed request it was not sure of: the intent's name (`bot/intents/catalog.py`)."""

    intent: str


class TypedSwitch(CallbackData, prefix="switch"):
    """In the middle of a form: leave it for the request typed (`intent`); the form's draft stays as it keeps it."""

    intent: str


class TypedCarryOn(CallbackData, prefix="carryon"):
    """In the middle of a form: go on with it, its question asked again and its draft kept."""

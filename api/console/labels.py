"""What staff read for each status and kind code: the English message ids, translated in the member's language.

Every console page shows a code through `label(value, gettext)`, never the raw code. A table per enum (two enums
share values such as "approved", so the table is chosen by the value's type); the strings are marked with `N_` for
extraction and translated when shown, in the language of the page.
"""

from collections.abc import Callable
from enum import StrEnum

from api.engine import DayCount, InstallmentKind
from api.models import (
    CaseReason,
    CaseStatus,
    CertificateKind,
    CertificateStatus,
    DocumentPurpose,
    EarlyMode,
    FeedbackSubject,
    HolidayMode,
    HolidayReason,
    HolidayStatus,
    LoanStatus,
    MessageDirection,
    MessageKind,
    NotificationKind,
    NotificationStatus,
    PaymentKind,
    PolicyKind,
    QuoteStatus,
    ReviewStatus,
    StaffRole,
)

Gettext = Callable[[str], str]


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated where it is shown (the gettext convention)."""
    return message


_LABELS: dict[type[StrEnum], dict[StrEnum, str]] = {
    HolidayStatus: {
        HolidayStatus.SUBMITTED: N_("Awaiting decision"),
        HolidayStatus.APPROVED: N_("Approved"),
        HolidayStatus.REJECTED: N_("Declined"),
        HolidayStatus.WITHDRAWN: N_("Withdrawn by the borrower"),
    },
    HolidayReason: {
        HolidayReason.JOB_LOSS: N_("Job loss"),
        HolidayReason.INCOME_DROP: N_("Income drop"),
        HolidayReason.SICK_LEAVE: N_("Sick leave"),
        HolidayReason.DISABILITY: N_("Disability"),
        HolidayReason.NEW_DEPENDANT: N_("New dependant"),
        HolidayReason.OTHER: N_("Other reason"),
    },
    HolidayMode: {
        HolidayMode.FULL: N_("Payments suspended"),
        HolidayMode.REDUCED: N_("Payments reduced"),
    },
    CertificateStatus: {
        CertificateStatus.READY: N_("Issued"),
        CertificateStatus.PENDING_STAFF: N_("Awaiting signature"),
        CertificateStatus.REJECTED: N_("Refused"),
    },
    CertificateKind: {
        CertificateKind.INTEREST_PAID: N_("Interest paid in a year"),
        CertificateKind.OUTSTANDING_DEBT: N_("Outstanding debt on a date"),
        CertificateKind.SCHEDULE: N_("Payment schedule"),
        CertificateKind.CLOSURE: N_("Loan closure"),
    },
    ReviewStatus: {
        ReviewStatus.SUBMITTED: N_("Awaiting review"),
        ReviewStatus.APPROVED: N_("Accepted"),
        ReviewStatus.REJECTED: N_("Rejected"),
    },
    DocumentPurpose: {
        DocumentPurpose.INSURANCE_POLICY: N_("Insurance policy"),
        DocumentPurpose.HOLIDAY_PROOF: N_("Payment-holiday proof"),
    },
    PolicyKind: {
        PolicyKind.PROPERTY: N_("Property insurance"),
        PolicyKind.LIFE: N_("Life insurance"),
        PolicyKind.TITLE: N_("Title insurance"),
    },
    QuoteStatus: {
        QuoteStatus.REQUESTED: N_("Awaiting price"),
        QuoteStatus.SENT: N_("Price sent"),
        QuoteStatus.CANCELLED: N_("Cancelled"),
    },
    CaseStatus: {
        CaseStatus.OPEN: N_("Waiting for staff"),
        CaseStatus.TAKEN: N_("Taken"),
        CaseStatus.CLOSED: N_("Closed"),
    },
    CaseReason: {
        CaseReason.HARDSHIP: N_("Money trouble"),
        CaseReason.REQUESTED: N_("Asked for a person"),
        CaseReason.MISUNDERSTOOD: N_("The bot did not understand"),
        CaseReason.COMPLAINT: N_("Complaint"),
        CaseReason.LOW_RATING: N_("Low rating"),
        CaseReason.EARLY_REPAYMENT: N_("Early repayment"),
        CaseReason.REFINANCING: N_("Refinancing"),
        CaseReason.RE_REGISTRATION: N_("Family or co-borrower change"),
        CaseReason.CERTIFICATE: N_("Certificate"),
        CaseReason.OTHER: N_("Other"),
    },
    MessageDirection: {
        MessageDirection.BORROWER: N_("Borrower"),
        MessageDirection.STAFF: N_("Staff reply"),
        MessageDirection.NOTE: N_("Private note"),
    },
    MessageKind: {
        MessageKind.TEXT: N_("Text"),
        MessageKind.PHOTO: N_("Photo"),
        MessageKind.DOCUMENT: N_("File"),
        MessageKind.OTHER: N_("Other message"),
    },
    NotificationKind: {
        NotificationKind.PAYMENT_DUE: N_("Payment reminder"),
        NotificationKind.PAYMENT_OVERDUE: N_("Overdue notice"),
        NotificationKind.INSURANCE_EXPIRY: N_("Insurance expiry reminder"),
        NotificationKind.HOLIDAY_DECIDED: N_("Payment-holiday decision"),
        NotificationKind.CERTIFICATE_READY: N_("Certificate ready"),
        NotificationKind.CERTIFICATE_REJECTED: N_("Certificate refused"),
        NotificationKind.INSURANCE_DOCUMENT_DECIDED: N_("Insurance document decision"),
        NotificationKind.PAYMENT_RECEIVED: N_("Payment received"),
        NotificationKind.INSURANCE_QUOTE_READY: N_("Renewal quote ready"),
    },
    NotificationStatus: {
        NotificationStatus.PENDING: N_("Planned"),
        NotificationStatus.CLAIMED: N_("Being sent"),
        NotificationStatus.SENT: N_("Sent"),
        NotificationStatus.FAILED: N_("Failed"),
        NotificationStatus.CANCELLED: N_("Not sent"),
    },
    LoanStatus: {
        LoanStatus.ACTIVE: N_("Active"),
        LoanStatus.CLOSED: N_("Repaid and closed"),
    },
    DayCount: {
        DayCount.MONTHLY: N_("1/12 of the annual rate a month"),
        DayCount.ACTUAL_365: N_("Actual days / 365"),
        DayCount.ACTUAL_ACTUAL: N_("Actual days / actual year"),
    },
    InstallmentKind: {
        InstallmentKind.REGULAR: N_("Regular"),
        InstallmentKind.HOLIDAY: N_("In the payment holiday"),
        InstallmentKind.DEFERRED: N_("Deferred by the holiday"),
    },
    PaymentKind: {
        PaymentKind.REGULAR: N_("Regular payment"),
        PaymentKind.EARLY: N_("Early repayment"),
    },
    EarlyMode: {
        EarlyMode.SHORTER_TERM: N_("Shorter term"),
        EarlyMode.SMALLER_PAYMENT: N_("Smaller payment"),
    },
    FeedbackSubject: {
        FeedbackSubject.CERTIFICATE: N_("Certificate"),
        FeedbackSubject.HOLIDAY: N_("Payment holiday"),
        FeedbackSubject.SUPPORT_CASE: N_("Chat with staff"),
        FeedbackSubject.GENERAL: N_("General"),
    },
    StaffRole: {
        StaffRole.OPERATOR: N_("Operator"),
        StaffRole.SUPERVISOR: N_("Supervisor"),
    },
}

#: What an audit entry's action says (api/audit.py writes codes); an action not listed here is shown as its code.
_ACTIONS: dict[str, str] = {
    "apply": N_("Filed by the borrower"),
    "withdraw": N_("Withdrawn by the borrower"),
    "upload": N_("File uploaded"),
    "certificate_requested": N_("Requested by the borrower"),
    "certificate_delivered": N_("Delivered to the borrower"),
    "request_quote": N_("Quote requested"),
    "price_quote": N_("Price sent to the borrower"),
    "choose_quote_payment": N_("Borrower chose when to pay"),
    "decide_approved": N_("Decision: approve"),
    "decide_rejected": N_("Decision: decline"),
    "decide_ready": N_("Decision: issue"),
    "view": N_("File opened by staff"),
    "read_transcript": N_("Transcript read"),
    "open_case": N_("Case opened"),
    "reuse_case": N_("Borrower asked again"),
    "take_case": N_("Taken by staff"),
    "close_case": N_("Closed"),
    "reopen_for_supervisor": N_("Reopened for a supervisor"),
    "flag_for_supervisor": N_("Flagged for a supervisor"),
    "create": N_("Created"),
    "update": N_("Updated"),
}

#: The enums that have labels; a test checks every member of each has one.
LABELLED = tuple(_LABELS)


def label(value: StrEnum, gettext: Gettext) -> str:
    """The staff-facing words for `value` (a member of one of `LABELLED`), in the language `gettext` speaks."""
    return gettext(_LABELS[type(value)][value])


def action_label(action: str, gettext: Gettext) -> str:
    """The words for an audit entry's action, or the action's code when it has none yet."""
    message = _ACTIONS.get(action)
    return action if message is None else gettext(message)


def choices(kind: type[StrEnum], gettext: Gettext) -> list[tuple[str, str]]:
    """(code, words) for every member of `kind`, in its declared order: the options of a filter or a form."""
    return [(member.value, label(member, gettext)) for member in kind]
